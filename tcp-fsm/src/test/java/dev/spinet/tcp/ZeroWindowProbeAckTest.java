package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.PSH;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * RFC 9293 3.8.6.1: "When the receiving TCP peer has a zero window and a segment arrives, it must
 * still send an acknowledgment showing its next expected sequence number and current window
 * (zero)." BSD, Windows, lwIP and this stack's own persist timer probe with one byte of data.
 */
class ZeroWindowProbeAckTest extends TcpScriptTest {

    /** ESTABLISHED with the receive ring full (the application reads nothing): window 0. */
    private int windowClosed() {
        int c = establishPassive();
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(1460, 1)));
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1461).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(1460, 2)));
        peer.send(peer.seg(PSH | ACK).seq(PEER_ISS + 2921).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(WINDOW - 2920, 3)));
        peer.advance(40 * MS);
        peer.drain();
        assertEquals(WINDOW, tcp.available(c));
        return c;
    }

    @Test
    void oneByteProbeIntoAZeroWindowIsAnsweredWithRcvNxtAndWindowZero() {
        int c = windowClosed();
        int rcvNxt = PEER_ISS + 1 + WINDOW;
        peer.send(peer.seg(ACK).seq(rcvNxt).ack(ISS + 1).window(PEER_WINDOW).payload("p"));
        peer.expect(ourAck(ISS + 1, rcvNxt, 0));
        assertEquals(WINDOW, tcp.available(c), "the probe byte is not taken");
        // the next probe, after the peer's backed-off persist timer, gets its answer too
        peer.advance(2 * SECOND);
        peer.send(peer.seg(ACK).seq(rcvNxt).ack(ISS + 1).window(PEER_WINDOW).payload("p"));
        peer.expect(ourAck(ISS + 1, rcvNxt, 0));
    }

    @Test
    void fullSegmentAgainstAZeroWindowIsAnsweredAtOnce() {
        windowClosed();
        int rcvNxt = PEER_ISS + 1 + WINDOW;
        peer.send(peer.seg(ACK).seq(rcvNxt).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(1460, 4)));
        peer.expect(ourAck(ISS + 1, rcvNxt, 0));
    }
}
