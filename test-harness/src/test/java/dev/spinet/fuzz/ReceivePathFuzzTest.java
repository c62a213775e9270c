package dev.spinet.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.spinet.security.HostileLan;
import dev.spinet.security.TcpFrame;
import java.util.Arrays;

/**
 * Fuzzing the whole receive path (Ethernet, ARP, IPv4, ICMP, TCP) of a stack that has listeners,
 * established connections (passive and active) and a TIME-WAIT entry ({@link ReceivePathRig}).
 *
 * <p>After every input: no exception escaped poll, no internal or handler error was counted, the
 * work of one poll is bounded and the simulator settles (no loop without time passing), and
 * {@link dev.spinet.tcp.TcpInvariants} hold (SND.UNA &lt;= SND.NXT &lt;= SND.MAX, rings and
 * reassembly ranges in range, TCB pool conserved, backlog counts exact), with the neighbor cache
 * and pending-ARP queue within capacity.
 *
 * <p>In {@code ./mvnw verify} each test replays its checked-in corpus
 * ({@code src/test/resources/dev/spinet/fuzz/ReceivePathFuzzTestInputs/<method>/}). A campaign:
 * see docs/security.md ({@code JAZZER_FUZZ=1 ... -Djazzer.max_duration=10m}).
 */
class ReceivePathFuzzTest {

    /** Arbitrary frames (up to 4), optionally with the Ethernet destination and checksums repaired. */
    @FuzzTest(maxDuration = "30s")
    void arbitraryFramesIntoAStackWithConnections(FuzzedDataProvider data) {
        ReceivePathRig rig = new ReceivePathRig();
        int frames = data.consumeInt(1, 4);
        for (int i = 0; i < frames; i++) {
            boolean repair = data.consumeBoolean();
            int length = data.consumeInt(14, 1514);
            byte[] frame = data.consumeBytes(length);
            if (frame.length < 14) {
                frame = Arrays.copyOf(frame, 14);
            }
            if (repair) {
                ReceivePathRig.repairChecksums(frame);
            }
            rig.lan.inject(frame);
            rig.deliverAndCheck();
        }
        rig.runTimersAndCheck(3 * HostileLan.SECOND);
    }

    /**
     * Valid TCP segments, mutated where parsers and state machines break: flags, sequence and
     * acknowledgment numbers near the window edges, option lists with odd kinds and lengths, data
     * offset, payload and IP total length, urgent pointer, checksum variants.
     */
    @FuzzTest(maxDuration = "30s")
    void mutatedSegmentsAgainstLiveConnections(FuzzedDataProvider data) {
        ReceivePathRig rig = new ReceivePathRig();
        int segments = data.consumeInt(1, 8);
        for (int i = 0; i < segments; i++) {
            TcpFrame frame = segment(rig, data);
            byte[] bytes = frame.build();
            if (bytes.length > 1514) {
                bytes = Arrays.copyOf(bytes, 1514);
            }
            rig.lan.inject(bytes);
            rig.deliverAndCheck();
            if (data.consumeBoolean()) {
                rig.runTimersAndCheck(data.consumeLong(0, 2 * HostileLan.SECOND));
            }
        }
        rig.runTimersAndCheck(3 * HostileLan.SECOND);
    }

    private static TcpFrame segment(ReceivePathRig rig, FuzzedDataProvider data) {
        int target = data.consumeInt(0, 5);
        int peerPort;
        int dutPort;
        switch (target) {
            case 0 -> { peerPort = rig.passiveAPort; dutPort = 80; }
            case 1 -> { peerPort = rig.passiveBPort; dutPort = 80; }
            case 2 -> { peerPort = 7; dutPort = rig.activeLocalPort; }
            case 3 -> { peerPort = rig.timeWaitPeerPort; dutPort = 81; }
            case 4 -> { peerPort = data.consumeInt(1, 65535); dutPort = 80; }
            default -> { peerPort = data.consumeInt(0, 65535); dutPort = data.consumeInt(0, 65535); }
        }
        HostileLan.Sent last = rig.lan.lastFromDut(peerPort);
        int rcvNxt = last == null ? 0 : last.ack();
        int sndNxt = last == null ? 0 : last.nextSeq();
        int window = last == null ? 4096 : last.window();
        int source = data.consumeInt(0, 7) == 0 ? HostileLan.ATTACKER_IP : HostileLan.PEER_IP;
        TcpFrame f = rig.lan.toDut(source, peerPort, dutPort);
        f.seq = rcvNxt + edge(data, window);
        f.ack = sndNxt + edge(data, window);
        f.flags = data.consumeInt(0, 255);
        f.window = data.consumeInt(0, 65535);
        f.options = options(data);
        if (data.consumeInt(0, 3) == 0) {
            f.dataOffsetWords = data.consumeInt(0, 15);
        }
        f.payload(data.consumeInt(0, data.consumeBoolean() ? 64 : 1400));
        f.urgentPointer = data.consumeInt(0, 3) == 0 ? data.consumeInt(0, 65535) : 0;
        if (data.consumeInt(0, 5) == 0) {
            f.ipTotalLength = data.consumeInt(0, 1600);
        }
        if (data.consumeInt(0, 7) == 0) {
            f.ipFlagsFragment = data.consumeInt(0, 0xFFFF);
        }
        switch (data.consumeInt(0, 7)) {
            case 0 -> f.tcpChecksum = data.consumeInt(0, 0xFFFF);
            case 1 -> {
                int c = f.correctChecksum();
                f.tcpChecksum = c == 0xFFFF ? 0 : c == 0 ? 0xFFFF : c; // the other ones'-complement zero
            }
            case 2 -> f.pseudoHeaderLengthSkew = data.consumeInt(-40, 40);
            default -> {
            }
        }
        if (data.consumeInt(0, 7) == 0) {
            f.trailingBytes = data.consumeInt(0, 40);
        }
        return f;
    }

    /** An offset from a window edge: 0, +-1, the window, +-2^31, small, or anything. */
    private static int edge(FuzzedDataProvider data, int window) {
        return switch (data.consumeInt(0, 7)) {
            case 0 -> 0;
            case 1 -> data.consumeInt(-2, 2);
            case 2 -> window + data.consumeInt(-2, 2);
            case 3 -> -window + data.consumeInt(-2, 2);
            case 4 -> Integer.MIN_VALUE + data.consumeInt(-2, 2);
            case 5 -> data.consumeInt(-70_000, 70_000);
            default -> data.consumeInt();
        };
    }

    /** Up to 40 option bytes from pieces: known kinds with right or wrong lengths, NOP/EOL, junk. */
    private static byte[] options(FuzzedDataProvider data) {
        byte[] out = new byte[44];
        int n = 0;
        int pieces = data.consumeInt(0, 8);
        for (int p = 0; p < pieces && n < 40; p++) {
            int kind = switch (data.consumeInt(0, 8)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> 2;
                case 3 -> 3;
                case 4 -> 4;
                case 5 -> 5;
                case 6 -> 8;
                default -> data.consumeInt(0, 255);
            };
            out[n++] = (byte) kind;
            if (kind <= 1 || n >= 40) {
                continue;
            }
            int right = switch (kind) {
                case 2 -> 4;
                case 3 -> 3;
                case 4 -> 2;
                case 5 -> 2 + 8 * data.consumeInt(1, 4);
                case 8 -> 10;
                default -> data.consumeInt(2, 12);
            };
            int length = data.consumeInt(0, 4) == 0 ? data.consumeInt(0, 255) : right;
            out[n++] = (byte) length;
            int body = Math.min(Math.max(length - 2, 0), 40 - n);
            byte[] content = data.consumeBytes(body);
            System.arraycopy(content, 0, out, n, content.length);
            n += body;
        }
        return Arrays.copyOf(out, Math.min(n, 40));
    }
}
