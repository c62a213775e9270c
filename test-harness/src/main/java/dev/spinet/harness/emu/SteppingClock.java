package dev.spinet.harness.emu;

import dev.spinet.hal.clock.NanoClock;

/**
 * A test clock that advances by a settable step on every read, so a driver's start-up delays
 * (measured on its NanoClock) pass in a few iterations and an emulator on the same clock sees
 * them elapse. Set the step to 0 to freeze time (a measurement phase that must not trigger
 * periodic work), or move it with {@link #advance}.
 */
public final class SteppingClock implements NanoClock {

    private long now = 1_000_000_000L;
    private long step;

    /** A clock that advances {@code stepNanos} per read. */
    public SteppingClock(long stepNanos) {
        this.step = stepNanos;
    }

    @Override
    public long nanoTime() {
        now += step;
        return now;
    }

    public void step(long stepNanos) {
        this.step = stepNanos;
    }

    public void advance(long nanos) {
        now += nanos;
    }
}
