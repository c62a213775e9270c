package dev.spinet.lab.grade;

import dev.spinet.config.StackConfig;
import dev.spinet.lab.Step;
import dev.spinet.student.ConnectionEvent;
import dev.spinet.student.Reaction;
import dev.spinet.student.Segment;
import dev.spinet.student.SegmentCapture;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.TcpSegment;
import dev.spinet.wire.WireError;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The oracle: plays one side's inputs ({@link ScenarioInput}) into a fresh {@link TcpLayer} with
 * the scenario's configuration, timers firing at their deadlines in simulated time, and cuts what
 * the engine did into one {@link Trace} per connection: each input (or timer) that concerned the
 * connection becomes a {@link ConnectionEvent}, and the engine's transition and segments for it
 * the expected {@link Reaction}. A connection a listener spawns starts with a PASSIVE_OPEN (the
 * figure's LISTEN is per connection; this engine keeps the listener apart); a segment that reaches
 * no connection (refused, or after CLOSED) belongs to no trace.
 */
public final class EngineReplay {

    private static final long MAX_TIMER_STEPS = 100_000;

    private final String scenario;
    private final String sideName;
    private final StackConfig config;
    private final int localAddress;
    private final int remoteAddress;
    private final List<Integer> isns;
    private final Capture output;
    private TcpLayer layer;
    private long now;
    private final List<Connection> connections = new ArrayList<>();
    private final List<Object[]> stepTransitions = new ArrayList<>();
    private final List<int[]> stepPorts = new ArrayList<>();
    private final List<Segment> stepSent = new ArrayList<>();
    private final List<TcpState> replayedSteps = new ArrayList<>();
    private int connection = -1;
    private int listener = -1;
    private boolean reading = true;
    /** The ports of the connection the latest CONNECT opened (the local one is ephemeral). */
    private int[] openedPorts;
    private final App app = new App();
    /** Every transition the replay made, in order (to check it against the run). */
    private final List<Step> transitions = new ArrayList<>();

    /** One connection of the engine as the student's machine sees it: a trace in the making. */
    private static final class Connection {
        String name;
        final List<TraceEvent> events = new ArrayList<>();
        int handle;
        int localPort;
        int remotePort = -1;
        boolean retired;
        /** CLOSE came while data was still queued: the FIN goes out later, with the data. */
        boolean finBehindData;
        /** The event that created it, for the step that did. */
        ConnectionEvent opening;

        Connection(String name, int handle, int localPort, int remotePort) {
            this.name = name;
            this.handle = handle;
            this.localPort = localPort;
            this.remotePort = remotePort;
        }
    }

    /**
     * @param isns the initial sequence numbers the side used, in the order it used them (the
     *             engine draws them from a keyed hash of the time; the replay takes the run's)
     */
    EngineReplay(String scenario, String sideName, StackConfig config, int localAddress, int remoteAddress, List<Integer> isns) {
        this.scenario = scenario;
        this.sideName = sideName;
        this.config = config;
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
        this.isns = new ArrayList<>(isns);
        this.output = new Capture(localAddress);
        this.layer = newLayer();
    }

    private TcpLayer newLayer() {
        return new TcpLayer(config, output, (id, from, to, cause) -> {
            stepTransitions.add(new Object[] {id, from, to, cause});
            stepPorts.add(new int[] {layer == null ? 0 : layer.portOf(id)});
            replayedSteps.add(to);
        }, (la, lp, ra, rp, t) -> isns.isEmpty() ? 1 : isns.removeFirst());
    }

    List<Step> transitions() {
        return transitions;
    }

    /** Plays {@code inputs} and returns the traces, one per connection, in the order they started. */
    List<Trace> play(List<ScenarioInput> inputs) {
        for (int i = 0; i < inputs.size(); i++) {
            ScenarioInput input = inputs.get(i);
            runTimersUntil(input.nanos());
            now = input.nanos();
            apply(input);
        }
        // what the last inputs set going: every timer until the engine is idle (bounded)
        runTimersUntil(now + 3_600_000_000_000L);
        List<Trace> traces = new ArrayList<>();
        for (Connection c : connections) {
            if (!c.events.isEmpty()) {
                traces.add(new Trace(scenario, c.name, config, c.events));
            }
        }
        return traces;
    }

    private void runTimersUntil(long until) {
        for (int n = 0; n < MAX_TIMER_STEPS; n++) {
            long next = layer.nextDeadline(now);
            if (next - until > 0 || next == Long.MAX_VALUE) {
                return;
            }
            now = Math.max(now, next);
            begin();
            layer.poll(now);
            end(null, null);
        }
    }

    private void apply(ScenarioInput input) {
        switch (input.type()) {
            case ARRIVAL -> {
                if (destinationPort(input.payload()) == 0 && sourcePort(input.payload()) == 0 && openedPorts != null) {
                    // a per-state scenario's segment for the connection the stack opened, whose local port is ephemeral
                    int local = openedPorts[0];
                    int remote = openedPorts[1];
                    byte[] tcp = input.payload();
                    tcp[0] = (byte) (remote >>> 8);
                    tcp[1] = (byte) remote;
                    tcp[2] = (byte) (local >>> 8);
                    tcp[3] = (byte) local;
                    TcpSegment.writeChecksum(tcp, 0, tcp.length, input.source(), input.destination());
                }
                Connection target = newestFor(destinationPort(input.payload()), sourcePort(input.payload()));
                begin();
                layer.receive(input.source(), input.destination(), false, input.payload(), 0, input.payload().length, now);
                layer.poll(now);
                end(target, ConnectionEvent.segment(segment(input.payload(), 0, input.payload().length)));
            }
            case ICMP_ARRIVAL -> icmpArrival(input);
            case LISTEN -> {
                begin();
                listener = layer.listen(input.a(), config.tcpBacklogMax, app);
                layer.poll(now);
                end(null, null);
            }
            case CONNECT_FROM -> {
                begin();
                int from = layer.listen(input.a(), config.tcpBacklogMax, app);
                layer.poll(now);
                end(null, null);
                Connection listening = byHandle(from);
                begin();
                connection = layer.connectFromListener(from, remoteAddress, input.b());
                layer.poll(now);
                if (listening != null) {
                    listening.handle = connection;
                    listening.localPort = input.a();
                    listening.remotePort = input.b();
                    listening.name = sideName + " connection " + input.a() + " -> " + input.b() + " (from a listener)";
                }
                end(listening, ConnectionEvent.send(0));
                if (listening != null && listening.events.size() == 2) {
                    // the passive open's ISS is the one its SYN now shows
                    int iss = listening.events.get(1).expected().sends().stream().filter(s -> s.has(Segment.SYN))
                            .mapToInt(Segment::seq).findFirst().orElse(0);
                    TraceEvent open = listening.events.getFirst();
                    listening.events.set(0, new TraceEvent(open.nanos(), ConnectionEvent.passiveOpen(iss), open.expected()));
                }
            }
            case CONNECT -> {
                begin();
                connection = layer.connect(remoteAddress, input.a(), app);
                openedPorts = new int[] {layer.localPort(connection), input.a()};
                layer.poll(now);
                end(null, null);
            }
            case CLOSE_LISTENER -> userCall(listener, () -> layer.close(listener), ConnectionEvent.of(ConnectionEvent.Kind.CLOSE));
            case WRITE -> {
                byte[] data = new byte[input.a()];
                int[] accepted = new int[1];
                Connection target = byHandle(connection);
                begin();
                accepted[0] = layer.write(connection, data, 0, data.length);
                layer.poll(now);
                end(target, ConnectionEvent.send(Math.max(accepted[0], 0)));
            }
            case CLOSE, SHUTDOWN -> userCall(connection, () -> {
                if (input.type() == ScenarioInput.Type.CLOSE) {
                    layer.close(connection);
                } else {
                    layer.shutdownOutput(connection);
                }
            }, ConnectionEvent.of(ConnectionEvent.Kind.CLOSE));
            case ABORT -> userCall(connection, () -> layer.abort(connection), ConnectionEvent.of(ConnectionEvent.Kind.ABORT));
            case READING -> {
                reading = input.a() == 1;
                if (reading && connection >= 0 && layer.state(connection).isSynchronized()) {
                    begin();
                    drain(connection);
                    layer.poll(now);
                    end(null, null);
                }
            }
            case REBOOT -> {
                for (Connection c : connections) {
                    c.retired = true;
                }
                layer = newLayer();
                connection = -1;
                listener = -1;
            }
        }
    }

    /**
     * An ICMP error about one of this side's segments, given to the engine as the interface does
     * (RFC 1122 3.2.2: the quote holds the datagram's IPv4 header and at least 8 octets of its
     * TCP header; it must be one this side sent, first fragment). A destination unreachable is the
     * event of the connection whose ports the quote names; other errors are soft to every state
     * (RFC 1122 4.2.3.9), so they make no event.
     */
    private void icmpArrival(ScenarioInput input) {
        byte[] icmp = input.payload();
        int quote = IcmpPacket.HEADER_LENGTH;
        if (icmp.length < quote + Ipv4Packet.MIN_HEADER_LENGTH + 8 || (icmp[quote] & 0xF0) != 0x40) {
            return;
        }
        int type = icmp[IcmpPacket.TYPE_OFFSET] & 0xFF;
        int code = icmp[IcmpPacket.CODE_OFFSET] & 0xFF;
        int quotedHeader = (icmp[quote] & 0x0F) * 4;
        int fragmentOffset = (icmp[quote + 6] & 0x1F) << 8 | icmp[quote + 7] & 0xFF;
        if (quotedHeader < Ipv4Packet.MIN_HEADER_LENGTH || icmp.length < quote + quotedHeader + 8 || fragmentOffset != 0
                || readInt(icmp, quote + Ipv4Packet.SOURCE_OFFSET) != localAddress
                || (icmp[quote + Ipv4Packet.PROTOCOL_OFFSET] & 0xFF) != TcpSegment.PROTOCOL) {
            return;
        }
        int quotedTotalLength = (icmp[quote + 2] & 0xFF) << 8 | icmp[quote + 3] & 0xFF;
        int quotedTcp = quote + quotedHeader;
        Connection target = newestFor((icmp[quotedTcp] & 0xFF) << 8 | icmp[quotedTcp + 1] & 0xFF,
                (icmp[quotedTcp + 2] & 0xFF) << 8 | icmp[quotedTcp + 3] & 0xFF);
        begin();
        layer.receiveIcmpError(type, code, readInt(icmp, IcmpPacket.REST_OF_HEADER_OFFSET),
                readInt(icmp, quote + Ipv4Packet.DESTINATION_OFFSET), quotedTotalLength, icmp, quotedTcp, icmp.length - quotedTcp, now);
        layer.poll(now);
        end(target, type == IcmpPacket.TYPE_DEST_UNREACHABLE ? ConnectionEvent.icmpUnreachable(code) : null);
    }

    private static int readInt(byte[] buffer, int offset) {
        return (buffer[offset] & 0xFF) << 24 | (buffer[offset + 1] & 0xFF) << 16 | (buffer[offset + 2] & 0xFF) << 8
                | buffer[offset + 3] & 0xFF;
    }

    private void userCall(int handle, Runnable call, ConnectionEvent event) {
        Connection target = byHandle(handle);
        begin();
        call.run();
        layer.poll(now);
        end(target, event);
    }

    // ---- one step: what the engine did for one input or one timer ----

    private void begin() {
        stepTransitions.clear();
        stepPorts.clear();
        stepSent.clear();
        output.ports.clear();
    }

    /**
     * Cuts the step into events: {@code primary} (the connection an arrival or a call was for, or
     * null) gets {@code event}; a connection the step created starts its trace; any other
     * connection that moved or sent a control segment gets the timer (or pool) event its cause names.
     */
    private void end(Connection primary, ConnectionEvent event) {
        Map<Connection, List<Object[]>> moved = new HashMap<>();
        List<Connection> order = new ArrayList<>();
        for (int i = 0; i < stepTransitions.size(); i++) {
            Object[] t = stepTransitions.get(i);
            int handle = (Integer) t[0];
            TcpState from = (TcpState) t[1];
            TcpState to = (TcpState) t[2];
            TransitionCause cause = (TransitionCause) t[3];
            transitions.add(dev.spinet.lab.Step.of(from, to, cause));
            Connection c = byHandle(handle);
            if (c == null || c.retired && !moved.containsKey(c)) {
                c = start(handle, from, cause, primary, event, stepPorts.get(i)[0]);
                if (c == null) {
                    continue;
                }
            }
            if (!moved.containsKey(c)) {
                moved.put(c, new ArrayList<>());
                order.add(c);
            }
            moved.get(c).add(t);
            if (to == TcpState.CLOSED || from == TcpState.SYN_RECEIVED && to == TcpState.LISTEN) {
                c.retired = true;
            }
        }
        Map<Connection, List<Segment>> sent = new HashMap<>();
        for (int i = 0; i < stepSent.size(); i++) {
            int[] ports = output.ports.get(i);
            Connection c = newestFor(ports[0], ports[1], moved.keySet());
            if (c != null) {
                sent.computeIfAbsent(c, k -> new ArrayList<>()).add(stepSent.get(i));
                if (!moved.containsKey(c) && !order.contains(c)) {
                    order.add(c);
                }
            }
        }
        if (primary != null && !order.contains(primary)) {
            order.addFirst(primary);
        }
        for (Connection c : order) {
            List<Object[]> ts = moved.getOrDefault(c, List.of());
            List<Segment> segments = sent.getOrDefault(c, List.of());
            ConnectionEvent what = c.opening != null ? c.opening : c == primary ? event : derived(ts, segments);
            c.opening = null;
            if (what == null) {
                continue;
            }
            if (c.events.isEmpty() && what.kind() != ConnectionEvent.Kind.PASSIVE_OPEN && what.kind() != ConnectionEvent.Kind.ACTIVE_OPEN) {
                continue; // a trace starts with the open that made its connection
            }
            Reaction.Transition transition = null;
            if (!ts.isEmpty()) {
                Object[] t = ts.getLast();
                transition = new Reaction.Transition((TcpState) ts.getFirst()[1], (TcpState) t[2], (TransitionCause) t[3]);
            }
            List<Segment> expected = new ArrayList<>(segments);
            if (what.kind() == ConnectionEvent.Kind.CLOSE && transition != null && transition.to() != TcpState.CLOSED
                    && expected.stream().noneMatch(s -> s.has(Segment.FIN))) {
                c.finBehindData = true;
            } else if (c.finBehindData && expected.stream().anyMatch(s -> s.has(Segment.FIN))) {
                // the FIN queued at CLOSE leaves with the last data: the machine sent it at CLOSE
                expected.removeIf(s -> s.has(Segment.FIN));
                c.finBehindData = false;
            }
            c.events.add(new TraceEvent(now, what, new Reaction(transition, expected)));
        }
    }

    /** A connection the step created: its trace starts with the open that made it. */
    private Connection start(int handle, TcpState from, TransitionCause cause, Connection primary, ConnectionEvent event, int port) {
        String where = sideName;
        Connection c;
        if (cause == TransitionCause.PASSIVE_OPEN) {
            c = new Connection(where + " listener on port " + port, handle, port, -1);
            c.opening = ConnectionEvent.passiveOpen(0);
            connections.add(c);
            return c;
        }
        if (cause == TransitionCause.ACTIVE_OPEN) {
            int iss = firstSyn(layer.localPort(handle), layer.remotePort(handle));
            c = new Connection(where + " connection " + layer.localPort(handle) + " -> " + layer.remotePort(handle), handle,
                    layer.localPort(handle), layer.remotePort(handle));
            connections.add(c);
            c.opening = ConnectionEvent.activeOpen(iss);
            return c;
        }
        if (from == TcpState.LISTEN && cause == TransitionCause.RCV_SYN && event != null && event.segment() != null) {
            int localPort = layer.localPort(handle);
            int remotePort = layer.remotePort(handle);
            int iss = firstSyn(localPort, remotePort);
            c = new Connection(where + " connection " + localPort + " <- " + remotePort, handle, localPort, remotePort);
            c.events.add(new TraceEvent(now, ConnectionEvent.passiveOpen(iss), Reaction.move(TcpState.CLOSED, TcpState.LISTEN,
                    TransitionCause.PASSIVE_OPEN)));
            c.opening = event;
            connections.add(c);
            return c;
        }
        return null;
    }

    /** The ISS the step's SYN (or SYN+ACK) on this 4-tuple carries. */
    private int firstSyn(int localPort, int remotePort) {
        for (int i = 0; i < stepSent.size(); i++) {
            int[] ports = output.ports.get(i);
            if (ports[0] == localPort && ports[1] == remotePort && stepSent.get(i).has(Segment.SYN)) {
                return stepSent.get(i).seq();
            }
        }
        return 0;
    }

    /** The event a connection's own timers (or the stack's pools) gave it; null when nothing it answers for happened. */
    private static ConnectionEvent derived(List<Object[]> transitions, List<Segment> sent) {
        if (!transitions.isEmpty()) {
            TransitionCause cause = (TransitionCause) transitions.getFirst()[3];
            ConnectionEvent.Kind kind = switch (cause) {
                case RETRANSMISSION_TIMEOUT -> ConnectionEvent.Kind.GIVE_UP;
                case USER_TIMEOUT -> ConnectionEvent.Kind.USER_TIMEOUT;
                case KEEPALIVE_TIMEOUT -> ConnectionEvent.Kind.KEEPALIVE_TIMEOUT;
                case FIN_WAIT_2_TIMEOUT -> ConnectionEvent.Kind.FIN_WAIT_2_TIMEOUT;
                case TIME_WAIT_TIMEOUT -> ConnectionEvent.Kind.TIME_WAIT_TIMEOUT;
                case BACKLOG_EVICTED -> ConnectionEvent.Kind.BACKLOG_EVICTED;
                case TIME_WAIT_RECYCLED -> ConnectionEvent.Kind.TIME_WAIT_RECYCLED;
                default -> null;
            };
            return kind == null ? null : ConnectionEvent.of(kind);
        }
        for (Segment s : sent) {
            if ((s.flags() & (Segment.SYN | Segment.FIN)) != 0) {
                return ConnectionEvent.of(ConnectionEvent.Kind.RETRANSMIT);
            }
        }
        return null;
    }

    private Connection byHandle(int handle) {
        for (int i = connections.size() - 1; i >= 0; i--) {
            Connection c = connections.get(i);
            if (c.handle == handle && !c.retired) {
                return c;
            }
        }
        return null;
    }

    private Connection newestFor(int localPort, int remotePort) {
        return newestFor(localPort, remotePort, List.of());
    }

    /** The newest live connection on the 4-tuple (or one that left this step, {@code alsoRetired}). */
    private Connection newestFor(int localPort, int remotePort, Collection<Connection> alsoRetired) {
        for (int i = connections.size() - 1; i >= 0; i--) {
            Connection c = connections.get(i);
            if (c.localPort == localPort && c.remotePort == remotePort && (!c.retired || alsoRetired.contains(c))) {
                return c;
            }
        }
        return null;
    }

    private static int sourcePort(byte[] tcp) {
        return (tcp[0] & 0xFF) << 8 | tcp[1] & 0xFF;
    }

    private static int destinationPort(byte[] tcp) {
        return (tcp[2] & 0xFF) << 8 | tcp[3] & 0xFF;
    }

    static Segment segment(byte[] buffer, int offset, int length) {
        TcpSegment tcp = new TcpSegment();
        if (tcp.wrap(buffer, offset, length) != WireError.OK) {
            return new Segment(0, 0, 0, 0, 0);
        }
        return new Segment(tcp.flags() & 0x1F, tcp.sequenceNumber(), tcp.acknowledgmentNumber(), tcp.window(), tcp.payloadLength(),
                Math.max(tcp.mss(), 0));
    }

    private void drain(int handle) {
        byte[] buffer = new byte[4096];
        while (layer.read(handle, buffer, 0, buffer.length) > 0) {
            // the application reads everything (LabBoard does the same)
        }
    }

    /** The application, as a lab board's: reads while reading is on, may close when the peer closes. */
    private final class App implements TcpHandler {
        @Override
        public void onAccepted(int listenerHandle, int handle) {
            connection = handle;
        }

        @Override
        public void onReadable(int handle) {
            if (reading) {
                drain(handle);
            }
        }

        @Override
        public void onPeerClosed(int handle) {
            if (reading) {
                drain(handle);
                layer.read(handle, new byte[1], 0, 1);
            }
        }

        @Override
        public void onClosed(int handle, CloseReason reason) {
        }
    }

    /** Takes what the engine sends: each segment, with its ports. */
    private final class Capture extends SegmentCapture {
        final List<int[]> ports = new ArrayList<>();

        Capture(int address) {
            super(address);
        }

        @Override
        protected void segment(byte[] buffer, int offset, int length) {
            stepSent.add(EngineReplay.segment(buffer, offset, length));
            ports.add(new int[] {(buffer[offset] & 0xFF) << 8 | buffer[offset + 1] & 0xFF,
                    (buffer[offset + 2] & 0xFF) << 8 | buffer[offset + 3] & 0xFF});
        }
    }
}
