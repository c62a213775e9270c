package dev.spinet.lab.grade;

import dev.spinet.config.StackConfig;
import dev.spinet.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-state scenarios, after the scripted tests of each state in tcp-fsm ({@code SynSentTest},
 * {@code TimeWaitTest}...): a peer's segments at chosen times against one stack, whose own ISS is
 * always {@link #ISS}. What the labs do not show: segments a state must answer without moving
 * (a bad ACK in SYN-SENT, a challenge ACK, a retransmitted FIN in TIME-WAIT) and a FIN
 * retransmitted by its timer. Played into Spinet's engine ({@link EngineReplay}) like a lab's side.
 */
public final class StateScenarios {

    /** The stack's ISS in every scenario. */
    public static final int ISS = 10_000;
    /** The peer's ISS. */
    public static final int PEER_ISS = 5_000;
    private static final int LOCAL = 0x0A00_0002;
    private static final int PEER = 0x0A00_0001;
    private static final int PORT = 80;
    private static final int PEER_PORT = 40_000;
    private static final long MS = 1_000_000L;
    private static final int S = TcpSegment.SYN;
    private static final int A = TcpSegment.ACK;
    private static final int F = TcpSegment.FIN;
    private static final int R = TcpSegment.RST;

    private StateScenarios() {
    }

    private record Scenario(String name, List<ScenarioInput> inputs) {
    }

    /** How many scenarios there are. */
    public static int count() {
        return scenarios().size();
    }

    /** Every scenario's traces, as Spinet's engine plays them. */
    public static List<Trace> traces() {
        List<Trace> traces = new ArrayList<>();
        for (Scenario scenario : scenarios()) {
            List<Integer> isns = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                isns.add(ISS);
            }
            traces.addAll(new EngineReplay(scenario.name(), "stack", config(), LOCAL, PEER, isns).play(scenario.inputs()));
        }
        return traces;
    }

    /** The configuration of tcp-fsm's scripts: small buffers, no options. */
    static StackConfig config() {
        return StackConfig.builder().ipAddress(LOCAL, 24).tcpConnections(4).tcpBuffers(4096, 4096).tcpListeners(2, 2)
                .tcpTimeWaitEntries(4).tcpOptions(false, false, false).tcpSecret(1).build();
    }

    private static List<Scenario> scenarios() {
        return List.of(
                new Scenario("SYN-SENT: a SYN+ACK with a bad ACK gets an RST, then the right one", join(
                        List.of(connect(0)),
                        List.of(reply(1 * MS, S | A, PEER_ISS, ISS + 99, 1460), reply(2 * MS, S | A, PEER_ISS, ISS + 1, 1460)))),
                new Scenario("SYN-SENT: an RST without ACK is ignored, one with an acceptable ACK refuses", join(
                        List.of(connect(0)),
                        List.of(reply(1 * MS, R, PEER_ISS, 0, 0), reply(2 * MS, R | A, 0, ISS + 1, 0)))),
                new Scenario("ESTABLISHED: an RST inside the window but not at RCV.NXT gets a challenge ACK (RFC 5961 3.2)", join(
                        passiveOpen(),
                        List.of(seg(10 * MS, R, PEER_ISS + 101, 0, 0, 0), seg(20 * MS, R, PEER_ISS + 1, 0, 0, 0)))),
                new Scenario("ESTABLISHED: a SYN gets a challenge ACK (RFC 5961 4.2), then an RST at RCV.NXT closes", join(
                        activeOpen(),
                        List.of(reply(10 * MS, S, PEER_ISS + 50, 0, 0), reply(20 * MS, R, PEER_ISS + 1, 0, 0)))),
                new Scenario("TIME-WAIT: a retransmitted FIN is acknowledged again", join(
                        activeOpen(),
                        List.of(call(10 * MS, ScenarioInput.Type.CLOSE),
                                reply(11 * MS, F | A, PEER_ISS + 1, ISS + 2, 0),
                                reply(500 * MS, F | A, PEER_ISS + 1, ISS + 2, 0)))),
                new Scenario("FIN-WAIT-1 -> CLOSING -> TIME-WAIT: the peer's FIN crosses ours", join(
                        activeOpen(),
                        List.of(call(10 * MS, ScenarioInput.Type.CLOSE),
                                reply(11 * MS, F | A, PEER_ISS + 1, ISS + 1, 0),
                                reply(12 * MS, A, PEER_ISS + 2, ISS + 2, 0)))),
                new Scenario("LAST-ACK: the FIN is retransmitted on its timer until acknowledged", join(
                        passiveOpen(),
                        List.of(seg(10 * MS, F | A, PEER_ISS + 1, ISS + 1, 0, 0),
                                call(20 * MS, ScenarioInput.Type.CLOSE),
                                seg(1_500 * MS, A, PEER_ISS + 2, ISS + 2, 0, 0)))),
                new Scenario("SYN-RECEIVED: an ACK that acknowledges nothing we sent gets an RST, then the right ACK", join(
                        List.of(listen(0), seg(1 * MS, S, PEER_ISS, 0, 0, 1460)),
                        List.of(seg(2 * MS, A, PEER_ISS + 1, ISS + 50, 0, 0), seg(3 * MS, A, PEER_ISS + 1, ISS + 1, 0, 0)))));
    }

    @SafeVarargs
    private static List<ScenarioInput> join(List<ScenarioInput>... parts) {
        List<ScenarioInput> all = new ArrayList<>();
        for (List<ScenarioInput> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    /** The stack listens on port 80 and the peer connects: ESTABLISHED at 2 ms. */
    private static List<ScenarioInput> passiveOpen() {
        return List.of(listen(0), seg(1 * MS, S, PEER_ISS, 0, 0, 1460), seg(2 * MS, A, PEER_ISS + 1, ISS + 1, 0, 0));
    }

    /** The stack connects to the peer's port 80: ESTABLISHED at 1 ms. */
    private static List<ScenarioInput> activeOpen() {
        return List.of(connect(0), reply(1 * MS, S | A, PEER_ISS, ISS + 1, 1460));
    }

    private static ScenarioInput listen(long nanos) {
        return ScenarioInput.call(nanos, ScenarioInput.Type.LISTEN, PORT, 0);
    }

    private static ScenarioInput connect(long nanos) {
        return ScenarioInput.call(nanos, ScenarioInput.Type.CONNECT, PORT, 0);
    }

    private static ScenarioInput call(long nanos, ScenarioInput.Type type) {
        return ScenarioInput.call(nanos, type, 0, 0);
    }

    /** A segment from the peer's port 40000 to the stack's port 80 (the stack listens there). */
    private static ScenarioInput seg(long nanos, int flags, int seq, int ack, int length, int mss) {
        return segment(nanos, PEER_PORT, PORT, flags, seq, ack, length, mss);
    }

    /**
     * A segment for the connection the stack opened: its ports are left 0 and the replay puts in
     * the connection's (the stack's local port is ephemeral).
     */
    private static ScenarioInput reply(long nanos, int flags, int seq, int ack, int mss) {
        return segment(nanos, 0, 0, flags, seq, ack, 0, mss);
    }

    private static ScenarioInput segment(long nanos, int sourcePort, int destinationPort, int flags, int seq, int ack, int length,
                                         int mss) {
        byte[] bytes = new byte[24 + length];
        int header = TcpSegment.writeHeader(bytes, 0, sourcePort, destinationPort, seq, ack, flags, 4096);
        if (mss > 0) {
            header += TcpSegment.writeMssOption(bytes, header, mss);
            TcpSegment.setDataOffset(bytes, 0, header);
        }
        if (sourcePort != 0) {
            TcpSegment.writeChecksum(bytes, 0, header + length, PEER, LOCAL);
        }
        return ScenarioInput.arrival(nanos, PEER, LOCAL, java.util.Arrays.copyOf(bytes, header + length));
    }
}
