package dev.spinet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.iface.DutyCycle;
import dev.spinet.net.IdleGate;
import dev.spinet.testkit.QueueFrameDevice;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StackAgent#runCycleHere}: an application thread runs the duty cycle itself while the
 * stack thread idles, and only then; it leaves the stack thread to be woken when the stack
 * thread is inside a cycle, when work keeps coming, and when the cycle armed a timer due before
 * the stack thread's idle wait ends.
 */
@Timeout(30)
class StackAgentTurnTest {

    /** A duty cycle whose work and next timer the test sets; records the thread of each poll. */
    private static final class ScriptedCycle implements DutyCycle {
        final AtomicInteger work = new AtomicInteger();
        final AtomicInteger polls = new AtomicInteger();
        final AtomicLong timerInNanos = new AtomicLong(Long.MAX_VALUE / 4);
        volatile boolean endless;
        volatile Thread lastPoller;
        volatile CountDownLatch holdInsidePoll;
        final CountDownLatch insidePoll = new CountDownLatch(1);

        @Override
        public int poll(long nowNanos) {
            lastPoller = Thread.currentThread();
            polls.incrementAndGet();
            CountDownLatch hold = holdInsidePoll;
            if (hold != null && Thread.currentThread().getName().equals("stack")) {
                insidePoll.countDown();
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return endless ? 1 : work.getAndSet(0);
        }

        @Override
        public long nextDeadline(long nowNanos) {
            return nowNanos + timerInNanos.get();
        }
    }

    private final ScriptedCycle cycle = new ScriptedCycle();
    private final RecordingIdleGate gate = new RecordingIdleGate();
    private final StackAgent agent = new StackAgent(cycle, OpenedHal.Pump.NONE, new QueueFrameDevice(0x020000000001L),
            NanoClock.SYSTEM, null, gate);
    private Thread stack;

    private void startStackThread() throws InterruptedException {
        stack = Thread.ofPlatform().name("stack").start(agent::runUntilStopped);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!gate.idle && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        assertTrue(gate.idle, "the stack thread idles");
    }

    @AfterEach
    void stop() throws InterruptedException {
        agent.requestStop();
        CountDownLatch hold = cycle.holdInsidePoll;
        if (hold != null) {
            hold.countDown();
        }
        if (stack != null) {
            stack.join(5_000);
        }
    }

    @Test
    void anApplicationThreadRunsTheCycleWhileTheStackThreadIdles() throws InterruptedException {
        startStackThread();
        int before = cycle.polls.get();
        cycle.work.set(1); // the request the application just queued
        assertTrue(agent.runCycleHere());
        assertSame(Thread.currentThread(), cycle.lastPoller);
        assertTrue(cycle.polls.get() - before >= 2, "the request's cycle, then one that found nothing");
        assertEquals(0, cycle.work.get(), "the request was served");
    }

    @Test
    void aTimerDueBeforeTheStackThreadWakesMakesTheCallerWakeIt() throws InterruptedException {
        startStackThread();
        cycle.timerInNanos.set(1_000_000); // 1 ms: before the 50 ms idle wait ends
        assertFalse(agent.runCycleHere());
        assertSame(Thread.currentThread(), cycle.lastPoller, "the cycle ran; only the wake-up is left to the caller");
    }

    @Test
    void workThatKeepsComingIsLeftToTheStackThread() throws InterruptedException {
        startStackThread();
        cycle.endless = true;
        int before = cycle.polls.get();
        assertFalse(agent.runCycleHere());
        int ranHere = cycle.polls.get() - before;
        assertTrue(ranHere >= StackAgent.CYCLES_HERE, "ran " + ranHere);
        cycle.endless = false;
    }

    @Test
    void nobodyElseRunsTheCycleWhileTheStackThreadIsInIt() throws InterruptedException {
        cycle.holdInsidePoll = new CountDownLatch(1);
        stack = Thread.ofPlatform().name("stack").start(agent::runUntilStopped);
        assertTrue(cycle.insidePoll.await(5, TimeUnit.SECONDS));
        int before = cycle.polls.get();
        assertFalse(agent.runCycleHere());
        assertEquals(before, cycle.polls.get(), "no second poll while the stack thread is inside one");
        cycle.holdInsidePoll.countDown();
    }

    @Test
    void theStackThreadDoesNotIdleOnAWaitComputedBeforeAnApplicationThreadsCycle() {
        // The application thread's cycle lands between the stack thread's wait computation and its
        // idle announcement, and arms a timer due in 1 ms.
        IdleGate racing = new IdleGate() {
            @Override
            public boolean enterIdle() {
                cycle.timerInNanos.set(1_000_000);
                Thread application = Thread.ofPlatform().start(() -> racingAgent.runCycleHere());
                try {
                    application.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }

            @Override
            public void leaveIdle() {
            }
        };
        racingAgent = new StackAgent(cycle, OpenedHal.Pump.NONE, new QueueFrameDevice(0x020000000001L), NanoClock.SYSTEM, null, racing);
        long start = System.nanoTime();
        assertTrue(racingAgent.runCycle(TimeUnit.SECONDS.toNanos(20)));
        long took = System.nanoTime() - start;
        assertTrue(took < TimeUnit.SECONDS.toNanos(10), "waited " + took / 1_000_000 + " ms on a stale idle wait instead of running the 1 ms timer");
    }

    /** The stack thread's agent in the race above (this thread plays the stack thread). */
    private StackAgent racingAgent;
}
