package dev.spinet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.RecordingHandler;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A listener whose application has its accept queue full ({@link TcpHandler#acceptQueueFull})
 * makes the peer wait, as Linux does with {@code tcp_abort_on_overflow=0}: a SYN gets no answer
 * (tcp_conn_request drops it: no SYN,ACK and no reset, so the peer retransmits), and the ACK that
 * would complete a handshake begun before the queue filled is dropped, the connection staying
 * in SYN-RECEIVED and our SYN,ACK retransmitted until a copy of the ACK finds room
 * (tcp_check_req). Nothing is reset and nothing announced while the queue is full.
 */
class AcceptQueueFullTest extends TcpScriptTest {

    /** The recording handler, with an accept queue the test fills and empties. */
    private static final class QueueingHandler implements TcpHandler {
        final RecordingHandler events;
        volatile boolean full;

        QueueingHandler(RecordingHandler events) {
            this.events = events;
        }

        @Override
        public boolean acceptQueueFull(int listener) {
            return full;
        }

        @Override
        public void onAccepted(int listener, int connection) {
            events.onAccepted(listener, connection);
        }

        @Override
        public void onClosed(int connection, CloseReason reason) {
            events.onClosed(connection, reason);
        }
    }

    @Test
    void aSynIsDroppedWhileTheQueueIsFullAndAnsweredOnceThereIsRoom() {
        QueueingHandler handler = new QueueingHandler(app);
        tcp.listen(80, 2, handler);
        handler.full = true;
        peer.ports(40_000, 80);
        peer.send(peerSyn());
        peer.expectNothing();
        assertEquals(0, tcp.connectionsInUse(), "no state kept for the dropped SYN");
        assertEquals(1, tcp.counters().get(TcpCounter.LISTEN_ACCEPT_QUEUE_FULL));

        handler.full = false;
        peer.advance(SECOND);
        peer.send(peerSyn()); // the peer's retransmission
        peer.expect(ourSynAck());
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        assertEquals(List.of("accepted"), app.events());
        assertEquals(TcpState.ESTABLISHED, tcp.state(app.lastAccepted()));
    }

    @Test
    void theFinalAckIsDroppedWhileTheQueueIsFullAndTheSynAckRetransmitted() {
        QueueingHandler handler = new QueueingHandler(app);
        tcp.listen(80, 2, handler);
        peer.ports(40_000, 80);
        peer.send(peerSyn());
        peer.expect(ourSynAck());
        handler.full = true; // the application's queue filled meanwhile
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        assertEquals(List.of(), app.events(), "not accepted, not reset");
        assertEquals(1, tcp.connectionsInUse(), "still half-open");
        assertEquals(1, tcp.counters().get(TcpCounter.LISTEN_ACCEPT_QUEUE_FULL));

        peer.advance(SECOND - 1);
        peer.expectNothing();
        peer.advance(1);
        peer.expect(ourSynAck()); // the SYN,ACK's retransmission asks the peer for its ACK again
        handler.full = false;
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        assertEquals(List.of("accepted"), app.events());
        assertEquals(TcpState.ESTABLISHED, tcp.state(app.lastAccepted()));
    }
}
