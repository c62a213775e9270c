package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.PSH;
import static dev.spinet.tcp.scenario.Seg.RST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * RFC 1122 4.2.2.13: "If such a host issues a CLOSE call while received data is still pending in
 * TCP, or if new data is received after CLOSE is called, its TCP SHOULD send a RST to show that
 * data was lost." A FIN would tell the peer that everything it sent was consumed.
 */
class CloseWithUnreadDataTest extends TcpScriptTest {

    /** ESTABLISHED, "hello" received and acknowledged but not read. */
    private int unreadHello() {
        int c = establishPassive();
        peer.send(peer.seg(PSH | ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload("hello"));
        peer.advance(40 * MS);
        peer.expect(ourAck(ISS + 1, PEER_ISS + 6, WINDOW - 5));
        app.clear();
        return c;
    }

    @Test
    void closeWithUnreadDataSendsRstInsteadOfFin() {
        int c = unreadHello();
        tcp.close(c);
        peer.expect(peer.reply(RST).seq(ISS + 1));
        assertEquals(TcpState.CLOSED, tcp.state(c));
        assertEquals(List.of("closed ABORTED"), app.events());
        assertEquals(1, tcp.counters().get(TcpCounter.RST_SENT_CLOSE_WITH_UNREAD_DATA));
    }

    @Test
    void closeInCloseWaitWithUnreadDataSendsRst() {
        int c = unreadHello();
        peer.send(peer.seg(FIN | ACK).seq(PEER_ISS + 6).ack(ISS + 1).window(PEER_WINDOW));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 7, WINDOW - 5));
        assertEquals(TcpState.CLOSE_WAIT, tcp.state(c));
        tcp.close(c);
        peer.expect(peer.reply(RST).seq(ISS + 1));
        assertEquals(TcpState.CLOSED, tcp.state(c));
    }

    @Test
    void closeAfterReadingEverythingStillSendsFin() {
        int c = unreadHello();
        assertEquals(5, tcp.read(c, new byte[8], 0, 8));
        tcp.close(c);
        // (5 bytes read do not move the right window edge: receiver SWS avoidance)
        peer.expect(peer.reply(FIN | ACK).seq(ISS + 1).ack(PEER_ISS + 6).window(WINDOW - 5));
        assertEquals(TcpState.FIN_WAIT_1, tcp.state(c));
    }

    @Test
    void newDataAfterCloseIsAnsweredWithRst() {
        int c = finWait2();
        app.clear();
        peer.send(peer.seg(PSH | ACK).seq(PEER_ISS + 1).ack(ISS + 2).window(PEER_WINDOW).payload("late"));
        // SEQ as for ABORT: SND.MAX, just past our FIN (here also the peer's SEG.ACK)
        peer.expect(peer.reply(RST).seq(ISS + 2));
        assertEquals(TcpState.CLOSED, tcp.state(c));
        assertEquals(List.of("closed ABORTED"), app.events());
        assertEquals(1, tcp.counters().get(TcpCounter.RST_SENT_DATA_AFTER_CLOSE));
    }

    @Test
    void newDataAfterCloseBeforeOurFinIsAckedIsAnsweredWithRst() {
        int c = finWait1();
        peer.send(peer.seg(PSH | ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload("late"));
        // SND.MAX (past our FIN), not SEG.ACK: by the time the RST arrives the peer has usually
        // taken our FIN, and a RST at SEG.ACK would then fall left of its window and be dropped
        // (RFC 5961 3.2). If the FIN was lost, SND.MAX is in the window: a challenge ACK comes
        // back, and CLOSED answers it with an exact RST.
        peer.expect(peer.reply(RST).seq(ISS + 2));
        assertEquals(TcpState.CLOSED, tcp.state(c));
    }

    @Test
    void aRetransmissionOfDataReadBeforeCloseIsOnlyAcknowledged() {
        int c = unreadHello();
        assertEquals(5, tcp.read(c, new byte[8], 0, 8));
        tcp.close(c);
        // (5 bytes read do not move the right window edge: receiver SWS avoidance)
        peer.expect(peer.reply(FIN | ACK).seq(ISS + 1).ack(PEER_ISS + 6).window(WINDOW - 5));
        // our ACK of "hello" was lost: the copy is old data, not new data
        peer.send(peer.seg(PSH | ACK).seq(PEER_ISS + 1).ack(ISS + 2).window(PEER_WINDOW).payload("hello"));
        peer.expect(ourAck(ISS + 2, PEER_ISS + 6, WINDOW - 5));
        assertEquals(TcpState.FIN_WAIT_1, tcp.state(c), "an unacceptable segment's ACK field is not processed");
    }
}
