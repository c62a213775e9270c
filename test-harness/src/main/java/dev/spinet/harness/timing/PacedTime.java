package dev.spinet.harness.timing;

import dev.spinet.hal.clock.NanoClock;
import java.util.concurrent.locks.LockSupport;

/**
 * A {@link ModelClock} in real time: the board's thread is held back until the wall clock has
 * caught up with what the modelled board would have spent, so a kernel talking to an emulated
 * chip through a TAP sees the modelled board's rate, not the desktop's.
 *
 * <p>Model time is {@code max(wall clock, the end of the work charged so far)}. A charge moves
 * that end on; once it lies {@link #PACE_QUANTUM_NANOS} or more ahead of the wall clock the
 * thread waits for the difference. Charges below the quantum are carried, not slept one by one:
 * a park costs tens of microseconds of timer slack, as much as a whole modelled transaction. The
 * wait parks in slices of at most {@link #SLICE_NANOS}, running {@code afterTime} (a bridge
 * moving frames that became due or arrived) after each, and spins the last {@link #SPIN_NANOS},
 * below the timer slack, so the thread does not overshoot and the modelled rate holds on
 * average. ({@code poll(2)} on a TAP would not do: it counts in whole milliseconds.) When the
 * board is idle the wall clock runs past model time and idle time is never charged.
 *
 * <p>One thread charges; {@link #nanoTime()} may be read from any thread. Allocation-free.
 */
public final class PacedTime implements ModelClock {

    /** Charges are carried until they add up to this much ahead of the wall clock. */
    public static final long PACE_QUANTUM_NANOS = 200_000L;
    /** Longest single park of a wait: frames arriving meanwhile wait at most this long to be moved. */
    public static final long SLICE_NANOS = 100_000L;
    /** The last part of a wait is a spin, below the timer slack of a park. */
    public static final long SPIN_NANOS = 60_000L;

    private final NanoClock wall;
    private final Runnable afterTime;
    private volatile long ahead;
    private long spent;
    private long waited;
    private long behind;
    private boolean idle;

    /**
     * @param wall the real clock ({@code NanoClock.SYSTEM})
     * @param afterTime run after every charge and every slice of a wait (a bridge's pump), allocation-free
     */
    public PacedTime(NanoClock wall, Runnable afterTime) {
        if (wall == null || afterTime == null) {
            throw new IllegalArgumentException("PacedTime needs a wall clock and an after-time action (() -> { } for none)");
        }
        this.wall = wall;
        this.afterTime = afterTime;
        this.ahead = wall.nanoTime();
    }

    @Override
    public long nanoTime() {
        long real = wall.nanoTime();
        long modelled = ahead;
        return modelled - real > 0 ? modelled : real;
    }

    @Override
    public void spend(long nanos) {
        if (nanos <= 0) {
            return;
        }
        long real = wall.nanoTime();
        if (!idle && real - ahead > 0) {
            // The board was busy, yet the desktop took longer than the model says the work takes:
            // the run is slower than the modelled board by this much (a loaded host).
            behind += real - ahead;
        }
        idle = false;
        long start = ahead - real > 0 ? ahead : real;
        long end = start + nanos;
        ahead = end;
        spent += nanos;
        afterTime.run();
        if (end - real >= PACE_QUANTUM_NANOS) {
            waitUntil(end);
        }
    }

    /**
     * Waits on the wall clock until {@code deadline}: parks in slices (running {@code afterTime}
     * after each) and spins the rest. Also what an idle wait that must end on time uses.
     */
    public void waitUntil(long deadline) {
        long before = wall.nanoTime();
        long remaining;
        while ((remaining = deadline - wall.nanoTime()) > 0) {
            if (remaining > SPIN_NANOS) {
                LockSupport.parkNanos(Math.min(remaining - SPIN_NANOS, SLICE_NANOS));
                if (Thread.interrupted()) {
                    // A stop request: give up pacing, keep the flag for the caller's loop.
                    Thread.currentThread().interrupt();
                    return;
                }
                afterTime.run();
            } else {
                Thread.onSpinWait();
            }
        }
        waited += wall.nanoTime() - before;
    }

    /** The board goes idle (waits for a frame or a timer): wall time until its next charge is not lag. */
    public void idle() {
        idle = true;
    }

    /** Nanoseconds charged so far. */
    public long spent() {
        return spent;
    }

    /**
     * Wall-clock nanoseconds the busy board fell behind model time: work the desktop did more
     * slowly than the modelled board would have. Near 0 on a quiet host; a run whose lag is a
     * noticeable share of its length measured the host, not the model.
     */
    public long behind() {
        return behind;
    }

    /** Wall-clock nanoseconds the thread spent waiting for model time. */
    public long waited() {
        return waited;
    }
}
