package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.PSH;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.ScriptedPeer;
import dev.spinet.tcp.scenario.Seg;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * SACK, state by state, with the exact segments: negotiation (RFC 2018 section 2), the blocks our
 * ACKs carry, most recent first (section 4), D-SACK (RFC 2883), and the sending side's loss
 * recovery on the peer's blocks (RFC 6675: scoreboard, pipe, NextSeg), including what a timeout
 * does with them.
 */
class SackTest extends TcpScriptTest {

    /** The peer's MSS in these scripts: small, so that several segments fit the initial window. */
    static final int PEER_MSS = 1000;

    @BeforeEach
    void sackOn() {
        use(config().tcpOptions(false, false, true).build());
    }

    /** Passive open; both SYNs carry SACK-permitted. */
    int establishWithSack() {
        listen();
        peer.ports(40_000, 80);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(PEER_MSS).sackPermitted());
        peer.expect(ourSynAck().sackPermitted());
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        app.clear();
        int c = app.lastAccepted();
        tcp.setNoDelay(c, true);
        return c;
    }

    /** {@code length} bytes of the peer's data at P + {@code offset}. */
    Seg peerData(int offset, int length) {
        return peerAck(PEER_ISS + offset, ISS + 1).payload(bytes(length, offset));
    }

    /** Our ACK of P + {@code ack} with SACK blocks given relative to P, a window of {@code held} bytes less. */
    Seg ourSackAck(int ack, int held, int... blocks) {
        int[] absolute = new int[blocks.length];
        for (int i = 0; i < blocks.length; i++) {
            absolute[i] = PEER_ISS + blocks[i];
        }
        return ourAck(ISS + 1, PEER_ISS + ack, WINDOW - held).sack(absolute);
    }

    @Nested
    class Listen {

        @Test
        void aSynWithSackPermittedGetsItBack() {
            establishWithSack();
            assertEquals(1, tcp.counters().get(TcpCounter.PASSIVE_OPENS));
        }

        @Test
        void aSynWithoutItGetsNoneAndOutOfOrderDataIsAcknowledgedWithoutBlocks() {
            listen();
            halfOpenFrom(40_000); // the fixture's SYN,ACK: no SACK-permitted
            peer.send(peerAck(PEER_ISS + 1, ISS + 1));
            peer.send(peerData(11, 10));
            peer.expect(ourAck(ISS + 1, PEER_ISS + 1, WINDOW));
        }
    }

    @Nested
    class SynSent {

        @Test
        void ourSynOffersSackAndASynAckWithoutItLeavesItOff() {
            tcp.connect(ScriptedPeer.PEER_ADDRESS, 80, app);
            Seg syn = peer.takeOne();
            peer.ports(80, syn.sourcePort());
            assertEquals(ourSyn().sackPermitted(), syn);
            peer.send(peerSynAck());
            peer.expect(ourAck(ISS + 1, PEER_ISS + 1, WINDOW));
            peer.send(peerData(11, 10));
            peer.expect(ourAck(ISS + 1, PEER_ISS + 1, WINDOW));
        }
    }

    @Nested
    class EstablishedReceiving {

        @Test
        void outOfOrderDataIsAcknowledgedWithItsBlock() {
            establishWithSack();
            peer.send(peerData(11, 10));
            peer.expect(ourSackAck(1, 0, 11, 21));
        }

        /**
         * RFC 2018 section 4: the first block holds the segment that triggered the ACK; the
         * others repeat the most recently reported blocks, most recent first; a filled hole merges
         * two blocks.
         */
        @Test
        void blocksGoMostRecentFirstAndMergeWhenAHoleFills() {
            establishWithSack();
            peer.send(peerData(31, 10));
            peer.expect(ourSackAck(1, 0, 31, 41));
            peer.send(peerData(11, 10));
            peer.expect(ourSackAck(1, 0, 11, 21, 31, 41));
            peer.send(peerData(51, 10));
            peer.expect(ourSackAck(1, 0, 51, 61, 11, 21, 31, 41));
            peer.send(peerData(21, 10));
            peer.expect(ourSackAck(1, 0, 11, 41, 51, 61));
            peer.send(peerData(1, 10));
            peer.expect(ourSackAck(41, 40, 51, 61));
            peer.send(peerData(41, 10));
            peer.expect(ourSackAck(61, 60));
        }

        @Test
        void fourBlocksAtMostWithoutTimestampsThreeBesideThem() {
            use(config().tcpOptions(false, false, true).tcpReassemblyHoles(8).tcpSackCompression(false).build());
            establishWithSack();
            for (int i = 0; i < 5; i++) {
                peer.send(peerData(11 + 20 * i, 10));
                peer.drainWithoutPoll();
            }
            peer.send(peerData(111, 10));
            peer.expect(ourSackAck(1, 0, 111, 121, 91, 101, 71, 81, 51, 61));

            use(config().tcpOptions(false, true, true).tcpReassemblyHoles(8).tcpSackCompression(false).build());
            listen();
            peer.ports(40_000, 80);
            peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(PEER_MSS).sackPermitted().ts(7, 0));
            peer.poll();
            peer.drain();
            peer.send(peerAck(PEER_ISS + 1, ISS + 1).ts(8, 1000));
            for (int i = 0; i < 4; i++) {
                peer.send(peerData(11 + 20 * i, 10).ts(9, 1000));
            }
            Seg last = peer.drainWithoutPoll().getLast();
            assertEquals(3, last.sackBlocks().length / 2, "40 bytes of options: 12 of timestamps, 28 for three blocks");
            assertEquals(PEER_ISS + 71, last.sackBlocks()[0]);
        }

        @Test
        void aDuplicateBelowRcvNxtIsReportedOnceInADsackBlock() {
            establishWithSack();
            peer.send(peerData(1, 10));
            peer.advance(40 * MS);
            peer.expect(ourSackAck(11, 10));
            peer.send(peerData(1, 10));
            peer.expect(ourSackAck(11, 10, 1, 11));
            assertEquals(1, tcp.counters().get(TcpCounter.DUPLICATES_REPORTED));
            peer.send(peerData(21, 10));
            peer.expect(ourSackAck(11, 10, 21, 31));
        }

        @Test
        void aDuplicateOfHeldDataIsReportedFollowedByTheBlockHoldingIt() {
            establishWithSack();
            peer.send(peerData(11, 20));
            peer.expect(ourSackAck(1, 0, 11, 31));
            peer.send(peerData(21, 10));
            // RFC 2883 section 4: D-SACK first, then "that (possibly larger) block of data".
            peer.expect(ourSackAck(1, 0, 21, 31, 11, 31));
        }

        @Test
        void dsackCanBeTurnedOff() {
            use(config().tcpOptions(false, false, true).tcpDuplicateSack(false).build());
            establishWithSack();
            peer.send(peerData(1, 10));
            peer.advance(40 * MS);
            peer.expect(ourSackAck(11, 10));
            peer.send(peerData(1, 10));
            peer.expect(ourSackAck(11, 10));
        }
    }

    /**
     * SACK beside timestamps: a segment that PAWS turns away (RFC 7323 5.3 R1) can still be a
     * duplicate the sender must hear about. Through a reordering path the retransmission of a
     * held segment can fill the hole first; then TS.Recent holds its TSval and the late original,
     * with the older TSval, fails PAWS. RFC 2883 section 4 asks for a D-SACK block for every
     * duplicate received, and only that block tells the sender that its retransmission was not
     * needed (RFC 3708): Linux answers it so (tcp_send_dupack), at once, not throttled.
     */
    @Nested
    class EstablishedReceivingWithTimestamps {

        static final int PEER_TS = 70_000;

        @BeforeEach
        void sackAndTimestampsOn() {
            use(config().tcpOptions(false, true, true).build());
        }

        int clock() {
            return (int) (peer.now() / 1_000_000L);
        }

        int establishWithSackAndTimestamps() {
            listen();
            peer.ports(40_000, 80);
            peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(PEER_MSS).sackPermitted().ts(PEER_TS, 0));
            peer.expect(ourSynAck().sackPermitted().ts(clock(), PEER_TS));
            peer.send(peerAck(PEER_ISS + 1, ISS + 1).ts(PEER_TS + 1, clock()));
            peer.expectNothing();
            app.clear();
            return app.lastAccepted();
        }

        /** The hole at P + 1 is filled by a retransmission (TSval PEER_TS + 30) before its late original arrives. */
        void holeFilledByTheRetransmission() {
            peer.send(peerData(11, 10).ts(PEER_TS + 20, clock()));
            peer.expect(ourSackAck(1, 0, 11, 21).ts(clock(), PEER_TS + 1));
            peer.send(peerData(1, 10).ts(PEER_TS + 30, clock()));
            peer.expect(ourSackAck(21, 20).ts(clock(), PEER_TS + 30));
        }

        @Test
        void aLateOriginalThatFailsPawsIsReportedInADsackBlock() {
            int c = establishWithSackAndTimestamps();
            holeFilledByTheRetransmission();
            peer.send(peerData(1, 10).ts(PEER_TS + 10, clock()));
            peer.expect(ourSackAck(21, 20, 1, 11).ts(clock(), PEER_TS + 30));
            assertEquals(1, tcp.counters().get(TcpCounter.PAWS_REJECTED));
            assertEquals(1, tcp.counters().get(TcpCounter.DUPLICATES_REPORTED));
            assertEquals(20, tcp.available(c), "the duplicate's data was not taken twice");
        }

        @Test
        void everyDuplicateThatFailsPawsIsAnsweredNotThrottled() {
            establishWithSackAndTimestamps();
            holeFilledByTheRetransmission();
            peer.send(peerData(1, 10).ts(PEER_TS + 10, clock()));
            peer.expect(ourSackAck(21, 20, 1, 11).ts(clock(), PEER_TS + 30));
            peer.send(peerData(11, 10).ts(PEER_TS + 20, clock()));
            peer.expect(ourSackAck(21, 20, 11, 21).ts(clock(), PEER_TS + 30));
            assertEquals(2, tcp.counters().get(TcpCounter.DUPLICATES_REPORTED));
        }

        @Test
        void newDataThatFailsPawsIsAnsweredEveryTimeButNotReported() {
            int c = establishWithSackAndTimestamps();
            holeFilledByTheRetransmission();
            // At RCV.NXT, but older than TS.Recent: the original of a segment sent after the lost
            // one, dropped (R1), not a duplicate of anything received. Data is no ACK loop: the
            // duplicate ACK goes every time (Linux: tcp_send_dupack, not rate-limited for data).
            peer.send(peerData(21, 10).ts(PEER_TS + 10, clock()));
            peer.expect(ourSackAck(21, 20).ts(clock(), PEER_TS + 30));
            peer.send(peerData(21, 10).ts(PEER_TS + 10, clock()));
            peer.expect(ourSackAck(21, 20).ts(clock(), PEER_TS + 30));
            // Past RCV.NXT, inside the window: the same, and it is not held (no SACK block).
            peer.send(peerData(41, 10).ts(PEER_TS + 10, clock()));
            peer.expect(ourSackAck(21, 20).ts(clock(), PEER_TS + 30));
            assertEquals(3, tcp.counters().get(TcpCounter.PAWS_REJECTED));
            assertEquals(0, tcp.counters().get(TcpCounter.DUPLICATES_REPORTED));
            assertEquals(0, tcp.counters().get(TcpCounter.OUT_OF_WINDOW_ACK_RATE_LIMITED));
            assertEquals(20, tcp.available(c), "the dropped data was not taken");
        }

        @Test
        void aPureAckThatFailsPawsStaysThrottled() {
            establishWithSackAndTimestamps();
            holeFilledByTheRetransmission();
            peer.send(peerAck(PEER_ISS + 21, ISS + 1).ts(PEER_TS + 10, clock()));
            peer.expect(ourSackAck(21, 20).ts(clock(), PEER_TS + 30));
            peer.send(peerAck(PEER_ISS + 21, ISS + 1).ts(PEER_TS + 10, clock()));
            peer.expectNothing();
            assertEquals(1, tcp.counters().get(TcpCounter.OUT_OF_WINDOW_ACK_RATE_LIMITED));
        }

        @Test
        void dataFarOutsideTheWindowThatFailsPawsStaysThrottled() {
            establishWithSackAndTimestamps();
            holeFilledByTheRetransmission();
            peer.send(peerData(1_000_000, 10).ts(PEER_TS + 10, clock()));
            peer.expect(ourSackAck(21, 20).ts(clock(), PEER_TS + 30));
            peer.send(peerData(1_000_000, 10).ts(PEER_TS + 10, clock()));
            peer.expectNothing();
            assertEquals(1, tcp.counters().get(TcpCounter.OUT_OF_WINDOW_ACK_RATE_LIMITED));
        }

        @Test
        void aSynWithDataBelowRcvNxtThatFailsPawsGetsNoDsackBlock() {
            establishWithSackAndTimestamps();
            holeFilledByTheRetransmission();
            // RFC 7323 5.3 R1 drops it; a SYN is no duplicate of received data (RFC 5961 4.2).
            peer.send(peer.seg(SYN).seq(PEER_ISS + 1).window(PEER_WINDOW).payload(bytes(10, 1)).ts(PEER_TS + 10, clock()));
            peer.expect(ourSackAck(21, 20).ts(clock(), PEER_TS + 30));
            assertEquals(0, tcp.counters().get(TcpCounter.DUPLICATES_REPORTED));
        }

        @Test
        void aLateFinThatFailsPawsIsAnsweredEveryTime() {
            int c = establishWithSackAndTimestamps();
            holeFilledByTheRetransmission();
            peer.send(peerFin(PEER_ISS + 21, ISS + 1).ts(PEER_TS + 40, clock()));
            peer.expect(ourSackAck(22, 20).ts(clock(), PEER_TS + 40));
            assertEquals(TcpState.CLOSE_WAIT, tcp.state(c));
            // The FIN again with an older TSval (an earlier copy, late): a FIN is no ACK loop.
            peer.send(peerFin(PEER_ISS + 21, ISS + 1).ts(PEER_TS + 35, clock()));
            peer.expect(ourSackAck(22, 20).ts(clock(), PEER_TS + 40));
            peer.send(peerFin(PEER_ISS + 21, ISS + 1).ts(PEER_TS + 35, clock()));
            peer.expect(ourSackAck(22, 20).ts(clock(), PEER_TS + 40));
            assertEquals(0, tcp.counters().get(TcpCounter.OUT_OF_WINDOW_ACK_RATE_LIMITED));
        }

        @Test
        void inFinWait1AndFinWait2Too() {
            int c = establishWithSackAndTimestamps();
            holeFilledByTheRetransmission();
            tcp.shutdownOutput(c);
            peer.expect(peer.reply(Seg.FIN | ACK).seq(ISS + 1).ack(PEER_ISS + 21).window(WINDOW - 20).ts(clock(), PEER_TS + 30));
            assertEquals(TcpState.FIN_WAIT_1, tcp.state(c));
            peer.send(peerData(1, 10).ts(PEER_TS + 10, clock()));
            peer.expect(ourAck(ISS + 2, PEER_ISS + 21, WINDOW - 20).sack(PEER_ISS + 1, PEER_ISS + 11).ts(clock(), PEER_TS + 30));
            peer.send(peerAck(PEER_ISS + 21, ISS + 2).ts(PEER_TS + 40, clock()));
            peer.expectNothing();
            assertEquals(TcpState.FIN_WAIT_2, tcp.state(c));
            peer.send(peerData(11, 10).ts(PEER_TS + 20, clock()));
            peer.expect(ourAck(ISS + 2, PEER_ISS + 21, WINDOW - 20).sack(PEER_ISS + 11, PEER_ISS + 21).ts(clock(), PEER_TS + 40));
            // New data with an older TSval: dropped, and answered each time.
            peer.send(peerData(21, 10).ts(PEER_TS + 20, clock()));
            peer.expect(ourAck(ISS + 2, PEER_ISS + 21, WINDOW - 20).ts(clock(), PEER_TS + 40));
            peer.send(peerData(21, 10).ts(PEER_TS + 20, clock()));
            peer.expect(ourAck(ISS + 2, PEER_ISS + 21, WINDOW - 20).ts(clock(), PEER_TS + 40));
            assertEquals(2, tcp.counters().get(TcpCounter.DUPLICATES_REPORTED));
        }

        @Test
        void inCloseWaitToo() {
            int c = establishWithSackAndTimestamps();
            holeFilledByTheRetransmission();
            peer.send(peerFin(PEER_ISS + 21, ISS + 1).ts(PEER_TS + 40, clock()));
            peer.expect(ourSackAck(22, 20).ts(clock(), PEER_TS + 40));
            assertEquals(TcpState.CLOSE_WAIT, tcp.state(c));
            peer.send(peerData(1, 10).ts(PEER_TS + 10, clock()));
            peer.expect(ourSackAck(22, 20, 1, 11).ts(clock(), PEER_TS + 40));
        }
    }

    @Nested
    class EstablishedSending {

        /** Our data at L + {@code offset}, {@code length} bytes of the pattern {@link #send} wrote. */
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

        byte[] sendSegments(int c, int count) {
            byte[] data = bytes(count * PEER_MSS, 3);
            tcp.write(c, data, 0, data.length);
            peer.poll();
            assertEquals(count, peer.drain().size());
            return data;
        }

        /** A single loss: recovery starts at the third SACK (DupThresh) and retransmits only the hole. */
        @Test
        void aHoleIsRetransmittedAloneAtTheThirdSack() {
            int c = establishWithSack();
            byte[] data = sendSegments(c, 4);
            peer.send(peerSack(1, 1001, 2001));
            peer.send(peerSack(1, 1001, 3001));
            peer.expectNothing();
            peer.send(peerSack(1, 1001, 4001));
            peer.expect(ourSegment(data, 1, PEER_MSS));
            assertEquals(1, tcp.counters().get(TcpCounter.SACK_RECOVERIES));
            peer.send(peerAck(PEER_ISS + 1, ISS + 4001));
            peer.expectNothing();
            assertEquals(2 * PEER_MSS, tcp.congestionWindow(c), "RFC 6675 (4.2): cwnd = ssthresh = FlightSize / 2");
        }

        /**
         * RFC 6675 section 5 step (3): between the first duplicate acknowledgment and DupThresh,
         * new data may go while cwnd - pipe allows (what the peer SACKed has left the network);
         * its SACKs bring the third duplicate, and recovery starts without waiting for the timer.
         */
        @Test
        void newDataGoesOutOnTheFirstSacksAndBringsTheThird() {
            use(config().tcpOptions(false, false, true).tcpBuffers(4096, 8192).build());
            int c = establishWithSack();
            byte[] data = bytes(6 * PEER_MSS, 9);
            tcp.write(c, data, 0, data.length);
            peer.poll();
            assertEquals(4, peer.drain().size(), "the initial window: four segments of 1000");
            peer.send(peerSack(1, 1001, 2001));
            peer.expect(ourSegment(data, 4001, PEER_MSS));
            peer.send(peerSack(1, 1001, 3001));
            peer.expect(ourSegment(data, 5001, PEER_MSS));
            peer.send(peerSack(1, 1001, 4001));
            peer.expect(ourSegment(data, 1, PEER_MSS));
            assertEquals(1, tcp.counters().get(TcpCounter.SACK_RECOVERIES));
        }

        /**
         * Two holes in one window: both go out before any cumulative ACK (NewReno would need a
         * partial ACK, a round trip, for the second): the first at the third SACK, the second as
         * soon as IsLost() holds for it and pipe leaves room.
         */
        @Test
        void twoHolesAreBothRetransmittedWithinOneRoundTrip() {
            use(config().tcpOptions(false, false, true).tcpBuffers(4096, 8192).build());
            int c = establishWithSack();
            sendSegments(c, 4);
            peer.send(peerAck(PEER_ISS + 1, ISS + 4001)); // slow start: cwnd 4000 + 2000
            assertEquals(6 * PEER_MSS, tcp.congestionWindow(c));
            byte[] data = bytes(6 * PEER_MSS, 5);
            tcp.write(c, data, 0, data.length);
            peer.poll();
            assertEquals(6, peer.drain().size());
            int base = 4000; // our data now starts at L + 4001
            // Segments 1 and 3 are lost; 2, 4, 5 and 6 arrive.
            peer.send(peerSack(base + 1, base + 1001, base + 2001));
            peer.send(peerSack(base + 1, base + 3001, base + 4001, base + 1001, base + 2001));
            peer.expectNothing();
            peer.send(peerSack(base + 1, base + 3001, base + 5001, base + 1001, base + 2001));
            peer.expect(ourSegment(data, 1, PEER_MSS).seq(ISS + base + 1));
            peer.send(peerSack(base + 1, base + 3001, base + 6001, base + 1001, base + 2001));
            peer.expect(ourSegment(data, 2001, PEER_MSS).seq(ISS + base + 2001));
            assertEquals(2, tcp.counters().get(TcpCounter.RETRANSMITTED_SEGMENTS));
            peer.send(peerAck(PEER_ISS + 1, ISS + base + 6001));
            peer.expectNothing();
        }

        /**
         * RFC 6675 NextSeg() rule (4): the last segment is lost too, and nothing SACKed lies above
         * it; once the first hole's retransmission is acknowledged (a partial ACK), the "rescue"
         * retransmission sends the segment holding the highest unSACKed octet, once per recovery.
         */
        @Test
        void aLostTailIsSentAgainByTheRescueRetransmission() {
            use(config().tcpOptions(false, false, true).tcpBuffers(4096, 8192).build());
            int c = establishWithSack();
            sendSegments(c, 4);
            peer.send(peerAck(PEER_ISS + 1, ISS + 4001)); // slow start: cwnd 6000
            byte[] data = bytes(5 * PEER_MSS, 11);
            tcp.write(c, data, 0, data.length);
            peer.poll();
            assertEquals(5, peer.drain().size());
            int base = 4000;
            // Segments 1 and 5 are lost; 2, 3 and 4 arrive.
            peer.send(peerSack(base + 1, base + 1001, base + 2001));
            peer.send(peerSack(base + 1, base + 1001, base + 3001));
            peer.send(peerSack(base + 1, base + 1001, base + 4001));
            peer.expect(ourSegment(data, 1, PEER_MSS).seq(ISS + base + 1));
            peer.send(peerAck(PEER_ISS + 1, ISS + base + 4001));
            // A retransmission, so no PSH (the original had it).
            peer.expect(peer.reply(ACK).seq(ISS + base + 4001).ack(PEER_ISS + 1).window(WINDOW)
                    .payload(Arrays.copyOfRange(data, 4000, 5000)));
            peer.send(peerAck(PEER_ISS + 1, ISS + base + 4001));
            peer.expectNothing();
            peer.send(peerAck(PEER_ISS + 1, ISS + base + 5001));
            peer.expectNothing();
            assertEquals(2, tcp.counters().get(TcpCounter.RETRANSMITTED_SEGMENTS));
        }

        /**
         * RFC 6675 (4.3) sets RescueRxt to "the highest sequence number in the retransmitted
         * segment" "to prevent ... a premature rescue retransmission", and NextSeg() rule (4)
         * needs "HighACK is greater than RescueRxt", HighACK being "the highest byte of data that
         * has been cumulatively ACKed" (SND.UNA - 1). A partial ACK that covers exactly the first
         * retransmission makes HighACK equal to RescueRxt: no rescue yet; the next one, past it,
         * brings the rescue of the lost tail.
         */
        @Test
        void noRescueRetransmissionUntilTheAckPassesTheFirstRetransmittedSegment() {
            use(config().tcpOptions(false, false, true).tcpBuffers(4096, 8192).build());
            int c = establishWithSack();
            sendSegments(c, 4);
            peer.send(peerAck(PEER_ISS + 1, ISS + 4001)); // slow start: cwnd 6000
            byte[] data = bytes(6 * PEER_MSS, 13);
            tcp.write(c, data, 0, data.length);
            peer.poll();
            assertEquals(6, peer.drain().size());
            int base = 4000;
            // Segments 1, 2 and 6 are lost; 3, 4 and 5 arrive.
            peer.send(peerSack(base + 1, base + 2001, base + 3001));
            peer.send(peerSack(base + 1, base + 2001, base + 4001));
            peer.expectNothing();
            // DupThresh: cwnd = ssthresh = 3000; segment 1 (fast retransmit), then segment 2 by
            // rule (1) while cwnd - pipe allows.
            peer.send(peerSack(base + 1, base + 2001, base + 5001));
            peer.expect(ourSegment(data, 1, PEER_MSS).seq(ISS + base + 1),
                    ourSegment(data, 1001, PEER_MSS).seq(ISS + base + 1001));
            // Segment 1's retransmission arrives: HighACK = RescueRxt, and rule (4) must wait.
            peer.send(peerSack(base + 1001, base + 2001, base + 5001));
            peer.expectNothing();
            // Segment 2's: HighACK > RescueRxt, the tail goes again (no PSH on a retransmission).
            peer.send(peerAck(PEER_ISS + 1, ISS + base + 5001));
            peer.expect(peer.reply(ACK).seq(ISS + base + 5001).ack(PEER_ISS + 1).window(WINDOW)
                    .payload(Arrays.copyOfRange(data, 5000, 6000)));
            peer.send(peerAck(PEER_ISS + 1, ISS + base + 6001));
            peer.expectNothing();
            assertEquals(3, tcp.counters().get(TcpCounter.RETRANSMITTED_SEGMENTS));
        }

        /**
         * RFC 1191 (TCP's reaction to "fragmentation needed", section 6.4 of its discussion, and
         * Linux's tcp_simple_retransmit): what was in flight at the old size was dropped by the
         * router, so it goes again at once in the new size, with cwnd unchanged. In SACK recovery
         * pipe still counted those segments as in the network (the hole's retransmission
         * included), cwnd - pipe left nothing, and the resend waited for the retransmission timer
         * and its collapse of cwnd. The report ends the recovery episode's accounting: the flight
         * goes again from SND.UNA within cwnd, skipping what the peer SACKed.
         */
        @Test
        void fragmentationNeededInSackRecoveryResendsAtOnceInTheNewSize() {
            use(config().tcpOptions(false, false, true).tcpBuffers(4096, 8192).build());
            int c = establishWithSack();
            sendSegments(c, 4);
            peer.send(peerAck(PEER_ISS + 1, ISS + 4001)); // slow start: cwnd 6000
            byte[] data = bytes(6 * PEER_MSS, 17);
            tcp.write(c, data, 0, data.length);
            peer.poll();
            assertEquals(6, peer.drain().size());
            int base = 4000;
            // Segment 1 is lost; 2, 3 and 4 arrive: recovery, cwnd = ssthresh = 3000.
            peer.send(peerSack(base + 1, base + 1001, base + 2001));
            peer.send(peerSack(base + 1, base + 1001, base + 3001));
            Seg hole = ourSegment(data, 1, PEER_MSS).seq(ISS + base + 1);
            peer.send(peerSack(base + 1, base + 1001, base + 4001));
            peer.expect(hole);
            // The hole's retransmission meets a link of 576 bytes.
            peer.sendIcmpError(3, 4, 576, hole, 28);
            assertEquals(536, tcp.sendMss(c));
            assertEquals(List.of(
                    peer.reply(ACK).seq(ISS + base + 1).ack(PEER_ISS + 1).window(WINDOW).payload(Arrays.copyOfRange(data, 0, 536)),
                    peer.reply(ACK).seq(ISS + base + 537).ack(PEER_ISS + 1).window(WINDOW).payload(Arrays.copyOfRange(data, 536, 1000))),
                    peer.drainWithoutPoll());
            assertEquals(3000, tcp.congestionWindow(c), "no congestion response to a smaller path MTU");
            assertEquals(0, tcp.counters().get(TcpCounter.RETRANSMISSION_TIMEOUTS));
        }

        /**
         * RFC 2018 section 8 / RFC 6675 5.1: a timeout clears the scoreboard; SACKs after it fill
         * it again, and going back from SND.UNA skips what they report.
         */
        @Test
        void afterATimeoutSackedDataIsNotSentAgain() {
            int c = establishWithSack();
            byte[] data = sendSegments(c, 3);
            peer.send(peerSack(1, 2001, 3001));
            peer.expectNothing();
            peer.advance(tcp.retransmissionTimeoutNanos(c));
            peer.expect(ourSegment(data, 1, PEER_MSS));
            peer.send(peerSack(1001, 2001, 3001));
            peer.expect(ourSegment(data, 1001, PEER_MSS));
            peer.send(peerAck(PEER_ISS + 1, ISS + 3001));
            peer.expectNothing();
            assertEquals(2, tcp.counters().get(TcpCounter.RETRANSMITTED_SEGMENTS));
        }

        @Test
        void aDsackIsCountedAndSacksNothing() {
            int c = establishWithSack();
            sendSegments(c, 2);
            peer.send(peerSack(2001, 1, 1001));
            assertEquals(1, tcp.counters().get(TcpCounter.DSACKS_RECEIVED));
            assertEquals(0, tcp.counters().get(TcpCounter.DUPLICATE_ACKS));
        }

        /** ssthresh of connection {@code c}. */
        int ssthresh(int c) {
            TcbSnapshot snapshot = new TcbSnapshot();
            tcp.snapshot(c, snapshot);
            return snapshot.ssthresh;
        }

        /**
         * The "lost" segment was only reordered: its original fills the hole just after the third
         * SACK, and the retransmission arrives as a duplicate, which the peer reports in a D-SACK
         * block (RFC 2883 section 4). Every octet the recovery retransmitted came back so (RFC
         * 3708): cwnd and ssthresh go back to what they were before it.
         */
        @Test
        void aRecoveryWhoseRetransmissionComesBackDsackedIsUndone() {
            int c = establishWithSack();
            byte[] data = sendSegments(c, 4);
            int cwndBefore = tcp.congestionWindow(c);
            int ssthreshBefore = ssthresh(c);
            peer.send(peerSack(1, 1001, 2001));
            peer.send(peerSack(1, 1001, 3001));
            peer.send(peerSack(1, 1001, 4001));
            peer.expect(ourSegment(data, 1, PEER_MSS));
            peer.send(peerAck(PEER_ISS + 1, ISS + 4001)); // the original, displaced by three
            assertEquals(2 * PEER_MSS, tcp.congestionWindow(c), "RFC 6675 (4.2): halved");
            peer.send(peerSack(4001, 1, 1001)); // the retransmission, a duplicate
            peer.expectNothing();
            assertEquals(1, tcp.counters().get(TcpCounter.SPURIOUS_RECOVERIES_UNDONE));
            assertEquals(cwndBefore, tcp.congestionWindow(c));
            assertEquals(ssthreshBefore, ssthresh(c));
        }

        /**
         * RFC 6675 rule (4): the partial ACK the original brings sends the rescue retransmission of
         * the tail; the recovery is undone only when that one, too, comes back D-SACKed.
         */
        @Test
        void theRescueRetransmissionMustComeBackDsackedToo() {
            use(config().tcpOptions(false, false, true).tcpBuffers(4096, 8192).build());
            int c = establishWithSack();
            sendSegments(c, 4);
            peer.send(peerAck(PEER_ISS + 1, ISS + 4001)); // slow start: cwnd 6000
            byte[] data = bytes(5 * PEER_MSS, 11);
            tcp.write(c, data, 0, data.length);
            peer.poll();
            assertEquals(5, peer.drain().size());
            int base = 4000;
            int cwndBefore = tcp.congestionWindow(c);
            peer.send(peerSack(base + 1, base + 1001, base + 2001));
            peer.send(peerSack(base + 1, base + 1001, base + 3001));
            peer.send(peerSack(base + 1, base + 1001, base + 4001));
            peer.expect(ourSegment(data, 1, PEER_MSS).seq(ISS + base + 1));
            peer.send(peerAck(PEER_ISS + 1, ISS + base + 4001)); // the original of the first
            peer.expect(peer.reply(ACK).seq(ISS + base + 4001).ack(PEER_ISS + 1).window(WINDOW)
                    .payload(Arrays.copyOfRange(data, 4000, 5000)));
            peer.send(peerSack(base + 4001, base + 1, base + 1001));
            assertEquals(0, tcp.counters().get(TcpCounter.SPURIOUS_RECOVERIES_UNDONE));
            peer.send(peerAck(PEER_ISS + 1, ISS + base + 5001)); // the tail's original
            peer.send(peerSack(base + 5001, base + 4001, base + 5001));
            assertEquals(1, tcp.counters().get(TcpCounter.SPURIOUS_RECOVERIES_UNDONE));
            assertEquals(cwndBefore, tcp.congestionWindow(c));
            peer.expectNothing();
        }

        /** A real loss: the retransmission fills the hole, no D-SACK; one for other octets (a duplicate the network made) undoes nothing. */
        @Test
        void aDsackOfOctetsNotRetransmittedUndoesNothing() {
            int c = establishWithSack();
            byte[] data = sendSegments(c, 4);
            peer.send(peerSack(1, 1001, 2001));
            peer.send(peerSack(1, 1001, 3001));
            peer.send(peerSack(1, 1001, 4001));
            peer.expect(ourSegment(data, 1, PEER_MSS));
            peer.send(peerAck(PEER_ISS + 1, ISS + 4001));
            peer.send(peerSack(4001, 1001, 2001));
            assertEquals(1, tcp.counters().get(TcpCounter.DSACKS_RECEIVED));
            assertEquals(0, tcp.counters().get(TcpCounter.SPURIOUS_RECOVERIES_UNDONE));
            assertEquals(2 * PEER_MSS, tcp.congestionWindow(c));
        }

        /** Two holes retransmitted, only one reported twice: one of them was lost, the reduction stands until both are. */
        @Test
        void everyRetransmissionMustComeBackDsacked() {
            use(config().tcpOptions(false, false, true).tcpBuffers(4096, 8192).build());
            int c = establishWithSack();
            sendSegments(c, 4);
            peer.send(peerAck(PEER_ISS + 1, ISS + 4001));
            byte[] data = bytes(6 * PEER_MSS, 5);
            tcp.write(c, data, 0, data.length);
            peer.poll();
            assertEquals(6, peer.drain().size());
            int base = 4000;
            int cwndBefore = tcp.congestionWindow(c);
            peer.send(peerSack(base + 1, base + 1001, base + 2001));
            peer.send(peerSack(base + 1, base + 3001, base + 4001, base + 1001, base + 2001));
            peer.send(peerSack(base + 1, base + 3001, base + 5001, base + 1001, base + 2001));
            peer.expect(ourSegment(data, 1, PEER_MSS).seq(ISS + base + 1));
            peer.send(peerSack(base + 1, base + 3001, base + 6001, base + 1001, base + 2001));
            peer.expect(ourSegment(data, 2001, PEER_MSS).seq(ISS + base + 2001));
            peer.send(peerAck(PEER_ISS + 1, ISS + base + 6001));
            peer.send(peerSack(base + 6001, base + 1, base + 1001));
            assertEquals(0, tcp.counters().get(TcpCounter.SPURIOUS_RECOVERIES_UNDONE));
            assertEquals(3 * PEER_MSS, tcp.congestionWindow(c), "FlightSize 6000 / 2");
            peer.send(peerSack(base + 6001, base + 2001, base + 3001));
            assertEquals(1, tcp.counters().get(TcpCounter.SPURIOUS_RECOVERIES_UNDONE));
            assertEquals(cwndBefore, tcp.congestionWindow(c));
        }

        /** After a timeout the D-SACK of the fast retransmission proves nothing: no undo. */
        @Test
        void aTimeoutEndsTheChanceOfUndo() {
            int c = establishWithSack();
            byte[] data = sendSegments(c, 4);
            peer.send(peerSack(1, 1001, 2001));
            peer.send(peerSack(1, 1001, 3001));
            peer.send(peerSack(1, 1001, 4001));
            peer.expect(ourSegment(data, 1, PEER_MSS));
            peer.advance(tcp.retransmissionTimeoutNanos(c));
            peer.expect(ourSegment(data, 1, PEER_MSS));
            peer.send(peerAck(PEER_ISS + 1, ISS + 4001));
            peer.send(peerSack(4001, 1, 1001));
            assertEquals(0, tcp.counters().get(TcpCounter.SPURIOUS_RECOVERIES_UNDONE));
        }

        @Test
        void undoCanBeTurnedOff() {
            use(config().tcpOptions(false, false, true).tcpSpuriousRecoveryUndo(false).build());
            int c = establishWithSack();
            byte[] data = sendSegments(c, 4);
            peer.send(peerSack(1, 1001, 2001));
            peer.send(peerSack(1, 1001, 3001));
            peer.send(peerSack(1, 1001, 4001));
            peer.expect(ourSegment(data, 1, PEER_MSS));
            peer.send(peerAck(PEER_ISS + 1, ISS + 4001));
            peer.send(peerSack(4001, 1, 1001));
            assertEquals(0, tcp.counters().get(TcpCounter.SPURIOUS_RECOVERIES_UNDONE));
            assertEquals(2 * PEER_MSS, tcp.congestionWindow(c));
        }

        @Test
        void blocksOutsideTheDataInFlightAreIgnored() {
            int c = establishWithSack();
            sendSegments(c, 2);
            peer.send(peerSack(1, 1001, 9001)); // past SND.MAX: SACKs data never sent
            peer.send(peerSack(1, 1001, 1001)); // empty
            assertEquals(2, tcp.counters().get(TcpCounter.SACK_BLOCKS_IGNORED));
            assertEquals(0, tcp.counters().get(TcpCounter.DUPLICATE_ACKS));
        }
    }
}
