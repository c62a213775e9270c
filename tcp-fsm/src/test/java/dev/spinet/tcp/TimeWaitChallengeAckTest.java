package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Seg;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * RFC 5961 4.2 in TIME-WAIT: any SYN that does not open a new incarnation (RFC 6191 takes only a
 * SYN without ACK) gets a challenge ACK, under the entry's own section 7 budget. A SYN,ACK is no
 * exception to either rule.
 */
class TimeWaitChallengeAckTest extends TcpScriptTest {

    private Seg timeWaitAck() {
        return peer.reply(ACK).seq(ISS + 2).ack(PEER_ISS + 2).window(WINDOW);
    }

    @Test
    void synAcksAtATimeWaitEntryGetThrottledChallengeAcks() {
        timeWait();
        for (int i = 0; i < 15; i++) {
            peer.send(peer.seg(SYN | ACK).seq(PEER_ISS + 100_000 + i).ack(ISS + 2).window(PEER_WINDOW));
        }
        List<Seg> replies = peer.drain();
        assertEquals(10, replies.size(), "the entry's challenge-ACK budget (10 per second)");
        assertEquals(timeWaitAck(), replies.get(0));
        assertEquals(10, tcp.counters().get(TcpCounter.CHALLENGE_ACK_SENT));
        assertEquals(5, tcp.counters().get(TcpCounter.CHALLENGE_ACK_RATE_LIMITED));
        assertEquals(1, tcp.timeWaitEntries(), "a SYN,ACK never reopens");
    }
}
