package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.tcp.scenario.Seg;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * SACK compression at the receiver, with the exact segments, against Linux's rules
 * (net/ipv4/tcp_input.c __tcp_ack_snd_check): per RCV.NXT the first three duplicate ACKs go at
 * once; later out-of-order segments are answered by one ACK carrying the newest blocks (RFC 2018
 * section 4 order) at min(1 ms, RTT/20), at once when RCV.NXT advances, when a duplicate is to be
 * reported (RFC 2883), or when the count of withheld ACKs reached its cap; switched off, every
 * out-of-order segment is acknowledged at once (RFC 5681 4.2).
 */
class SackCompressionTest extends TcpScriptTest {

    static final int PEER_MSS = 1000;
    /** The window the scripts announce: small enough that one window of data gives an RTT sample. */
    static final int RECEIVE_WINDOW = 1000;
    /** The time the first window of data takes in {@link #establishWithRttEstimate}: the receiver's RTT sample. */
    static final long RTT = 10 * MS;

    /** The window our ACKs announce after {@link #establishWithRttEstimate}. */
    int window;

    StackConfig.Builder sackConfig() {
        return config().tcpOptions(false, false, true).tcpReceiveWindow(RECEIVE_WINDOW).tcpReassemblyHoles(8);
    }

    void establish(StackConfig config) {
        use(config);
        listen();
        peer.ports(40_000, 80);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(PEER_MSS).sackPermitted());
        peer.expect(ourSynAck().sackPermitted().window(RECEIVE_WINDOW));
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        app.clear();
    }

    /**
     * Established, then one window of in-order data over {@link #RTT}: RCV.NXT reaches the right
     * edge advertised when the first byte came, which gives the receiver its RTT sample (the
     * handshake, at one instant, gives the sender side none).
     */
    void establishWithRttEstimate(StackConfig config) {
        establish(config);
        peer.send(peerData(1, 10));
        peer.expectNothing(); // one segment: the delayed ACK
        peer.advance(RTT);
        peer.send(peerData(11, RECEIVE_WINDOW - 10));
        Seg ack = peer.takeOne();
        assertEquals(PEER_ISS + 1 + RECEIVE_WINDOW, ack.ack());
        window = ack.window();
    }

    /** {@code length} bytes of the peer's data at P + {@code offset}. */
    Seg peerData(int offset, int length) {
        return peerAck(PEER_ISS + offset, ISS + 1).payload(bytes(length, offset));
    }

    /** Our ACK of P + {@code ack} with SACK blocks relative to P. */
    Seg ourSackAck(int ack, int... blocks) {
        int[] absolute = new int[blocks.length];
        for (int i = 0; i < blocks.length; i++) {
            absolute[i] = PEER_ISS + blocks[i];
        }
        return ourAck(ISS + 1, PEER_ISS + ack, window).sack(absolute);
    }

    /** Three out-of-order segments past the hole at P + 1001, each answered at once (the duplicate ACKs). */
    void threeDuplicateAcks() {
        peer.send(peerData(1011, 10));
        peer.expect(ourSackAck(1001, 1011, 1021));
        peer.send(peerData(1031, 10));
        peer.expect(ourSackAck(1001, 1031, 1041, 1011, 1021));
        peer.send(peerData(1051, 10));
        peer.expect(ourSackAck(1001, 1051, 1061, 1031, 1041, 1011, 1021));
    }

    @Nested
    class EstablishedReceiving {

        /**
         * The fourth and fifth out-of-order segments for one RCV.NXT (the fifth growing the fourth's
         * block) get no ACK of their own; one ACK leaves at RTT/20 with the newest four blocks, the
         * fifth segment's first.
         */
        @Test
        void theFourthOutOfOrderSegmentIsAnsweredAtTheDeadlineWithTheNewestBlocks() {
            establishWithRttEstimate(sackConfig().build());
            threeDuplicateAcks();
            peer.send(peerData(1071, 10));
            peer.expectNothing();
            peer.advance(RTT / 40);
            peer.send(peerData(1081, 10));
            peer.expectNothing();
            peer.advance(RTT / 20 - RTT / 40 - 1);
            peer.expectNothing();
            peer.advance(1);
            peer.expect(ourSackAck(1001, 1071, 1091, 1051, 1061, 1031, 1041, 1011, 1021));
            assertEquals(2, tcp.counters().get(TcpCounter.SACK_COMPRESSED_ACKS));
        }

        /** RFC 2883: a duplicate is reported at once, even while an ACK is withheld. */
        @Test
        void aDuplicateIsReportedAtOnce() {
            establishWithRttEstimate(sackConfig().build());
            threeDuplicateAcks();
            peer.send(peerData(1071, 10));
            peer.expectNothing();
            peer.send(peerData(1031, 10));
            // RFC 2883 section 4: the D-SACK block, then the block holding it, then the newest others.
            peer.expect(ourSackAck(1001, 1031, 1041, 1031, 1041, 1071, 1081, 1051, 1061));
            peer.advance(RTT / 20);
            peer.expectNothing(); // the ACK that left ended the withholding
        }

        /** A segment that advances RCV.NXT is answered at once, and the new RCV.NXT has its own three. */
        @Test
        void aFilledHoleIsAnsweredAtOnceAndStartsANewCount() {
            establishWithRttEstimate(sackConfig().build());
            threeDuplicateAcks();
            peer.send(peerData(1071, 10));
            peer.expectNothing();
            peer.send(peerData(1001, 10));
            window -= 20;
            peer.expect(ourSackAck(1021, 1071, 1081, 1051, 1061, 1031, 1041));
            peer.send(peerData(1091, 10));
            peer.expect(ourSackAck(1021, 1091, 1101, 1071, 1081, 1051, 1061, 1031, 1041));
        }

        /** With a cap of two withheld ACKs the third goes at once; the count starts again after it. */
        @Test
        void theCapSendsAtOnce() {
            establishWithRttEstimate(sackConfig().tcpSackCompression(true, MS, 2).build());
            threeDuplicateAcks();
            peer.send(peerData(1071, 10));
            peer.expectNothing();
            peer.send(peerData(1081, 10));
            peer.expectNothing();
            peer.send(peerData(1091, 10));
            peer.expect(ourSackAck(1001, 1071, 1101, 1051, 1061, 1031, 1041, 1011, 1021));
            peer.send(peerData(1101, 10));
            peer.expectNothing();
        }

        /** The delay is at most the configured one, whatever the RTT. */
        @Test
        void theDelayIsCappedByTheConfiguredOne() {
            establishWithRttEstimate(sackConfig().tcpSackCompression(true, RTT / 100, 44).build());
            threeDuplicateAcks();
            peer.send(peerData(1071, 10));
            peer.advance(RTT / 100 - 1);
            peer.expectNothing();
            peer.advance(1);
            peer.expect(ourSackAck(1001, 1071, 1081, 1051, 1061, 1031, 1041, 1011, 1021));
        }

        /**
         * No RTT sample yet (Linux: a delay of 0): the ACK is not sent with the segment but at the
         * end of the cycle that read it, answering every out-of-order segment read in that cycle.
         */
        @Test
        void withoutAnRttSampleTheAckLeavesAtTheEndOfTheCycle() {
            establish(sackConfig().build());
            window = RECEIVE_WINDOW;
            peer.send(peerData(11, 10));
            peer.expect(ourSackAck(1, 11, 21));
            peer.send(peerData(31, 10));
            peer.expect(ourSackAck(1, 31, 41, 11, 21));
            peer.send(peerData(51, 10));
            peer.expect(ourSackAck(1, 51, 61, 31, 41, 11, 21));
            peer.send(peerData(71, 10));
            peer.send(peerData(81, 10));
            assertTrue(peer.drainWithoutPoll().isEmpty(), "no ACK with the segments themselves");
            peer.expect(ourSackAck(1, 71, 91, 51, 61, 31, 41, 11, 21));
        }

        /**
         * Linux tcp_sack_new_ofo_skb (TCP_SACK_BLOCKS_EXPECTED, 2): while ACKs are withheld, a
         * segment that starts a new block or grows one that is not among the two most recent sends
         * the ACK at once, so no withheld segment's block is pushed out of the option unreported
         * (RFC 2018 section 4: the block of the segment that triggered an ACK goes first). Five
         * segments past DupThresh, each its own block: every one of them is reported.
         */
        @Test
        void aWithheldBlockIsReportedBeforeNewerBlocksPushItOut() {
            establishWithRttEstimate(sackConfig().build());
            threeDuplicateAcks();
            peer.send(peerData(1071, 10));
            peer.expectNothing();
            peer.send(peerData(1091, 10));
            peer.expect(ourSackAck(1001, 1091, 1101, 1071, 1081, 1051, 1061, 1031, 1041));
            peer.send(peerData(1111, 10));
            peer.expectNothing();
            peer.send(peerData(1131, 10));
            peer.expect(ourSackAck(1001, 1131, 1141, 1111, 1121, 1091, 1101, 1071, 1081));
            peer.send(peerData(1151, 10));
            peer.expectNothing();
            peer.advance(RTT / 20);
            peer.expect(ourSackAck(1001, 1151, 1161, 1131, 1141, 1111, 1121, 1091, 1101));
        }

        /** Growing the newest block (data at the right edge, the common case) stays withheld. */
        @Test
        void growingTheNewestBlockStaysWithheld() {
            establishWithRttEstimate(sackConfig().build());
            threeDuplicateAcks();
            peer.send(peerData(1071, 10));
            peer.expectNothing();
            peer.send(peerData(1081, 10));
            peer.expectNothing();
            peer.send(peerData(1051 + 10, 10)); // joins the blocks at 1051 and 1071: among the two newest
            peer.expectNothing();
            peer.advance(RTT / 20);
            peer.expect(ourSackAck(1001, 1051, 1091, 1031, 1041, 1011, 1021));
            assertEquals(3, tcp.counters().get(TcpCounter.SACK_COMPRESSED_ACKS));
        }

        /**
         * A full-sized data segment leaves no room for the SACK option (RFC 6691: options and data
         * share the MSS), so it cannot be the ACK that ends the withholding: the withheld ACK still
         * leaves at the deadline with the blocks (Linux tcp_event_ack_sent ends it with any segment,
         * but Linux shrinks its data segments to fit the SACK option, tcp_current_mss).
         */
        @Test
        void aFullSizedDataSegmentWithoutTheBlocksLeavesTheWithheldAckOwed() {
            establishWithRttEstimate(sackConfig().build());
            int c = app.lastAccepted();
            tcp.setNoDelay(c, true);
            threeDuplicateAcks();
            peer.send(peerData(1071, 10));
            peer.expectNothing();
            tcp.write(c, bytes(PEER_MSS, 3), 0, PEER_MSS);
            Seg data = peer.takeOne();
            assertEquals(PEER_MSS, data.payloadLength());
            assertEquals(PEER_ISS + 1001, data.ack());
            assertEquals(0, data.sackBlocks().length, "no room for the SACK option beside a full segment");
            peer.advance(RTT / 20);
            Seg ack = peer.takeOne();
            assertEquals(List.of(PEER_ISS + 1071, PEER_ISS + 1081, PEER_ISS + 1051, PEER_ISS + 1061,
                    PEER_ISS + 1031, PEER_ISS + 1041, PEER_ISS + 1011, PEER_ISS + 1021),
                    java.util.Arrays.stream(ack.sackBlocks()).boxed().toList());
        }

        /** Switched off: every out-of-order segment is acknowledged at once (RFC 5681 4.2). */
        @Test
        void switchedOffEveryOutOfOrderSegmentIsAcknowledgedAtOnce() {
            establishWithRttEstimate(sackConfig().tcpSackCompression(false).build());
            threeDuplicateAcks();
            peer.send(peerData(1071, 10));
            assertEquals(List.of(ourSackAck(1001, 1071, 1081, 1051, 1061, 1031, 1041, 1011, 1021)), peer.drainWithoutPoll());
            peer.send(peerData(1091, 10));
            assertEquals(List.of(ourSackAck(1001, 1091, 1101, 1071, 1081, 1051, 1061, 1031, 1041)), peer.drainWithoutPoll());
            assertEquals(0, tcp.counters().get(TcpCounter.SACK_COMPRESSED_ACKS));
        }
    }

    @Nested
    class EstablishedWithoutSack {

        /** Linux compresses only with SACK: without it every duplicate ACK goes at once. */
        @Test
        void everyOutOfOrderSegmentIsAcknowledgedAtOnce() {
            use(config().build());
            listen();
            halfOpenFrom(40_000);
            peer.send(peerAck(PEER_ISS + 1, ISS + 1));
            for (int i = 0; i < 5; i++) {
                peer.send(peerData(11 + 20 * i, 10));
                assertEquals(List.of(ourAck(ISS + 1, PEER_ISS + 1, WINDOW)), peer.drainWithoutPoll());
            }
        }
    }
}
