package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSING;
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
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
        peerResets(closing(), PEER_ISS + 2);
    }

    @Test
    @Covers(from = CLOSING, to = CLOSED, cause = TransitionCause.ABORT)
    void abortSendsNothing() {
        abortIsSilent(closing());
        assertEquals(List.of("closed ABORTED"), app.events());
    }

    @Test
    @Covers(from = CLOSING, to = CLOSED, cause = TransitionCause.RETRANSMISSION_TIMEOUT)
    void finIsRetransmittedThenGivesUp() {
        int c = closing();
        // the FIN went out before the peer's FIN arrived; it is resent carrying the new ACK
        retransmitUntilGiveUp(c, ourFin(ISS + 1, PEER_ISS + 2));
    }

    @Test
    @Covers(from = CLOSING, to = CLOSED, cause = TransitionCause.USER_TIMEOUT)
    void userTimeoutAborts() {
        use(userTimeoutConfig());
        userTimeoutCloses(closing());
    }

    @Test
    void retransmittedFinIsAckedAgain() {
        int c = closing();
        peerFinIsAcked(ISS + 1, ISS + 2);
        assertEquals(CLOSING, tcp.state(c));
    }
}
