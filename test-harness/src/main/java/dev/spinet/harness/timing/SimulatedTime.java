package dev.spinet.harness.timing;

import dev.spinet.harness.mock.ManualClock;

/**
 * A {@link ModelClock} in simulated time: a charge advances a {@link ManualClock}, and the rest of
 * the simulated world (a peer stack standing in for a kernel, which answers within microseconds
 * on another CPU) runs meanwhile, through the {@link Bystander}: the clock stops at every moment
 * inside the charge when the bystander has something to do (a frame reaching it, a timer) and
 * lets it act then, and once more at the end. So a peer answers an ACK when the ACK arrives, not
 * when the board's 600 µs frame read is over, and frames it sends meanwhile reach the chip while
 * the board is still busy, as on a real board.
 *
 * <p>Single-threaded, allocation-free (the bystander must be too).
 */
public final class SimulatedTime implements ModelClock {

    /** The rest of the world, stepped through the time the board spends. */
    public interface Bystander {
        /** When it next has something to do, after {@code now} ({@code now + Long.MAX_VALUE / 4} for never). */
        long nextEvent(long now);

        /** Acts at the clock's current time. */
        void act();
    }

    private static final Bystander NOBODY = new Bystander() {
        @Override
        public long nextEvent(long now) {
            return now + Long.MAX_VALUE / 4;
        }

        @Override
        public void act() {
        }
    };

    /** Stops inside one charge at most this often. */
    private static final int MAX_STEPS = 10_000;

    private final ManualClock clock;
    private Bystander bystander = NOBODY;
    private long spent;

    public SimulatedTime(ManualClock clock) {
        if (clock == null) {
            throw new IllegalArgumentException("SimulatedTime needs the ManualClock it advances");
        }
        this.clock = clock;
    }

    /** Who acts during the board's charges (the peer's duty cycle). */
    public SimulatedTime bystander(Bystander who) {
        if (who == null) {
            throw new IllegalArgumentException("a bystander is needed; there is a default that does nothing");
        }
        this.bystander = who;
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
        long end = clock.nanoTime() + nanos;
        // Bounded: each step moves time forward; a bystander whose next event does not move
        // (it does not take a frame it is offered) ends the stepping.
        for (int step = 0; step < MAX_STEPS; step++) {
            long now = clock.nanoTime();
            long next = bystander.nextEvent(now);
            if (next - now <= 0 || next - end >= 0) {
                break;
            }
            clock.set(next);
            bystander.act();
        }
        clock.set(end);
        spent += nanos;
        bystander.act();
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
