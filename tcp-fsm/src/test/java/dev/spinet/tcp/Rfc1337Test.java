package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.RST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Covers;
import dev.spinet.tcp.scenario.Seg;
import org.junit.jupiter.api.Test;

/**
 * TIME-WAIT assassination (RFC 1337), with the exact segments. Section 3's hazard TW2: an old
 * duplicate segment reaches TIME-WAIT, draws an ACK, the peer (which has forgotten the connection)
 * answers that ACK with a RST carrying exactly RCV.NXT, and TIME-WAIT ends early; the next
 * incarnation of the 4-tuple can then meet old duplicates. "Fix: ... ignore RST segments in
 * TIME-WAIT state", which Spinet does by default (StackConfig.tcpRfc1337). RFC 5961 3.2's
 * challenge ACK for an inexact RST in the window stays.
 */
class Rfc1337Test extends TcpScriptTest {

    private Seg timeWaitAck() {
        return peer.reply(ACK).seq(ISS + 2).ack(PEER_ISS + 2).window(WINDOW);
    }

    @Test
    @Covers(from = TIME_WAIT, to = CLOSED, cause = TransitionCause.TIME_WAIT_TIMEOUT)
    void theAssassinsRstIsIgnoredAndTimeWaitLivesOutItsTwoMsl() {
        int c = timeWait();
        peer.advance(10 * SECOND);
        // TW2, step by step: an old duplicate ACK from the connection's past is unacceptable and
        // gets an ACK <SEQ=SND.NXT><ACK=RCV.NXT> ...
        peer.send(peerAck(PEER_ISS, ISS + 1));
        peer.expect(timeWaitAck());
        // ... which the peer, with no connection left, answers <SEQ=SEG.ACK><CTL=RST>: RCV.NXT exactly.
        peer.send(peer.seg(RST).seq(PEER_ISS + 2));
        peer.expectNothing();
        assertEquals(1, tcp.timeWaitEntries(), "the RST did not end TIME-WAIT");
        assertEquals(1, tcp.counters().get(TcpCounter.RST_IGNORED_IN_TIME_WAIT));
        assertEquals(0, tcp.counters().get(TcpCounter.RST_ACCEPTED));
        // The entry still answers for the connection: the retransmitted FIN is acknowledged.
        peer.send(peerFin(PEER_ISS + 1, ISS + 2));
        peer.expect(timeWaitAck());
        peer.advance(60 * SECOND - 1); // 2 MSL from that FIN, MSL 30 s
        assertEquals(1, tcp.timeWaitEntries());
        peer.advance(1);
        assertEquals(0, tcp.timeWaitEntries());
        assertEquals("TIME_WAIT->CLOSED", peer.recorder().path(c).getLast());
    }

    @Test
    void anInexactRstInTheWindowStillGetsItsChallengeAck() {
        timeWait();
        peer.send(peer.seg(RST).seq(PEER_ISS + 5));
        peer.expect(timeWaitAck());
        peer.send(peer.seg(RST).seq(PEER_ISS + 2 + WINDOW + 100)); // outside the window: dropped
        peer.expectNothing();
        assertEquals(1, tcp.timeWaitEntries());
        assertEquals(1, tcp.counters().get(TcpCounter.CHALLENGE_ACK_SENT));
        assertEquals(0, tcp.counters().get(TcpCounter.RST_IGNORED_IN_TIME_WAIT));
    }

    @Test
    void aRstWithAckIsIgnoredToo() {
        timeWait();
        peer.send(peer.seg(RST | ACK).seq(PEER_ISS + 2).ack(ISS + 2));
        peer.expectNothing();
        assertEquals(1, tcp.timeWaitEntries());
    }

    /** An application that still reads (its TCB detached) keeps its data and the entry stays. */
    @Test
    void aTimeWaitWhoseApplicationStillReadsIgnoresTheRstToo() {
        int c = establishPassive();
        tcp.shutdownOutput(c);
        peer.expect(ourFin(ISS + 1, PEER_ISS + 1));
        peer.send(peerAck(PEER_ISS + 1, ISS + 2));
        peer.send(peerFin(PEER_ISS + 1, ISS + 2).payload("bye"));
        peer.expect(ourAck(ISS + 2, PEER_ISS + 5, WINDOW - 3));
        assertEquals(TIME_WAIT, tcp.state(c));
        peer.send(peer.seg(RST).seq(PEER_ISS + 5));
        peer.expectNothing();
        assertEquals(1, tcp.timeWaitEntries());
        byte[] buffer = new byte[8];
        assertEquals(3, tcp.read(c, buffer, 0, 8));
        assertEquals(-1, tcp.read(c, buffer, 0, 8));
    }

    @Test
    @Covers(from = TIME_WAIT, to = CLOSED, cause = TransitionCause.RCV_RST)
    void switchedOffAnExactRstEndsTimeWaitAsRfc9293Says() {
        use(config().tcpRfc1337(false).build());
        timeWait();
        peer.send(peer.seg(RST).seq(PEER_ISS + 2));
        peer.expectNothing();
        assertEquals(0, tcp.timeWaitEntries());
        assertEquals(1, tcp.counters().get(TcpCounter.RST_ACCEPTED));
        // The 4-tuple is CLOSED: the retransmitted FIN finds no connection (RFC 9293 3.10.7.1).
        peer.send(peer.seg(FIN | ACK).seq(PEER_ISS + 1).ack(ISS + 2).window(PEER_WINDOW));
        peer.expect(peer.reply(RST).seq(ISS + 2));
    }
}
