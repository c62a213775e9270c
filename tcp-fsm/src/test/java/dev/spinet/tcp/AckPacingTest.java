package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * How often the stack acknowledges, and how its congestion window grows when the peer
 * acknowledges every second segment (RFC 5681 4.2), the usual case with Linux and with Spinet
 * itself. Receive ring 4096 ({@link #WINDOW}), MSS 1460, so half the ring is 2048.
 */
class AckPacingTest extends TcpScriptTest {

    @Test
    void readingEachSegmentAtOnceLeavesTheAckToEverySecondSegment() {
        int c = establishPassive();
        byte[] buffer = new byte[4096];
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(MSS, 1)));
        assertEquals(MSS, tcp.read(c, buffer, 0, buffer.length));
        // The window the peer sees (4096 - 1460) is above half the ring: no window update of its
        // own, although the read freed a whole MSS.
        peer.expectNothing();
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1 + MSS).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(MSS, 2)));
        // The second segment is acknowledged at once, and the ACK carries the window the read
        // opened: 4096 minus the 1460 bytes still unread.
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1 + 2 * MSS, WINDOW - MSS));
    }

    @Test
    void aReadThatReopensANearlyClosedWindowIsAnnouncedAtOnce() {
        int c = establishPassive();
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(MSS, 1)));
        peer.expectNothing();
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1 + MSS).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(MSS, 2)));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1 + 2 * MSS, WINDOW - 2 * MSS));
        // 1176 bytes of window left, below half the ring: the read that frees 2920 is announced
        // without waiting for more data (RFC 1122 4.2.3.3: it grew by at least one MSS).
        byte[] buffer = new byte[4096];
        assertEquals(2 * MSS, tcp.read(c, buffer, 0, buffer.length));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1 + 2 * MSS, WINDOW));
    }

    @Test
    void slowStartGrowsByTheBytesAnAckCoversUpToTwoSegments() {
        use(config().tcpBuffers(4096, 16384).build());
        int c = establishPassive();
        int initial = tcp.congestionWindow(c);
        assertEquals(3 * MSS, initial); // RFC 5681 3.1 for SMSS 1460
        byte[] data = bytes(8 * MSS, 5);
        tcp.write(c, data, 0, data.length);
        peer.poll();
        assertEquals(3, peer.drain().size());
        // One ACK for two segments (a delayed-ACK receiver): RFC 3465 2.2, L = 2.
        peer.send(peerAck(PEER_ISS + 1, ISS + 1 + 2 * MSS));
        assertEquals(initial + 2 * MSS, tcp.congestionWindow(c));
        // One ACK for one segment: one MSS.
        peer.send(peerAck(PEER_ISS + 1, ISS + 1 + 3 * MSS));
        assertEquals(initial + 3 * MSS, tcp.congestionWindow(c));
    }
}
