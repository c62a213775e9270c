package dev.spinet.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.Rfc6528Isn;
import dev.spinet.tcp.TcpCounter;
import dev.spinet.tcp.TcpState;
import dev.spinet.wire.TcpSegment;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * RFC 5961: an off-path attacker who knows the 4-tuple of an established connection but not its
 * sequence numbers sprays RSTs, SYNs and data at random sequence (and acknowledgment) numbers.
 * Success - the connection reset, data injected, or the two ends desynchronised - must not happen
 * outside the exact-match case the RFC allows (RST with SEG.SEQ = RCV.NXT: probability 2^-32 per
 * try). Challenge ACKs are rate limited. ISNs follow RFC 6528.
 */
class BlindInjectionTest {

    private static final int TRIES = 20_000;

    private record Connection(HostileLan lan, int peerHandle, int peerPort, int dutHandle) { }

    private static Connection established() {
        HostileLan lan = HostileLan.standard();
        lan.dutTcp().listen(80, 2, lan.dutApp);
        int peer = lan.connectPeer(80);
        lan.peerSends(peer, 500);
        return new Connection(lan, peer, lan.peerTcp().localPort(peer), lan.dutApp.accepted.getLast());
    }

    /** The connection still carries data both ways and nothing foreign got into the stream. */
    private static void assertIntact(Connection c, long dutBytesBefore) {
        HostileLan lan = c.lan();
        assertEquals(TcpState.ESTABLISHED, lan.dutTcp().state(c.dutHandle()), "not reset");
        assertEquals(TcpState.ESTABLISHED, lan.peerTcp().state(c.peerHandle()));
        assertEquals(dutBytesBefore, lan.dutApp.bytesRead, "no injected byte was delivered");
        lan.peerSends(c.peerHandle(), 1000);
        assertEquals(dutBytesBefore + 1000, lan.dutApp.bytesRead, "not desynchronised: legitimate data still flows");
        assertNull(lan.dutInvariants());
    }

    private static void spray(Connection c, int flags, int payload, long seed) {
        HostileLan lan = c.lan();
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < TRIES; i++) {
            lan.inject(lan.toDut(HostileLan.PEER_IP, c.peerPort(), 80).seq(random.nextInt()).ack(random.nextInt())
                    .flags(flags).payload(payload).build());
            if (i % 100 == 99) {
                lan.sim.runFor(5 * HostileLan.MS); // 20,000 tries in one second of simulated time
            }
        }
        lan.sim.runFor(10 * HostileLan.MS);
    }

    @Test
    void randomRstsNeitherResetNorDesynchronise() {
        Connection c = established();
        long before = c.lan().dutApp.bytesRead;
        spray(c, TcpSegment.RST, 0, 1);
        spray(c, TcpSegment.RST | TcpSegment.ACK, 0, 2);
        var counters = c.lan().dutTcp().counters();
        System.out.printf("blind RST: %d tries, accepted %d, challenge ACKs %d, rate limited %d, unacceptable %d%n",
                2 * TRIES, counters.get(TcpCounter.RST_ACCEPTED), counters.get(TcpCounter.CHALLENGE_ACK_SENT),
                counters.get(TcpCounter.CHALLENGE_ACK_RATE_LIMITED), counters.get(TcpCounter.DROP_UNACCEPTABLE));
        assertEquals(0, counters.get(TcpCounter.RST_ACCEPTED), "success rate 0 of " + 2 * TRIES);
        assertIntact(c, before);
    }

    @Test
    void randomSynsNeverResetAndChallengeAcksAreRateLimited() {
        Connection c = established();
        long before = c.lan().dutApp.bytesRead;
        long start = c.lan().clock.nanoTime();
        spray(c, TcpSegment.SYN, 0, 3);
        long seconds = (c.lan().clock.nanoTime() - start) / HostileLan.SECOND + 1;
        var counters = c.lan().dutTcp().counters();
        long challenges = counters.get(TcpCounter.CHALLENGE_ACK_SENT);
        System.out.printf("blind SYN: %d tries over %d s, challenge ACKs %d, rate limited %d%n", TRIES, seconds,
                challenges, counters.get(TcpCounter.CHALLENGE_ACK_RATE_LIMITED));
        // RFC 5961 4.2: every SYN (any sequence number) gets a challenge ACK, never a reset; section 7: throttled.
        assertTrue(challenges <= 10 * seconds, "at most 10 challenge ACKs per second: " + challenges);
        assertEquals(TRIES, challenges + counters.get(TcpCounter.CHALLENGE_ACK_RATE_LIMITED)
                + counters.get(TcpCounter.DROP_UNACCEPTABLE));
        assertIntact(c, before);
    }

    @Test
    void randomDataIsNeverDeliveredAndCausesNoAckStorm() {
        Connection c = established();
        long before = c.lan().dutApp.bytesRead;
        long sentBefore = c.lan().dutTcp().counters().get(TcpCounter.SEGMENTS_SENT);
        spray(c, TcpSegment.ACK | TcpSegment.PSH, 32, 4);
        var counters = c.lan().dutTcp().counters();
        long replies = counters.get(TcpCounter.SEGMENTS_SENT) - sentBefore;
        System.out.printf("blind data: %d tries, bytes delivered %d, replies %d, out-of-window ACKs rate limited %d, ACK too old %d%n",
                TRIES, c.lan().dutApp.bytesRead - before, replies, counters.get(TcpCounter.OUT_OF_WINDOW_ACK_RATE_LIMITED),
                counters.get(TcpCounter.DROP_ACK_TOO_OLD));
        assertEquals(before, c.lan().dutApp.bytesRead, "success rate 0 of " + TRIES);
        assertTrue(replies <= 20, "replies to blind data are throttled, not one per segment: " + replies);
        assertIntact(c, before);
    }

    @Test
    void onlyTheExactSequenceNumberResetsAndAnInWindowRstGetsAChallengeAck() {
        Connection c = established();
        HostileLan lan = c.lan();
        int rcvNxt = lan.lastFromDut(c.peerPort()).ack();
        lan.inject(lan.toDut(HostileLan.PEER_IP, c.peerPort(), 80).seq(rcvNxt + 1).flags(TcpSegment.RST).build());
        lan.sim.runFor(HostileLan.MS);
        assertEquals(1, lan.dutTcp().counters().get(TcpCounter.CHALLENGE_ACK_SENT), "in window, not exact: challenge ACK");
        assertEquals(TcpState.ESTABLISHED, lan.dutTcp().state(c.dutHandle()));
        lan.inject(lan.toDut(HostileLan.PEER_IP, c.peerPort(), 80).seq(rcvNxt).flags(TcpSegment.RST).build());
        lan.sim.runFor(HostileLan.MS);
        assertEquals(TcpState.CLOSED, lan.dutTcp().state(c.dutHandle()), "RFC 5961 3.2: the exact match resets");
    }

    @Test
    void inWindowSynsAndRstsGetChallengeAcksAtMostTenPerSecond() {
        Connection c = established();
        HostileLan lan = c.lan();
        int rcvNxt = lan.lastFromDut(c.peerPort()).ack();
        for (int i = 1; i <= 100; i++) {
            lan.inject(lan.toDut(HostileLan.PEER_IP, c.peerPort(), 80).seq(rcvNxt + i).flags(i % 2 == 0 ? TcpSegment.SYN : TcpSegment.RST).build());
        }
        lan.sim.runFor(HostileLan.MS);
        var counters = lan.dutTcp().counters();
        assertEquals(10, counters.get(TcpCounter.CHALLENGE_ACK_SENT), "RFC 5961 section 7 throttle (10 per second configured)");
        assertEquals(90, counters.get(TcpCounter.CHALLENGE_ACK_RATE_LIMITED));
        assertEquals(0, counters.get(TcpCounter.RST_ACCEPTED));
        lan.sim.runFor(HostileLan.SECOND);
        lan.inject(lan.toDut(HostileLan.PEER_IP, c.peerPort(), 80).seq(rcvNxt + 5).flags(TcpSegment.SYN).build());
        lan.sim.runFor(HostileLan.MS);
        assertEquals(11, counters.get(TcpCounter.CHALLENGE_ACK_SENT), "a new second, a new budget");
        assertIntact(c, lan.dutApp.bytesRead);
    }

    // ---- RFC 6528 ISNs ----

    @Test
    void isnsForOneTupleAdvanceWithTheClockAndDifferAcrossTuplesAndSecrets() {
        Rfc6528Isn isn = new Rfc6528Isn(0x1234_5678_9ABCL);
        int local = HostileLan.DUT_IP;
        int remote = HostileLan.PEER_IP;
        long t = 5_000_000_000L;
        // M: the same 4-tuple advances with the 4 microsecond timer (protects against old duplicates).
        assertEquals(250, isn.next(local, 80, remote, 40_000, t + 1_000_000) - isn.next(local, 80, remote, 40_000, t));
        // F: another secret gives another ISN for the same tuple and time.
        assertNotEquals(isn.next(local, 80, remote, 40_000, t), new Rfc6528Isn(0x1234_5678_9ABDL).next(local, 80, remote, 40_000, t));
        // An attacker's own connections (other source ports) tell nothing about the victim's ISN:
        // the successive differences are neither constant nor the clock's advance.
        Set<Integer> differences = new HashSet<>();
        int ones = 0;
        int previous = isn.next(local, 80, remote, 40_000, t);
        for (int port = 40_001; port < 41_001; port++) {
            t += 1_000_000; // 1 ms between connections: M moves by 250
            int next = isn.next(local, 80, remote, port, t);
            differences.add(next - previous - 250);
            ones += Integer.bitCount(next - previous - 250);
            previous = next;
        }
        assertTrue(differences.size() >= 999, "successive differences repeat: " + differences.size() + " distinct of 1000");
        // F is pseudo-random: about half the 32 000 bits of the differences are set.
        assertTrue(ones > 15_000 && ones < 17_000, "bit balance of F differences: " + ones + " of 32000");
    }

    @Test
    void theStackUsesUnrelatedIsnsForSuccessiveConnectionsFromThePeer() {
        HostileLan lan = HostileLan.standard();
        lan.dutTcp().listen(80, 2, lan.dutApp);
        int[] isns = new int[4];
        for (int i = 0; i < isns.length; i++) {
            int peer = lan.connectPeer(80);
            // the last segment the device sent on it is its SYN,ACK, whose sequence number is the ISN
            isns[i] = lan.lastFromDut(lan.peerTcp().localPort(peer)).seq();
            lan.peerTcp().abort(peer);
            lan.sim.runFor(10 * HostileLan.MS);
        }
        Set<Integer> gaps = new HashSet<>();
        for (int i = 1; i < isns.length; i++) {
            gaps.add(isns[i] - isns[i - 1]);
        }
        assertEquals(isns.length - 1, gaps.size(), "no constant increment between ISNs");
    }
}
