package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.FIN_WAIT_2;
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Covers;
import dev.spinet.tcp.scenario.Seg;
import org.junit.jupiter.api.Test;

class FinWait2Test extends TcpScriptTest {

    @Test
    @Covers(from = FIN_WAIT_2, to = TIME_WAIT, cause = TransitionCause.RCV_FIN)
    void finIsAckedAndTimeWaitBegins() {
        timeWait();
        assertEquals(0, tcp.connectionsInUse());
    }

    @Test
    @Covers(from = FIN_WAIT_2, to = CLOSED, cause = TransitionCause.RCV_RST)
    void rstResets() {
        peerResets(finWait2(), PEER_ISS + 1);
    }

    @Test
    @Covers(from = FIN_WAIT_2, to = CLOSED, cause = TransitionCause.ABORT)
    void abortSendsRst() {
        abortResets(finWait2(), ISS + 2);
    }

    @Test
    @Covers(from = FIN_WAIT_2, to = CLOSED, cause = TransitionCause.FIN_WAIT_2_TIMEOUT)
    void closedApplicationDoesNotWaitForeverForTheFin() {
        int c = finWait2();
        peer.advance(60 * SECOND - 1);
        assertEquals(FIN_WAIT_2, tcp.state(c));
        peer.advance(1);
        expectClosedQuietly(c, CloseReason.TIMED_OUT);
    }

    @Test
    void halfClosedConnectionKeepsReadingUntilThePeersFin() {
        int c = establishPassive();
        tcp.shutdownOutput(c);
        peer.expect(ourFin(ISS + 1, PEER_ISS + 1));
        peer.send(peerAck(PEER_ISS + 1, ISS + 2));
        assertEquals(FIN_WAIT_2, tcp.state(c));
        peer.advance(120 * SECOND);
        assertEquals(FIN_WAIT_2, tcp.state(c), "no FIN-WAIT-2 timeout while the application may still read");
        peer.send(peerFin(PEER_ISS + 1, ISS + 2).payload("bye"));
        peer.expect(ourAck(ISS + 2, PEER_ISS + 5, WINDOW - 3));
        assertEquals(TIME_WAIT, tcp.state(c), "the full TCB stays while data is unread");
        byte[] buffer = new byte[8];
        assertEquals(3, tcp.read(c, buffer, 0, 8));
        assertEquals(-1, tcp.read(c, buffer, 0, 8));
        assertEquals(CLOSED, tcp.state(c));
        assertEquals(1, tcp.timeWaitEntries());
        assertEquals(0, tcp.connectionsInUse());
    }

    @Test
    void theFinIsAckedWhenTheApplicationReadsToTheEndInsideItsCallback() {
        // RFC 9293 3.10.7.4, eighth: "advance RCV.NXT over the FIN, and send an acknowledgment for
        // the FIN" -- also when the application, told of the FIN, reads the rest and end of stream
        // at once, which retires the connection into the TIME-WAIT table before the segment's
        // processing ends. The peer must not have to retransmit its FIN to get that ACK.
        byte[] buffer = new byte[8];
        TcpHandler readsToTheEnd = new TcpHandler() {
            @Override
            public void onAccepted(int listener, int connection) {
                app.onAccepted(listener, connection);
            }

            @Override
            public void onPeerClosed(int connection) {
                app.onPeerClosed(connection);
                while (tcp.read(connection, buffer, 0, buffer.length) > 0) {
                    // the three bytes that came with the FIN
                }
            }

            @Override
            public void onClosed(int connection, CloseReason reason) {
                app.onClosed(connection, reason);
            }
        };
        tcp.listen(80, 2, readsToTheEnd);
        int c = establishFrom(40_000);
        tcp.shutdownOutput(c);
        peer.expect(ourFin(ISS + 1, PEER_ISS + 1));
        peer.send(peerAck(PEER_ISS + 1, ISS + 2));
        peer.send(peerFin(PEER_ISS + 1, ISS + 2).payload("bye"));
        peer.expect(ourAck(ISS + 2, PEER_ISS + 5, WINDOW - 3));
        assertEquals(CLOSED, tcp.state(c), "end of stream was read: the connection lives on as a TIME-WAIT entry");
        assertEquals(1, tcp.timeWaitEntries());
    }

    /**
     * RFC 1122 4.2.3.6 in FIN-WAIT-2 of a half-closed connection (shutdownOutput: the application
     * still reads, so no FIN-WAIT-2 timeout): our FIN is acknowledged, nothing is in flight, and
     * only probes tell a peer that vanished from one that has nothing to say. The probe is
     * <SEQ=SND.NXT-1><ACK=RCV.NXT>: one below the FIN's successor.
     */
    @Test
    @Covers(from = FIN_WAIT_2, to = CLOSED, cause = TransitionCause.KEEPALIVE_TIMEOUT)
    void keepaliveProbesAHalfClosedConnectionThenTimesOut() {
        use(config().tcpKeepalive(true, 10 * SECOND, SECOND, 2).build());
        int c = establishPassive();
        tcp.shutdownOutput(c);
        peer.expect(ourFin(ISS + 1, PEER_ISS + 1));
        peer.send(peerAck(PEER_ISS + 1, ISS + 2));
        assertEquals(FIN_WAIT_2, tcp.state(c));
        Seg probe = ourAck(ISS + 1, PEER_ISS + 1, WINDOW);
        peer.advance(10 * SECOND);
        peer.expect(probe);
        peer.send(peerAck(PEER_ISS + 1, ISS + 2));
        peer.expectNothing();
        peer.advance(10 * SECOND);
        peer.expect(probe);
        peer.advance(SECOND);
        peer.expect(probe);
        peer.advance(SECOND);
        expectClosedQuietly(c, CloseReason.TIMED_OUT);
    }

    /** Without keepalive a half-closed FIN-WAIT-2 sends nothing, however long it waits. */
    @Test
    void withoutKeepaliveAHalfClosedConnectionIsSilent() {
        int c = establishPassive();
        tcp.shutdownOutput(c);
        peer.expect(ourFin(ISS + 1, PEER_ISS + 1));
        peer.send(peerAck(PEER_ISS + 1, ISS + 2));
        peer.advance(3 * 3600 * SECOND);
        peer.expectNothing();
        assertEquals(FIN_WAIT_2, tcp.state(c));
    }
}
