package dev.spinet.tcp;

/**
 * RFC 5961 section 7: "implementations SHOULD include an ACK throttling mechanism". One budget of
 * challenge ACKs per one-second interval for each connection (each {@link Tcb} and each
 * {@link TimeWaitTable} entry has its own).
 *
 * <p>Not one budget for the whole host: a shared counter is the CVE-2016-5696 side channel. An
 * off-path host provokes a full budget of challenge ACKs on its own connection each second and
 * counts them; one missing means its spoofed RST or SYN landed in another connection's window,
 * which reveals that connection's 4-tuple and then its sequence numbers. Linux answered first by
 * randomising the shared budget (4.7) and later by keeping only a per-socket limit; a budget per
 * connection leaves nothing to count across connections at all.
 */
final class ChallengeAckLimiter {

    private static final long SECOND = 1_000_000_000L;

    private final int perSecond;
    private long intervalStart;
    private int sentInInterval;
    private boolean started;

    ChallengeAckLimiter(int perSecond) {
        this.perSecond = perSecond;
    }

    /** Whether one more challenge ACK may go out at {@code nowNanos} (and counts it if so). */
    boolean tryAcquire(long nowNanos) {
        if (!started || nowNanos - intervalStart >= SECOND) {
            started = true;
            intervalStart = nowNanos;
            sentInInterval = 0;
        }
        if (sentInInterval >= perSecond) {
            return false;
        }
        sentInInterval++;
        return true;
    }

    /** A full budget again, for the next connection that uses this limiter's slot. */
    void reset() {
        started = false;
        sentInInterval = 0;
    }
}
