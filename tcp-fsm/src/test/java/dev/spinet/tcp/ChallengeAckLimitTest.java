package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.RST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Seg;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * RFC 5961 section 7 throttles challenge ACKs. A budget shared by all connections is the
 * CVE-2016-5696 side channel: an off-path host counts the challenge ACKs its own connection gets
 * per second, and one missing tells it that a spoofed RST or SYN landed in another connection's
 * window. The budget belongs to each connection, so neither count depends on the other.
 */
class ChallengeAckLimitTest extends TcpScriptTest {

    private static final int A = 40_000;
    private static final int B = 40_001;
    private static final int BUDGET = 10; // StackConfig default tcpChallengeAcksPerSecond

    /** RSTs at RCV.NXT + 1 (in window, not exact) on the connection from {@code peerPort}; the replies. */
    private List<Seg> inWindowRsts(int peerPort, int count) {
        peer.ports(peerPort, 80);
        for (int i = 0; i < count; i++) {
            peer.send(peer.seg(RST).seq(PEER_ISS + 2));
        }
        return peer.drain();
    }

    private Seg challengeAck(int peerPort) {
        peer.ports(peerPort, 80);
        return ourAck(ISS + 1, PEER_ISS + 1, WINDOW);
    }

    @Test
    void exhaustingOneConnectionsBudgetLeavesAnotherConnectionsChallengeAcks() {
        listen();
        int a = establishFrom(A);
        int b = establishFrom(B);
        assertEquals(BUDGET, inWindowRsts(A, BUDGET + 5).size(), "connection A's budget is spent");
        assertEquals(List.of(challengeAck(B)), inWindowRsts(B, 1), "connection B still answers");
        assertEquals(TcpState.ESTABLISHED, tcp.state(a));
        assertEquals(TcpState.ESTABLISHED, tcp.state(b));
    }

    @Test
    void spoofedRstsOnAnotherConnectionDoNotShowInTheCountOfOnesOwn() {
        listen();
        establishFrom(A);
        establishFrom(B);
        // The off-path host's spoofed RSTs land in B's window (B answers its real peer)...
        assertEquals(5, inWindowRsts(B, 5).size());
        // ...and the host counts challenge ACKs on its own connection A: the full budget, as if
        // nothing had hit B.
        List<Seg> own = inWindowRsts(A, BUDGET + 5);
        assertEquals(BUDGET, own.size(), "A's count reveals nothing about B");
        for (Seg seg : own) {
            assertEquals(challengeAck(A), seg);
        }
    }
}
