package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.RST;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.scenario.Covers;
import dev.spinet.tcp.scenario.PoolsAssert;
import dev.spinet.tcp.scenario.Seg;
import org.junit.jupiter.api.Test;

/** TIME-WAIT, kept in the compact table (RFC 9293 3.6.1, 3.10.7.4, RFC 6191). */
class TimeWaitTest extends TcpScriptTest {

    /**
     * The table's answer: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> with the window last announced, not
     * zero: the right edge stays where it was (RFC 9293 3.8.6, shrinking the window is "strongly
     * discouraged"; a zero window here made Wireshark flag every TIME-WAIT ACK as ZeroWindow).
     */
    private Seg timeWaitAck() {
        return peer.reply(ACK).seq(ISS + 2).ack(PEER_ISS + 2).window(WINDOW);
    }

    @Test
    @Covers(from = TIME_WAIT, to = CLOSED, cause = TransitionCause.TIME_WAIT_TIMEOUT)
    void twoMslLaterTheEntryIsGone() {
        int c = timeWait();
        peer.advance(60 * SECOND - 1); // 2 * MSL with MSL 30 s
        assertEquals(1, tcp.timeWaitEntries());
        peer.advance(1);
        peer.expectNothing();
        PoolsAssert.assertEveryPoolEmpty(tcp);
        assertTrue(peer.recorder().path(c).contains("TIME_WAIT->CLOSED"));
    }

    /**
     * RFC 9293 3.10.7.4: only "a retransmission of the remote FIN" restarts 2 MSL; a FIN at any
     * other sequence number is unacceptable, gets at most one throttled ACK per 500 ms, and leaves
     * the timer alone (else anyone who knows the 4-tuple could keep the entry forever).
     */
    @Test
    void aFinThatIsNotTheRetransmittedOneNeitherRestartsTheTimerNorGetsUnlimitedAcks() {
        timeWait();
        peer.advance(50 * SECOND);
        for (int i = 0; i < 5; i++) {
            peer.send(peer.seg(FIN | ACK).seq(PEER_ISS + 1000 + i).ack(ISS + 2).window(PEER_WINDOW));
        }
        peer.expect(timeWaitAck()); // one answer for the five, the rest throttled
        peer.advance(10 * SECOND);
        assertEquals(0, tcp.timeWaitEntries(), "2 MSL ran out from the first FIN, not from these");
    }

    @Test
    void retransmittedFinIsAckedAndRestartsTheTimer() {
        timeWait();
        peer.advance(50 * SECOND);
        peer.send(peer.seg(FIN | ACK).seq(PEER_ISS + 1).ack(ISS + 2).window(PEER_WINDOW));
        peer.expect(timeWaitAck());
        peer.advance(50 * SECOND);
        assertEquals(1, tcp.timeWaitEntries(), "2 MSL restarted at the FIN");
        peer.advance(10 * SECOND);
        assertEquals(0, tcp.timeWaitEntries());
    }

    @Test
    @Covers(from = TIME_WAIT, to = CLOSED, cause = TransitionCause.RCV_RST)
    void exactRstEndsItWithoutRfc1337() {
        // RFC 9293 3.10.7.4 as written; with StackConfig.tcpRfc1337 (the default) the RST is
        // ignored instead (Rfc1337Test).
        use(config().tcpRfc1337(false).build());
        timeWait();
        peer.send(peer.seg(RST).seq(PEER_ISS + 2 + WINDOW + 100));
        peer.expectNothing();
        assertEquals(1, tcp.timeWaitEntries(), "RST outside the window dropped");
        peer.send(peer.seg(RST).seq(PEER_ISS + 5));
        peer.expect(timeWaitAck());
        assertEquals(1, tcp.timeWaitEntries(), "an inexact RST in the window gets a challenge ACK (RFC 5961 3.2)");
        peer.send(peer.seg(RST).seq(PEER_ISS + 2));
        peer.expectNothing();
        assertEquals(0, tcp.timeWaitEntries());
    }

    @Test
    @Covers(from = TIME_WAIT, to = CLOSED, cause = TransitionCause.RCV_SYN)
    void newSynAboveTheOldSequenceOpensANewIncarnation() {
        timeWait();
        peer.send(peer.seg(SYN).seq(PEER_ISS + 100_000).window(PEER_WINDOW).mss(MSS));
        // RFC 6191: the new ISS lies above the old connection's sequence numbers
        peer.expect(peer.reply(SYN | ACK).seq(ISS + 2 + 128_000).ack(PEER_ISS + 100_001).window(WINDOW).mss(MSS));
        assertEquals(0, tcp.timeWaitEntries());
        assertEquals(1, tcp.connectionsInUse());
        assertTrue(peer.recorder().transitions().getLast().to() == SYN_RECEIVED);
    }

    @Test
    void oldSynGetsAChallengeAck() {
        timeWait();
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW));
        peer.expect(timeWaitAck());
        assertEquals(1, tcp.timeWaitEntries());
    }

    @Test
    @Covers(from = TIME_WAIT, to = CLOSED, cause = TransitionCause.TIME_WAIT_RECYCLED)
    void fullTableRecyclesTheOldestEntry() {
        use(config().tcpTimeWaitEntries(1).build());
        timeWait();
        app.clear();
        int second = establishFrom(40_001);
        tcp.close(second);
        peer.expect(peer.reply(FIN | ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW));
        peer.send(peer.seg(FIN | ACK).seq(PEER_ISS + 1).ack(ISS + 2).window(PEER_WINDOW));
        peer.expect(ourAck(ISS + 2, PEER_ISS + 2, WINDOW));
        assertEquals(1, tcp.timeWaitEntries());
        assertEquals(1, tcp.counters().get(TcpCounter.TIME_WAIT_RECYCLED));
        // the first connection's 4-tuple is free again: a segment there meets CLOSED
        peer.ports(40_000, 80);
        peer.send(peerAck(PEER_ISS + 2, ISS + 2));
        peer.expect(peer.reply(RST).seq(ISS + 2));
    }
}
