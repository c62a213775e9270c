package dev.spinet.harness.mock;

import dev.spinet.hal.clock.NanoClock;

/**
 * A {@link NanoClock} that only moves when a test (or a simulation loop) moves it, so timers,
 * retransmissions and latencies are exact and repeatable.
 *
 * <p>The default start is {@value #DEFAULT_START_NANOS} ns, not 0: the stack compares times
 * wrap-safely ({@code deadline - now < 0}) and must never treat 0 as "unset"; starting elsewhere
 * catches code that does.
 *
 * <p>Thread-safety: reads are safe from any thread (the value is volatile); {@link #advance} and
 * {@link #set} are synchronized, so an emulator thread may read while the test thread moves time.
 */
public final class ManualClock implements NanoClock {

    /** Where {@link #ManualClock()} starts: one second, an arbitrary non-zero origin. */
    public static final long DEFAULT_START_NANOS = 1_000_000_000L;

    private volatile long now;

    /** A clock at {@link #DEFAULT_START_NANOS}. */
    public ManualClock() {
        this(DEFAULT_START_NANOS);
    }

    /** A clock at {@code start} nanoseconds. */
    public ManualClock(long start) {
        this.now = start;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    /**
     * Moves time forward by {@code nanos} (0 is allowed and does nothing).
     *
     * @throws IllegalArgumentException if {@code nanos} is negative: a monotonic clock never goes back
     */
    public synchronized void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("ManualClock.advance(" + nanos + "): time cannot go backwards; pass a delta >= 0");
        }
        now += nanos;
    }

    /**
     * Sets the time to {@code nanos}, which must not be earlier than now (compared wrap-safely).
     *
     * @throws IllegalArgumentException if {@code nanos} is before the current time
     */
    public synchronized void set(long nanos) {
        if (nanos - now < 0) {
            throw new IllegalArgumentException("ManualClock.set(" + nanos + "): the clock is already at " + now
                    + " and never goes backwards; set a time >= now or use a new ManualClock");
        }
        now = nanos;
    }

    @Override
    public String toString() {
        return "ManualClock[" + now + " ns]";
    }
}
