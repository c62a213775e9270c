package dev.spinet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.tcp.scenario.BulkTransfer;
import dev.spinet.tcp.scenario.FaultModel;
import dev.spinet.tcp.scenario.ScriptedPeer;
import dev.spinet.tcp.scenario.Seg;
import dev.spinet.tcp.scenario.TcpLink;
import dev.spinet.testkit.AllocationAssert;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Zero bytes allocated per segment in steady state: bulk transfer and request/echo, with the
 * default options (window scaling, timestamps, SACK and D-SACK negotiated: the loss runs go
 * through PAWS, RTTM, SACK blocks, the scoreboard and RFC 6675 recovery) and without them (NewReno).
 */
@Tag("allocation")
class TcpAllocationTest {

    static StackConfig config(int address) {
        return StackConfig.builder().ipAddress(address, 24).tcpBuffers(64 * 1024, 64 * 1024).tcpSecret(address).build();
    }

    static TcpLink link(FaultModel ab, FaultModel ba) {
        return link(config(TcpLink.ADDRESS_A), config(TcpLink.ADDRESS_B), ab, ba);
    }

    static TcpLink link(StackConfig a, StackConfig b, FaultModel ab, FaultModel ba) {
        return new TcpLink(a, b, ab, ba, TransitionObserver.NONE, TransitionObserver.NONE, 1500, 256);
    }

    /** The counters that show SACK and timestamps at work on both ends of {@code link}. */
    static long both(TcpLink link, TcpCounter counter) {
        return link.a.counters().get(counter) + link.b.counters().get(counter);
    }

    /**
     * An endless bulk transfer to port 7000 over {@code link}; each measured step pumps both
     * applications and runs the link for at most {@code stepNanos}, allocating nothing.
     */
    private static BulkTransfer assertBulkStepsAllocateNothing(TcpLink link, long stepNanos, String what) {
        BulkTransfer transfer = new BulkTransfer(link, Long.MAX_VALUE / 4, 16 * 1024);
        transfer.start(7000);
        Runnable step = () -> {
            transfer.pumpApplications();
            link.step(stepNanos);
        };
        AllocationAssert.assertZeroAllocation(what, step);
        return transfer;
    }

    @Test
    void bulkTransferAllocatesNothing() {
        TcpLink link = link(FaultModel.perfect(100_000), FaultModel.perfect(100_000));
        BulkTransfer transfer = assertBulkStepsAllocateNothing(link, 1_000_000_000L,
                "bulk transfer step (segments in and out, ACKs, timers)");
        assertTrue(transfer.server.read > 1_000_000, "data flowed: " + transfer.server.read);
        assertEquals(0, link.a.counters().get(TcpCounter.INTERNAL_ERROR));
    }

    @Test
    void bulkTransferWithLossAllocatesNothing() {
        TcpLink link = link(new FaultModel(3, 0.02, 0.01, 0.02, 0, 100_000), new FaultModel(4, 0.02, 0.01, 0.02, 0, 100_000));
        assertBulkStepsAllocateNothing(link, 10_000_000_000L,
                "bulk transfer with loss (retransmission, reassembly, SACK blocks, D-SACK, RFC 6675 recovery, PAWS, RTTM)");
        assertTrue(both(link, TcpCounter.OUT_OF_ORDER_SEGMENTS) > 0);
        // The measured steps did take the new paths: blocks sent and used, recovery, echoes timed.
        assertTrue(both(link, TcpCounter.SACK_OPTIONS_SENT) > 0, "SACK blocks sent");
        assertTrue(both(link, TcpCounter.SACK_RECOVERIES) > 0, "RFC 6675 recovery entered");
        assertTrue(both(link, TcpCounter.SACK_RECOVERY_RETRANSMITS) > 0, "NextSeg() retransmissions");
        assertTrue(both(link, TcpCounter.DUPLICATES_REPORTED) > 0, "D-SACK blocks sent");
        assertTrue(both(link, TcpCounter.RTT_SAMPLES_FROM_TIMESTAMPS) > 0, "RTTM samples");
        assertTrue(both(link, TcpCounter.SACK_COMPRESSED_ACKS) > 0, "out-of-order ACKs withheld by SACK compression");
    }

    @Test
    void bulkTransferWithReorderingAllocatesNothing() {
        TcpLink link = link(new FaultModel(5, 0, 0, 0.05, 0, 100_000), new FaultModel(6, 0, 0, 0.05, 0, 100_000));
        assertBulkStepsAllocateNothing(link, 10_000_000_000L,
                "bulk transfer with reordering (spurious recoveries, D-SACK, their undo, SACK compression)");
        assertTrue(both(link, TcpCounter.SACK_RECOVERIES) > 0, "RFC 6675 recovery entered");
        assertTrue(both(link, TcpCounter.DSACKS_RECEIVED) > 0, "D-SACK blocks received");
        assertTrue(both(link, TcpCounter.SPURIOUS_RECOVERIES_UNDONE) > 0, "recoveries undone (RFC 3708)");
        assertTrue(both(link, TcpCounter.SACK_COMPRESSED_ACKS) > 0, "out-of-order ACKs withheld by SACK compression");
    }

    /** 4 KiB rings: two or three segments in flight, where losses need the probe and early retransmit. */
    @Test
    void bulkTransferWithLossAndSmallRingsAllocatesNothing() {
        StackConfig a = config(TcpLink.ADDRESS_A).toBuilder().tcpBuffers(4096, 4096).build();
        StackConfig b = config(TcpLink.ADDRESS_B).toBuilder().tcpBuffers(4096, 4096).build();
        TcpLink link = link(a, b, new FaultModel(7, 0.03, 0.01, 0.02, 0, 100_000), new FaultModel(8, 0.03, 0.01, 0.02, 0, 100_000));
        assertBulkStepsAllocateNothing(link, 10_000_000_000L,
                "bulk transfer with loss and 4 KiB rings (tail loss probes, early retransmit)");
        assertTrue(both(link, TcpCounter.TAIL_LOSS_PROBES) > 0, "RFC 8985 tail loss probes");
        assertTrue(both(link, TcpCounter.EARLY_RETRANSMITS) > 0, "RFC 5827 early retransmit");
    }

    @Test
    void bulkTransferWithLossAndNoOptionsAllocatesNothing() {
        StackConfig a = config(TcpLink.ADDRESS_A).toBuilder().tcpOptions(true, false, false).build();
        StackConfig b = config(TcpLink.ADDRESS_B).toBuilder().tcpOptions(true, false, false).build();
        TcpLink link = link(a, b, new FaultModel(3, 0.02, 0.01, 0.02, 0, 100_000), new FaultModel(4, 0.02, 0.01, 0.02, 0, 100_000));
        assertBulkStepsAllocateNothing(link, 10_000_000_000L, "bulk transfer with loss, no SACK or timestamps (NewReno)");
        assertTrue(both(link, TcpCounter.FAST_RETRANSMITS) > 0);
        assertTrue(both(link, TcpCounter.SACK_OPTIONS_SENT) + both(link, TcpCounter.RTT_SAMPLES_FROM_TIMESTAMPS) == 0);
        assertTrue(both(link, TcpCounter.NEW_DATA_BEYOND_CWND) > 0, "RFC 3042 limited transmit");
    }

    /** Counts every byte it reads; the server side also writes each back (echo). */
    static final class Reader implements TcpHandler {
        final TcpLayer layer;
        final boolean echo;
        final byte[] buffer = new byte[2048];
        long received;

        Reader(TcpLayer layer, boolean echo) {
            this.layer = layer;
            this.echo = echo;
        }

        @Override
        public void onReadable(int connection) {
            int n;
            while ((n = layer.read(connection, buffer, 0, buffer.length)) > 0) {
                received += n;
                if (echo) {
                    layer.write(connection, buffer, 0, n);
                }
            }
        }
    }

    @Test
    void requestEchoAllocatesNothing() {
        TcpLink link = link(FaultModel.perfect(50_000), FaultModel.perfect(50_000));
        link.b.listen(7, 2, new Reader(link.b, true));
        Reader client = new Reader(link.a, false);
        int c = link.a.connect(TcpLink.ADDRESS_B, 7, client);
        link.advance(10_000_000L);
        assertEquals(TcpState.ESTABLISHED, link.a.state(c));
        link.a.setNoDelay(c, true);
        byte[] request = new byte[64];
        Runnable exchange = () -> {
            long target = client.received + request.length;
            link.a.write(c, request, 0, request.length);
            for (int i = 0; i < 100 && client.received < target; i++) {
                link.step(1_000_000_000L);
            }
            link.advance(50_000_000L); // let the delayed ACK go out too
        };
        AllocationAssert.assertZeroAllocation("echo of 64 bytes (request, echo, ACKs, delayed ACK timer)", 2_000, 500, 5, exchange);
        assertTrue(client.received >= 64L * 2_500, "echoes arrived: " + client.received);
    }

    /**
     * RFC 5681 4.1: each request follows an idle time longer than the RTO, so every exchange
     * cuts cwnd back to the restart window before sending.
     */
    @Test
    void requestEchoAfterIdleTimesAllocatesNothing() {
        TcpLink link = link(FaultModel.perfect(50_000), FaultModel.perfect(50_000));
        link.b.listen(7, 2, new Reader(link.b, true));
        Reader client = new Reader(link.a, false);
        int c = link.a.connect(TcpLink.ADDRESS_B, 7, client);
        link.advance(10_000_000L);
        link.a.setNoDelay(c, true);
        byte[] request = new byte[1400];
        Runnable exchange = () -> {
            long target = client.received + request.length;
            for (int i = 0; i < 4; i++) {
                link.a.write(c, request, 0, request.length); // four segments: cwnd grows past IW
            }
            for (int i = 0; i < 100 && client.received < target + 3L * request.length; i++) {
                link.step(1_000_000_000L);
            }
            link.advance(3_000_000_000L); // idle: longer than any RTO here
        };
        AllocationAssert.assertZeroAllocation("echo after idle (restart window, RFC 5681 4.1)", 200, 100, 5, exchange);
        assertTrue(both(link, TcpCounter.CWND_RESTARTS_AFTER_IDLE) > 100, "restarts: " + both(link, TcpCounter.CWND_RESTARTS_AFTER_IDLE));
    }

    /**
     * Keepalive in CLOSE-WAIT and in a half-closed FIN-WAIT-2 (RFC 1122 4.2.3.6): each idle time
     * both ends probe and answer each other's probes.
     */
    @Test
    void keepaliveProbesInCloseWaitAndFinWait2AllocateNothing() {
        StackConfig a = config(TcpLink.ADDRESS_A).toBuilder().tcpKeepalive(true, 1_000_000_000L, 1_000_000_000L, 3).build();
        StackConfig b = config(TcpLink.ADDRESS_B).toBuilder().tcpKeepalive(true, 1_000_000_000L, 1_000_000_000L, 3).build();
        TcpLink link = link(a, b, FaultModel.perfect(50_000), FaultModel.perfect(50_000));
        Reader server = new Reader(link.b, false);
        link.b.listen(7, 2, server);
        int c = link.a.connect(TcpLink.ADDRESS_B, 7, new Reader(link.a, false));
        link.advance(10_000_000L);
        link.a.shutdownOutput(c);
        link.advance(10_000_000L);
        assertEquals(TcpState.FIN_WAIT_2, link.a.state(c));
        Runnable idle = () -> link.advance(1_000_000_000L);
        AllocationAssert.assertZeroAllocation("keepalive probes in CLOSE-WAIT and FIN-WAIT-2", 200, 100, 5, idle);
        assertEquals(TcpState.FIN_WAIT_2, link.a.state(c));
        assertTrue(link.a.counters().get(TcpCounter.KEEPALIVE_PROBES) > 100, "FIN-WAIT-2 probes");
        assertTrue(link.b.counters().get(TcpCounter.KEEPALIVE_PROBES) > 100, "CLOSE-WAIT probes");
    }

    /** RFC 1337: RSTs reaching a TIME-WAIT entry are counted and dropped, allocating nothing. */
    @Test
    void rstsIgnoredInTimeWaitAllocateNothing() {
        ScriptedPeer peer = new ScriptedPeer(ScriptedPeer.defaultConfig().build());
        TcpLayer tcp = peer.layer();
        int c = tcp.connect(ScriptedPeer.PEER_ADDRESS, 80, new TcpHandler() {
        });
        Seg syn = peer.takeOne();
        peer.ports(80, syn.sourcePort());
        int iss = syn.seq();
        peer.send(peer.seg(Seg.SYN | Seg.ACK).seq(5000).ack(iss + 1).window(8192));
        tcp.close(c);
        peer.poll(); // the ACK of the SYN,ACK and our FIN
        peer.send(peer.seg(Seg.FIN | Seg.ACK).seq(5001).ack(iss + 2).window(8192));
        peer.drain();
        assertEquals(1, tcp.timeWaitEntries());
        Seg rst = peer.seg(Seg.RST).seq(5002);
        AllocationAssert.assertZeroAllocation("RST ignored in TIME-WAIT (RFC 1337)", () -> peer.send(rst));
        assertEquals(1, tcp.timeWaitEntries());
        assertTrue(tcp.counters().get(TcpCounter.RST_IGNORED_IN_TIME_WAIT) > 1000);
    }
}
