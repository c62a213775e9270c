package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.RST;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.ScriptedPeer;
import dev.spinet.tcp.scenario.Seg;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * RFC 7323 timestamps, state by state, with the exact segments: negotiation in the SYNs (3.2),
 * TSval from the stack's millisecond clock and TSecr = TS.Recent (4.3), the TS.Recent rule with
 * Last.ACK.sent, RTTM (4.1), PAWS (5.3), the option's effect on the send MSS (RFC 6691), and
 * TIME-WAIT with timestamps (RFC 6191). The stack's TSval is its clock in milliseconds
 * ({@link ScriptedPeer} fixes the offset at 0): 1000 when a script starts.
 */
class TimestampsTest extends TcpScriptTest {

    /** MSS 1460 less the 12 bytes of the option on every segment. */
    static final int MSS_WITH_TIMESTAMPS = MSS - 12;
    /** The peer's first TSval; its clock runs as it likes (here: it adds 10 per segment). */
    static final int PEER_TS = 70_000;

    @BeforeEach
    void timestampsOn() {
        use(config().tcpOptions(false, true, false).build());
    }

    /** The stack's TSval now: its clock in milliseconds. */
    int clock() {
        return (int) (peer.now() / 1_000_000L);
    }

    /** Passive open with timestamps on both SYNs; the handshake's ACK carries TSval PEER_TS + 1. */
    int establishWithTimestamps() {
        listen();
        peer.ports(40_000, 80);
        peer.send(peerSyn().ts(PEER_TS, 0));
        peer.expect(ourSynAck().ts(clock(), PEER_TS));
        peer.send(peerAck(PEER_ISS + 1, ISS + 1).ts(PEER_TS + 1, clock()));
        peer.expectNothing();
        app.clear();
        return app.lastAccepted();
    }

    Seg ourAckTs(int seq, int ack, int window, int echo) {
        return ourAck(seq, ack, window).ts(clock(), echo);
    }

    @Nested
    class Listen {

        @Test
        void aSynWithTimestampsGetsASynAckEchoingItsTsval() {
            int c = establishWithTimestamps();
            assertEquals(TcpState.ESTABLISHED, tcp.state(c));
            assertEquals(MSS_WITH_TIMESTAMPS, tcp.sendMss(c), "RFC 6691: 12 bytes of every segment are the option");
        }

        @Test
        void aSynWithoutTimestampsGetsNoneAndTheConnectionRunsWithout() {
            listen();
            halfOpenFrom(40_000); // the fixture's exact SYN,ACK: no options but MSS
            peer.send(peerAck(PEER_ISS + 1, ISS + 1));
            peer.send(peerAck(PEER_ISS + 1, ISS + 1).payload("hello"));
            peer.advance(40 * MS); // the delayed ACK
            peer.expect(ourAck(ISS + 1, PEER_ISS + 6, WINDOW - 5));
            assertEquals(MSS, tcp.sendMss(app.lastAccepted()));
        }
    }

    @Nested
    class SynSent {

        @Test
        void ourSynOffersTimestampsAndTheSynAckTurnsThemOn() {
            int c = tcp.connect(ScriptedPeer.PEER_ADDRESS, 80, app);
            Seg syn = peer.takeOne();
            peer.ports(80, syn.sourcePort());
            // RFC 7323 3.2: TSecr of a <SYN> "MUST be zero".
            assertEquals(ourSyn().ts(1000, 0), syn);
            peer.advance(150 * MS);
            peer.send(peerSynAck().ts(PEER_TS, 1000));
            peer.expect(ourAckTs(ISS + 1, PEER_ISS + 1, WINDOW, PEER_TS));
            assertEquals(MSS_WITH_TIMESTAMPS, tcp.sendMss(c));
            // RTTM on the handshake: 150 ms between our TSval and its echo; RFC 6298 2.2 then gives
            // RTO = SRTT + 4 * RTTVAR = 150 + 4 * 75 ms.
            assertEquals(450 * MS, tcp.retransmissionTimeoutNanos(c));
        }

        @Test
        void aSynAckWithoutTimestampsTurnsThemOff() {
            int c = tcp.connect(ScriptedPeer.PEER_ADDRESS, 80, app);
            Seg syn = peer.takeOne();
            peer.ports(80, syn.sourcePort());
            peer.send(peerSynAck());
            peer.expect(ourAck(ISS + 1, PEER_ISS + 1, WINDOW));
            assertEquals(MSS, tcp.sendMss(c));
        }

        @Test
        void aRetransmittedSynIsTimedByItsEchoWhereKarnWouldAllowNoSample() {
            int c = tcp.connect(ScriptedPeer.PEER_ADDRESS, 80, app);
            Seg syn = peer.takeOne();
            peer.ports(80, syn.sourcePort());
            peer.advance(SECOND);
            assertEquals(ourSyn().ts(2000, 0), peer.takeOne(), "the SYN again, with the clock's new TSval");
            peer.advance(40 * MS);
            // The echo names the second SYN: 40 ms, not 1040 ms. (RFC 6298 5.7 still sets 3 s, as
            // the SYN timed out; the first data RTO then backs off from it.)
            peer.send(peerSynAck().ts(PEER_TS, 2000));
            peer.expect(ourAckTs(ISS + 1, PEER_ISS + 1, WINDOW, PEER_TS));
            assertEquals(3 * SECOND, tcp.retransmissionTimeoutNanos(c));
            assertEquals(1, tcp.counters().get(TcpCounter.RTT_SAMPLES_FROM_TIMESTAMPS));
        }
    }

    @Nested
    class Established {

        @Test
        void dataIsAcknowledgedEchoingItsTsval() {
            establishWithTimestamps();
            peer.send(peerAck(PEER_ISS + 1, ISS + 1).ts(PEER_TS + 10, clock()).payload("hello"));
            peer.advance(40 * MS); // the delayed ACK
            peer.expect(ourAckTs(ISS + 1, PEER_ISS + 6, WINDOW - 5, PEER_TS + 10));
        }

        /**
         * RFC 9293 3.8.6.2.2: the receiver moves the right edge once it can move it by
         * min(RCV.BUFF / 2, Eff.snd.MSS), and the header size in Eff.snd.MSS counts the options:
         * with timestamps a full segment holds 1448 bytes, so reading one lets the next ACK offer
         * its room again (Linux moves its window by icsk_ack.rcv_mss, the size of the segments it
         * receives). The next ACK here is the duplicate ACK for an out-of-order segment, sent at
         * once (RFC 5681 4.2), while a hole holds RCV.NXT: a window short of a segment there
         * holds the sender back until the hole fills.
         */
        @Test
        void readingOneFullSegmentMovesTheRightEdgeInTheNextAck() {
            int c = establishWithTimestamps();
            peer.send(peerAck(PEER_ISS + 1, ISS + 1).ts(PEER_TS + 10, clock()).payload(bytes(MSS_WITH_TIMESTAMPS, 1)));
            peer.expectNothing(); // one segment: the ACK is delayed
            assertEquals(MSS_WITH_TIMESTAMPS, tcp.read(c, new byte[WINDOW], 0, WINDOW));
            int hole = PEER_ISS + 1 + MSS_WITH_TIMESTAMPS;
            peer.send(peerAck(hole + 100, ISS + 1).ts(PEER_TS + 20, clock()).payload("later"));
            peer.expect(ourAckTs(ISS + 1, hole, WINDOW, PEER_TS + 10));
        }

        /** Less than a full segment's room leaves the edge where it was (receiver SWS avoidance). */
        @Test
        void readingLessThanAFullSegmentLeavesTheRightEdge() {
            int c = establishWithTimestamps();
            int length = MSS_WITH_TIMESTAMPS - 1;
            peer.send(peerAck(PEER_ISS + 1, ISS + 1).ts(PEER_TS + 10, clock()).payload(bytes(length, 1)));
            peer.expectNothing();
            assertEquals(length, tcp.read(c, new byte[WINDOW], 0, WINDOW));
            int hole = PEER_ISS + 1 + length;
            peer.send(peerAck(hole + 100, ISS + 1).ts(PEER_TS + 20, clock()).payload("later"));
            peer.expect(ourAckTs(ISS + 1, hole, WINDOW - length, PEER_TS + 10));
        }

        @Test
        void pawsDropsASegmentWithAnOlderTsvalAndAcknowledges() {
            int c = establishWithTimestamps();
            peer.send(peerAck(PEER_ISS + 1, ISS + 1).ts(PEER_TS + 10, clock()).payload("hello"));
            peer.advance(40 * MS);
            peer.expect(ourAckTs(ISS + 1, PEER_ISS + 6, WINDOW - 5, PEER_TS + 10));
            // In sequence, but its TSval is older than TS.Recent: an old duplicate (RFC 7323 5.3 R1).
            peer.send(peerAck(PEER_ISS + 6, ISS + 1).ts(PEER_TS + 5, clock()).payload("world"));
            peer.expect(ourAckTs(ISS + 1, PEER_ISS + 6, WINDOW - 5, PEER_TS + 10));
            assertEquals(5, tcp.available(c), "the old segment's data was dropped");
            assertEquals(1, tcp.counters().get(TcpCounter.PAWS_REJECTED));
            // Data is no ACK loop: it is answered every time (Linux: tcp_send_dupack, exempt from
            // tcp_oow_rate_limited); a pure ACK that fails PAWS is throttled (500 ms).
            peer.send(peerAck(PEER_ISS + 6, ISS + 1).ts(PEER_TS + 5, clock()).payload("world"));
            peer.expect(ourAckTs(ISS + 1, PEER_ISS + 6, WINDOW - 5, PEER_TS + 10));
            peer.send(peerAck(PEER_ISS + 6, ISS + 1).ts(PEER_TS + 5, clock()));
            peer.expect(ourAckTs(ISS + 1, PEER_ISS + 6, WINDOW - 5, PEER_TS + 10));
            peer.send(peerAck(PEER_ISS + 6, ISS + 1).ts(PEER_TS + 5, clock()));
            peer.expectNothing();
            assertEquals(4, tcp.counters().get(TcpCounter.PAWS_REJECTED));
            assertEquals(1, tcp.counters().get(TcpCounter.OUT_OF_WINDOW_ACK_RATE_LIMITED));
        }

        /**
         * A SYN that fails PAWS is still a SYN in a synchronized state: RFC 5961 4.2, "If the SYN
         * bit is set, irrespective of the sequence number, TCP MUST send an ACK (also referred to
         * as challenge ACK)", under the challenge ACK limit, not the throttle of out-of-window
         * answers (Linux: tcp_validate_incoming sends a SYN that fails PAWS to syn_challenge).
         */
        @Test
        void aSynThatFailsPawsGetsTheChallengeAckEvenRightAfterAThrottledAnswer() {
            establishWithTimestamps();
            peer.send(peerAck(PEER_ISS + 1, ISS + 1).ts(PEER_TS, clock()));
            peer.expect(ourAckTs(ISS + 1, PEER_ISS + 1, WINDOW, PEER_TS + 1));
            peer.send(peerSyn().seq(PEER_ISS + 1).ts(PEER_TS, 0));
            peer.expect(ourAckTs(ISS + 1, PEER_ISS + 1, WINDOW, PEER_TS + 1));
            assertEquals(2, tcp.counters().get(TcpCounter.PAWS_REJECTED));
            assertEquals(1, tcp.counters().get(TcpCounter.CHALLENGE_ACK_SENT));
            assertEquals(0, tcp.counters().get(TcpCounter.DUPLICATES_REPORTED));
        }

        @Test
        void aRstIsAcceptedWhateverItsTimestamp() {
            int c = establishWithTimestamps();
            // RFC 7323 5.3: RST segments are acceptable "regardless of their timestamp".
            peer.send(peer.seg(RST).seq(PEER_ISS + 1).ts(1, 0));
            expectClosedQuietly(c, CloseReason.RESET);
        }

        @Test
        void aSegmentWithoutTimestampsIsDroppedSilently() {
            int c = establishWithTimestamps();
            peer.send(peerAck(PEER_ISS + 1, ISS + 1).payload("hello"));
            peer.advance(SECOND);
            peer.expectNothing();
            assertEquals(0, tcp.available(c));
            assertEquals(1, tcp.counters().get(TcpCounter.DROP_MISSING_TIMESTAMPS));
        }

        /**
         * RFC 5961 4.2: "If the SYN bit is set, irrespective of the sequence number, TCP MUST send
         * an ACK (also referred to as challenge ACK) to the remote peer", also when the SYN has no
         * TSopt (RFC 7323 3.2's "SHOULD silently drop" yields to it): a peer that restarted and
         * connects again from the same port without timestamps learns from the ACK that the old
         * connection is still here, resets it, and its next SYN gets through (RFC 9293 3.5.2).
         * The ACK echoes TS.Recent, which the SYN without a TSval leaves alone.
         */
        @Test
        void aSynWithoutTimestampsStillGetsTheChallengeAckAndTheHalfOpenConnectionEnds() {
            int c = establishWithTimestamps();
            peer.send(peerSyn().seq(PEER_ISS + 1));
            peer.expect(ourAckTs(ISS + 1, PEER_ISS + 1, WINDOW, PEER_TS + 1));
            assertEquals(1, tcp.counters().get(TcpCounter.CHALLENGE_ACK_SENT));
            peer.send(peer.seg(RST).seq(PEER_ISS + 1));
            expectClosedQuietly(c, CloseReason.RESET);
        }

        /** The same for a SYN far outside the window (a new ISS): the ACK it gets says where we are. */
        @Test
        void aSynWithoutTimestampsOutsideTheWindowIsAnsweredToo() {
            establishWithTimestamps();
            peer.send(peerSyn().seq(PEER_ISS + 1_000_000));
            peer.expect(ourAckTs(ISS + 1, PEER_ISS + 1, WINDOW, PEER_TS + 1));
            assertEquals(0, tcp.counters().get(TcpCounter.DROP_MISSING_TIMESTAMPS));
        }

        /**
         * RFC 7323 4.3 (3): TS.Recent takes SEG.TSval only if "SEG.SEQ <= Last.ACK.sent": a
         * segment after a hole does not move it (its echo would time the hole's retransmission
         * too short), the one filling the hole does.
         */
        @Test
        void tsRecentMovesOnlyForASegmentAtOrBelowLastAckSent() {
            establishWithTimestamps();
            peer.send(peerAck(PEER_ISS + 6, ISS + 1).ts(PEER_TS + 20, clock()).payload("later"));
            peer.expect(ourAckTs(ISS + 1, PEER_ISS + 1, WINDOW, PEER_TS + 1));
            peer.send(peerAck(PEER_ISS + 1, ISS + 1).ts(PEER_TS + 30, clock()).payload("first"));
            peer.expect(ourAckTs(ISS + 1, PEER_ISS + 11, WINDOW - 10, PEER_TS + 30));
        }

        @Test
        void aFullSegmentCarries1448BytesBesideTheOption() {
            int c = establishWithTimestamps();
            tcp.setNoDelay(c, true);
            byte[] data = bytes(3000, 1);
            tcp.write(c, data, 0, data.length);
            peer.poll();
            List<Seg> sent = peer.drain();
            assertEquals(List.of(MSS_WITH_TIMESTAMPS, MSS_WITH_TIMESTAMPS, 3000 - 2 * MSS_WITH_TIMESTAMPS),
                    sent.stream().map(Seg::payloadLength).toList());
            for (Seg seg : sent) {
                assertEquals(clock(), seg.tsVal());
                assertEquals(PEER_TS + 1, seg.tsEcr());
            }
        }

        /**
         * RTTM with Karn's rule: after a retransmission, an ACK echoing the TSval of the first
         * transmission gives no sample (the receiver may have taken the retransmission as a
         * duplicate after losing its own ACK, and echoed an older time); one echoing the
         * retransmission does.
         */
        @Test
        void afterARetransmissionOnlyAnEchoOfItGivesASample() {
            int c = establishWithTimestamps();
            tcp.write(c, "hello".getBytes(), 0, 5);
            int first = clock();
            peer.expect(ourData(ISS + 1, PEER_ISS + 1, "hello").ts(first, PEER_TS + 1));
            long rto = tcp.retransmissionTimeoutNanos(c);
            assertEquals(200 * MS, rto);
            peer.advance(rto);
            int second = clock();
            peer.expect(ourData(ISS + 1, PEER_ISS + 1, "hello").ts(second, PEER_TS + 1));
            peer.advance(30 * MS);
            peer.send(peerAck(PEER_ISS + 1, ISS + 6).ts(PEER_TS + 2, first));
            peer.expectNothing();
            assertEquals(2 * rto, tcp.retransmissionTimeoutNanos(c), "no sample: the backed-off RTO stays");
            tcp.write(c, "again".getBytes(), 0, 5);
            int third = clock();
            peer.expect(ourData(ISS + 6, PEER_ISS + 1, "again").ts(third, PEER_TS + 2));
            peer.advance(30 * MS);
            peer.send(peerAck(PEER_ISS + 1, ISS + 11).ts(PEER_TS + 3, third));
            peer.expectNothing();
            assertEquals(200 * MS, tcp.retransmissionTimeoutNanos(c), "a 30 ms sample: the RTO is back at its floor");
        }
    }

    @Nested
    class TimeWait {

        /** FIN-WAIT-2 -> TIME-WAIT with timestamps on every segment; the last TSval the peer sent is PEER_TS + 3. */
        void timeWaitWithTimestamps() {
            int c = establishWithTimestamps();
            tcp.close(c);
            peer.expect(ourFin(ISS + 1, PEER_ISS + 1).ts(clock(), PEER_TS + 1));
            peer.send(peerAck(PEER_ISS + 1, ISS + 2).ts(PEER_TS + 2, clock()));
            peer.send(peerFin(PEER_ISS + 1, ISS + 2).ts(PEER_TS + 3, clock()));
            peer.expect(ourAckTs(ISS + 2, PEER_ISS + 2, WINDOW, PEER_TS + 3));
            assertEquals(1, tcp.timeWaitEntries());
        }

        @Test
        void theEntrysAnswersCarryTheConnectionsTimestamps() {
            timeWaitWithTimestamps();
            peer.advance(SECOND);
            peer.send(peerFin(PEER_ISS + 1, ISS + 2).ts(PEER_TS + 4, clock()));
            peer.expect(ourAckTs(ISS + 2, PEER_ISS + 2, WINDOW, PEER_TS + 4));
        }

        @Test
        void pawsAppliesToTheEntryToo() {
            timeWaitWithTimestamps();
            peer.send(peerAck(PEER_ISS + 2, ISS + 2).ts(PEER_TS, clock()).payload("old"));
            peer.expect(ourAckTs(ISS + 2, PEER_ISS + 2, WINDOW, PEER_TS + 3));
            assertEquals(1, tcp.counters().get(TcpCounter.PAWS_REJECTED));
        }

        /**
         * RFC 6191: with timestamps, a SYN whose TSval is newer than the old connection's last one
         * reopens TIME-WAIT even when its sequence number is below RCV.NXT (which the sequence
         * rule alone refuses).
         */
        @Test
        void aSynWithANewerTsvalReopensItWhateverItsSequenceNumber() {
            timeWaitWithTimestamps();
            peer.advance(SECOND);
            peer.send(peer.seg(SYN).seq(PEER_ISS - 50_000).window(PEER_WINDOW).mss(MSS).ts(PEER_TS + 100, 0));
            Seg synAck = peer.takeOne();
            assertEquals(SYN | ACK, synAck.flags());
            assertEquals(PEER_ISS - 50_000 + 1, synAck.ack());
            assertEquals(PEER_TS + 100, synAck.tsEcr());
            assertEquals(0, tcp.timeWaitEntries());
            assertEquals(1, tcp.counters().get(TcpCounter.TIME_WAIT_REOPENED));
        }

        @Test
        void aSynWithAnOlderTsvalDoesNotReopenItWhateverItsSequenceNumber() {
            timeWaitWithTimestamps();
            peer.send(peer.seg(SYN).seq(PEER_ISS + 100_000).window(PEER_WINDOW).mss(MSS).ts(PEER_TS + 2, 0));
            // RFC 5961 4.2's challenge ACK, from the entry, with its timestamps.
            peer.expect(ourAckTs(ISS + 2, PEER_ISS + 2, WINDOW, PEER_TS + 3));
            assertEquals(1, tcp.timeWaitEntries());
        }

        @Test
        void aSynWithTheSameTsvalReopensItOnlyAboveRcvNxt() {
            timeWaitWithTimestamps();
            peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(MSS).ts(PEER_TS + 3, 0));
            peer.expect(ourAckTs(ISS + 2, PEER_ISS + 2, WINDOW, PEER_TS + 3));
            assertEquals(1, tcp.timeWaitEntries());
            peer.send(peer.seg(SYN).seq(PEER_ISS + 100_000).window(PEER_WINDOW).mss(MSS).ts(PEER_TS + 3, 0));
            assertEquals(SYN | ACK, peer.takeOne().flags());
            assertEquals(0, tcp.timeWaitEntries());
        }
    }
}
