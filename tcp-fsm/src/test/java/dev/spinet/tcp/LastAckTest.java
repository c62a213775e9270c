package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.LAST_ACK;
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
        expectClosedQuietly(c, CloseReason.NORMAL);
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
        peerResets(lastAck(), PEER_ISS + 2);
    }

    @Test
    @Covers(from = LAST_ACK, to = CLOSED, cause = TransitionCause.ABORT)
    void abortSendsNothing() {
        abortIsSilent(lastAck());
    }

    @Test
    @Covers(from = LAST_ACK, to = CLOSED, cause = TransitionCause.RETRANSMISSION_TIMEOUT)
    void finIsRetransmittedThenGivesUp() {
        int c = lastAck();
        retransmitUntilGiveUp(c, ourFin(ISS + 1, PEER_ISS + 2));
        assertEquals(List.of("closed TIMED_OUT"), app.events());
    }

    @Test
    @Covers(from = LAST_ACK, to = CLOSED, cause = TransitionCause.USER_TIMEOUT)
    void userTimeoutAborts() {
        use(userTimeoutConfig());
        userTimeoutCloses(lastAck());
    }
}
