package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.PSH;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.tcp.scenario.Seg;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Losses that DupThresh cannot see, on a SACK connection, with the exact segments: the tail loss
 * probe (RFC 8985 section 7) when the ACKs stop, and early retransmit (RFC 5827 section 3.2) when
 * fewer than four segments are out. The handshake takes 50 ms, so SRTT = 50 ms, the RTO its
 * 200 ms floor and PTO = 2 * SRTT = 100 ms.
 */
class TailLossRecoveryTest extends TcpScriptTest {

    static final int PEER_MSS = 1000;
    static final long HANDSHAKE_RTT = 50 * MS;

    StackConfig.Builder sackConfig() {
        return config().tcpOptions(false, false, true);
    }

    /** Passive open with SACK on both SYNs, the SYN,ACK answered after {@link #HANDSHAKE_RTT}. */
    int establish(StackConfig stackConfig) {
        use(stackConfig);
        listen();
        peer.ports(40_000, 80);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(PEER_MSS).sackPermitted());
        peer.expect(ourSynAck().sackPermitted());
        peer.advance(HANDSHAKE_RTT);
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        app.clear();
        int c = app.lastAccepted();
        tcp.setNoDelay(c, true);
        return c;
    }

    /** Writes {@code total} segments' worth and checks that {@code sent} of them leave now. */
    byte[] write(int c, int total, int sent) {
        byte[] data = bytes(total * PEER_MSS, 7);
        tcp.write(c, data, 0, data.length);
        peer.poll();
        assertEquals(sent, peer.drain().size());
        return data;
    }

    /** Our data at L + {@code offset}. */
    Seg ourSegment(byte[] data, int offset, int length) {
        return peer.reply(ACK | (offset + length - 1 == data.length ? PSH : 0)).seq(ISS + offset).ack(PEER_ISS + 1)
                .window(WINDOW).payload(Arrays.copyOfRange(data, offset - 1, offset - 1 + length));
    }

    /** The peer's ACK of L + {@code ack} with blocks relative to L. */
    Seg peerSack(int ack, int... blocks) {
        int[] absolute = new int[blocks.length];
        for (int i = 0; i < blocks.length; i++) {
            absolute[i] = ISS + blocks[i];
        }
        return peerAck(PEER_ISS + 1, ISS + ack).sack(absolute);
    }

    long count(TcpCounter counter) {
        return tcp.counters().get(counter);
    }

    @Nested
    class TailLossProbe {

        /**
         * Both segments of a two-segment flight lost: the probe resends the second after PTO; its
         * SACK with the hole below starts recovery by early retransmit, no timeout.
         */
        @Test
        void aLostFlightIsProbedAfterTwoSrttAndRepairedWithoutATimeout() {
            int c = establish(sackConfig().build());
            byte[] data = write(c, 2, 2);
            assertEquals(2 * HANDSHAKE_RTT, peer.advanceToNextDeadline());
            peer.expect(ourSegment(data, 1001, PEER_MSS));
            assertEquals(1, count(TcpCounter.TAIL_LOSS_PROBES));
            peer.send(peerSack(1, 1001, 2001));
            peer.expect(ourSegment(data, 1, PEER_MSS));
            peer.send(peerAck(PEER_ISS + 1, ISS + 2001));
            peer.expectNothing();
            assertEquals(0, count(TcpCounter.RETRANSMISSION_TIMEOUTS));
        }

        /**
         * RFC 8985 7.3: with unsent data the receive window allows, the probe is the next new
         * segment, beyond cwnd; then the RTO is armed, not another probe.
         */
        @Test
        void theProbeIsNewDataWhenTheReceiveWindowAllowsAndTheRtoFollows() {
            int c = establish(sackConfig().tcpBuffers(4096, 8192).build());
            byte[] data = write(c, 6, 4);
            assertEquals(2 * HANDSHAKE_RTT, peer.advanceToNextDeadline());
            peer.expect(ourSegment(data, 4001, PEER_MSS));
            assertEquals(tcp.retransmissionTimeoutNanos(c), peer.advanceToNextDeadline());
            peer.expect(ourSegment(data, 1, PEER_MSS));
            assertEquals(1, count(TcpCounter.TAIL_LOSS_PROBES));
            assertEquals(1, count(TcpCounter.RETRANSMISSION_TIMEOUTS));
        }

        /** RFC 8985 7.3: no second probe while the first is unacknowledged (TLP.end_seq). */
        @Test
        void anAckBelowTheProbeGivesNoSecondProbe() {
            int c = establish(sackConfig().build());
            byte[] data = write(c, 4, 4);
            peer.advanceToNextDeadline();
            peer.expect(ourSegment(data, 3001, PEER_MSS));
            peer.send(peerAck(PEER_ISS + 1, ISS + 2001));
            peer.expectNothing();
            assertEquals(tcp.retransmissionTimeoutNanos(c), peer.advanceToNextDeadline());
            peer.expect(ourSegment(data, 2001, PEER_MSS));
            assertEquals(1, count(TcpCounter.TAIL_LOSS_PROBES));
        }

        /** Once the probe's data is acknowledged, the next tail gets a probe again. */
        @Test
        void anAcknowledgedProbeAllowsTheNextOne() {
            int c = establish(sackConfig().tcpBuffers(4096, 8192).build());
            byte[] data = write(c, 7, 4);
            peer.advanceToNextDeadline();
            peer.expect(ourSegment(data, 4001, PEER_MSS));
            peer.send(peerAck(PEER_ISS + 1, ISS + 5001));
            peer.expect(ourSegment(data, 5001, PEER_MSS), ourSegment(data, 6001, PEER_MSS));
            assertTrue(peer.advanceToNextDeadline() < tcp.retransmissionTimeoutNanos(c), "PTO before the RTO");
            peer.expect(ourSegment(data, 6001, PEER_MSS));
            assertEquals(2, count(TcpCounter.TAIL_LOSS_PROBES));
        }

        /**
         * One segment out: PTO adds the peer's worst-case delayed ACK (200 ms), which is past the
         * RTO: the timeout acts, no probe.
         */
        @Test
        void oneSegmentOutWaitsForTheDelayedAckAllowanceCappedByTheRto() {
            int c = establish(sackConfig().build());
            byte[] data = write(c, 1, 1);
            assertEquals(tcp.retransmissionTimeoutNanos(c), peer.advanceToNextDeadline());
            peer.expect(ourSegment(data, 1, PEER_MSS));
            assertEquals(0, count(TcpCounter.TAIL_LOSS_PROBES));
        }

        @Test
        void canBeTurnedOff() {
            int c = establish(sackConfig().tcpTailLossProbe(false).build());
            byte[] data = write(c, 2, 2);
            assertEquals(tcp.retransmissionTimeoutNanos(c), peer.advanceToNextDeadline());
            peer.expect(ourSegment(data, 1, PEER_MSS));
            assertEquals(0, count(TcpCounter.TAIL_LOSS_PROBES));
        }
    }

    @Nested
    class EarlyRetransmit {

        /** Two segments out, the second SACKed: ER_thresh = 1, the first is resent at once. */
        @Test
        void twoSegmentsOutOneSackRetransmitsTheHole() {
            int c = establish(sackConfig().build());
            byte[] data = write(c, 2, 2);
            peer.send(peerSack(1, 1001, 2001));
            peer.expect(ourSegment(data, 1, PEER_MSS));
            assertEquals(1, count(TcpCounter.EARLY_RETRANSMITS));
            assertEquals(1, count(TcpCounter.SACK_RECOVERIES));
            peer.send(peerAck(PEER_ISS + 1, ISS + 2001));
            peer.expectNothing();
        }

        /** Three out: ER_thresh = 2, one SACK is not enough, the second is. */
        @Test
        void threeSegmentsOutNeedTwoSackedAboveTheHole() {
            int c = establish(sackConfig().build());
            byte[] data = write(c, 3, 3);
            peer.send(peerSack(1, 1001, 2001));
            peer.expectNothing();
            peer.send(peerSack(1, 1001, 3001));
            peer.expect(ourSegment(data, 1, PEER_MSS));
            assertEquals(1, count(TcpCounter.EARLY_RETRANSMITS));
        }

        @Test
        void canBeTurnedOff() {
            int c = establish(sackConfig().tcpEarlyRetransmit(false).tcpTailLossProbe(false).build());
            write(c, 2, 2);
            peer.send(peerSack(1, 1001, 2001));
            peer.expectNothing();
            assertEquals(0, count(TcpCounter.EARLY_RETRANSMITS));
        }
    }
}
