package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spinet.config.StackConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code StackConfig.Builder.tcpReceiveWindow}: a window smaller than the receive ring and no
 * power of two, three full segments ({@link #LIMIT}), as an ENC28J60's receive FIFO holds of one
 * connection's flight. The SYN,ACK and every ACK announce at most that much beyond RCV.NXT,
 * however much of the 8 KiB ring is free; the receiver's SWS rule (RFC 1122 4.2.3.3) measures
 * RCV.BUFF as the limit.
 */
class ReceiveWindowLimitTest extends TcpScriptTest {

    private static final int RING = 8192;
    private static final int LIMIT = 3 * MSS;

    private int establishLimited() {
        use(config().tcpBuffers(RING, 4096).tcpReceiveWindow(LIMIT).build());
        listen();
        peer.ports(40_000, 80);
        peer.send(peerSyn());
        peer.expect(peer.reply(SYN | ACK).seq(ISS).ack(PEER_ISS + 1).window(LIMIT).mss(MSS));
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        return app.lastAccepted();
    }

    @Test
    void theSynAckAndTheAcksAnnounceTheLimitNotTheFreeRing() {
        int c = establishLimited();
        byte[] buffer = new byte[RING];
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(MSS, 1)));
        assertEquals(MSS, tcp.read(c, buffer, 0, buffer.length));
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1 + MSS).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(MSS, 2)));
        assertEquals(MSS, tcp.read(c, buffer, 0, buffer.length));
        // Every byte read, 8192 free: the window is still three segments past the ACK.
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1 + 2 * MSS, LIMIT));
    }

    @Test
    void unreadDataShrinksTheWindowOnlyWhenTheRingRunsShort() {
        int c = establishLimited();
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(MSS, 0)));
        peer.expectNothing();
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1 + MSS).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(MSS, 1)));
        // 2920 unread, 5272 of the ring free: still the limit.
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1 + 2 * MSS, LIMIT));
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1 + 2 * MSS).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(MSS, 2)));
        peer.expectNothing();
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1 + 3 * MSS).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(MSS, 3)));
        // 5840 unread, 2352 free: the right edge (2920 + 4380) stays, it cannot move left and 2352
        // would move it by less than one MSS (RFC 1122 4.2.3.3): one segment of window.
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1 + 4 * MSS, MSS));
        assertEquals(4 * MSS, tcp.available(c));
    }

    @Test
    void aLimitAboveTheRingIsRefused() {
        StackConfig.Builder builder = config().tcpBuffers(4096, 4096).tcpReceiveWindow(4380);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals(true, e.getMessage().contains("tcpReceiveWindowBytes"), e.getMessage());
    }
}
