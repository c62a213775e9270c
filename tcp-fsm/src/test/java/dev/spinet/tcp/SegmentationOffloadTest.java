package dev.spinet.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.tcp.scenario.BulkTransfer;
import dev.spinet.tcp.scenario.FaultModel;
import dev.spinet.tcp.scenario.PoolsAssert;
import dev.spinet.tcp.scenario.TcpLink;
import dev.spinet.testkit.AllocationAssert;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * TCP over an output that segments (TSO, a Linux TAP with offloads): new data leaves in segments
 * of whole MSS up to the device's limit, each handed over with the send MSS as the segment size,
 * and a peer receiving such a large segment (as Linux delivers GSO segments to a local socket)
 * acknowledges it at once, as the two or more full-sized segments it holds (RFC 5681 4.2).
 */
class SegmentationOffloadTest {

    private static final int LIMIT = 65_535 - 20;
    private static final long BYTES = 4_000_000;

    private static StackConfig config(int address) {
        return StackConfig.builder().ipAddress(address, 24).tcpBuffers(256 * 1024, 256 * 1024).tcpSecret(address).build();
    }

    private static TcpLink link(int segmentedLimit) {
        return new TcpLink(config(TcpLink.ADDRESS_A), config(TcpLink.ADDRESS_B), FaultModel.perfect(100_000),
                FaultModel.perfect(100_000), TransitionObserver.NONE, TransitionObserver.NONE, 1500, 256, segmentedLimit);
    }

    @Test
    void bulkDataGoesInLargeSegmentsOfWholeMssAndArrivesExactly() {
        TcpLink link = link(LIMIT);
        BulkTransfer transfer = new BulkTransfer(link, BYTES, 0, 32 * 1024);
        transfer.start(7000);
        assertTrue(transfer.run(60_000_000_000L), "transfer finished");
        assertEquals(BYTES, transfer.server.read);
        assertArrayEquals(transfer.clientSentHash(), transfer.serverReceivedHash());
        long segmented = link.a.counters().get(TcpCounter.SEGMENTED_SENDS);
        assertTrue(segmented > 0 && segmented == link.segmentedSendsA(), "large segments sent: " + segmented);
        // Timestamps are on: 1460-byte MSS less the 12-byte option.
        assertEquals(1448, link.lastSegmentPayloadA(), "the device is told the send MSS");
        assertEquals(0, link.malformedSegmentedSends(), "every large segment is whole MSS with a valid checksum");
        // Far fewer sends than MSS-sized segments would need.
        long sends = link.a.counters().get(TcpCounter.SEGMENTS_SENT);
        assertTrue(sends < BYTES / 1448 / 4, "segments sent by A: " + sends);
        link.advance(61L * 1_000_000_000L); // TIME-WAIT runs out after 2 MSL
        PoolsAssert.assertEveryPoolEmpty(link.a, "A");
        PoolsAssert.assertEveryPoolEmpty(link.b, "B");
        assertEquals(0, link.a.counters().get(TcpCounter.INTERNAL_ERROR) + link.b.counters().get(TcpCounter.INTERNAL_ERROR));
    }

    @Test
    void aLargeSegmentIsAcknowledgedAtOnce() {
        TcpLink link = link(LIMIT);
        BulkTransfer transfer = new BulkTransfer(link, BYTES, 0, 32 * 1024);
        transfer.start(7000);
        assertTrue(transfer.run(60_000_000_000L), "transfer finished");
        // Each large segment holds at least two full-sized ones: no ACK of one waits for the
        // delayed-ACK timer (B sends no data, so each of its segments is an ACK).
        assertEquals(0, link.b.counters().get(TcpCounter.DELAYED_ACKS), "ACKs that waited for the timer");
    }

    @Test
    void withoutSegmentationNoSegmentExceedsTheMss() {
        TcpLink link = link(0);
        BulkTransfer transfer = new BulkTransfer(link, 500_000, 0, 32 * 1024);
        transfer.start(7000);
        assertTrue(transfer.run(60_000_000_000L));
        assertArrayEquals(transfer.clientSentHash(), transfer.serverReceivedHash());
        assertEquals(0, link.a.counters().get(TcpCounter.SEGMENTED_SENDS));
        assertEquals(0, link.segmentedSendsA());
    }

    @Test
    @Tag("allocation")
    void largeSegmentsAllocateNothing() {
        TcpLink link = link(LIMIT);
        BulkTransfer transfer = new BulkTransfer(link, Long.MAX_VALUE / 4, 64 * 1024);
        transfer.start(7000);
        AllocationAssert.assertZeroAllocation("bulk transfer step with segmentation offload", () -> {
            transfer.pumpApplications();
            link.step(1_000_000_000L);
        });
        assertTrue(link.segmentedSendsA() > 100, "large segments during the measured steps: " + link.segmentedSendsA());
        assertEquals(0, link.malformedSegmentedSends());
    }
}
