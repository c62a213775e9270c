package dev.spinet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.iface.DutyCycle;
import dev.spinet.iface.Interface;
import dev.spinet.net.StackLead;
import dev.spinet.testkit.QueueFrameDevice;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cycles an application thread runs between pieces of its own work take one frame each
 * ({@link StackAgent#LEADER_RECEIVE_BUDGET}): a leader's, and a leased writer's single cycle
 * ({@link StackAgent#runOneLeasedCycle}); and a lead that leaves a frame unread while a lease
 * lasts leaves it to the lease's holder instead of waking the stack thread.
 */
@Timeout(30)
class StackAgentLeaderBudgetTest {

    /** A duty cycle that always has work and records the receive budget each poll ran with. */
    private final class BudgetRecordingCycle implements DutyCycle {
        final List<Integer> budgets = new CopyOnWriteArrayList<>();
        final AtomicInteger polls = new AtomicInteger();

        @Override
        public int poll(long nowNanos) {
            polls.incrementAndGet();
            budgets.add(budget);
            return 1;
        }

        @Override
        public long nextDeadline(long nowNanos) {
            return nowNanos + Long.MAX_VALUE / 4;
        }
    }

    /** The budget the stack's interface would take now (set through limitLeadersWith). */
    private volatile int budget = Interface.RX_BUDGET;
    private final BudgetRecordingCycle cycle = new BudgetRecordingCycle();
    private final StackAgent agent = new StackAgent(cycle, OpenedHal.Pump.NONE, new QueueFrameDevice(0x020000000001L),
            NanoClock.SYSTEM);

    StackAgentLeaderBudgetTest() {
        agent.limitLeadersWith(frames -> budget = frames);
    }

    @Test
    void aLeadersCyclesTakeOneFrameEach() {
        AtomicInteger waits = new AtomicInteger();
        int result = agent.lead(TimeUnit.SECONDS.toNanos(5), () -> cycle.polls.get() >= 3, nanos -> {
            waits.incrementAndGet();
            return true;
        }, () -> false);
        assertEquals(StackLead.LED, result);
        assertEquals(List.of(1, 1, 1), cycle.budgets, "each of the leader's cycles took one frame");
        assertEquals(Interface.RX_BUDGET, budget, "the whole budget again for the stack thread's cycles");
    }

    @Test
    void aLeasedWritersCycleIsOneCycleOfOneFrame() {
        assertTrue(agent.runOneLeasedCycle(), "ran, nothing for the stack thread to do");
        assertEquals(List.of(1), cycle.budgets, "one cycle, though it found work; one frame");
        assertEquals(Interface.RX_BUDGET, budget);
        // The cycles of a posted request run until one finds nothing, with the whole budget.
        cycle.budgets.clear();
        agent.runCycleHere();
        assertTrue(cycle.budgets.size() > 1 && cycle.budgets.stream().allMatch(b -> b == Interface.RX_BUDGET),
                "runCycleHere: " + cycle.budgets);
    }

    @Test
    void aFrameLeftUnreadDuringALeaseIsLeftToTheLeaseHolder() {
        // As StackAgentLeadTest's unread frame, but a reader or writer holds a lease: it is back at
        // once, and the stack thread reads the frame itself when the lease runs out.
        agent.lease(TimeUnit.SECONDS.toNanos(5));
        AtomicInteger waits = new AtomicInteger();
        int result = agent.lead(TimeUnit.SECONDS.toNanos(5), () -> waits.get() > 0, nanos -> {
            waits.incrementAndGet();
            return true;
        }, () -> true);
        assertEquals(StackLead.LED, result, "no wake-up for the stack thread during the lease");

        agent.endLease();
        assertEquals(StackLead.LED_WAKE_STACK, agent.lead(TimeUnit.SECONDS.toNanos(5), () -> waits.get() > 1, nanos -> {
            waits.incrementAndGet();
            return true;
        }, () -> true), "without a lease the frame left unread needs the stack thread");
    }
}
