package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Karn's algorithm (RFC 6298 section 3): "RTT samples MUST NOT be made using segments that were
 * retransmitted". A SYN,ACK sent again from ISS is such a segment, whatever made it go again.
 * With no sample the RTO stays at its initial 1 s (RFC 6298 2.1).
 */
class KarnRuleTest extends TcpScriptTest {

    @Test
    void synAckResentForADuplicateSynGivesNoRttSample() {
        listen();
        peer.ports(40_000, 80);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(MSS));
        peer.expect(peer.reply(SYN | ACK).seq(ISS).ack(PEER_ISS + 1).window(WINDOW).mss(MSS));
        // The peer's SYN again before our RTO: our SYN,ACK goes again from ISS.
        peer.advance(900 * MS);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(MSS));
        peer.expect(peer.reply(SYN | ACK).seq(ISS).ack(PEER_ISS + 1).window(WINDOW).mss(MSS));
        // The ACK 50 ms later may answer either copy: timing it from the first gives 950 ms.
        peer.advance(50 * MS);
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        int c = app.lastAccepted();
        assertEquals(ESTABLISHED, tcp.state(c));

        assertEquals(SECOND, tcp.retransmissionTimeoutNanos(c));
    }

    @Test
    void synAckOfASimultaneousOpenGivesNoRttSample() {
        int c = connectAndTakeSyn();
        peer.advance(900 * MS);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(MSS));
        peer.expect(peer.reply(SYN | ACK).seq(ISS).ack(PEER_ISS + 1).window(WINDOW).mss(MSS));
        assertEquals(SYN_RECEIVED, tcp.state(c));
        // The peer's SYN,ACK acknowledges ISS + 1: our SYN or our SYN,ACK, nobody can tell which.
        peer.advance(50 * MS);
        peer.send(peer.seg(SYN | ACK).seq(PEER_ISS).ack(ISS + 1).window(PEER_WINDOW).mss(MSS));
        peer.poll();
        peer.drain();
        assertEquals(ESTABLISHED, tcp.state(c));

        assertEquals(SECOND, tcp.retransmissionTimeoutNanos(c));
    }
}
