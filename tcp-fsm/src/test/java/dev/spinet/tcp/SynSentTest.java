package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.TcpState.SYN_SENT;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.RST;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Covers;
import dev.spinet.tcp.scenario.PoolsAssert;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SYN-SENT (RFC 9293 3.10.7.3). */
class SynSentTest extends TcpScriptTest {

    @Test
    @Covers(from = SYN_SENT, to = ESTABLISHED, cause = TransitionCause.RCV_SYN_ACK)
    void synAckCompletesTheHandshake() {
        int c = establishActive();
        assertEquals(ESTABLISHED, tcp.state(c));
        assertEquals(MSS, tcp.sendMss(c));
    }

    @Test
    void synAckCarryingDataDeliversIt() {
        int c = connectAndTakeSyn();
        peer.send(peerSynAck().payload("hi"));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 3, WINDOW - 2));
        assertEquals(List.of("connected", "readable"), app.events());
        assertEquals(2, tcp.available(c));
    }

    @Test
    @Covers(from = SYN_SENT, to = SYN_RECEIVED, cause = TransitionCause.RCV_SYN)
    void bareSynIsSimultaneousOpen() {
        int c = simultaneousOpen();
        // the peer's SYN,ACK acknowledges ours: both sides are ESTABLISHED without another segment
        peer.send(peerSynAck());
        peer.expectNothing();
        assertEquals(ESTABLISHED, tcp.state(c));
        assertEquals(List.of("connected"), app.events());
    }

    @Test
    @Covers(from = SYN_SENT, to = CLOSED, cause = TransitionCause.CLOSE)
    void closeDeletesTheTcb() {
        int c = connectAndTakeSyn();
        tcp.close(c);
        expectClosedQuietly(c, CloseReason.NORMAL);
        PoolsAssert.assertEveryPoolEmpty(tcp);
    }

    @Test
    @Covers(from = SYN_SENT, to = CLOSED, cause = TransitionCause.ABORT)
    void abortSendsNothing() {
        abortIsSilent(connectAndTakeSyn());
        assertEquals(List.of("closed ABORTED"), app.events());
    }

    @Test
    @Covers(from = SYN_SENT, to = CLOSED, cause = TransitionCause.RCV_RST)
    void rstWithAcceptableAckIsConnectionRefused() {
        int c = connectAndTakeSyn();
        peer.send(peer.seg(RST | ACK).seq(0).ack(ISS + 1));
        expectClosedQuietly(c, CloseReason.REFUSED);
    }

    @Test
    void rstWithoutAckIsIgnoredAndBadAckGetsRst() {
        int c = connectAndTakeSyn();
        peer.send(peer.seg(RST).seq(PEER_ISS));
        peer.expectNothing();
        peer.send(peer.seg(SYN | ACK).seq(PEER_ISS).ack(ISS + 99).window(PEER_WINDOW));
        peer.expect(peer.reply(RST).seq(ISS + 99));
        assertEquals(SYN_SENT, tcp.state(c));
    }

    @Test
    @Covers(from = SYN_SENT, to = CLOSED, cause = TransitionCause.RETRANSMISSION_TIMEOUT)
    void synIsRetransmittedThenGivesUp() {
        int c = connectAndTakeSyn();
        // RFC 6298 2.1: initial RTO 1 s; SYN retry limit 2 in this fixture
        expectBackedOffRetransmissions(ourSyn(), SECOND, 2);
        expectClosedQuietly(c, CloseReason.TIMED_OUT);
    }

    @Test
    @Covers(from = SYN_SENT, to = CLOSED, cause = TransitionCause.RCV_ICMP_HARD_ERROR)
    void portUnreachableAboutOurSynRefusesTheConnection() {
        int c = connectAndTakeSyn();
        // RFC 1122 4.2.3.9: destination unreachable code 3 is a hard error; before the connection
        // is synchronized it ends it (RFC 5927 5.2), quoting our SYN's 4-tuple and ISS.
        peer.sendIcmpError(3, 3, 0, ourSyn(), 8);
        expectClosedQuietly(c, CloseReason.REFUSED);
        assertEquals(1, tcp.counters().get(TcpCounter.ICMP_HARD_ERROR_ABORTS));
    }
}
