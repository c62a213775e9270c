package dev.spinet.harness.net;

import dev.spinet.harness.mock.ManualClock;
import dev.spinet.iface.DeadlineInvariant;
import dev.spinet.iface.DutyCycle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs simulated boards on a {@link VirtualWire} in simulated time, like Netty's EmbeddedChannel
 * runs a pipeline with no sockets: every board is polled with the same {@code now} until none has
 * work, then the clock jumps straight to the next thing that can happen (a timer, or a frame
 * becoming deliverable after the wire's latency). A 2*MSL wait costs no wall time.
 *
 * <p>Single-threaded: the boards, the wire and the clock belong to the caller's thread.
 */
public final class Simulator {

    /** Polls per instant before the simulator decides a board is spinning (a bug). */
    private static final int MAX_ROUNDS_PER_INSTANT = 100_000;

    private final ManualClock clock;
    private final VirtualWire wire;
    private final List<DutyCycle> boards = new ArrayList<>();
    private final List<Runnable> beforeEachRound = new ArrayList<>();
    private DutyCycle[] boardArray = new DutyCycle[0];

    public Simulator(ManualClock clock, VirtualWire wire) {
        this.clock = clock;
        this.wire = wire;
    }

    /** Adds a board (an Interface, a stack, anything with a duty cycle). */
    public Simulator add(DutyCycle board) {
        boards.add(board);
        boardArray = boards.toArray(new DutyCycle[0]);
        return this;
    }

    /** Runs {@code action} before each polling round (e.g. an emulator's pump, a fault flush). */
    public Simulator beforeEachRound(Runnable action) {
        beforeEachRound.add(action);
        return this;
    }

    public ManualClock clock() {
        return clock;
    }

    public VirtualWire wire() {
        return wire;
    }

    public long now() {
        return clock.nanoTime();
    }

    /**
     * Polls every board at the current instant until all are idle; returns the work done. Then
     * every board must report its next deadline after this instant ({@link DeadlineInvariant}).
     */
    public int settle() {
        long now = clock.nanoTime();
        int total = 0;
        for (int round = 0; round < MAX_ROUNDS_PER_INSTANT; round++) {
            for (int i = 0; i < beforeEachRound.size(); i++) {
                beforeEachRound.get(i).run();
            }
            int work = 0;
            for (DutyCycle board : boardArray) {
                work += board.poll(now);
            }
            total += work;
            if (work == 0) {
                for (DutyCycle board : boardArray) {
                    DeadlineInvariant.requireFutureDeadlineWhenIdle(board, now, board.nextDeadline(now));
                }
                return total;
            }
        }
        throw new IllegalStateException("boards still busy after " + MAX_ROUNDS_PER_INSTANT
                + " polls at t=" + now + " ns: something loops without time passing");
    }

    /**
     * Runs until {@code done} holds or simulated time has advanced by {@code maxNanos}.
     *
     * @return whether {@code done} held
     */
    public boolean runUntil(BooleanSupplier done, long maxNanos) {
        long limit = clock.nanoTime() + maxNanos;
        while (true) {
            settle();
            if (done.getAsBoolean()) {
                return true;
            }
            long now = clock.nanoTime();
            long next = nextEvent(now);
            if (next - limit > 0) {
                clock.set(limit);
                settle();
                return done.getAsBoolean();
            }
            // After settle every board's deadline lies ahead; only a frame the wire holds for a
            // port nobody polls here can be due already, and stepping past it is harmless.
            clock.set(next - now > 0 ? next : now + 1);
        }
    }

    /** Runs for exactly {@code nanos} of simulated time, handling everything due on the way. */
    public void runFor(long nanos) {
        runUntil(() -> false, nanos);
    }

    /** The earliest time anything can happen: a board's timer or a frame in flight. */
    public long nextEvent(long now) {
        long next = now + Long.MAX_VALUE / 4;
        for (DutyCycle board : boardArray) {
            long deadline = board.nextDeadline(now);
            if (deadline - next < 0) {
                next = deadline;
            }
        }
        long delivery = wire.nextDeliveryTime(now);
        if (delivery - next < 0) {
            next = delivery;
        }
        return next;
    }
}
