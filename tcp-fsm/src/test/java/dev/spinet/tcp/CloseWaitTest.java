package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSE_WAIT;
import static dev.spinet.tcp.TcpState.LAST_ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Covers;
import dev.spinet.tcp.scenario.Seg;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloseWaitTest extends TcpScriptTest {

    @Test
    @Covers(from = CLOSE_WAIT, to = LAST_ACK, cause = TransitionCause.CLOSE)
    void closeSendsFin() {
        lastAck();
    }

    @Test
    void writingContinuesAfterThePeersFin() {
        int c = closeWait();
        tcp.write(c, "reply".getBytes(), 0, 5);
        peer.expect(ourData(ISS + 1, PEER_ISS + 2, "reply"));
        assertEquals(CLOSE_WAIT, tcp.state(c));
    }

    @Test
    @Covers(from = CLOSE_WAIT, to = CLOSED, cause = TransitionCause.RCV_RST)
    void rstResets() {
        peerResets(closeWait(), PEER_ISS + 2);
        assertEquals(List.of("closed RESET"), app.events());
    }

    @Test
    @Covers(from = CLOSE_WAIT, to = CLOSED, cause = TransitionCause.ABORT)
    void abortSendsRst() {
        abortResets(closeWait(), ISS + 1);
    }

    @Test
    @Covers(from = CLOSE_WAIT, to = CLOSED, cause = TransitionCause.RETRANSMISSION_TIMEOUT)
    void unacknowledgedDataTimesOut() {
        int c = closeWait();
        tcp.write(c, "x".getBytes(), 0, 1);
        Seg data = ourData(ISS + 1, PEER_ISS + 2, "x");
        peer.expect(data);
        retransmitUntilGiveUp(c, data);
    }

    @Test
    @Covers(from = CLOSE_WAIT, to = CLOSED, cause = TransitionCause.USER_TIMEOUT)
    void userTimeoutAborts() {
        use(userTimeoutConfig());
        int c = closeWait();
        tcp.write(c, "x".getBytes(), 0, 1);
        peer.expect(ourData(ISS + 1, PEER_ISS + 2, "x"));
        userTimeoutCloses(c);
    }
}
