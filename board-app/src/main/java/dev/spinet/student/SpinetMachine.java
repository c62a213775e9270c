package dev.spinet.student;

import dev.spinet.config.StackConfig;
import dev.spinet.tcp.TcbSnapshot;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.TcpSegment;
import dev.spinet.wire.WireError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Spinet's own engine behind {@link ConnectionMachine}: each machine is a whole {@link TcpLayer}
 * holding the one connection, fed the events as real segments and calls, its timers run to the
 * deadline the event names. It passes every graded scenario; it is the reference a student's
 * machine is compared with, run the way a student's is.
 *
 * <p>The connection is 10.0.0.2 talking to 10.0.0.1: a passive open listens on port 4000 for
 * segments from port 40000; an active open connects to port 4000. Other ports are used only to
 * fill the backlog or the TIME-WAIT table when an event says a pool evicted this connection.
 */
public final class SpinetMachine implements ConnectionMachine {

    static final int LOCAL_ADDRESS = 0x0A00_0002;
    static final int REMOTE_ADDRESS = 0x0A00_0001;
    static final int SERVICE_PORT = 4000;
    static final int PEER_PORT = 40_000;
    /** How many deadlines a timer event may run through before the machine says the timer never fired. */
    private static final int MAX_DEADLINES = 10_000;
    private static final int CONTROL = Segment.SYN | Segment.FIN | Segment.RST;

    private final StackConfig config;
    private final TcpLayer layer;
    private final Capture capture = new Capture();
    private final List<Reaction.Transition> moved = new ArrayList<>();
    /** Where a segment event is written as bytes for the engine. */
    private final byte[] frame = new byte[2048];
    private final TcbSnapshot snapshot = new TcbSnapshot();
    private long now = -1;
    private long eventTime = -1;
    /** The connection has reached CLOSED: what the engine does next is another connection's. */
    private boolean finished;
    /** Another connection has started on the same 4-tuple (a SYN ended TIME-WAIT): its segments are not ours. */
    private boolean successor;
    private int nextIss;
    private int listener = -1;
    private int connection = -1;
    private int localPort = SERVICE_PORT;
    private int remotePort = PEER_PORT;
    private boolean halfClosed;
    private boolean filling;
    private TcpState state = TcpState.CLOSED;

    /** The engine with the labs' base configuration. */
    public SpinetMachine() {
        this(StackConfig.builder().tcpConnections(4).tcpBuffers(4096, 4096).tcpListeners(4, 4).tcpOptions(false, false, false)
                .tcpSecret(1).ipAddress(LOCAL_ADDRESS, 24).build());
    }

    /** The engine with {@code config} (its timers, limits and pools decide when each timeout comes). */
    public SpinetMachine(StackConfig config) {
        this.config = config.toBuilder().ipAddress(LOCAL_ADDRESS, 24).build();
        this.layer = new TcpLayer(this.config, capture, this::observe, (la, lp, ra, rp, t) -> nextIss);
    }

    private void observe(int id, TcpState from, TcpState to, TransitionCause cause) {
        if (filling && id != connection && id != listener) {
            return;
        }
        if (finished) {
            successor = true;
            return;
        }
        if (from == TcpState.LISTEN && cause == TransitionCause.RCV_SYN) {
            connection = id; // the connection the listener spawned for the peer's SYN
        }
        moved.add(new Reaction.Transition(from, to, cause));
        state = to;
        finished = to == TcpState.CLOSED;
        if (to == TcpState.LISTEN && id == connection) {
            connection = -1; // back to the listener (RFC 9293 3.10.7.4: SYN-RECEIVED from a passive OPEN)
        }
    }

    /** Keeps the event's time: {@link #handle} runs the engine's timers up to it. */
    @Override
    public void clock(long nanos) {
        eventTime = nanos;
        if (now < 0) {
            now = nanos;
        }
    }

    /**
     * Runs the engine's timers due before the event (and, for an event that is not a timer, those
     * due at its instant too, as the scenario's engine did); what they send is the data path's or
     * an earlier event's.
     */
    private void catchUp(boolean timerEvent) {
        for (int i = 0; i < MAX_DEADLINES && eventTime >= 0; i++) {
            long next = layer.nextDeadline(now);
            if (next == Long.MAX_VALUE || (timerEvent ? next - eventTime >= 0 : next - eventTime > 0)) {
                break;
            }
            now = Math.max(now, next);
            layer.poll(now);
        }
        now = Math.max(now, eventTime);
    }

    @Override
    public TcpState state() {
        return state;
    }

    @Override
    public Reaction handle(ConnectionEvent event) {
        boolean timerEvent = switch (event.kind()) {
            case RETRANSMIT, GIVE_UP, USER_TIMEOUT, KEEPALIVE_TIMEOUT, FIN_WAIT_2_TIMEOUT, TIME_WAIT_TIMEOUT -> true;
            default -> false;
        };
        catchUp(timerEvent);
        moved.clear();
        capture.sent.clear();
        switch (event.kind()) {
            case PASSIVE_OPEN -> {
                nextIss = event.iss();
                listener = layer.listen(SERVICE_PORT, config.tcpBacklogMax, reader);
                poll();
            }
            case ACTIVE_OPEN -> {
                nextIss = event.iss();
                connection = layer.connect(REMOTE_ADDRESS, SERVICE_PORT, reader);
                localPort = layer.localPort(connection);
                remotePort = SERVICE_PORT;
                poll();
            }
            case SEND -> {
                if (state == TcpState.LISTEN && connection < 0) {
                    connection = layer.connectFromListener(listener, REMOTE_ADDRESS, PEER_PORT);
                }
                if (event.length() > 0 && connection >= 0) {
                    layer.write(connection, new byte[event.length()], 0, event.length());
                }
                poll();
            }
            case CLOSE -> {
                if (state == TcpState.LISTEN && connection < 0) {
                    layer.close(listener);
                } else if (state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT) {
                    // a half close: the application goes on reading what the peer still sends
                    layer.shutdownOutput(connection);
                    halfClosed = true;
                } else {
                    layer.close(connection);
                }
                poll();
            }
            case ABORT -> {
                layer.abort(connection >= 0 ? connection : listener);
                poll();
            }
            case SEGMENT -> {
                receive(event.segment(), remotePort);
                poll();
            }
            case ICMP_UNREACHABLE -> {
                icmpUnreachable(event.code());
                poll();
            }
            case RETRANSMIT -> runTimersUntil(() -> capture.sent.stream().anyMatch(s -> (s.flags() & CONTROL) != 0 || s.length() > 0));
            case FIN_WAIT_2_TIMEOUT -> {
                if (halfClosed) {
                    layer.close(connection); // the application lets go: FIN-WAIT-2 is orphaned
                }
                runTimersUntil(() -> !moved.isEmpty());
            }
            case GIVE_UP, USER_TIMEOUT, KEEPALIVE_TIMEOUT, TIME_WAIT_TIMEOUT -> runTimersUntil(() -> !moved.isEmpty());
            case BACKLOG_EVICTED -> fillBacklog();
            case TIME_WAIT_RECYCLED -> fillTimeWaitTable();
        }
        return reaction();
    }

    private Reaction reaction() {
        Reaction.Transition transition = null;
        if (!moved.isEmpty()) {
            transition = new Reaction.Transition(moved.getFirst().from(), moved.getLast().to(), moved.getLast().cause());
        }
        return new Reaction(transition, capture.sent);
    }

    private void poll() {
        if (now < 0) {
            now = 1_000_000_000L;
        }
        layer.poll(now);
    }

    /**
     * Polls at the current time and then from deadline to deadline until {@code done}; only the
     * last poll's output is the reaction.
     */
    private void runTimersUntil(BooleanSupplier done) {
        if (now < 0) {
            now = 1_000_000_000L;
        }
        layer.poll(now);
        if (done.getAsBoolean()) {
            return;
        }
        for (int i = 0; i < MAX_DEADLINES; i++) {
            long next = layer.nextDeadline(now);
            if (next == Long.MAX_VALUE) {
                return;
            }
            capture.sent.clear();
            now = Math.max(now, next);
            layer.poll(now);
            if (done.getAsBoolean()) {
                return;
            }
        }
    }

    /** SYNs from other ports until the backlog's oldest half-open connection, this one, is dropped. */
    private void fillBacklog() {
        filling = true;
        for (int port = 50_000; port < 50_000 + 4 * config.tcpBacklogMax + 4 && moved.isEmpty(); port++) {
            receive(new Segment(Segment.SYN, port * 1000, 0, 4096, 0), port);
            layer.poll(now);
        }
        filling = false;
        capture.sent.removeIf(s -> true);
    }

    /** New connections that end in TIME-WAIT until the table gives this connection's entry away. */
    private void fillTimeWaitTable() {
        filling = true;
        for (int i = 0; i < 4 * config.tcpTimeWaitEntries + 4 && moved.isEmpty(); i++) {
            int peerIss = 7_000_000 + i * 100_000;
            nextIss = 3_000_000 + i * 100_000;
            int filler = layer.connect(REMOTE_ADDRESS, SERVICE_PORT + 1 + i, reader);
            int port = layer.localPort(filler);
            layer.poll(now);
            receiveOn(new Segment(Segment.SYN | Segment.ACK, peerIss, nextIss + 1, 4096, 0), SERVICE_PORT + 1 + i, port);
            layer.poll(now);
            layer.close(filler);
            layer.poll(now);
            receiveOn(new Segment(Segment.FIN | Segment.ACK, peerIss + 1, nextIss + 2, 4096, 0), SERVICE_PORT + 1 + i, port);
            layer.poll(now);
        }
        filling = false;
        capture.sent.removeIf(s -> true);
    }

    private void receive(Segment segment, int fromPort) {
        receiveOn(segment, fromPort, localPort);
    }

    private void receiveOn(Segment segment, int fromPort, int toPort) {
        int length = TcpSegment.writeHeader(frame, 0, fromPort, toPort, segment.seq(), segment.ack(), segment.flags(), segment.window());
        if (segment.mss() > 0) {
            length += TcpSegment.writeMssOption(frame, length, segment.mss());
            TcpSegment.setDataOffset(frame, 0, length);
        }
        Arrays.fill(frame, length, length + segment.length(), (byte) 'x');
        length += segment.length();
        TcpSegment.writeChecksum(frame, 0, length, REMOTE_ADDRESS, LOCAL_ADDRESS);
        layer.receive(REMOTE_ADDRESS, LOCAL_ADDRESS, false, frame, 0, length, now);
    }

    /**
     * An ICMP destination unreachable as a router or the peer's host sends it (RFC 792): it quotes
     * the IPv4 header and the first 8 octets of the connection's oldest unacknowledged segment
     * (its ports and SND.UNA: the SYN in SYN_SENT), which is what RFC 5927 4.1 checks before
     * believing it. Given to the engine the way the interface does after its own checks.
     */
    private void icmpUnreachable(int code) {
        int handle = connection >= 0 ? connection : listener;
        int quotedSeq = layer.snapshot(handle, snapshot) ? snapshot.sndUna() : nextIss;
        int quote = IcmpPacket.HEADER_LENGTH;
        int quotedTcp = quote + Ipv4Packet.MIN_HEADER_LENGTH;
        Arrays.fill(frame, 0, quotedTcp + TcpSegment.HEADER_LENGTH, (byte) 0);
        IcmpPacket.writeHeader(frame, 0, IcmpPacket.TYPE_DEST_UNREACHABLE, code, 0);
        int quotedLength = Ipv4Packet.MIN_HEADER_LENGTH + TcpSegment.HEADER_LENGTH;
        Ipv4Packet.writeHeader(frame, quote, quotedLength, 0, false, 64, Ipv4Packet.PROTOCOL_TCP, LOCAL_ADDRESS, REMOTE_ADDRESS);
        TcpSegment.writeHeader(frame, quotedTcp, localPort, remotePort, quotedSeq, 0, Segment.SYN, 4096);
        int length = quotedTcp + 8; // RFC 792: "the internet header plus the first 64 bits of the original datagram's data"
        IcmpPacket.writeChecksum(frame, 0, length);
        layer.receiveIcmpError(IcmpPacket.TYPE_DEST_UNREACHABLE, code, 0, REMOTE_ADDRESS, quotedLength, frame, quotedTcp,
                length - quotedTcp, now);
    }

    /** The application: reads everything that arrives, so the window stays open. */
    private final TcpHandler reader = new TcpHandler() {
        private final byte[] buffer = new byte[4096];

        @Override
        public void onReadable(int handle) {
            while (layer.read(handle, buffer, 0, buffer.length) > 0) {
                // read and forgotten
            }
        }

        @Override
        public void onPeerClosed(int handle) {
            onReadable(handle);
        }
    };

    /** What the engine sends on this connection's 4-tuple. */
    private final class Capture extends SegmentCapture {
        final List<Segment> sent = new ArrayList<>();
        private final TcpSegment tcp = new TcpSegment();

        Capture() {
            super(LOCAL_ADDRESS);
        }

        @Override
        protected void segment(byte[] buffer, int offset, int length) {
            if (!successor && tcp.wrap(buffer, offset, length) == WireError.OK
                    && tcp.sourcePort() == localPort && tcp.destinationPort() == remotePort) {
                sent.add(new Segment(tcp.flags() & 0x1F, tcp.sequenceNumber(), tcp.acknowledgmentNumber(), tcp.window(),
                        tcp.payloadLength()));
            }
        }
    }
}
