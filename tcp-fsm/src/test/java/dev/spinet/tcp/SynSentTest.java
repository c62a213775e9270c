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
import dev.spinet.tcp.scenario.Seg;
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
        peer.send(peer.seg(SYN | ACK).seq(PEER_ISS).ack(ISS + 1).window(PEER_WINDOW).mss(MSS).payload("hi"));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 3, WINDOW - 2));
        assertEquals(List.of("connected", "readable"), app.events());
        assertEquals(2, tcp.available(c));
    }

    @Test
    @Covers(from = SYN_SENT, to = SYN_RECEIVED, cause = TransitionCause.RCV_SYN)
    void bareSynIsSimultaneousOpen() {
        int c = connectAndTakeSyn();
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(MSS));
        peer.expect(peer.reply(SYN | ACK).seq(ISS).ack(PEER_ISS + 1).window(WINDOW).mss(MSS));
        assertEquals(SYN_RECEIVED, tcp.state(c));
        // the peer's SYN,ACK acknowledges ours: both sides are ESTABLISHED without another segment
        peer.send(peer.seg(SYN | ACK).seq(PEER_ISS).ack(ISS + 1).window(PEER_WINDOW).mss(MSS));
        peer.expectNothing();
        assertEquals(ESTABLISHED, tcp.state(c));
        assertEquals(List.of("connected"), app.events());
    }

    @Test
    @Covers(from = SYN_SENT, to = CLOSED, cause = TransitionCause.CLOSE)
    void closeDeletesTheTcb() {
        int c = connectAndTakeSyn();
        tcp.close(c);
        peer.expectNothing();
        assertEquals(CLOSED, tcp.state(c));
        assertEquals(List.of("closed NORMAL"), app.events());
        PoolsAssert.assertEveryPoolEmpty(tcp);
    }

    @Test
    @Covers(from = SYN_SENT, to = CLOSED, cause = TransitionCause.ABORT)
    void abortSendsNothing() {
        int c = connectAndTakeSyn();
        tcp.abort(c);
        peer.expectNothing();
        assertEquals(List.of("closed ABORTED"), app.events());
    }

    @Test
    @Covers(from = SYN_SENT, to = CLOSED, cause = TransitionCause.RCV_RST)
    void rstWithAcceptableAckIsConnectionRefused() {
        int c = connectAndTakeSyn();
        peer.send(peer.seg(RST | ACK).seq(0).ack(ISS + 1));
        peer.expectNothing();
        assertEquals(CLOSED, tcp.state(c));
        assertEquals(List.of("closed REFUSED"), app.events());
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
        Seg syn = peer.reply(SYN).seq(ISS).window(WINDOW).mss(MSS);
        peer.advance(SECOND); // RFC 6298 2.1: initial RTO 1 s
        peer.expect(syn);
        peer.advance(2 * SECOND);
        peer.expect(syn);
        peer.advance(4 * SECOND); // SYN retry limit 2 in this fixture
        peer.expectNothing();
        assertEquals(CLOSED, tcp.state(c));
        assertEquals(List.of("closed TIMED_OUT"), app.events());
    }
}
