package dev.spinet.hal.eth;

import dev.spinet.hal.clock.NanoClock;
import java.util.concurrent.locks.LockSupport;

/**
 * Delays measured on a {@link NanoClock} with a hard cap on iterations, so a driver never hangs:
 * on a real clock the delay lasts at least the time asked; on a test clock that never advances it
 * ends after a bounded number of short parks. Used at start-up and in self-tests only.
 */
public final class BoundedWait {

    private static final long PARK_SLICE_NANOS = 100_000L;

    private BoundedWait() {
    }

    /** Waits at least {@code nanos} on {@code clock} (or until the iteration cap is reached). */
    public static void pause(NanoClock clock, long nanos) {
        long deadline = clock.nanoTime() + nanos;
        long cap = nanos / PARK_SLICE_NANOS * 2 + 10;
        for (long i = 0; i < cap; i++) {
            long remaining = deadline - clock.nanoTime();
            if (remaining <= 0) {
                return;
            }
            LockSupport.parkNanos(Math.min(remaining, PARK_SLICE_NANOS));
        }
    }
}
