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

    /**
     * RFC 1122 4.2.3.6 in CLOSE-WAIT: the peer has finished sending, our application has not
     * closed, nothing is in flight. A peer that vanished now would hold the TCB for good, so an
     * idle CLOSE-WAIT is probed like ESTABLISHED: <SEQ=SND.NXT-1><ACK=RCV.NXT>, no data.
     */
    @Test
    @Covers(from = CLOSE_WAIT, to = CLOSED, cause = TransitionCause.KEEPALIVE_TIMEOUT)
    void keepaliveProbesAnIdleCloseWaitThenTimesOut() {
        use(config().tcpKeepalive(true, 10 * SECOND, SECOND, 2).build());
        int c = closeWait();
        Seg probe = ourAck(ISS, PEER_ISS + 2, WINDOW);
        peer.advance(10 * SECOND - 1);
        peer.expectNothing();
        peer.advance(1);
        peer.expect(probe);
        peer.send(peerAck(PEER_ISS + 2, ISS + 1)); // the answer resets the idle time
        peer.expectNothing();
        peer.advance(10 * SECOND);
        peer.expect(probe);
        peer.advance(SECOND);
        peer.expect(probe);
        peer.advance(SECOND);
        expectClosedQuietly(c, CloseReason.TIMED_OUT);
        assertEquals(3, tcp.counters().get(TcpCounter.KEEPALIVE_PROBES));
    }
}
