package dev.spinet.tcp;

/**
 * The clock behind TSval (RFC 7323 section 5.4): milliseconds, "in the range 1 ms to 1 sec per
 * tick", plus the connection's offset ({@link TimestampOffsets}). Timestamps compare like
 * sequence numbers, modulo 2^32 (section 5.2).
 */
final class TimestampClock {

    static final long NANOS_PER_TICK = 1_000_000L;

    /**
     * RFC 7323 section 5.5: a connection idle so long that its clock may have advanced by 2^31
     * ticks cannot trust TS.Recent; "24 days" (2^31 ms is 24.8 days), after which PAWS is skipped
     * for the next segment and TS.Recent taken from it.
     */
    static final long TS_RECENT_VALID_NANOS = 24L * 24 * 3600 * 1_000_000_000L;

    private TimestampClock() {
    }

    /** TSval at {@code nowNanos} for a connection with {@code offset}. */
    static int tsval(long nowNanos, int offset) {
        return (int) (nowNanos / NANOS_PER_TICK) + offset;
    }

    /** Nanoseconds from the TSval a segment echoes to now: a round-trip sample (RFC 7323 section 4). */
    static long elapsedNanos(long nowNanos, int offset, int echoed) {
        return (long) (tsval(nowNanos, offset) - echoed) * NANOS_PER_TICK;
    }

    /** {@code a < b} modulo 2^32 (RFC 7323 section 5.2). */
    static boolean before(int a, int b) {
        return a - b < 0;
    }
}
