package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static dev.spinet.tcp.TcpState.LISTEN;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Covers;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * RFC 9293 3.10.7.4, fourth check, SYN-RECEIVED: "If the connection was initiated with a passive
 * OPEN, then return this connection to the LISTEN state and return. Otherwise, handle per the
 * directions for synchronized states below." A peer that restarted with a new ISN reaches the
 * listener afresh with its next SYN instead of being held off with challenge ACKs.
 */
class SynReceivedNewSynTest extends TcpScriptTest {

    private static final int NEW_PEER_ISS = PEER_ISS + 1000;

    @Test
    @Covers(from = SYN_RECEIVED, to = LISTEN, cause = TransitionCause.RCV_SYN)
    void aNewSynReturnsAPassiveHalfOpenConnectionToListen() {
        listen();
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(MSS));
        peer.expect(peer.reply(SYN | ACK).seq(ISS).ack(PEER_ISS + 1).window(WINDOW).mss(MSS));
        // In the window, not the SYN we have: the half-open connection goes, nothing is sent.
        peer.send(peer.seg(SYN).seq(NEW_PEER_ISS).window(PEER_WINDOW).mss(MSS));
        peer.expectNothing();
        assertEquals(0, tcp.connectionsInUse());
        assertEquals(1, tcp.counters().get(TcpCounter.HALF_OPEN_RETURNED_TO_LISTEN_BY_SYN));
        assertEquals(List.of(), app.events(), "never announced, so no event");
        // The peer's retransmitted SYN meets the listener and opens with the new ISN.
        peer.send(peer.seg(SYN).seq(NEW_PEER_ISS).window(PEER_WINDOW).mss(MSS));
        peer.expect(peer.reply(SYN | ACK).seq(ISS).ack(NEW_PEER_ISS + 1).window(WINDOW).mss(MSS));
        peer.send(peerAck(NEW_PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        assertEquals(TcpState.ESTABLISHED, tcp.state(app.lastAccepted()));
    }

    @Test
    void aNewSynInAnActiveSynReceivedGetsAChallengeAck() {
        int c = connectAndTakeSyn();
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(MSS));
        peer.expect(peer.reply(SYN | ACK).seq(ISS).ack(PEER_ISS + 1).window(WINDOW).mss(MSS));
        peer.send(peer.seg(SYN).seq(NEW_PEER_ISS).window(PEER_WINDOW).mss(MSS));
        // "Otherwise, handle per the directions for synchronized states": RFC 5961 4.2.
        peer.expect(peer.reply(ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW));
        assertEquals(SYN_RECEIVED, tcp.state(c));
    }
}
