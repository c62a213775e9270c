package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.FIN_WAIT_1;
import static dev.spinet.tcp.TcpState.LISTEN;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.RST;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Covers;
import dev.spinet.tcp.scenario.PoolsAssert;
import dev.spinet.tcp.scenario.Seg;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SYN-RECEIVED, reached passively (from LISTEN) or by simultaneous open (from SYN-SENT). */
class SynReceivedTest extends TcpScriptTest {

    private Seg synAck() {
        return peer.reply(SYN | ACK).seq(ISS).ack(PEER_ISS + 1).window(WINDOW).mss(MSS);
    }

    private void halfOpenFrom(int peerPort) {
        peer.ports(peerPort, 80);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(MSS));
        peer.expect(synAck());
    }

    /** Active open that crossed the peer's SYN: SYN-RECEIVED with a handle the application has. */
    private int simultaneous() {
        int c = connectAndTakeSyn();
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(MSS));
        peer.expect(synAck());
        assertEquals(SYN_RECEIVED, tcp.state(c));
        return c;
    }

    @Test
    @Covers(from = SYN_RECEIVED, to = ESTABLISHED, cause = TransitionCause.RCV_ACK_OF_SYN)
    void ackOfSynEstablishesAndAnnounces() {
        establishPassive();
    }

    @Test
    @Covers(from = SYN_RECEIVED, to = LISTEN, cause = TransitionCause.RCV_RST)
    void rstReturnsPassiveConnectionToListen() {
        listen();
        halfOpenFrom(40_000);
        peer.send(peer.seg(RST).seq(PEER_ISS + 1));
        peer.expectNothing();
        PoolsAssert.assertEveryPoolEmpty(tcp);
        assertEquals(List.of(), app.events(), "never announced, so no event");
        establishFrom(40_001); // the listener still works
    }

    @Test
    @Covers(from = SYN_RECEIVED, to = CLOSED, cause = TransitionCause.RCV_RST)
    void rstRefusesActiveConnection() {
        int c = simultaneous();
        peer.send(peer.seg(RST).seq(PEER_ISS + 1));
        peer.expectNothing();
        assertEquals(List.of("closed REFUSED"), app.events());
        assertEquals(CLOSED, tcp.state(c));
    }

    @Test
    @Covers(from = SYN_RECEIVED, to = FIN_WAIT_1, cause = TransitionCause.CLOSE)
    void closeQueuesFinUntilTheSynIsAcked() {
        int c = simultaneous();
        tcp.close(c);
        assertEquals(FIN_WAIT_1, tcp.state(c));
        peer.expectNothing();
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        assertEquals(List.of(peer.reply(FIN | ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW)), peer.drainWithoutPoll());
    }

    @Test
    @Covers(from = SYN_RECEIVED, to = CLOSED, cause = TransitionCause.ABORT)
    void abortSendsRst() {
        int c = simultaneous();
        tcp.abort(c);
        peer.expect(peer.reply(RST).seq(ISS + 1));
        assertEquals(List.of("closed ABORTED"), app.events());
    }

    @Test
    @Covers(from = SYN_RECEIVED, to = CLOSED, cause = TransitionCause.RETRANSMISSION_TIMEOUT)
    void synAckIsRetransmittedThenGivesUp() {
        listen();
        halfOpenFrom(40_000);
        peer.advance(SECOND);
        peer.expect(synAck());
        peer.advance(2 * SECOND);
        peer.expect(synAck());
        peer.advance(4 * SECOND);
        peer.expectNothing();
        PoolsAssert.assertEveryPoolEmpty(tcp);
    }

    @Test
    @Covers(from = SYN_RECEIVED, to = CLOSED, cause = TransitionCause.BACKLOG_EVICTED)
    void fullBacklogEvictsTheOldestHalfOpen() {
        // Eviction is the DROP/RESET policies' answer; SYN_COOKIE answers a full backlog with cookies.
        use(config().tcpSynOverflowPolicy(dev.spinet.config.StackConfig.SynOverflowPolicy.DROP).build());
        listen(); // backlog 2
        halfOpenFrom(40_000);
        peer.advance(MS);
        halfOpenFrom(40_001);
        peer.advance(MS);
        halfOpenFrom(40_002);
        assertEquals(2, tcp.connectionsInUse());
        assertEquals(1, tcp.counters().get(TcpCounter.BACKLOG_EVICTED));
        // the evicted one (40000) is gone: its ACK meets no connection
        peer.ports(40_000, 80);
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expect(peer.reply(RST).seq(ISS + 1));
    }

    @Test
    void retransmittedSynGetsTheSynAckAgain() {
        listen();
        halfOpenFrom(40_000);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(MSS));
        peer.expect(synAck());
        assertEquals(1, tcp.counters().get(TcpCounter.SYN_ACK_RETRANSMITTED));
    }

    @Test
    void unacceptableAckGetsRst() {
        listen();
        halfOpenFrom(40_000);
        peer.send(peerAck(PEER_ISS + 1, ISS + 50));
        peer.expect(peer.reply(RST).seq(ISS + 50));
        assertEquals(1, tcp.connectionsInUse());
    }
}
