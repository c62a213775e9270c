package dev.spinet.tcp;

import dev.spinet.config.StackConfig;
import dev.spinet.iface.Ipv4Output;
import dev.spinet.iface.TransportLayer;
import dev.spinet.stats.Counters;
import dev.spinet.storage.RingRegion;
import dev.spinet.wire.TcpSegment;

/**
 * TCP (RFC 9293) for one IPv4 address: a fixed table of connections, listeners and a compact
 * TIME-WAIT table, driven by the interface's duty cycle, and a handle-based application API.
 *
 * <h2>Where things are (lwIP tcp.c / tcp_in.c / tcp_out.c style)</h2>
 * <ul>
 *   <li>{@link TcpInput}: segment arrival, RFC 9293 3.10.7 (called from {@link #receive}).</li>
 *   <li>{@link TcpOutput}: deciding what to send and building segments into
 *       {@link Ipv4Output#transmitBuffer()} (Nagle, SWS avoidance, congestion window).</li>
 *   <li>{@link TcpTimers}: retransmission, delayed ACK, persist, keepalive, user timeout,
 *       FIN-WAIT-2 and TIME-WAIT (called from {@link #poll}).</li>
 *   <li>This class: the API (RFC 9293 3.10.1 to 3.10.6 user calls), state changes, and delivering
 *       events to {@link TcpHandler}s.</li>
 * </ul>
 *
 * <h2>Call order in one duty cycle</h2>
 * <ol>
 *   <li>{@link #receive} for each segment: input processing for the one connection it belongs
 *       to, then that connection's pending events are delivered to its handler (which may read
 *       and write), then its output runs, so ACKs piggyback on replies.</li>
 *   <li>{@link #poll}: timers of every connection and TIME-WAIT entry, events, then output for
 *       every connection (data written from outside callbacks goes out here).</li>
 * </ol>
 * API calls (connect, write, close...) only change state and queue; the segments leave at the
 * next {@link #poll}, except {@link #abort}, whose RST goes out at once because the TCB is freed.
 *
 * <h2>Handles</h2>
 * Connection handles are {@code generation << 16 | slot} (positive, below 2^30); listener
 * handles also have bit 30 set. A handle goes stale when {@link TcpHandler#onClosed} is called;
 * using a stale handle throws {@link IllegalArgumentException}.
 *
 * <p>Nothing thrown escapes {@link #receive} or {@link #poll}: malformed input is counted in
 * {@link #counters()}, and a defect (or an exception from a handler) is counted as
 * {@code INTERNAL_ERROR}/{@code HANDLER_ERROR} and kept in {@link #lastInternalError()}.
 */
public final class TcpLayer implements TransportLayer {

    private static final long NOTHING_SCHEDULED = Long.MAX_VALUE / 4;
    private static final int IPV4_HEADER = 20;
    static final int EPHEMERAL_FIRST = 49152;
    static final int EPHEMERAL_COUNT = 65536 - EPHEMERAL_FIRST;

    final StackConfig config;
    final Ipv4Output ip;
    final TransitionObserver observer;
    final InitialSequenceNumbers isn;
    /** Per-connection TSval offsets (RFC 7323 timestamps). */
    final TimestampOffsets timestampOffsets;
    final Counters<TcpCounter> counters = new Counters<>(TcpCounter.class);
    final TcbTable tcbs;
    final Listener[] listeners;
    final TimeWaitTable timeWait;
    /** RFC 4987 SYN cookies, used when StackConfig.tcpSynOverflowPolicy is SYN_COOKIE. */
    final SynCookies synCookies;
    final TcpInput input;
    /** ICMP errors about our segments (RFC 1122 4.2.3.9, RFC 5927) and path MTU discovery (RFC 1191). */
    final IcmpErrorInput icmpErrors;
    final TcpOutput output;
    final TcpTimers timers;
    /** The MSS this host announces: the configured one, bounded by what the interface can carry. */
    final int announcedMss;
    /** Our window-scale shift (RFC 7323): the smallest that fits the receive ring in 16 bits. */
    final int windowShift;
    /** Time of the latest receive/poll: API calls between cycles use it for ISNs and timers. */
    long lastNanos;
    private final EphemeralPorts ephemeralPorts;
    private Throwable lastInternalError;

    public TcpLayer(StackConfig config, Ipv4Output ip) {
        this(config, ip, TransitionObserver.NONE);
    }

    public TcpLayer(StackConfig config, Ipv4Output ip, TransitionObserver observer) {
        this(config, ip, observer, new Rfc6528Isn(config.tcpSecret));
    }

    /**
     * @param observer told about every state change (use {@link TransitionObserver#NONE} for none)
     * @param isn      initial sequence numbers; production uses {@link Rfc6528Isn}, tests may fix them
     */
    public TcpLayer(StackConfig config, Ipv4Output ip, TransitionObserver observer, InitialSequenceNumbers isn) {
        this(config, ip, observer, isn, new KeyedTimestampOffsets(config == null ? 0 : config.tcpSecret));
    }

    /**
     * @param observer         told about every state change (use {@link TransitionObserver#NONE} for none)
     * @param isn              initial sequence numbers; production uses {@link Rfc6528Isn}, tests may fix them
     * @param timestampOffsets offsets of each connection's TSvals (RFC 7323); production uses
     *                         {@link KeyedTimestampOffsets}, tests may fix them
     */
    public TcpLayer(StackConfig config, Ipv4Output ip, TransitionObserver observer, InitialSequenceNumbers isn,
                    TimestampOffsets timestampOffsets) {
        if (config == null || ip == null || observer == null || isn == null || timestampOffsets == null) {
            throw new IllegalArgumentException("TcpLayer needs a config, an Ipv4Output, an observer (TransitionObserver.NONE for none),"
                    + " an ISN source and timestamp offsets");
        }
        this.config = config;
        this.ip = ip;
        this.observer = observer;
        this.isn = isn;
        this.timestampOffsets = timestampOffsets;
        this.tcbs = new TcbTable(config);
        this.listeners = new Listener[config.tcpListeners];
        for (int i = 0; i < listeners.length; i++) {
            listeners[i] = new Listener(i);
        }
        this.timeWait = new TimeWaitTable(config.tcpTimeWaitEntries, config.tcpChallengeAcksPerSecond);
        this.synCookies = new SynCookies(config.tcpSecret);
        int mss = Math.min(config.tcpMss, ip.maxTransportLength() - TcpSegment.HEADER_LENGTH);
        if (mss < 88) {
            throw new IllegalArgumentException("the interface carries only " + ip.maxTransportLength()
                    + " transport bytes per datagram; TCP needs at least 108 (raise the frame size)");
        }
        this.announcedMss = mss;
        int shift = 0;
        if (config.tcpWindowScaling) {
            while (shift < 14 && (config.tcpReceiveBufferBytes >>> shift) > 0xFFFF) {
                shift++;
            }
        }
        this.windowShift = shift;
        this.ephemeralPorts = new EphemeralPorts(new SipHash24(config.tcpSecret));
        this.input = new TcpInput(this);
        this.icmpErrors = new IcmpErrorInput(this);
        this.output = new TcpOutput(this);
        this.timers = new TcpTimers(this);
    }

    // ---- TransportLayer ----

    @Override
    public int protocol() {
        return TcpSegment.PROTOCOL;
    }

    @Override
    public void receive(int source, int destination, boolean broadcast, byte[] buffer, int offset, int length, long nowNanos) {
        lastNanos = nowNanos;
        try {
            input.receive(source, destination, broadcast, buffer, offset, length, nowNanos);
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    @Override
    public void receiveIcmpError(int type, int code, int restOfHeader, int quotedDestination, int quotedTotalLength,
                                 byte[] buffer, int offset, int length, long nowNanos) {
        lastNanos = nowNanos;
        try {
            icmpErrors.receive(type, code, restOfHeader, quotedDestination, quotedTotalLength, buffer, offset, length, nowNanos);
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    @Override
    public int poll(long nowNanos) {
        lastNanos = nowNanos;
        try {
            return timers.poll(nowNanos);
        } catch (RuntimeException e) {
            internalError(e);
            return 1;
        }
    }

    @Override
    public long nextDeadline(long nowNanos) {
        return timers.nextDeadline(nowNanos);
    }

    private void internalError(RuntimeException e) {
        if (e instanceof HandlerFailure failure) {
            counters.increment(TcpCounter.HANDLER_ERROR);
            lastInternalError = failure.getCause();
        } else {
            counters.increment(TcpCounter.INTERNAL_ERROR);
            lastInternalError = e;
        }
    }

    // ---- API: opening ----

    /**
     * Passive OPEN (RFC 9293 3.10.1): accepts connections to {@code port}; each one is announced
     * with {@link TcpHandler#onAccepted} and then uses {@code handler}.
     *
     * @param backlog the most half-open connections kept for this port (1..tcpBacklogMax); when
     *                full the oldest is evicted for a new SYN
     * @return the listener handle
     */
    public int listen(int port, int backlog, TcpHandler handler) {
        checkPort(port);
        if (backlog < 1 || backlog > config.tcpBacklogMax) {
            throw new IllegalArgumentException("backlog must be 1.." + config.tcpBacklogMax + " (StackConfig.tcpListeners), was " + backlog);
        }
        if (handler == null) {
            throw new IllegalArgumentException("listen needs a TcpHandler to announce accepted connections to");
        }
        if (findListener(port) != null) {
            throw new IllegalStateException("port " + port + " already has a listener; close it first or pick another port");
        }
        for (Listener listener : listeners) {
            if (!listener.inUse) {
                listener.open(port, backlog, handler);
                observer.onTransition(listener.handle, TcpState.CLOSED, TcpState.LISTEN, TransitionCause.PASSIVE_OPEN);
                return listener.handle;
            }
        }
        throw new IllegalStateException("all " + listeners.length + " listeners are in use; raise StackConfig tcpListeners or close one");
    }

    /**
     * Active OPEN (RFC 9293 3.10.1) from an ephemeral local port. The SYN leaves at the next
     * {@link #poll}; {@link TcpHandler#onConnected} follows the handshake.
     *
     * @return the connection handle
     * @throws IllegalStateException when every TCB is in use
     */
    public int connect(int remoteAddress, int remotePort, TcpHandler handler) {
        checkPort(remotePort);
        if (handler == null) {
            throw new IllegalArgumentException("connect needs a TcpHandler for the connection's events");
        }
        checkRemote(remoteAddress);
        int localPort = pickEphemeralPort(remoteAddress, remotePort);
        return activeOpen(localPort, remoteAddress, remotePort, handler, TransitionCause.ACTIVE_OPEN, TcpState.CLOSED);
    }

    /**
     * SEND on a listener (RFC 9293 3.10.2, LISTEN to SYN-SENT): the listener stops listening and
     * its port actively connects to the given foreign socket. Returns the connection handle; the
     * listener handle is stale afterwards.
     */
    public int connectFromListener(int listenerHandle, int remoteAddress, int remotePort) {
        Listener listener = listenerByHandle(listenerHandle);
        checkPort(remotePort);
        checkRemote(remoteAddress);
        if (tcbs.available() == 0) {
            throw new IllegalStateException("all " + tcbs.capacity() + " TCBs are in use; raise StackConfig tcpConnections or close some");
        }
        int port = listener.port;
        TcpHandler handler = listener.handler;
        abortHalfOpen(listener);
        listener.close();
        // The listener's identity continues as the new connection's: the edge is LISTEN -> SYN_SENT.
        return activeOpen(port, remoteAddress, remotePort, handler, TransitionCause.SEND, TcpState.LISTEN);
    }

    private int activeOpen(int localPort, int remoteAddress, int remotePort, TcpHandler handler, TransitionCause cause, TcpState from) {
        Tcb tcb = tcbs.allocate(localPort, remoteAddress, remotePort);
        if (tcb == null) {
            throw new IllegalStateException("all " + tcbs.capacity() + " TCBs are in use; raise StackConfig tcpConnections or close some");
        }
        long now = lastNanos;
        tcb.handler = handler;
        tcb.announced = true;
        tcb.state = from;
        initSendSide(tcb, chooseIss(localPort, remoteAddress, remotePort, now, false, 0), now);
        // RFC 7323 2.2, 3.2 and RFC 2018 section 2: offer window scaling, timestamps and SACK in
        // our SYN; each holds only if the peer's SYN offers it too (SynOptions).
        tcb.offerWindowScale = config.tcpWindowScaling;
        tcb.timestamps = config.tcpTimestamps;
        tcb.sack = config.tcpSack;
        tcb.rcvScale = tcb.offerWindowScale ? windowShift : 0;
        tcb.sndScale = 0;
        counters.increment(TcpCounter.ACTIVE_OPENS);
        transition(tcb, TcpState.SYN_SENT, cause);
        return tcb.handle;
    }

    void initSendSide(Tcb tcb, int iss, long now) {
        tcb.iss = iss;
        tcb.sndUna = iss;
        tcb.sndNxt = iss;
        tcb.sndMax = iss;
        tcb.sndBufSeq = iss + 1;
        tcb.rcvMss = announcedMss;
        tcb.sndMss = TcpSegment.DEFAULT_MSS;
        tcb.pathMtu = ip.maxTransportLength() + IPV4_HEADER;
        tcb.rtt.start();
        tcb.congestion.start(iss);
        if (config.tcpTimestamps) {
            tcb.tsOffset = timestampOffsets.offset(ip.localAddress(), tcb.localPort, tcb.remoteAddress, tcb.remotePort);
        }
        tcb.createdNanos = now;
        tcb.lastHeardNanos = now;
        tcb.unackedSinceNanos = now;
    }

    int chooseIss(int localPort, int remoteAddress, int remotePort, long now, boolean hasFloor, int floor) {
        int iss = isn.next(ip.localAddress(), localPort, remoteAddress, remotePort, now);
        // RFC 6191 / RFC 1122 4.2.2.13: a connection reopened from TIME-WAIT starts above the old one.
        if (hasFloor && iss - floor <= 0) {
            iss = floor + 128_000;
        }
        return iss;
    }

    // ---- API: data ----

    /**
     * SEND (RFC 9293 3.10.2): copies up to {@code length} bytes into the send ring.
     *
     * @return bytes accepted (0 when the ring is full: wait for {@link TcpHandler#onWritable})
     */
    public int write(int handle, byte[] data, int offset, int length) {
        Tcb tcb = connection(handle, "write");
        checkArray(data, offset, length);
        if (tcb.finQueued) {
            throw new IllegalStateException("connection " + handle + " already shut down its output (state " + tcb.state
                    + "); write before shutdownOutput/close");
        }
        int accepted = tcb.sendRing.write(data, offset, length);
        if (accepted < length) {
            tcb.writeBlocked = true;
        }
        return accepted;
    }

    /**
     * SEND without a copy: {@code filler} writes straight into the send ring, into one contiguous
     * free region of at most {@code length} bytes (call again for the rest when it wraps), and
     * returns how many bytes it wrote; those are queued as {@link #write} would queue them. The
     * region holds earlier bytes of the ring, which may be another connection's: the filler must
     * write every byte it reports.
     *
     * @return bytes queued (0 when the ring is full: wait for {@link TcpHandler#onWritable})
     */
    public int writeInPlace(int handle, int length, RingRegion filler) {
        Tcb tcb = connection(handle, "writeInPlace");
        if (length < 0 || filler == null) {
            throw new IllegalArgumentException("writeInPlace needs a length >= 0 and a RingRegion filler, was " + length);
        }
        if (tcb.finQueued) {
            throw new IllegalStateException("connection " + handle + " already shut down its output (state " + tcb.state
                    + "); write before shutdownOutput/close");
        }
        int accepted = tcb.sendRing.writeInPlace(length, filler);
        if (accepted < length) {
            tcb.writeBlocked = true;
        }
        return accepted;
    }

    /**
     * RECEIVE (RFC 9293 3.10.3): copies up to {@code length} in-order bytes out.
     *
     * @return bytes read; 0 when none are buffered yet; -1 at end of stream (the peer's FIN
     *     arrived and everything before it was read)
     */
    public int read(int handle, byte[] target, int offset, int length) {
        Tcb tcb = connection(handle, "read");
        checkArray(target, offset, length);
        if (tcb.appClosed) {
            throw new IllegalStateException("connection " + handle + " was closed by the application; it cannot read anymore");
        }
        return afterRead(tcb, tcb.receiveRing.read(target, offset, length), length);
    }

    /**
     * RECEIVE without a copy: {@code reader} is handed the oldest in-order bytes where they lie in
     * the receive ring (one contiguous region of at most {@code length} bytes; call again for the
     * rest when it wraps) and returns how many it consumed, 0 to {@code length}; a reader that
     * returns the region's length discards data without touching it.
     *
     * @return bytes consumed; 0 when none are buffered yet; -1 at end of stream, as {@link #read}
     */
    public int readInPlace(int handle, int length, RingRegion reader) {
        Tcb tcb = connection(handle, "readInPlace");
        if (length < 0 || reader == null) {
            throw new IllegalArgumentException("readInPlace needs a length >= 0 and a RingRegion reader, was " + length);
        }
        if (tcb.appClosed) {
            throw new IllegalStateException("connection " + handle + " was closed by the application; it cannot read anymore");
        }
        return afterRead(tcb, tcb.receiveRing.readInPlace(length, reader), length);
    }

    /** End of stream and the window update after {@code n} bytes were read of {@code length} asked for. */
    private int afterRead(Tcb tcb, int n, int length) {
        if (n == 0 && length > 0 && tcb.peerFinReceived && tcb.receiveRing.isEmpty()) {
            tcb.endOfStreamDelivered = true;
            retireIfDone(tcb);
            return -1;
        }
        if (n > 0) {
            // RFC 1122 4.2.3.3: announce the opened window only once it grew by
            // min(RCV.BUFF / 2, Eff.snd.MSS), or the peer would send tiny segments. A window
            // update of its own only while the window the peer sees is below half the ring (the
            // sender may be about to stall); above that the next ACK (every second segment,
            // RFC 5681 4.2, or the delayed-ACK timer) carries the larger window. An application
            // that reads each segment as it arrives would otherwise cause one ACK per segment,
            // twice the ACKs of a bulk transfer (measured: 201 553 ACKs for 206 003 segments).
            int announced = tcb.rcvAdv - tcb.rcvNxt;
            // Not from a TCB detached in TIME-WAIT: its entry answers for the connection and the
            // TCB sends nothing, so an ACK queued here would be a deadline poll never acts on.
            if (announced < tcb.receiveBuffer() / 2
                    && tcb.receiveSpace() - announced >= Math.min(tcb.receiveBuffer() / 2, tcb.fullSegmentPayload())
                    && tcb.state.isSynchronized() && !tcb.timeWaitDetached) {
                tcb.ackNow = true;
            }
        }
        return n;
    }

    /** Bytes that {@link #read} can return now. */
    public int available(int handle) {
        return connection(handle, "available").receiveRing.size();
    }

    /** Bytes {@link #write} would accept now. */
    public int writable(int handle) {
        Tcb tcb = connection(handle, "writable");
        return tcb.finQueued ? 0 : tcb.sendRing.free();
    }

    /** Turns Nagle's algorithm (RFC 1122 4.2.3.4) off ({@code true}) or on (the default). */
    public void setNoDelay(int handle, boolean noDelay) {
        connection(handle, "setNoDelay").noDelay = noDelay;
    }

    /**
     * Keepalive (RFC 1122 4.2.3.6) for this connection alone, with the configured idle time,
     * interval and probe count; {@code false} leaves it to {@code StackConfig.tcpKeepalive}.
     * "Keep-alive packets MUST only be sent when ... the application has requested them":
     * java.net's {@code SO_KEEPALIVE} is this call.
     */
    public void setKeepAlive(int handle, boolean keepalive) {
        connection(handle, "setKeepAlive").keepalive = keepalive;
    }

    // ---- API: closing ----

    /**
     * Half-close: a FIN follows the queued data (ESTABLISHED to FIN-WAIT-1, CLOSE-WAIT to
     * LAST-ACK); reading continues until the peer's FIN.
     */
    public void shutdownOutput(int handle) {
        Tcb tcb = connection(handle, "shutdownOutput");
        queueFin(tcb);
    }

    /**
     * CLOSE (RFC 9293 3.10.4) of a connection (FIN after the queued data; {@link TcpHandler#onClosed}
     * follows when the connection is done) or of a listener (LISTEN to CLOSED; its half-open
     * connections are reset).
     *
     * <p>RFC 1122 4.2.2.13: received data still unread at CLOSE, or new data arriving after it, is
     * lost, and the peer is told so with a RST instead of a FIN: the connection is then aborted
     * ({@link #abort}; onClosed with ABORTED).
     */
    public void close(int handle) {
        if ((handle & Listener.LISTENER_BIT) != 0) {
            Listener listener = listenerByHandle(handle);
            abortHalfOpen(listener);
            int id = listener.handle;
            listener.close();
            observer.onTransition(id, TcpState.LISTEN, TcpState.CLOSED, TransitionCause.CLOSE);
            return;
        }
        Tcb tcb = connection(handle, "close");
        if (!tcb.receiveRing.isEmpty() && tcb.state != TcpState.TIME_WAIT) {
            // "If such a host issues a CLOSE call while received data is still pending in TCP ...
            // its TCP SHOULD send a RST to show that data was lost." (In TIME-WAIT the peer has
            // finished too, and nothing is left to tell it.)
            counters.increment(TcpCounter.RST_SENT_CLOSE_WITH_UNREAD_DATA);
            if (tcb.state == TcpState.CLOSING || tcb.state == TcpState.LAST_ACK) {
                // ABORT sends nothing from these states (RFC 9293 3.10.5), but the peer that sent
                // the unread data must still learn it was lost: the RST is this close's own.
                output.sendReset(tcb.localPort, tcb.remoteAddress, tcb.remotePort, tcb.controlSeq(), 0, TcpSegment.RST, lastNanos);
            }
            abort(handle);
            return;
        }
        tcb.appClosed = true;
        tcb.receiveRing.clear();
        queueFin(tcb);
        if (tcb.inUse && tcb.state == TcpState.FIN_WAIT_2 && !tcb.finWait2Armed) {
            armFinWait2(tcb, lastNanos);
        }
        if (tcb.inUse) {
            retireIfDone(tcb);
        }
    }

    private void queueFin(Tcb tcb) {
        if (tcb.finQueued) {
            return;
        }
        switch (tcb.state) {
            case SYN_SENT -> {
                // RFC 9293 3.10.4: "Delete the TCB and return 'error: closing' responses to any
                // queued SENDs, or RECEIVEs."
                transition(tcb, TcpState.CLOSED, TransitionCause.CLOSE);
                finish(tcb, CloseReason.NORMAL);
            }
            case SYN_RECEIVED, ESTABLISHED -> {
                tcb.finQueued = true;
                transition(tcb, TcpState.FIN_WAIT_1, TransitionCause.CLOSE);
            }
            case CLOSE_WAIT -> {
                tcb.finQueued = true;
                transition(tcb, TcpState.LAST_ACK, TransitionCause.CLOSE);
            }
            default -> throw new IllegalStateException("connection " + tcb.handle + " is in " + tcb.state + " and cannot close again");
        }
    }

    /**
     * ABORT (RFC 9293 3.10.5): RST from SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1/2 and CLOSE-WAIT
     * (sent at once), nothing from the other states; queued data is discarded and
     * {@link TcpHandler#onClosed} is called with ABORTED before this returns.
     */
    public void abort(int handle) {
        Tcb tcb = connection(handle, "abort");
        switch (tcb.state) {
            // "<SEQ=SND.NXT><CTL=RST>" with a SEQ the peer must accept (Tcb.controlSeq): SND.MAX,
            // or SND.NXT while persisting. After a retransmission timeout go-back-N has pulled
            // SND.NXT back below what the peer may have received, and a peer checking RSTs against
            // its RCV.NXT (RFC 9293 3.10.7.4, RFC 5961 3.2) would drop it and stay half-open.
            case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT ->
                    output.sendReset(tcb.localPort, tcb.remoteAddress, tcb.remotePort, tcb.controlSeq(), 0, TcpSegment.RST, lastNanos);
            default -> {
            }
        }
        if (tcb.state == TcpState.TIME_WAIT) {
            // The connection is already finished; only its unread data goes.
            tcb.receiveRing.clear();
            tcb.appClosed = true;
            retireIfDone(tcb);
            return;
        }
        transition(tcb, TcpState.CLOSED, TransitionCause.ABORT);
        finish(tcb, CloseReason.ABORTED);
    }

    // ---- API: inspection ----

    /** The state of a connection or listener; CLOSED for a stale handle. */
    public TcpState state(int handle) {
        if ((handle & Listener.LISTENER_BIT) != 0) {
            int index = handle & 0xFFFF;
            if (index < listeners.length && listeners[index].inUse && listeners[index].handle == handle) {
                return TcpState.LISTEN;
            }
            return TcpState.CLOSED;
        }
        Tcb tcb = tcbs.byHandle(handle);
        return tcb == null ? TcpState.CLOSED : tcb.state;
    }

    public int localPort(int handle) {
        return connection(handle, "localPort").localPort;
    }

    /**
     * The local port of a live connection or listener handle, 0 for a stale one. Unlike
     * {@link #localPort} it never throws and takes listener handles, so a
     * {@link TransitionObserver} can ask it on the packet path (it allocates nothing).
     */
    public int portOf(int handle) {
        if ((handle & Listener.LISTENER_BIT) != 0) {
            int index = handle & 0xFFFF;
            return index < listeners.length && listeners[index].inUse && listeners[index].handle == handle ? listeners[index].port : 0;
        }
        Tcb tcb = tcbs.byHandle(handle);
        return tcb == null ? 0 : tcb.localPort;
    }

    public int remotePort(int handle) {
        return connection(handle, "remotePort").remotePort;
    }

    public int remoteAddress(int handle) {
        return connection(handle, "remoteAddress").remoteAddress;
    }

    /** The effective send MSS (the peer's MSS option, 536 when absent, bounded by our MTU). */
    public int sendMss(int handle) {
        return connection(handle, "sendMss").sndMss;
    }

    /**
     * The last soft error an ICMP message reported about this connection's segments (RFC 1122
     * 4.2.3.9: host or network unreachable, time exceeded...; in a synchronized state every error is
     * soft, RFC 5927 5.2), or null if none. The connection goes on; should it run out of
     * retransmissions after the error, it closes with {@link CloseReason#UNREACHABLE}.
     */
    public IcmpError softError(int handle) {
        return connection(handle, "softError").softError;
    }

    /** This connection's path MTU estimate (RFC 1191): the interface's MTU until a router reports less. */
    public int pathMtu(int handle) {
        return connection(handle, "pathMtu").pathMtu;
    }

    /** Current retransmission timeout (RFC 6298) of a connection, in nanoseconds. */
    public long retransmissionTimeoutNanos(int handle) {
        return connection(handle, "retransmissionTimeoutNanos").rtt.rto();
    }

    /** Congestion window in bytes. */
    public int congestionWindow(int handle) {
        return connection(handle, "congestionWindow").congestion.cwnd();
    }

    /**
     * Copies a connection's sending state (sequence variables, cwnd, ssthresh, RTO, SRTT) into
     * {@code into}, for plots and probes; reads only and allocates nothing.
     *
     * @return false, leaving {@code into} as it was, when {@code handle} is not a live connection
     *         (closed, a listener, or already a compact TIME-WAIT entry)
     */
    public boolean snapshot(int handle, TcbSnapshot into) {
        if (into == null) {
            throw new IllegalArgumentException("snapshot needs a TcbSnapshot to fill; allocate one and reuse it");
        }
        Tcb tcb = tcbs.byHandle(handle);
        if (tcb == null) {
            return false;
        }
        into.state = tcb.state;
        into.iss = tcb.iss;
        into.sndUna = tcb.sndUna;
        into.sndNxt = tcb.sndNxt;
        into.sndMax = tcb.sndMax;
        into.sndWnd = tcb.sndWnd;
        into.sndMss = tcb.sndMss;
        into.cwnd = tcb.congestion.cwnd();
        into.ssthresh = tcb.congestion.ssthresh();
        into.rtoNanos = tcb.rtt.rto();
        into.srttNanos = tcb.rtt.srtt();
        into.retries = tcb.retries;
        into.irs = tcb.irs;
        into.rcvNxt = tcb.rcvNxt;
        into.rcvWnd = Math.max(0, tcb.rcvAdv - tcb.rcvNxt);
        into.softError = tcb.softError;
        into.pathMtu = tcb.pathMtu;
        return true;
    }

    public Counters<TcpCounter> counters() {
        return counters;
    }

    public int connectionsInUse() {
        return tcbs.inUse();
    }

    public int connectionCapacity() {
        return tcbs.capacity();
    }

    public int timeWaitEntries() {
        return timeWait.size();
    }

    public int listenersInUse() {
        int n = 0;
        for (Listener listener : listeners) {
            if (listener.inUse) {
                n++;
            }
        }
        return n;
    }

    /** Bytes sitting in all connections' send and receive rings (0 when everything is back). */
    public long bufferedBytes() {
        long total = 0;
        for (int i = 0; i < tcbs.capacity(); i++) {
            Tcb tcb = tcbs.slot(i);
            total += tcb.sendRing.size() + tcb.receiveRing.size();
        }
        return total;
    }

    public StackConfig config() {
        return config;
    }

    /** The last defect caught in receive/poll (or an exception a handler threw), or null. */
    public Throwable lastInternalError() {
        return lastInternalError;
    }

    // ---- internals shared by input/output/timers ----

    void transition(Tcb tcb, TcpState to, TransitionCause cause) {
        TcpState from = tcb.state;
        if (from == TcpState.SYN_RECEIVED && tcb.listenerSlot >= 0) {
            Listener listener = listeners[tcb.listenerSlot];
            if (listener.inUse && listener.handle == tcb.listenerHandle && listener.halfOpen > 0) {
                listener.halfOpen--;
            }
            tcb.listenerSlot = -1; // counted once; the connection is no longer half-open
        }
        tcb.state = to;
        observer.onTransition(tcb.handle, from, to, cause);
    }

    /** Frees the TCB (state already CLOSED, LISTEN or TIME_WAIT) and tells the application. */
    void finish(Tcb tcb, CloseReason reason) {
        switch (reason) {
            case NORMAL -> counters.increment(TcpCounter.CLOSED_NORMAL);
            case RESET -> counters.increment(TcpCounter.CLOSED_RESET);
            case REFUSED -> counters.increment(TcpCounter.CLOSED_REFUSED);
            case TIMED_OUT -> counters.increment(TcpCounter.CLOSED_TIMED_OUT);
            case ABORTED -> counters.increment(TcpCounter.CLOSED_ABORTED);
            case UNREACHABLE -> counters.increment(TcpCounter.CLOSED_UNREACHABLE);
        }
        TcpHandler handler = tcb.handler;
        int handle = tcb.handle;
        boolean announced = tcb.announced;
        tcb.closeReason = reason;
        tcbs.release(tcb);
        if (announced && handler != null) {
            try {
                handler.onClosed(handle, reason);
            } catch (RuntimeException e) {
                throw new HandlerFailure(e);
            }
        }
    }

    /** Delivers a connection's pending events to its handler. */
    void dispatch(Tcb tcb) {
        while (tcb.inUse && tcb.events != 0) {
            int handle = tcb.handle;
            int events = tcb.events;
            tcb.events = 0;
            TcpHandler handler = tcb.handler;
            try {
                if ((events & Tcb.EV_ACCEPTED) != 0) {
                    handler.onAccepted(tcb.listenerHandle, handle);
                }
                if ((events & Tcb.EV_CONNECTED) != 0 && alive(tcb, handle)) {
                    handler.onConnected(handle);
                }
                if ((events & Tcb.EV_READABLE) != 0 && alive(tcb, handle) && !tcb.appClosed) {
                    handler.onReadable(handle);
                }
                if ((events & Tcb.EV_WRITABLE) != 0 && alive(tcb, handle) && !tcb.finQueued) {
                    handler.onWritable(handle);
                }
                if ((events & Tcb.EV_PEER_CLOSED) != 0 && alive(tcb, handle) && !tcb.appClosed) {
                    handler.onPeerClosed(handle);
                }
            } catch (HandlerFailure e) {
                throw e;
            } catch (RuntimeException e) {
                throw new HandlerFailure(e);
            }
            if (!alive(tcb, handle)) {
                return;
            }
        }
    }

    private static boolean alive(Tcb tcb, int handle) {
        return tcb.inUse && tcb.handle == handle;
    }

    /**
     * A connection whose application has closed is in FIN-WAIT-2: it waits for the peer's FIN at
     * most {@code StackConfig.tcpFinWait2TimeoutNanos} (Linux's tcp_fin_timeout). Nobody is left
     * to abort it, and a peer that vanished after acknowledging our FIN would hold the TCB for ever.
     */
    void armFinWait2(Tcb tcb, long now) {
        if (config.tcpFinWait2TimeoutNanos > 0) {
            tcb.finWait2Armed = true;
            tcb.finWait2Deadline = now + config.tcpFinWait2TimeoutNanos;
        }
    }

    /**
     * A connection in TIME-WAIT moves into the compact {@link TimeWaitTable} at once: TIME-WAIT has
     * one behaviour and one implementation, the entry's. The TCB goes back to the pool
     * (docs/design.md "Memory") unless the application has data left to read; then it stays, detached
     * from the 4-tuple, only until the application reads to the end or closes.
     */
    void retireIfDone(Tcb tcb) {
        if (!tcb.inUse || tcb.state != TcpState.TIME_WAIT || (tcb.events & Tcb.EV_PEER_CLOSED) != 0) {
            return;
        }
        if (tcb.ackNow && !tcb.timeWaitDetached) {
            // The ACK of the FIN that led here is still to go: the application read end of stream
            // inside the segment's own dispatch, before its output ran. RFC 9293 3.10.7.4: "send
            // an acknowledgment for the FIN" (without it the peer retransmits its FIN).
            output.output(tcb, lastNanos);
        }
        if (!tcb.timeWaitDetached) {
            if (tcb.ackNow) {
                // The application read to the end (or closed) inside the callbacks of the very
                // segment that brought the FIN, before that segment's output: the ACK of the FIN
                // goes now, while the TCB still sends (RFC 9293 3.10.7.4, eighth step: "send an
                // acknowledgment for the FIN"); retired, only the peer's retransmission would get one.
                output.output(tcb, lastNanos);
            }
            enterTimeWaitTable(tcb);
        }
        if (!tcb.appClosed && !tcb.endOfStreamDelivered) {
            // The application still reads (it has not seen end of stream nor closed).
            tcbs.detach(tcb);
            tcb.timeWaitDetached = true;
            tcb.ackNow = false;
            tcb.delayedAckArmed = false;
            tcb.sackCompressArmed = false;
            return;
        }
        finish(tcb, CloseReason.NORMAL);
    }

    private void enterTimeWaitTable(Tcb tcb) {
        int index = timeWait.freeIndex();
        if (index < 0) {
            // Full: recycle the entry nearest to its end (documented policy, counted).
            index = timeWait.oldest();
            counters.increment(TcpCounter.TIME_WAIT_RECYCLED);
            int id = timeWait.connectionId(index);
            timeWait.remove(index);
            observer.onTransition(id, TcpState.TIME_WAIT, TcpState.CLOSED, TransitionCause.TIME_WAIT_RECYCLED);
        }
        timeWait.put(index, tcb.localPort, tcb.remoteAddress, tcb.remotePort, tcb.rcvNxt, tcb.sndMax,
                tcb.rcvAdv - tcb.rcvNxt, tcb.rcvScale, tcb.handle, tcb.timeWaitDeadline);
        if (tcb.timestamps) {
            timeWait.putTimestamps(index, tcb.tsRecent, tcb.tsOffset);
        }
    }

    Listener findListener(int port) {
        for (Listener listener : listeners) {
            if (listener.inUse && listener.port == port) {
                return listener;
            }
        }
        return null;
    }

    /** Resets every half-open connection of a listener that goes away. */
    private void abortHalfOpen(Listener listener) {
        for (int i = 0; i < tcbs.capacity(); i++) {
            Tcb tcb = tcbs.slot(i);
            if (tcb.inUse && tcb.state == TcpState.SYN_RECEIVED && tcb.listenerSlot == listener.slot
                    && tcb.listenerHandle == listener.handle) {
                // SND.MAX, as in abort: the SYN,ACK the peer may hold is the highest one sent.
                output.sendReset(tcb.localPort, tcb.remoteAddress, tcb.remotePort, tcb.controlSeq(), 0, TcpSegment.RST, lastNanos);
                transition(tcb, TcpState.CLOSED, TransitionCause.ABORT);
                finish(tcb, CloseReason.ABORTED);
            }
        }
    }

    /** Evicts the oldest half-open connection (of {@code listener}, or of any when null); true if one went. */
    boolean evictOldestHalfOpen(Listener listener) {
        Tcb oldest = null;
        for (int i = 0; i < tcbs.capacity(); i++) {
            Tcb tcb = tcbs.slot(i);
            if (tcb.inUse && tcb.state == TcpState.SYN_RECEIVED && tcb.listenerSlot >= 0
                    && (listener == null || (tcb.listenerSlot == listener.slot && tcb.listenerHandle == listener.handle))
                    && (oldest == null || tcb.createdNanos - oldest.createdNanos < 0)) {
                oldest = tcb;
            }
        }
        if (oldest == null) {
            return false;
        }
        counters.increment(TcpCounter.BACKLOG_EVICTED);
        transition(oldest, TcpState.CLOSED, TransitionCause.BACKLOG_EVICTED);
        finish(oldest, CloseReason.ABORTED);
        return true;
    }

    /** RFC 6056 algorithm 4 ({@link EphemeralPorts}); a port is suitable when nothing here uses it. */
    private int pickEphemeralPort(int remoteAddress, int remotePort) {
        ephemeralPorts.start(ip.localAddress(), remoteAddress, remotePort);
        for (int tries = 0; tries < EPHEMERAL_COUNT; tries++) {
            int port = ephemeralPorts.nextCandidate();
            if (!tcbs.localPortInUse(port) && !timeWait.localPortInUse(port) && findListener(port) == null) {
                return port;
            }
        }
        throw new IllegalStateException("no free ephemeral port in 49152..65535; close connections first");
    }

    private Tcb connection(int handle, String operation) {
        Tcb tcb = tcbs.byHandle(handle);
        if (tcb == null) {
            throw new IllegalArgumentException(operation + ": " + handle + " is not a live connection handle"
                    + " (closed, never opened, or a listener handle); use the handle from connect/onAccepted until onClosed");
        }
        return tcb;
    }

    private Listener listenerByHandle(int handle) {
        int index = handle & 0xFFFF;
        if ((handle & Listener.LISTENER_BIT) == 0 || index >= listeners.length
                || !listeners[index].inUse || listeners[index].handle != handle) {
            throw new IllegalArgumentException(handle + " is not a live listener handle; use the value listen() returned");
        }
        return listeners[index];
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
    }

    private void checkRemote(int address) {
        if (address == 0 || address == -1 || (address >>> 28) == 0xE || address == ip.localAddress()) {
            throw new IllegalArgumentException("cannot connect to " + Integer.toUnsignedString(address, 16)
                    + ": TCP needs a unicast address other than this host's");
        }
    }

    private static void checkArray(byte[] array, int offset, int length) {
        if (array == null || offset < 0 || length < 0 || offset > array.length - length) {
            throw new IllegalArgumentException("offset " + offset + " and length " + length + " must lie inside the array");
        }
    }

    /** Wraps an exception thrown by application code so receive/poll can count it apart from defects. */
    static final class HandlerFailure extends RuntimeException {
        HandlerFailure(RuntimeException cause) {
            super(cause);
        }
    }
}
