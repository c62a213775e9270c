package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.PSH;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The limit of one out-of-window ACK per 500 ms and connection breaks ACK loops between two ends
 * that disagree on a sequence number; ACK loops are made of pure ACKs. A retransmission of data
 * or of a FIN that we already have means our ACK was lost, and RFC 9293 3.10.7.4 answers an
 * unacceptable segment with an ACK: those are answered every time (Linux exempts segments that
 * occupy sequence space the same way).
 */
class OutOfWindowAckLimitTest extends TcpScriptTest {

    @Test
    void everyRetransmissionOfDataAlreadyReceivedIsAcknowledged() {
        int c = establishPassive();
        peer.send(peer.seg(PSH | ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload("hello"));
        peer.advance(40 * MS);
        peer.expect(ourAck(ISS + 1, PEER_ISS + 6, WINDOW - 5));
        // That ACK was lost: the peer retransmits, and again 200 ms later.
        peer.advance(200 * MS);
        peer.send(peer.seg(PSH | ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload("hello"));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 6, WINDOW - 5));
        peer.advance(200 * MS);
        peer.send(peer.seg(PSH | ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload("hello"));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 6, WINDOW - 5));
        assertEquals(5, tcp.available(c), "the duplicate is not delivered twice");
    }

    @Test
    void everyRetransmittedFinIsAcknowledged() {
        closeWait();
        for (int i = 0; i < 3; i++) {
            peer.advance(100 * MS);
            peer.send(peer.seg(FIN | ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW));
            peer.expect(ourAck(ISS + 1, PEER_ISS + 2, WINDOW));
        }
        assertEquals(0, tcp.counters().get(TcpCounter.OUT_OF_WINDOW_ACK_RATE_LIMITED));
    }

    @Test
    void pureAcksOutsideTheWindowAreStillThrottled() {
        establishPassive();
        peer.send(peerAck(PEER_ISS + 1 + 100_000, ISS + 1));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1, WINDOW));
        peer.advance(100 * MS);
        peer.send(peerAck(PEER_ISS + 1 + 100_000, ISS + 1));
        peer.expectNothing();
        assertEquals(1, tcp.counters().get(TcpCounter.OUT_OF_WINDOW_ACK_RATE_LIMITED));
    }

    @Test
    void dataFarOutsideAnyWindowIsStillThrottled() {
        establishPassive();
        // Not a retransmission: it lies more than a receive window below RCV.NXT (blind data).
        peer.send(peer.seg(PSH | ACK).seq(PEER_ISS + 1 - 100_000).ack(ISS + 1).window(PEER_WINDOW).payload("junk"));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1, WINDOW));
        peer.advance(100 * MS);
        peer.send(peer.seg(PSH | ACK).seq(PEER_ISS + 1 - 100_000).ack(ISS + 1).window(PEER_WINDOW).payload("junk"));
        peer.expectNothing();
    }
}
