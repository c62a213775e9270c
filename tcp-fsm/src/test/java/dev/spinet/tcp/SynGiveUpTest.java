package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.scenario.ScriptedPeer;
import dev.spinet.tcp.scenario.Seg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * R2 for a SYN (RFC 1122 4.2.3.5): "R2 for a SYN segment MUST be set large enough to provide
 * retransmission of the segment for at least 3 minutes."
 */
class SynGiveUpTest extends TcpScriptTest {

    /** Times (after the first SYN) at which the SYN went again, until the connection gave up. */
    private record Attempts(List<Long> resentAfterNanos, long gaveUpAfterNanos) {
    }

    private Attempts runUnansweredSyn(int c) {
        long start = peer.now();
        Seg syn = peer.reply(SYN).seq(ISS).window(WINDOW).mss(MSS);
        List<Long> resent = new ArrayList<>();
        while (tcp.state(c) != CLOSED) {
            peer.advanceToNextDeadline();
            for (Seg seg : peer.drain()) {
                assertEquals(syn, seg);
                resent.add(peer.now() - start);
            }
        }
        return new Attempts(resent, peer.now() - start);
    }

    @Test
    void unansweredSynIsRetransmittedForAtLeastThreeMinutesByDefault() {
        use(ScriptedPeer.defaultConfig().build());
        int c = connectAndTakeSyn();

        Attempts attempts = runUnansweredSyn(c);

        // Default RTOs (RFC 6298: 1 s initial, doubling, 60 s maximum): resent at 1, 3, 7, 15, 31,
        // 63 and 123 s; the timeout at 183 s is the first one past 3 minutes and ends it.
        assertEquals(List.of(1L, 3L, 7L, 15L, 31L, 63L, 123L), seconds(attempts.resentAfterNanos()));
        assertEquals(183 * SECOND, attempts.gaveUpAfterNanos());
        assertTrue(attempts.gaveUpAfterNanos() >= 180 * SECOND);
        assertEquals(List.of("closed TIMED_OUT"), app.events());
    }

    @Test
    void synGivesUpAtTheFirstTimeoutPastTheConfiguredR2() {
        use(ScriptedPeer.defaultConfig().tcpSynGiveUpNanos(10 * SECOND).build());
        int c = connectAndTakeSyn();

        Attempts attempts = runUnansweredSyn(c);

        assertEquals(List.of(1L, 3L, 7L), seconds(attempts.resentAfterNanos()));
        assertEquals(15 * SECOND, attempts.gaveUpAfterNanos());
    }

    @Test
    void synRetransmissionCountEndsTheAttemptWhenItComesFirst() {
        use(ScriptedPeer.defaultConfig().tcpMaxRetransmissions(12, 2).build());
        int c = connectAndTakeSyn();

        Attempts attempts = runUnansweredSyn(c);

        assertEquals(List.of(1L, 3L), seconds(attempts.resentAfterNanos()));
        assertEquals(7 * SECOND, attempts.gaveUpAfterNanos());
    }

    private static List<Long> seconds(List<Long> nanos) {
        List<Long> out = new ArrayList<>();
        for (long n : nanos) {
            assertEquals(0, n % SECOND, () -> n + " ns is not whole seconds");
            out.add(n / SECOND);
        }
        return out;
    }
}
