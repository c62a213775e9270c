package dev.spinet.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.tcp.scenario.BulkTransfer;
import dev.spinet.tcp.scenario.FaultModel;
import dev.spinet.tcp.scenario.PoolsAssert;
import dev.spinet.tcp.scenario.TcpLink;
import dev.spinet.tcp.scenario.TransitionRecorder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * 10 MB each way between two layers over a seeded faulty link: data identical by SHA-256, both
 * ends CLOSED, every TCB, ring byte and TIME-WAIT entry back. Size via
 * {@code -Dspinet.transfer.bytes=N} (default 10 MiB); seed via {@code -Dspinet.transfer.seed=N}
 * (default fixed per case; the seed is in every failure message).
 */
class TransferTest {

    static final long BYTES = Long.getLong("spinet.transfer.bytes", 10L << 20);

    static StackConfig config(int address) {
        return StackConfig.builder()
                .ipAddress(address, 24)
                .tcpConnections(8)
                .tcpBuffers(64 * 1024, 64 * 1024)
                .tcpReassemblyHoles(8)
                .tcpSecret(address)
                .build();
    }

    @ParameterizedTest(name = "loss {0}, dup {1}, reorder {2}, corrupt {3}")
    @CsvSource({
            "0.00, 0.00, 0.00, 0.000, 11",
            "0.01, 0.01, 0.01, 0.001, 12",
            "0.05, 0.02, 0.05, 0.001, 13",
            "0.20, 0.05, 0.10, 0.001, 14"})
    void tenMegabytesEachWay(double loss, double duplicate, double reorder, double corrupt, long defaultSeed) {
        long seed = Long.getLong("spinet.transfer.seed", defaultSeed);
        String context = "seed=" + seed + " loss=" + loss + " dup=" + duplicate + " reorder=" + reorder + " corrupt=" + corrupt;
        TransitionRecorder recorderA = new TransitionRecorder();
        TransitionRecorder recorderB = new TransitionRecorder();
        long latency = 500_000L; // 0.5 ms one way
        TcpLink link = new TcpLink(config(TcpLink.ADDRESS_A), config(TcpLink.ADDRESS_B),
                new FaultModel(seed, loss, duplicate, reorder, corrupt, latency),
                new FaultModel(seed * 31 + 7, loss, duplicate, reorder, corrupt, latency),
                recorderA, recorderB, 1500, 256);
        BulkTransfer transfer = new BulkTransfer(link, BYTES, 16 * 1024);
        transfer.start(7000);
        long started = System.nanoTime();
        boolean finished = transfer.run(3_600L * 1_000_000_000L);
        long wallMillis = (System.nanoTime() - started) / 1_000_000;
        String state = context + " client read " + transfer.client.read + " written " + transfer.client.written
                + ", server read " + transfer.server.read + " written " + transfer.server.written
                + "\nA counters:\n" + link.a.counters() + "B counters:\n" + link.b.counters();
        assertTrue(finished, () -> "transfer did not finish: " + state);
        assertEquals(BYTES, transfer.client.read, state);
        assertEquals(BYTES, transfer.server.read, state);
        assertArrayEquals(transfer.clientSentHash(), transfer.serverReceivedHash(), "a->b SHA-256 differs, " + context);
        assertArrayEquals(transfer.serverSentHash(), transfer.clientReceivedHash(), "b->a SHA-256 differs, " + context);
        assertEquals(CloseReasonPair.NORMAL, CloseReasonPair.of(transfer), state);
        // TIME-WAIT runs out after 2 MSL; then everything is back in its pool.
        link.advance(61L * 1_000_000_000L);
        PoolsAssert.assertEveryPoolEmpty(link.a, "A, " + context);
        PoolsAssert.assertEveryPoolEmpty(link.b, "B, " + context);
        assertTrue(recorderA.violations().isEmpty() && recorderB.violations().isEmpty(), context);
        assertEquals(0, link.a.counters().get(TcpCounter.INTERNAL_ERROR) + link.b.counters().get(TcpCounter.INTERNAL_ERROR), state);
        assertEquals(0, link.a.counters().get(TcpCounter.SEND_RANGE_OUTSIDE_RING) + link.b.counters().get(TcpCounter.SEND_RANGE_OUTSIDE_RING), state);
        System.out.printf("transfer %s: %d bytes each way, virtual %.3f s, wall %d ms, segments delivered %d, dropped %d%n",
                context, BYTES, (link.now() - 1e9) / 1e9, wallMillis, link.delivered(), link.dropped());
    }

    /** Both sides' close reasons, NORMAL when both ended normally. */
    enum CloseReasonPair {
        NORMAL, OTHER;

        static CloseReasonPair of(BulkTransfer transfer) {
            return transfer.client.closedWith == CloseReason.NORMAL && transfer.server.closedWith == CloseReason.NORMAL ? NORMAL : OTHER;
        }
    }
}
