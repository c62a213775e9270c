package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.PSH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.spinet.tcp.scenario.Seg;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A peer that closes its window, as the Linux client of the echo test does while it is blocked
 * in send() and not reading: persist probes carry one byte past the closed window and raise
 * SND.MAX by one, and the probe byte is usually not taken. What the stack sends meanwhile must
 * still be acceptable to such a peer, and the peer's answers to the probes are not loss signals.
 */
class ZeroWindowTest extends TcpScriptTest {

    /** ESTABLISHED, "xy" queued behind a zero window, one probe sent and answered with window 0. */
    private int probedOnce() {
        int c = zeroWindowProbed();
        // Linux drops the byte (its window is zero) and answers <ACK=RCV.NXT> with window 0.
        peer.send(peerAck(PEER_ISS + 1, ISS + 1).window(0));
        peer.expectNothing();
        return c;
    }

    @Test
    void pureAckWhilePersistingCarriesSndNxtNotThePastProbeByte() {
        int c = probedOnce();
        // The peer still sends to us; our ACK must be acceptable to a receiver whose window is
        // zero: RFC 9293 3.10.7.4 accepts a zero-length segment then only if SEG.SEQ = RCV.NXT.
        peer.send(peer.seg(PSH | ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(0).payload("hello"));
        peer.advance(40 * MS); // delayed ACK
        peer.expect(ourAck(ISS + 1, PEER_ISS + 6, WINDOW - 5));
        assertEquals(TcpState.ESTABLISHED, tcp.state(c));
        // More data, read by the application: the ACKs and window updates are acceptable too.
        tcp.read(c, new byte[5], 0, 5);
        peer.send(peer.seg(PSH | ACK).seq(PEER_ISS + 6).ack(ISS + 1).window(0).payload(new byte[1400]));
        tcp.read(c, new byte[1400], 0, 1400);
        peer.advance(40 * MS);
        List<Seg> acks = peer.drain();
        assertFalse(acks.isEmpty(), "the second segment is acknowledged");
        for (Seg ack : acks) {
            assertEquals(ISS + 1, ack.seq(), acks::toString);
        }
    }

    @Test
    void answersToWindowProbesAreNotDuplicateAcks() {
        int c = probedOnce();
        long rto = tcp.retransmissionTimeoutNanos(c);
        Seg probe = zeroWindowProbe();
        for (int i = 1; i <= 4; i++) {
            peer.advance((rto << i) - 1);
            peer.expectNothing();
            peer.advance(1);
            peer.expect(probe); // one byte, never a full segment into the closed window
            peer.send(peerAck(PEER_ISS + 1, ISS + 1).window(0));
            peer.expectNothing();
        }
        assertEquals(0, tcp.counters().get(TcpCounter.FAST_RETRANSMITS));
        assertEquals(0, tcp.counters().get(TcpCounter.DUPLICATE_ACKS));
        // The window opens: both bytes go from SND.NXT, once.
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expect(ourData(ISS + 1, PEER_ISS + 1, "xy"));
        peer.send(peerAck(PEER_ISS + 1, ISS + 3));
        peer.expectNothing();
        assertEquals(TcpState.ESTABLISHED, tcp.state(c));
    }

    @Test
    void userTimeoutCountsFromTheFirstProbeNotFromTheLastAck() {
        use(userTimeoutConfig()); // 300 ms
        int c = establishPassive();
        long rto = tcp.retransmissionTimeoutNanos(c);
        peer.send(peerAck(PEER_ISS + 1, ISS + 1).window(0));
        peer.advance(10 * SECOND); // idle: nothing unacknowledged
        tcp.write(c, "xy".getBytes(), 0, 2);
        peer.expectNothing();
        peer.advance(rto);
        peer.expect(zeroWindowProbe());
        peer.advance(MS);
        assertEquals(TcpState.ESTABLISHED, tcp.state(c), "the probe byte was outstanding for 1 ms, not 10 s");
        peer.advance(300 * MS);
        assertEquals(TcpState.CLOSED, tcp.state(c), "unanswered for the user timeout: aborted");
    }
}
