package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.LISTEN;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.TcpState.SYN_SENT;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.RST;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spinet.config.StackConfig;
import dev.spinet.tcp.scenario.Covers;
import dev.spinet.tcp.scenario.PoolsAssert;
import dev.spinet.tcp.scenario.ScriptedPeer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LISTEN (RFC 9293 3.10.7.2) and the listener API. */
class ListenTest extends TcpScriptTest {

    @Test
    @Covers(from = LISTEN, to = SYN_RECEIVED, cause = TransitionCause.RCV_SYN)
    void synGetsSynAckWithOurMss() {
        listen();
        peer.ports(40_000, 80);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(1200));
        peer.expect(ourSynAck());
        assertEquals(1, tcp.connectionsInUse());
        assertEquals(List.of(), app.events(), "not announced before the handshake completes");
    }

    @Test
    void peerMssIsHonouredAnd536WhenAbsent() {
        listen();
        int a = establishFrom(40_000);
        assertEquals(MSS, tcp.sendMss(a));
        peer.ports(40_001, 80);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW));
        peer.expect(ourSynAck());
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        assertEquals(536, tcp.sendMss(app.lastAccepted()));
    }

    @Test
    @Covers(from = LISTEN, to = SYN_SENT, cause = TransitionCause.SEND)
    void sendOnAListenerMakesItActive() {
        int listener = listen();
        int c = tcp.connectFromListener(listener, ScriptedPeer.PEER_ADDRESS, 9000);
        peer.ports(9000, 80);
        peer.expect(ourSyn());
        assertEquals(SYN_SENT, tcp.state(c));
        assertEquals(CLOSED, tcp.state(listener));
        assertEquals(List.of("LISTEN->SYN_SENT"), peer.recorder().path(c));
    }

    @Test
    @Covers(from = LISTEN, to = CLOSED, cause = TransitionCause.CLOSE)
    void closeStopsListening() {
        int listener = listen();
        tcp.close(listener);
        expectClosedQuietly(listener);
        synIsRefused(40_000, 80);
    }

    @Test
    void portOfNamesTheListenerAndItsConnectionsPortAndZeroOnceStale() {
        int listener = listen();
        assertEquals(80, tcp.portOf(listener));
        int accepted = establishFrom(40_000);
        assertEquals(80, tcp.portOf(accepted));
        tcp.close(listener);
        assertEquals(0, tcp.portOf(listener), "a closed listener's handle is stale");
        tcp.abort(accepted);
        assertEquals(0, tcp.portOf(accepted), "a closed connection's handle is stale");
        assertEquals(0, tcp.portOf(12345));
    }

    @Test
    void rstIsIgnoredAndAckGetsRst() {
        listen();
        peer.ports(40_000, 80);
        peer.send(peer.seg(RST).seq(PEER_ISS));
        peer.expectNothing();
        peer.send(peer.seg(ACK).seq(PEER_ISS).ack(4242).window(PEER_WINDOW));
        peer.expect(peer.reply(RST).seq(4242));
        PoolsAssert.assertEveryPoolEmpty(tcp);
    }

    @Test
    void fullTableWithResetPolicyAnswersRst() {
        use(config().tcpConnections(1).tcpSynOverflowPolicy(StackConfig.SynOverflowPolicy.RESET).build());
        listen();
        establishFrom(40_000);
        synIsRefused(40_001, 80);
        assertEquals(1, tcp.counters().get(TcpCounter.SYN_OVERFLOW_RESET));
    }

    @Test
    void fullTableWithDropPolicyStaysSilent() {
        use(config().tcpConnections(1).tcpSynOverflowPolicy(StackConfig.SynOverflowPolicy.DROP).build());
        listen();
        establishFrom(40_000);
        peer.ports(40_001, 80);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW));
        peer.expectNothing();
        assertEquals(1, tcp.counters().get(TcpCounter.SYN_OVERFLOW_DROPPED));
    }

    @Test
    void windowScaleIsNegotiated() {
        use(config().tcpBuffers(131072, 4096).tcpOptions(true, false, false).build());
        listen();
        peer.ports(40_000, 80);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(MSS).windowScale(3));
        peer.expect(peer.reply(SYN | ACK).seq(ISS).ack(PEER_ISS + 1).window(65535).mss(MSS).windowScale(2));
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(300)); // 300 << 3 = 2400
        int c = app.lastAccepted();
        tcp.write(c, bytes(3000, 1), 0, 3000);
        var sent = peer.drain();
        peer.poll();
        sent.addAll(peer.drain());
        assertEquals(1, sent.size(), sent::toString);
        assertEquals(MSS, sent.get(0).payloadLength(), "a full segment fits only in the scaled window (2400)");
        assertEquals(131072 >> 2, sent.get(0).window(), "our window, scaled by our shift 2");
    }

    @Test
    void listenRejectsMisuse() {
        listen();
        assertThrows(IllegalStateException.class, () -> tcp.listen(80, 1, app));
        assertThrows(IllegalArgumentException.class, () -> tcp.listen(81, 0, app));
        assertThrows(IllegalArgumentException.class, () -> tcp.listen(81, 3, app));
        assertThrows(IllegalArgumentException.class, () -> tcp.listen(0, 1, app));
        tcp.listen(81, 1, app);
        assertThrows(IllegalStateException.class, () -> tcp.listen(82, 1, app));
    }
}
