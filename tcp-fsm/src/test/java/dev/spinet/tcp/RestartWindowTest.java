package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * RFC 5681 4.1, restarting idle connections, in ESTABLISHED: "TCP SHOULD set cwnd to no more than
 * RW before beginning transmission if the TCP has not sent data in an interval exceeding the
 * retransmission timeout", RW = min(IW, cwnd). With the peer's MSS 1000 the IW is four segments
 * (equation 3); the scripts first grow cwnd to eight.
 */
class RestartWindowTest extends TcpScriptTest {

    static final int PEER_MSS = 1000;

    /** Passive open with the peer's MSS 1000, then cwnd grown from 4000 to 8000 by two flights. */
    int establishedWithGrownWindow() {
        listen();
        peer.ports(40_000, 80);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(PEER_MSS));
        peer.expect(ourSynAck());
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        int c = app.lastAccepted();
        assertEquals(4 * PEER_MSS, tcp.congestionWindow(c));
        assertEquals(4, flight(c, 4 * PEER_MSS, ISS + 1));
        assertEquals(6 * PEER_MSS, tcp.congestionWindow(c), "slow start, RFC 3465 L = 2: one ACK adds 2 SMSS");
        assertEquals(6, flight(c, 6 * PEER_MSS, ISS + 1 + 4 * PEER_MSS));
        assertEquals(8 * PEER_MSS, tcp.congestionWindow(c));
        return c;
    }

    private int ssthresh(int c) {
        TcbSnapshot snapshot = new TcbSnapshot();
        tcp.snapshot(c, snapshot);
        return snapshot.ssthresh();
    }

    /** Writes {@code bytes}; returns the segments that go at once, then acknowledges all of them. */
    private int flight(int c, int bytes, int from) {
        tcp.write(c, bytes(bytes, 1), 0, bytes);
        peer.poll();
        int segments = peer.drain().size();
        peer.send(peerAck(PEER_ISS + 1, from + segments * PEER_MSS));
        peer.expectNothing();
        return segments;
    }

    @Test
    void afterAnIdleTimeLongerThanTheRtoTheRestartWindowIsTheInitialWindow() {
        use(config().tcpBuffers(4096, 16384).build());
        int c = establishedWithGrownWindow();
        int ssthresh = ssthresh(c);
        peer.advance(tcp.retransmissionTimeoutNanos(c) + 1);
        tcp.write(c, bytes(8 * PEER_MSS, 2), 0, 8 * PEER_MSS);
        peer.poll();
        assertEquals(4, peer.drain().size(), "RW = min(IW, cwnd): four segments, not the eight cwnd had grown to");
        assertEquals(4 * PEER_MSS, tcp.congestionWindow(c));
        assertEquals(ssthresh, ssthresh(c), "ssthresh is left alone");
        assertEquals(1, tcp.counters().get(TcpCounter.CWND_RESTARTS_AFTER_IDLE));
    }

    @Test
    void anIdleTimeOfOneRtoKeepsTheWindow() {
        use(config().tcpBuffers(4096, 16384).build());
        int c = establishedWithGrownWindow();
        peer.advance(tcp.retransmissionTimeoutNanos(c)); // "exceeding": not yet
        tcp.write(c, bytes(8 * PEER_MSS, 2), 0, 8 * PEER_MSS);
        peer.poll();
        assertEquals(8, peer.drain().size());
        assertEquals(0, tcp.counters().get(TcpCounter.CWND_RESTARTS_AFTER_IDLE));
    }

    @Test
    void aWindowBelowTheInitialOneIsKept() {
        use(config().tcpBuffers(4096, 16384).build());
        int c = establishedWithGrownWindow();
        // A retransmission timeout collapses cwnd to one segment (RFC 5681 3.1).
        tcp.write(c, bytes(PEER_MSS, 3), 0, PEER_MSS);
        peer.poll();
        assertEquals(1, peer.drain().size());
        peer.advance(tcp.retransmissionTimeoutNanos(c));
        assertEquals(1, peer.drain().size(), "the retransmission");
        peer.send(peerAck(PEER_ISS + 1, ISS + 1 + 11 * PEER_MSS));
        peer.drain();
        int cwnd = tcp.congestionWindow(c);
        assertTrue(cwnd < 4 * PEER_MSS, "cwnd " + cwnd);
        peer.advance(10 * SECOND);
        tcp.write(c, bytes(8 * PEER_MSS, 2), 0, 8 * PEER_MSS);
        peer.poll();
        assertEquals(cwnd / PEER_MSS, peer.drain().size(), "min(IW, cwnd) is cwnd");
        assertEquals(0, tcp.counters().get(TcpCounter.CWND_RESTARTS_AFTER_IDLE));
    }

    @Test
    void switchedOffTheGrownWindowGoesOutAfterAnyIdleTime() {
        use(config().tcpBuffers(4096, 16384).tcpRestartAfterIdle(false).build());
        int c = establishedWithGrownWindow();
        peer.advance(60 * SECOND);
        tcp.write(c, bytes(8 * PEER_MSS, 2), 0, 8 * PEER_MSS);
        peer.poll();
        assertEquals(8, peer.drain().size());
    }
}
