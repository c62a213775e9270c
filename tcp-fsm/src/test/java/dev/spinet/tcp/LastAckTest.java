package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.LAST_ACK;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.RST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Covers;
import dev.spinet.tcp.scenario.PoolsAssert;
import java.util.List;
import org.junit.jupiter.api.Test;

class LastAckTest extends TcpScriptTest {

    @Test
    @Covers(from = LAST_ACK, to = CLOSED, cause = TransitionCause.RCV_ACK_OF_FIN)
    void ackOfFinCloses() {
        int c = lastAck();
        peer.send(peerAck(PEER_ISS + 2, ISS + 2));
        peer.expectNothing();
        assertEquals(CLOSED, tcp.state(c));
        assertEquals(List.of("closed NORMAL"), app.events());
        PoolsAssert.assertEveryPoolEmpty(tcp, "the passive closer has no TIME-WAIT");
    }

    @Test
    void ackNotCoveringTheFinIsIgnored() {
        int c = lastAck();
        peer.send(peerAck(PEER_ISS + 2, ISS + 1));
        peer.expectNothing();
        assertEquals(LAST_ACK, tcp.state(c));
    }

    @Test
    @Covers(from = LAST_ACK, to = CLOSED, cause = TransitionCause.RCV_RST)
    void rstCloses() {
        int c = lastAck();
        peer.send(peer.seg(RST).seq(PEER_ISS + 2));
        peer.expectNothing();
        assertEquals(CLOSED, tcp.state(c));
    }

    @Test
    @Covers(from = LAST_ACK, to = CLOSED, cause = TransitionCause.ABORT)
    void abortSendsNothing() {
        int c = lastAck();
        tcp.abort(c);
        peer.expectNothing();
    }

    @Test
    @Covers(from = LAST_ACK, to = CLOSED, cause = TransitionCause.RETRANSMISSION_TIMEOUT)
    void finIsRetransmittedThenGivesUp() {
        int c = lastAck();
        retransmitUntilGiveUp(c, peer.reply(FIN | ACK).seq(ISS + 1).ack(PEER_ISS + 2).window(WINDOW));
        assertEquals(List.of("closed TIMED_OUT"), app.events());
    }

    @Test
    @Covers(from = LAST_ACK, to = CLOSED, cause = TransitionCause.USER_TIMEOUT)
    void userTimeoutAborts() {
        use(userTimeoutConfig());
        int c = lastAck();
        peer.advance(300 * MS);
        peer.expectNothing();
        assertEquals(CLOSED, tcp.state(c));
    }
}
