package dev.spinet.harness.timing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.iface.DutyCycle;
import org.junit.jupiter.api.Test;

/**
 * The timing model's run holds the board to {@code DeadlineInvariant}: a board that reports a
 * deadline already due and does nothing when polled fails the run. It used to be stepped over a
 * microsecond at a time, so a deadline that stayed due without work for less than a simulated
 * second (a stack thread spinning that long) passed unnoticed.
 */
class TimedRunDeadlineTest {

    /** A board whose timer stays due for 500 µs after it should have fired, doing nothing. */
    private static final class LateTimer implements DutyCycle {
        final long due;
        int polls;

        LateTimer(long due) {
            this.due = due;
        }

        @Override
        public int poll(long nowNanos) {
            polls++;
            return 0;
        }

        @Override
        public long nextDeadline(long nowNanos) {
            return nowNanos - due >= 500_000 ? nowNanos + 3_600_000_000_000L : due;
        }
    }

    /** A peer with nothing to do. */
    private static final DutyCycle QUIET = new DutyCycle() {
        @Override
        public int poll(long nowNanos) {
            return 0;
        }

        @Override
        public long nextDeadline(long nowNanos) {
            return nowNanos + 3_600_000_000_000L;
        }
    };

    @Test
    void aDeadlineDueWithoutWorkFailsTheRun() {
        ManualClock clock = new ManualClock();
        SimulatedTime time = new SimulatedTime(clock);
        VirtualWire wire = new VirtualWire(clock);
        ModeledBoard modeled = new ModeledBoard(ModeledChip.W5500, 0x0200_0000_0B0DL, SpiTiming.onPi(20_000_000), wire, "board", time);
        LateTimer board = new LateTimer(clock.nanoTime() + 1_000_000);
        TimedRun run = new TimedRun(time, wire, board, modeled, () -> { }, QUIET, () -> { });
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> run.runUntil(() -> false, 10_000_000L));
        assertTrue(failure.getMessage().contains("did no work"), failure.getMessage());
    }
}
