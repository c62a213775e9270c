package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSING;
import static dev.spinet.tcp.TcpState.FIN_WAIT_1;
import static dev.spinet.tcp.TcpState.FIN_WAIT_2;
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.RST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Covers;
import dev.spinet.tcp.scenario.Seg;
import java.util.List;
import org.junit.jupiter.api.Test;

class FinWait1Test extends TcpScriptTest {

    private Seg ourFin() {
        return peer.reply(FIN | ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW);
    }

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
        peer.send(peer.seg(FIN | ACK).seq(PEER_ISS + 1).ack(ISS + 2).window(PEER_WINDOW));
        peer.expect(ourAck(ISS + 2, PEER_ISS + 2, WINDOW));
        assertEquals(List.of("FIN_WAIT_1->TIME_WAIT"), peer.recorder().path(c).subList(3, 4));
        assertEquals(0, tcp.connectionsInUse(), "TIME-WAIT holds no TCB");
        assertEquals(1, tcp.timeWaitEntries());
        assertEquals(List.of("closed NORMAL"), app.events());
    }

    @Test
    void dataStillArrivesAfterShutdownOutput() {
        int c = establishPassive();
        tcp.shutdownOutput(c);
        peer.expect(ourFin());
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload("late"));
        assertEquals(FIN_WAIT_1, tcp.state(c));
        assertEquals(4, tcp.available(c));
    }

    @Test
    @Covers(from = FIN_WAIT_1, to = CLOSED, cause = TransitionCause.RCV_RST)
    void rstResets() {
        int c = finWait1();
        peer.send(peer.seg(RST).seq(PEER_ISS + 1));
        peer.expectNothing();
        assertEquals(CLOSED, tcp.state(c));
        assertEquals(List.of("closed RESET"), app.events());
    }

    @Test
    @Covers(from = FIN_WAIT_1, to = CLOSED, cause = TransitionCause.ABORT)
    void abortSendsRstAtSndNxt() {
        int c = finWait1();
        tcp.abort(c);
        peer.expect(peer.reply(RST).seq(ISS + 2));
    }

    @Test
    @Covers(from = FIN_WAIT_1, to = CLOSED, cause = TransitionCause.RETRANSMISSION_TIMEOUT)
    void finIsRetransmittedThenGivesUp() {
        int c = finWait1();
        retransmitUntilGiveUp(c, ourFin());
        assertEquals(List.of("closed TIMED_OUT"), app.events());
    }

    @Test
    @Covers(from = FIN_WAIT_1, to = CLOSED, cause = TransitionCause.USER_TIMEOUT)
    void userTimeoutAborts() {
        use(userTimeoutConfig());
        int c = finWait1();
        peer.advance(300 * MS);
        peer.expectNothing();
        assertEquals(CLOSED, tcp.state(c));
    }
}
