package dev.spinet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.eth.FrameDeviceDecorator;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.iface.DutyCycle;
import dev.spinet.net.IdleGate;
import dev.spinet.stats.Counters;
import dev.spinet.testkit.AllocationAssert;
import dev.spinet.testkit.QueueFrameDevice;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link StackAgent#counters()}: what each of the stack thread's wake-ups achieved, the check that
 * {@code StackWakeupsOnTapTest} holds a running board to. A duty cycle on a manual clock keeps or
 * breaks the promise between {@code poll} and {@code nextDeadline}; the wait device moves the
 * clock as a wait that runs to its end (or ends early) would.
 */
class StackAgentWakeupCountsTest {

    private static final long MS = 1_000_000L;

    private final ManualClock clock = new ManualClock();

    /** A timer every {@code period}; whether it does work when due is the test's choice. */
    private static final class TimerCycle implements DutyCycle {
        long deadline;
        long period = 10 * MS;
        boolean workWhenDue = true;
        boolean clearWhenDue = true;

        @Override
        public int poll(long nowNanos) {
            if (nowNanos - deadline < 0) {
                return 0;
            }
            if (clearWhenDue) {
                deadline = nowNanos + period;
            }
            return workWhenDue ? 1 : 0;
        }

        @Override
        public long nextDeadline(long nowNanos) {
            return deadline;
        }
    }

    /** Waits by moving the manual clock: to the end of the timeout, or {@code earlyBy} before it. */
    private final class ClockWait extends FrameDeviceDecorator {
        long earlyBy;

        ClockWait() {
            super(new QueueFrameDevice(0x020000000001L));
        }

        @Override
        public void awaitReceive(long timeoutNanos) {
            clock.advance(timeoutNanos - Math.min(earlyBy, timeoutNanos - 1));
        }
    }

    private final TimerCycle cycle = new TimerCycle();
    private final ClockWait device = new ClockWait();
    private final StackAgent agent = new StackAgent(cycle, OpenedHal.Pump.NONE, device, clock, null, IdleGate.NONE);

    private long count(StackThreadCounter counter) {
        return agent.counters().get(counter);
    }

    private void run(int cycles, long cap) {
        for (int i = 0; i < cycles; i++) {
            agent.runCycle(cap);
        }
    }

    @Test
    void aTimerThatDoesItsWorkWhenDueLeavesNoEmptyWakeup() {
        cycle.deadline = clock.nanoTime() + 10 * MS;
        run(100, StackAgent.IDLE_CAP_NANOS);
        assertEquals(50, count(StackThreadCounter.WAKEUPS_AT_DEADLINE), agent.counters().toString());
        assertEquals(0, count(StackThreadCounter.EMPTY_WAKEUPS_AT_DEADLINE));
        assertEquals(0, count(StackThreadCounter.AT_DUE_DEADLINE));
        assertEquals(0, count(StackThreadCounter.EMPTY_AT_DUE_DEADLINE));
    }

    @Test
    void aDeadlineInThePastThatIsNeverClearedIsCountedAsSpinning() {
        cycle.deadline = clock.nanoTime() - 1;
        cycle.workWhenDue = false;
        cycle.clearWhenDue = false;
        run(10, StackAgent.IDLE_CAP_NANOS);
        // Each cycle is counted by the one after it, which finds whether work came.
        assertEquals(9, count(StackThreadCounter.AT_DUE_DEADLINE), agent.counters().toString());
        assertEquals(9, count(StackThreadCounter.EMPTY_AT_DUE_DEADLINE), "every cycle after the first went round for nothing");
    }

    @Test
    void aDeadlineThatBringsNoWorkWhenReachedIsCounted() {
        // poll moves the timer on without doing anything: the deadline never lies in the past
        // after a poll (the harness's check passes), yet every wake-up at it is for nothing.
        cycle.deadline = clock.nanoTime() + 10 * MS;
        cycle.workWhenDue = false;
        run(20, StackAgent.IDLE_CAP_NANOS);
        assertEquals(19, count(StackThreadCounter.EMPTY_WAKEUPS_AT_DEADLINE), agent.counters().toString());
        assertEquals(0, count(StackThreadCounter.EMPTY_AT_DUE_DEADLINE));
    }

    @Test
    void anIdleStackWakesAtTheCapAndForWakeupSignals() {
        cycle.deadline = clock.nanoTime() + 3_600_000 * MS;
        run(11, StackAgent.IDLE_CAP_NANOS);
        assertEquals(10, count(StackThreadCounter.WAKEUPS_AT_CAP), agent.counters().toString());
        assertEquals(10, count(StackThreadCounter.EMPTY_WAKEUPS_AT_CAP));
        device.earlyBy = 20 * MS;
        run(5, StackAgent.IDLE_CAP_NANOS);
        // The last wake-up is counted by the cycle after it.
        assertEquals(4, count(StackThreadCounter.WAKEUPS_EARLY), agent.counters().toString());
        assertEquals(4, count(StackThreadCounter.EMPTY_WAKEUPS_EARLY), "nothing was there to wake for");
    }

    @Test
    void aWaitTheDeviceSaysASignalEndedCountsAsEarlyEvenWhenTheThreadRanLate() {
        cycle.deadline = clock.nanoTime() + 3_600_000 * MS;
        // The wait runs to its cap on the clock (the thread got the CPU only then), but the
        // device says a frame ended it: that is a wake-up for a frame, not one at the cap.
        StackAgent signalledLate = new StackAgent(cycle, OpenedHal.Pump.NONE, timeoutNanos -> {
            clock.advance(timeoutNanos + MS);
            return true;
        }, clock, null, IdleGate.NONE);
        for (int i = 0; i < 6; i++) {
            signalledLate.runCycle(StackAgent.IDLE_CAP_NANOS);
        }
        assertEquals(5, signalledLate.counters().get(StackThreadCounter.WAKEUPS_EARLY), signalledLate.counters().toString());
        assertEquals(0, signalledLate.counters().get(StackThreadCounter.WAKEUPS_AT_CAP));
    }

    @Test
    @Tag("allocation")
    void countingAllocatesNothing() {
        cycle.deadline = clock.nanoTime() + 10 * MS;
        cycle.period = 3 * MS;
        long[] round = {0};
        AllocationAssert.assertZeroAllocation("stack thread cycles, waits and their counters", () -> {
            device.earlyBy = (round[0]++ & 1) == 0 ? MS / 2 : 0;
            agent.runCycle(2 * MS);
        });
        Counters<StackThreadCounter> counters = agent.counters();
        assertTrue(counters.get(StackThreadCounter.WAKEUPS_EARLY) > 0 && counters.get(StackThreadCounter.WAKEUPS_AT_DEADLINE) > 0,
                counters.toString());
    }
}
