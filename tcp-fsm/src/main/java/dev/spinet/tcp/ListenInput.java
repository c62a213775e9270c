package dev.spinet.tcp;

import dev.spinet.config.StackConfig;
import dev.spinet.wire.TcpSegment;

/**
 * Segment arrival at a listener, RFC 9293 3.10.7.2 (LISTEN): a RST is ignored, an ACK answered
 * with a RST unless it returns one of our SYN cookies (RFC 4987 3.6), a SYN spawns a connection
 * in SYN-RECEIVED under the backlog and overflow policy, anything else is dropped.
 */
final class ListenInput {

    private final TcpLayer layer;
    private final StackConfig config;

    ListenInput(TcpLayer layer) {
        this.layer = layer;
        this.config = layer.config;
    }

    /**
     * A segment for a port with a listener and no connection.
     *
     * @return the connection a returning SYN cookie rebuilt in SYN-RECEIVED, for the caller to
     *         process this segment in; null when the segment has been dealt with
     */
    Tcb segment(Listener listener, InboundSegment seg) {
        return listen(listener, seg, false, 0);
    }

    /**
     * A SYN that ended a TIME-WAIT (RFC 9293 3.10.7.4, RFC 6191): a new incarnation, its ISS above
     * {@code issFloor} (the old connection's SND.NXT). A SYN without ACK: no cookie to rebuild from.
     */
    void reopenFromTimeWait(Listener listener, InboundSegment seg, int issFloor) {
        listen(listener, seg, true, issFloor);
    }

    private Tcb listen(Listener listener, InboundSegment seg, boolean reopenFromTimeWait, int issFloor) {
        long now = seg.arrivalNanos();
        // "First, check for a RST: An incoming RST segment could not be valid ... ignored."
        if (seg.has(TcpSegment.RST)) {
            layer.counters.increment(TcpCounter.LISTEN_DROP_RST);
            return null;
        }
        // "Second, check for an ACK: any acknowledgment is bad ... <SEQ=SEG.ACK><CTL=RST>" -
        // unless it returns a SYN cookie we sent (RFC 4987 3.6): then it completes a handshake.
        if (seg.has(TcpSegment.ACK)) {
            if (!seg.has(TcpSegment.SYN) && config.tcpSynOverflowPolicy == StackConfig.SynOverflowPolicy.SYN_COOKIE
                    && layer.synCookies.recentlySent(now)) {
                int mssIndex = verifyCookie(seg);
                if (mssIndex >= 0) {
                    if (acceptQueueFull(listener)) {
                        return null; // no state kept: the client's retransmission brings the cookie again
                    }
                    return rebuildFromCookie(listener, seg, mssIndex);
                }
            }
            layer.counters.increment(TcpCounter.LISTEN_RST_FOR_ACK);
            layer.output.sendReset(seg.destinationPort(), seg.source(), seg.sourcePort(), seg.ack(), 0, TcpSegment.RST, now);
            return null;
        }
        // "Third, check for a SYN"; "Fourth, other data or control: drop the segment".
        if (!seg.has(TcpSegment.SYN)) {
            layer.counters.increment(TcpCounter.LISTEN_DROP_OTHER);
            return null;
        }
        if (acceptQueueFull(listener)) {
            return null; // no SYN,ACK: the client retransmits its SYN until the application accepts
        }
        int destinationPort = seg.destinationPort();
        int source = seg.source();
        int sourcePort = seg.sourcePort();
        boolean cookies = config.tcpSynOverflowPolicy == StackConfig.SynOverflowPolicy.SYN_COOKIE;
        if (listener.halfOpen >= listener.backlog) {
            if (cookies) {
                // RFC 4987 3.6: backlog full, keep no state; the returning ACK rebuilds it.
                sendCookie(seg);
                return null;
            }
            // Backlog full: the oldest half-open connection of this port makes room (counted).
            layer.evictOldestHalfOpen(listener);
        }
        Tcb tcb = layer.tcbs.allocate(destinationPort, source, sourcePort);
        if (tcb == null && cookies) {
            sendCookie(seg);
            return null;
        }
        if (tcb == null && layer.evictOldestHalfOpen(null)) {
            tcb = layer.tcbs.allocate(destinationPort, source, sourcePort);
        }
        if (tcb == null) {
            // No TCB: the configured policy.
            if (config.tcpSynOverflowPolicy == StackConfig.SynOverflowPolicy.RESET) {
                layer.counters.increment(TcpCounter.SYN_OVERFLOW_RESET);
                layer.output.resetFor(seg);
            } else {
                layer.counters.increment(TcpCounter.SYN_OVERFLOW_DROPPED);
            }
            return null;
        }
        tcb.state = TcpState.LISTEN; // spawned from the listener, so its first edge starts at LISTEN
        tcb.handler = listener.handler;
        tcb.listenerSlot = listener.slot;
        tcb.listenerHandle = listener.handle;
        listener.halfOpen++;
        layer.initSendSide(tcb, layer.chooseIss(destinationPort, source, sourcePort, now, reopenFromTimeWait, issFloor), now);
        // "Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ"
        tcb.irs = seg.seq();
        tcb.rcvNxt = seg.seq() + 1;
        tcb.rcvAdv = tcb.rcvNxt;
        SynOptions.apply(layer, tcb, seg);
        // Window of a SYN is never scaled (RFC 7323 2.2).
        tcb.sndWnd = seg.window();
        tcb.maxSndWnd = seg.window();
        tcb.sndWl1 = seg.seq();
        tcb.sndWl2 = tcb.iss;
        if (seg.payloadLength() > 0) {
            // Data on a SYN is legal but rare; it is not queued here: the peer sends it again.
            layer.counters.add(TcpCounter.OUT_OF_WINDOW_BYTES, seg.payloadLength());
        }
        layer.counters.increment(TcpCounter.PASSIVE_OPENS);
        layer.transition(tcb, TcpState.SYN_RECEIVED, TransitionCause.RCV_SYN);
        // Half-open connections count against the listener until the ACK of our SYN.
        tcb.listenerSlot = listener.slot;
        layer.output.output(tcb, now);
        return null;
    }

    /** Whether the listener's application has no room for another connection (counted when so: the segment is dropped). */
    private boolean acceptQueueFull(Listener listener) {
        if (listener.handler == null || !listener.handler.acceptQueueFull(listener.handle)) {
            return false;
        }
        layer.counters.increment(TcpCounter.LISTEN_ACCEPT_QUEUE_FULL);
        return true;
    }

    /** Answers a SYN with a cookie SYN,ACK (RFC 4987 3.6) and keeps nothing. */
    private void sendCookie(InboundSegment seg) {
        long now = seg.arrivalNanos();
        int peerMss = seg.mss() != 0 ? seg.mss() : TcpSegment.DEFAULT_MSS;
        int mssIndex = SynCookies.mssIndex(peerMss);
        int cookie = layer.synCookies.make(layer.ip.localAddress(), seg.destinationPort(), seg.source(), seg.sourcePort(), seg.seq(),
                mssIndex, now);
        layer.counters.increment(TcpCounter.SYN_COOKIES_SENT);
        if (seg.payloadLength() > 0) {
            layer.counters.add(TcpCounter.OUT_OF_WINDOW_BYTES, seg.payloadLength());
        }
        layer.output.sendCookieSynAck(seg.destinationPort(), seg.source(), seg.sourcePort(), cookie, seg.seq() + 1,
                cookieWindow(), layer.announcedMss, now);
    }

    /** The window a cookie SYN,ACK announces: a fresh receive ring (or the window limit), unscaled. */
    private int cookieWindow() {
        return Math.min(layer.tcbs.slot(0).receiveBuffer(), 0xFFFF);
    }

    /**
     * Whether an ACK at a listener returns a SYN cookie (SEG.ACK - 1) for a SYN whose ISN was
     * SEG.SEQ - 1.
     *
     * @return the cookie's MSS index, or -1 (counted) when it is no cookie of ours: RST follows
     */
    private int verifyCookie(InboundSegment seg) {
        int mssIndex = layer.synCookies.check(layer.ip.localAddress(), seg.destinationPort(), seg.source(), seg.sourcePort(),
                seg.seq() - 1, seg.ack() - 1, seg.arrivalNanos());
        if (mssIndex < 0) {
            layer.counters.increment(TcpCounter.SYN_COOKIES_INVALID);
        }
        return mssIndex;
    }

    /**
     * Rebuilds the connection a verified cookie stands for, as if it had waited in SYN-RECEIVED
     * (LISTEN to SYN-RECEIVED, reported as such); the caller then processes the ACK there.
     *
     * @return the connection, or null (counted) when no TCB is free: the client thinks it is
     *         connected and will retransmit, and a later copy may find one
     */
    private Tcb rebuildFromCookie(Listener listener, InboundSegment seg, int mssIndex) {
        long now = seg.arrivalNanos();
        int clientIsn = seg.seq() - 1;
        int cookie = seg.ack() - 1;
        Tcb tcb = layer.tcbs.allocate(seg.destinationPort(), seg.source(), seg.sourcePort());
        if (tcb == null) {
            layer.counters.increment(TcpCounter.SYN_COOKIES_NO_TCB);
            return null;
        }
        layer.counters.increment(TcpCounter.SYN_COOKIES_ACCEPTED);
        tcb.state = TcpState.LISTEN;
        tcb.handler = listener.handler;
        tcb.listenerSlot = listener.slot;
        tcb.listenerHandle = listener.handle;
        listener.halfOpen++;
        layer.initSendSide(tcb, cookie, now);
        // Our SYN,ACK (the cookie) has been sent already, statelessly.
        tcb.sndNxt = cookie + 1;
        tcb.sndMax = cookie + 1;
        tcb.irs = clientIsn;
        tcb.rcvNxt = seg.seq();
        tcb.rcvAdv = seg.seq() + cookieWindow();
        int mtuMss = layer.ip.maxTransportLength() - TcpSegment.HEADER_LENGTH;
        tcb.sndMss = Math.max(SynOptions.MIN_SEND_MSS, Math.min(SynCookies.MSS_TABLE[mssIndex], mtuMss));
        tcb.offerWindowScale = false;
        tcb.sndScale = 0;
        tcb.rcvScale = 0;
        tcb.sndWl1 = clientIsn;
        tcb.sndWl2 = cookie;
        layer.counters.increment(TcpCounter.PASSIVE_OPENS);
        layer.transition(tcb, TcpState.SYN_RECEIVED, TransitionCause.RCV_SYN);
        tcb.listenerSlot = listener.slot;
        return tcb;
    }
}
