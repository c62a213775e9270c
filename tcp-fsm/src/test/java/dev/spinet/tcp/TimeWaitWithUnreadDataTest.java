package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.RST;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.scenario.Seg;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * TIME-WAIT is one behaviour whether or not the application has read everything yet: the
 * compact entry's (RFC 9293 3.10.7.4 with RFC 5961, and RFC 6191 / RFC 1122 4.2.2.13 for a SYN).
 * The unread data stays readable through the handle meanwhile, apart from the protocol state.
 */
class TimeWaitWithUnreadDataTest extends TcpScriptTest {

    /** Half-closed by the application, then the peer's "bye" and FIN: TIME-WAIT, "bye" unread. */
    private int timeWaitWithUnreadBye() {
        int c = establishPassive();
        tcp.shutdownOutput(c);
        peer.expect(peer.reply(FIN | ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW));
        peer.send(peerAck(PEER_ISS + 1, ISS + 2));
        peer.send(peer.seg(FIN | ACK).seq(PEER_ISS + 1).ack(ISS + 2).window(PEER_WINDOW).payload("bye"));
        peer.expect(ourAck(ISS + 2, PEER_ISS + 5, WINDOW - 3));
        assertEquals(TIME_WAIT, tcp.state(c));
        app.clear();
        return c;
    }

    /** The TIME-WAIT answer: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, the window as last announced. */
    private Seg timeWaitAck() {
        return peer.reply(ACK).seq(ISS + 2).ack(PEER_ISS + 5).window(WINDOW - 3);
    }

    private void assertByeThenEndOfStream(int c) {
        byte[] buffer = new byte[8];
        assertEquals(3, tcp.read(c, buffer, 0, 8));
        assertEquals("bye", new String(buffer, 0, 3));
        assertEquals(-1, tcp.read(c, buffer, 0, 8));
        assertEquals(TcpState.CLOSED, tcp.state(c));
        assertEquals(0, tcp.connectionsInUse());
    }

    /**
     * An application that reads to the end of the stream from inside onPeerClosed (as the lab boards
     * and most servers do) retires the connection into the TIME-WAIT table during the callback; the
     * ACK of the FIN that led there must still go out at once (RFC 9293 3.10.7.4, eighth step: "send
     * an acknowledgment for the FIN"), not only when the peer retransmits its FIN.
     */
    @Test
    void theFinIsAcknowledgedAtOnceWhenTheApplicationReadsToTheEndInsideOnPeerClosed() {
        int[] accepted = {-1};
        StringBuilder read = new StringBuilder();
        TcpHandler readsToTheEnd = new TcpHandler() {
            @Override
            public void onAccepted(int listener, int connection) {
                accepted[0] = connection;
            }

            @Override
            public void onPeerClosed(int connection) {
                byte[] buffer = new byte[16];
                int n;
                while ((n = tcp.read(connection, buffer, 0, buffer.length)) > 0) {
                    read.append(new String(buffer, 0, n));
                }
            }
        };
        tcp.listen(80, 2, readsToTheEnd);
        halfOpenFrom(40_000);
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        int c = accepted[0];
        tcp.shutdownOutput(c);
        peer.expect(peer.reply(FIN | ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW));
        peer.send(peerAck(PEER_ISS + 1, ISS + 2));
        peer.send(peer.seg(FIN | ACK).seq(PEER_ISS + 1).ack(ISS + 2).window(PEER_WINDOW).payload("bye"));
        peer.expect(peer.reply(ACK).seq(ISS + 2).ack(PEER_ISS + 5).window(WINDOW - 3));
        assertEquals("bye", read.toString());
        assertEquals(1, tcp.timeWaitEntries());
        assertEquals(0, tcp.connectionsInUse(), "the TCB went back once the application had read to the end");
    }

    @Test
    void aNewSynAboveTheOldSequenceReopensWhileDataIsUnread() {
        int c = timeWaitWithUnreadBye();
        peer.send(peer.seg(SYN).seq(PEER_ISS + 100_000).window(PEER_WINDOW).mss(MSS));
        // RFC 6191: the new ISS lies above the old connection's sequence numbers
        peer.expect(peer.reply(SYN | ACK).seq(ISS + 2 + 128_000).ack(PEER_ISS + 100_001).window(WINDOW).mss(MSS));
        assertEquals(1, tcp.counters().get(TcpCounter.TIME_WAIT_REOPENED));
        peer.send(peerAck(PEER_ISS + 100_001, ISS + 2 + 128_001));
        peer.expectNothing();
        assertEquals(TcpState.ESTABLISHED, tcp.state(app.lastAccepted()));
        // the old incarnation's data is still there for its reader
        byte[] buffer = new byte[8];
        assertEquals(3, tcp.read(c, buffer, 0, 8));
        assertEquals(-1, tcp.read(c, buffer, 0, 8));
        assertEquals(1, tcp.connectionsInUse(), "only the new connection");
    }

    @Test
    void aRetransmittedFinGetsTheTimeWaitAnswerAndRestartsTwoMsl() {
        int c = timeWaitWithUnreadBye();
        peer.advance(50 * SECOND);
        peer.send(peer.seg(FIN | ACK).seq(PEER_ISS + 4).ack(ISS + 2).window(PEER_WINDOW));
        peer.expect(timeWaitAck());
        peer.advance(50 * SECOND);
        assertEquals(1, tcp.timeWaitEntries(), "2 MSL restarted at the FIN");
        peer.advance(10 * SECOND);
        assertEquals(0, tcp.timeWaitEntries());
        assertByeThenEndOfStream(c);
    }

    @Test
    void anOldSynGetsAChallengeAck() {
        int c = timeWaitWithUnreadBye();
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW));
        peer.expect(timeWaitAck());
        assertEquals(TIME_WAIT, tcp.state(c));
    }

    @Test
    void theExactRstEndsTimeWaitAndTheDataStaysReadable() {
        use(config().tcpRfc1337(false).build()); // RFC 9293's TIME-WAIT; with RFC 1337 see Rfc1337Test
        int c = timeWaitWithUnreadBye();
        peer.send(peer.seg(RST).seq(PEER_ISS + 5));
        peer.expectNothing();
        assertEquals(0, tcp.timeWaitEntries());
        assertEquals(List.of(), app.events(), "the connection had finished normally; its reader is not told of a reset");
        assertByeThenEndOfStream(c);
        assertEquals(List.of("closed NORMAL"), app.events());
    }

    /**
     * A read that frees much of the ring would queue a window update, but a TCB detached in
     * TIME-WAIT sends nothing (its entry answers for it): no deadline may be reported for it, or a
     * stack thread would wake for work poll never does.
     */
    @Test
    void readingALotInTimeWaitLeavesNoDeadlineDue() {
        int c = establishPassive();
        tcp.shutdownOutput(c);
        peer.expect(peer.reply(FIN | ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW));
        peer.send(peerAck(PEER_ISS + 1, ISS + 2));
        byte[] chunk = new byte[1000];
        for (int i = 0; i < 3; i++) {
            peer.send(peer.seg(ACK).seq(PEER_ISS + 1 + 1000 * i).ack(ISS + 2).window(PEER_WINDOW).payload(chunk));
        }
        peer.send(peer.seg(FIN | ACK).seq(PEER_ISS + 3001).ack(ISS + 2).window(PEER_WINDOW));
        peer.drain();
        assertEquals(TIME_WAIT, tcp.state(c));
        assertEquals(3000, tcp.read(c, new byte[4000], 0, 4000));
        long now = peer.now();
        assertTrue(tcp.nextDeadline(now) - now > 0,
                "a deadline at or before now promises work, and a detached TIME-WAIT TCB has none");
    }
}
