package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSING;
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.RST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Covers;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClosingTest extends TcpScriptTest {

    @Test
    @Covers(from = CLOSING, to = TIME_WAIT, cause = TransitionCause.RCV_ACK_OF_FIN)
    void ackOfFinEntersTimeWait() {
        int c = closing();
        peer.send(peerAck(PEER_ISS + 2, ISS + 2));
        peer.expectNothing();
        assertEquals(List.of("CLOSING->TIME_WAIT"), peer.recorder().path(c).subList(4, 5));
        assertEquals(1, tcp.timeWaitEntries());
        assertEquals(0, tcp.connectionsInUse());
    }

    @Test
    @Covers(from = CLOSING, to = CLOSED, cause = TransitionCause.RCV_RST)
    void rstCloses() {
        int c = closing();
        peer.send(peer.seg(RST).seq(PEER_ISS + 2));
        peer.expectNothing();
        assertEquals(CLOSED, tcp.state(c));
    }

    @Test
    @Covers(from = CLOSING, to = CLOSED, cause = TransitionCause.ABORT)
    void abortSendsNothing() {
        int c = closing();
        tcp.abort(c);
        peer.expectNothing();
        assertEquals(List.of("closed ABORTED"), app.events());
    }

    @Test
    @Covers(from = CLOSING, to = CLOSED, cause = TransitionCause.RETRANSMISSION_TIMEOUT)
    void finIsRetransmittedThenGivesUp() {
        int c = closing();
        // the FIN went out before the peer's FIN arrived; it is resent carrying the new ACK
        long rto = tcp.retransmissionTimeoutNanos(c);
        peer.advance(rto);
        peer.expect(peer.reply(FIN | ACK).seq(ISS + 1).ack(PEER_ISS + 2).window(WINDOW));
        peer.advance(2 * rto);
        peer.expect(peer.reply(FIN | ACK).seq(ISS + 1).ack(PEER_ISS + 2).window(WINDOW));
        peer.advance(4 * rto);
        peer.expect(peer.reply(FIN | ACK).seq(ISS + 1).ack(PEER_ISS + 2).window(WINDOW));
        peer.advance(8 * rto);
        peer.expectNothing();
        assertEquals(CLOSED, tcp.state(c));
    }

    @Test
    @Covers(from = CLOSING, to = CLOSED, cause = TransitionCause.USER_TIMEOUT)
    void userTimeoutAborts() {
        use(userTimeoutConfig());
        int c = closing();
        peer.advance(300 * MS);
        peer.expectNothing();
        assertEquals(CLOSED, tcp.state(c));
    }

    @Test
    void retransmittedFinIsAckedAgain() {
        int c = closing();
        peer.send(peer.seg(FIN | ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW));
        peer.expect(ourAck(ISS + 2, PEER_ISS + 2, WINDOW));
        assertEquals(CLOSING, tcp.state(c));
    }
}
