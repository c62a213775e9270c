package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.PSH;
import static dev.spinet.tcp.scenario.Seg.RST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The sequence number of the RSTs and ACKs the peer must accept (Tcb.controlSeq): SND.MAX, or
 * SND.NXT while our zero-window probe sits beyond the peer's window (RFC 9293 3.10.7.4 accepts a
 * segment into a zero window only at SEG.SEQ = RCV.NXT; RFC 5961 3.2 drops a RST outside it).
 */
class ControlSequenceTest extends TcpScriptTest {

    @Test
    void abortWhilePersistingSendsItsRstAtTheFirstByteThePeerHasNotTaken() {
        int c = zeroWindowProbed(); // SND.MAX is ISS+2: the probe byte beyond the peer's closed window
        tcp.abort(c);
        // The peer's RCV.NXT is ISS+1 with window 0: only a RST there is accepted.
        peer.expect(peer.reply(RST).seq(ISS + 1));
    }

    @Test
    void closeWithUnreadDataInLastAckStillTellsThePeerWithARst() {
        int c = establishPassive();
        peer.send(peer.seg(PSH | ACK | FIN).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload("unread"));
        peer.poll();
        peer.drain();
        tcp.shutdownOutput(c);
        peer.expect(ourFin(ISS + 1, PEER_ISS + 8).window(WINDOW - 6)); // "unread" still in the ring
        assertEquals(TcpState.LAST_ACK, tcp.state(c));
        tcp.close(c);
        // RFC 1122 4.2.2.13: CLOSE with received data pending "SHOULD send a RST".
        peer.expect(peer.reply(RST).seq(ISS + 2));
        assertEquals(1, tcp.counters().get(TcpCounter.RST_SENT_CLOSE_WITH_UNREAD_DATA));
    }
}
