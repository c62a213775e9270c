package dev.spinet.harness.timing;

import dev.spinet.harness.mock.ManualClock;

/**
 * A {@link ModelClock} in simulated time: a charge advances a {@link ManualClock} at once, and
 * after every charge the {@link #onAdvance} action runs at the new time. That action is how the
 * rest of the simulated world (a peer stack standing in for a kernel, which answers within
 * microseconds on another CPU) keeps up with a board that is busy on its SPI bus for
 * milliseconds: frames the peer sends while the board reads the chip reach the chip while it
 * is still being read, as on a real board.
 *
 * <p>Single-threaded, allocation-free (the action must be too).
 */
public final class SimulatedTime implements ModelClock {

    private final ManualClock clock;
    private Runnable onAdvance = () -> { };
    private long spent;

    public SimulatedTime(ManualClock clock) {
        if (clock == null) {
            throw new IllegalArgumentException("SimulatedTime needs the ManualClock it advances");
        }
        this.clock = clock;
    }

    /** Runs {@code action} after every charge (the peer's duty cycle, a bridge's pump). */
    public SimulatedTime onAdvance(Runnable action) {
        if (action == null) {
            throw new IllegalArgumentException("onAdvance needs an action; pass () -> { } for none");
        }
        this.onAdvance = action;
        return this;
    }

    @Override
    public long nanoTime() {
        return clock.nanoTime();
    }

    @Override
    public void spend(long nanos) {
        if (nanos <= 0) {
            return;
        }
        clock.advance(nanos);
        spent += nanos;
        onAdvance.run();
    }

    /** Nanoseconds charged so far. */
    public long spent() {
        return spent;
    }

    /** The clock this time advances. */
    public ManualClock clock() {
        return clock;
    }
}
