package dev.spinet.tcp;

/**
 * RFC 5961 section 7: "implementations SHOULD include an ACK throttling mechanism". A budget of
 * challenge ACKs per one-second interval shared by all connections (as Linux's
 * tcp_challenge_ack_limit).
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
}
