package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.FIN_WAIT_1;
import static dev.spinet.tcp.TcpState.LISTEN;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.RST;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Covers;
import dev.spinet.tcp.scenario.PoolsAssert;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SYN-RECEIVED, reached passively (from LISTEN) or by simultaneous open (from SYN-SENT). */
class SynReceivedTest extends TcpScriptTest {

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
        peerResets(simultaneousOpen(), PEER_ISS + 1);
        assertEquals(List.of("closed REFUSED"), app.events());
    }

    @Test
    @Covers(from = SYN_RECEIVED, to = FIN_WAIT_1, cause = TransitionCause.CLOSE)
    void closeQueuesFinUntilTheSynIsAcked() {
        int c = simultaneousOpen();
        tcp.close(c);
        assertEquals(FIN_WAIT_1, tcp.state(c));
        peer.expectNothing();
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        assertEquals(List.of(ourFin(ISS + 1, PEER_ISS + 1)), peer.drainWithoutPoll());
    }

    @Test
    @Covers(from = SYN_RECEIVED, to = CLOSED, cause = TransitionCause.ABORT)
    void abortSendsRst() {
        int c = simultaneousOpen();
        abortResets(c, ISS + 1);
        assertEquals(List.of("closed ABORTED"), app.events());
    }

    @Test
    @Covers(from = SYN_RECEIVED, to = CLOSED, cause = TransitionCause.RETRANSMISSION_TIMEOUT)
    void synAckIsRetransmittedThenGivesUp() {
        listen();
        halfOpenFrom(40_000);
        expectBackedOffRetransmissions(ourSynAck(), SECOND, 2);
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
        peer.send(peerSyn());
        peer.expect(ourSynAck());
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
