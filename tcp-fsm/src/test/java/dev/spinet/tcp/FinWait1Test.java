package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSING;
import static dev.spinet.tcp.TcpState.FIN_WAIT_1;
import static dev.spinet.tcp.TcpState.FIN_WAIT_2;
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Covers;
import java.util.List;
import org.junit.jupiter.api.Test;

class FinWait1Test extends TcpScriptTest {

    @Test
    @Covers(from = FIN_WAIT_1, to = FIN_WAIT_2, cause = TransitionCause.RCV_ACK_OF_FIN)
    void ackOfFinMovesToFinWait2() {
        finWait2();
    }

    @Test
    @Covers(from = FIN_WAIT_1, to = CLOSING, cause = TransitionCause.RCV_FIN)
    void finWithoutAckOfOursIsSimultaneousClose() {
        closing();
    }

    @Test
    @Covers(from = FIN_WAIT_1, to = TIME_WAIT, cause = TransitionCause.RCV_FIN_ACK)
    void finThatAlsoAcksOursGoesStraightToTimeWait() {
        int c = finWait1();
        peerFinIsAcked(ISS + 2, ISS + 2);
        assertEquals(List.of("FIN_WAIT_1->TIME_WAIT"), peer.recorder().path(c).subList(3, 4));
        assertEquals(0, tcp.connectionsInUse(), "TIME-WAIT holds no TCB");
        assertEquals(1, tcp.timeWaitEntries());
        assertEquals(List.of("closed NORMAL"), app.events());
    }

    @Test
    void dataStillArrivesAfterShutdownOutput() {
        int c = establishPassive();
        tcp.shutdownOutput(c);
        peer.expect(ourFin(ISS + 1, PEER_ISS + 1));
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload("late"));
        assertEquals(FIN_WAIT_1, tcp.state(c));
        assertEquals(4, tcp.available(c));
    }

    @Test
    @Covers(from = FIN_WAIT_1, to = CLOSED, cause = TransitionCause.RCV_RST)
    void rstResets() {
        peerResets(finWait1(), PEER_ISS + 1);
        assertEquals(List.of("closed RESET"), app.events());
    }

    @Test
    @Covers(from = FIN_WAIT_1, to = CLOSED, cause = TransitionCause.ABORT)
    void abortSendsRstAtSndNxt() {
        abortResets(finWait1(), ISS + 2);
    }

    @Test
    @Covers(from = FIN_WAIT_1, to = CLOSED, cause = TransitionCause.RETRANSMISSION_TIMEOUT)
    void finIsRetransmittedThenGivesUp() {
        int c = finWait1();
        retransmitUntilGiveUp(c, ourFin(ISS + 1, PEER_ISS + 1));
        assertEquals(List.of("closed TIMED_OUT"), app.events());
    }

    @Test
    @Covers(from = FIN_WAIT_1, to = CLOSED, cause = TransitionCause.USER_TIMEOUT)
    void userTimeoutAborts() {
        use(userTimeoutConfig());
        userTimeoutCloses(finWait1());
    }
}
