package dev.spinet.security;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.iface.IfaceCounter;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpCounter;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpInvariants;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TcpState;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.TcpSegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A LAN with three hosts on one {@link VirtualWire} hub, in simulated time: the device under test
 * (a whole Spinet {@link Stack}), a legitimate peer (another Stack) and an attacker port that
 * injects hand-made frames. A tap remembers the last TCP segment the device sent to each peer
 * port, so tests (and the structure-aware fuzzer) know the sequence numbers in use.
 */
public final class HostileLan {

    public static final int DUT_IP = 0x0A00_0002;
    public static final int PEER_IP = 0x0A00_0001;
    public static final int ATTACKER_IP = 0x0A00_0063;
    public static final long DUT_MAC = 0x02_00_00_00_00_02L;
    public static final long PEER_MAC = 0x02_00_00_00_00_01L;
    public static final long ATTACKER_MAC = 0x02_00_00_00_00_63L;
    public static final long MS = 1_000_000L;
    public static final long SECOND = 1_000_000_000L;

    /** What the device last sent on one connection. */
    public record Sent(int seq, int ack, int flags, int window, int payloadLength) {
        /** The device's SND.NXT after this segment (SYN and FIN count). */
        public int nextSeq() {
            return seq + payloadLength + ((flags & TcpSegment.SYN) != 0 ? 1 : 0) + ((flags & TcpSegment.FIN) != 0 ? 1 : 0);
        }
    }

    public final ManualClock clock = new ManualClock();
    public final VirtualWire wire;
    public final Stack dut;
    public final Stack peer;
    public final VirtualWire.Port attacker;
    public final Simulator sim;
    public final Sink dutApp = new Sink();
    public final Sink peerApp = new Sink();
    private final Map<Integer, Sent> lastFromDut = new HashMap<>();
    private final byte[] drain = new byte[2048];
    public long framesFromDut;

    public HostileLan(StackConfig dutConfig, StackConfig peerConfig) {
        this(dutConfig, peerConfig, VirtualWire.DEFAULT_QUEUE_FRAMES);
    }

    public HostileLan(StackConfig dutConfig, StackConfig peerConfig, int queueFrames) {
        wire = new VirtualWire(clock, queueFrames, VirtualWire.DEFAULT_FRAME_BYTES);
        dut = new Stack(dutConfig, wire.connect("dut", DUT_MAC));
        peer = new Stack(peerConfig, wire.connect("peer", PEER_MAC));
        attacker = wire.connect("attacker", ATTACKER_MAC);
        sim = new Simulator(clock, wire).add(dut).add(peer).beforeEachRound(this::drainAttacker);
        wire.tap(this::onFrame);
    }

    /** A small device: 4 TCBs of 4 KiB rings, 2 listeners with backlog 2, 4 TIME-WAIT entries. */
    public static StackConfig.Builder dutConfig() {
        return StackConfig.builder()
                .ipAddress(DUT_IP, 24)
                .tcpConnections(4)
                .tcpBuffers(4096, 4096)
                .tcpListeners(2, 2)
                .tcpTimeWaitEntries(4)
                .tcpSecret(0x5EC_0001L);
    }

    /**
     * The legitimate peer: it does not offer timestamps, so its connections to the device run
     * without them. The tests forge that peer's segments by hand, without options; on a connection
     * with timestamps the device would drop every one of them before the checks under test (RFC
     * 7323 3.2: a segment without the option "SHOULD" be dropped; TimestampsTest covers that).
     */
    public static StackConfig.Builder peerConfig() {
        return StackConfig.builder()
                .ipAddress(PEER_IP, 24)
                .tcpConnections(8)
                .tcpBuffers(4096, 4096)
                .tcpOptions(true, false, true)
                .tcpSecret(0x5EC_0002L);
    }

    public TcpLayer dutTcp() {
        return dut.tcp();
    }

    public TcpLayer peerTcp() {
        return peer.tcp();
    }

    private void drainAttacker() {
        while (attacker.receive(drain, 0, drain.length) > 0) {
            // the attacker is blind in these tests: what it could overhear is thrown away
        }
    }

    /** Last frames on the wire, as text, when {@link #TRACE} is on (for diagnosing a finding). */
    public static final boolean TRACE = Boolean.getBoolean("spinet.trace");
    public final java.util.ArrayDeque<String> trace = new java.util.ArrayDeque<>();
    private final dev.spinet.harness.net.FrameSummary summary = new dev.spinet.harness.net.FrameSummary();

    public String traceText() {
        return String.join("\n", trace);
    }

    private void onFrame(String port, byte[] frame, int offset, int length, long now) {
        if (TRACE) {
            trace.addLast(now + " " + port + ": " + summary.describe(frame, offset, length));
            if (trace.size() > 60) {
                trace.removeFirst();
            }
        }
        if (!"dut".equals(port) || length < 54 || u16(frame, offset + 12) != EthernetFrame.TYPE_IPV4
                || (frame[offset + 23] & 0xFF) != TcpSegment.PROTOCOL) {
            return;
        }
        framesFromDut++;
        int ip = offset + 14;
        int ihl = (frame[ip] & 0x0F) * 4;
        int total = u16(frame, ip + Ipv4Packet.TOTAL_LENGTH_OFFSET);
        int tcp = ip + ihl;
        int header = ((frame[tcp + 12] & 0xFF) >>> 4) * 4;
        int remotePort = u16(frame, tcp + 2);
        lastFromDut.put(remotePort, new Sent(i32(frame, tcp + 4), i32(frame, tcp + 8),
                frame[tcp + 13] & 0xFF, u16(frame, tcp + 14), total - ihl - header));
    }

    /** The last segment the device sent to the peer's {@code peerPort}, or null. */
    public Sent lastFromDut(int peerPort) {
        return lastFromDut.get(peerPort);
    }

    /** Puts a frame on the wire from the attacker's port (14..1514 bytes). */
    public void inject(byte[] frame) {
        attacker.transmit(frame, 0, frame.length);
    }

    /** A TCP frame from {@code source} (spoofable) to the device, valid unless the test changes it. */
    public TcpFrame toDut(int source, int sourcePort, int destinationPort) {
        return new TcpFrame(DUT_MAC, ATTACKER_MAC, source, DUT_IP, sourcePort, destinationPort);
    }

    /** The peer connects to the device's {@code port}; runs until established. Returns the peer's handle. */
    public int connectPeer(int port) {
        int handle = peerTcp().connect(DUT_IP, port, peerApp);
        boolean up = sim.runUntil(() -> peerTcp().state(handle) == TcpState.ESTABLISHED
                && dutApp.accepted.size() > 0 && dutTcp().state(dutApp.accepted.getLast()) == TcpState.ESTABLISHED, 5 * SECOND);
        if (!up) {
            throw new AssertionError("handshake to port " + port + " did not complete: peer " + peerTcp().state(handle)
                    + ", dut counters " + dutTcp().counters());
        }
        return handle;
    }

    /** Writes {@code bytes} from the peer on {@code peerHandle} and runs until the device has read them all. */
    public void peerSends(int peerHandle, int bytes) {
        long before = dutApp.bytesRead;
        byte[] data = new byte[bytes];
        int written = 0;
        while (written < bytes) {
            written += peerTcp().write(peerHandle, data, written, bytes - written);
            sim.runFor(10 * MS);
        }
        if (!sim.runUntil(() -> dutApp.bytesRead - before >= bytes, 10 * SECOND)) {
            throw new AssertionError("device read " + (dutApp.bytesRead - before) + " of " + bytes);
        }
        sim.runFor(200 * MS); // delayed ACKs go out: the tap then knows the device's RCV.NXT
    }

    /** Null when every invariant of the device holds, else the first violation. */
    public String dutInvariants() {
        String tcp = TcpInvariants.check(dutTcp());
        if (tcp != null) {
            return tcp;
        }
        if (dut.iface().counters().get(IfaceCounter.INTERNAL_ERRORS) != 0) {
            return "interface internal error: " + dut.iface().lastInternalError();
        }
        if (dutTcp().counters().get(TcpCounter.INTERNAL_ERROR) != 0 || dutTcp().counters().get(TcpCounter.HANDLER_ERROR) != 0) {
            return "TCP internal/handler error: " + dutTcp().lastInternalError();
        }
        if (dut.iface().neighbors().used() > dut.iface().neighbors().capacity()
                || dut.iface().pendingFrames().count() > dut.iface().pendingFrames().capacity()) {
            return "neighbor cache or pending queue beyond capacity";
        }
        return null;
    }

    /** An application that accepts, reads everything, and remembers what happened. */
    public static final class Sink implements TcpHandler {
        public final List<Integer> accepted = new ArrayList<>();
        public final List<Integer> connected = new ArrayList<>();
        public final Map<Integer, CloseReason> closed = new HashMap<>();
        public long bytesRead;
        public long bytesWritten;
        public TcpLayer layer;
        private final byte[] buffer = new byte[4096];

        @Override
        public void onAccepted(int listener, int connection) {
            accepted.add(connection);
        }

        @Override
        public void onConnected(int connection) {
            connected.add(connection);
        }

        @Override
        public void onReadable(int connection) {
            if (layer == null) {
                return;
            }
            int n;
            while ((n = layer.read(connection, buffer, 0, buffer.length)) > 0) {
                bytesRead += n;
            }
        }

        @Override
        public void onClosed(int connection, CloseReason reason) {
            closed.put(connection, reason);
        }
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    static int i32(byte[] b, int i) {
        return (u16(b, i) << 16) | u16(b, i + 2);
    }

    /** Wires the sinks to their layers (call once after construction; done by the factory methods). */
    public HostileLan init() {
        dutApp.layer = dutTcp();
        peerApp.layer = peerTcp();
        return this;
    }

    public static HostileLan standard() {
        return new HostileLan(dutConfig().build(), peerConfig().build()).init();
    }
}
