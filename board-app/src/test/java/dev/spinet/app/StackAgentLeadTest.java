package dev.spinet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.iface.DutyCycle;
import dev.spinet.net.StackLead;
import dev.spinet.testkit.QueueFrameDevice;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StackAgent#lead}: an application thread waiting for data waits on the device and runs
 * the duty cycle on its own thread until its data is there; one thread leads at a time; the
 * wait ends when its time is up; a timer its cycles armed before the stack thread's idle wait
 * ends, or a frame it leaves unread, makes it ask for the stack thread to be woken.
 */
@Timeout(30)
class StackAgentLeadTest {

    /** A duty cycle whose work and next timer the test sets; records the thread of each poll. */
    private static final class ScriptedCycle implements DutyCycle {
        final AtomicInteger work = new AtomicInteger();
        final AtomicInteger polls = new AtomicInteger();
        final AtomicLong timerInNanos = new AtomicLong(Long.MAX_VALUE / 4);
        volatile Thread lastPoller;
        /** Run inside each poll, under the turn. */
        volatile Runnable duringPoll = () -> {
        };

        @Override
        public int poll(long nowNanos) {
            lastPoller = Thread.currentThread();
            polls.incrementAndGet();
            duringPoll.run();
            return work.getAndSet(0);
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
        if (stack != null) {
            stack.join(5_000);
        }
    }

    @Test
    void theLeaderRunsTheCycleThatBringsItsDataOnItsOwnThread() throws InterruptedException {
        startStackThread();
        AtomicInteger frameWaits = new AtomicInteger();
        // The device's wait: the second wait sees "a frame", whose cycle delivers the data.
        LongPredicate awaitFrame = nanos -> {
            if (frameWaits.incrementAndGet() == 2) {
                cycle.work.set(1);
            }
            return true;
        };
        Thread leader = Thread.currentThread();
        int result = agent.lead(TimeUnit.SECONDS.toNanos(5),
                () -> frameWaits.get() >= 2 && cycle.lastPoller == leader && cycle.work.get() == 0, awaitFrame, () -> false);
        assertEquals(StackLead.LED, result);
        assertSame(leader, cycle.lastPoller, "the frame's cycle ran on the leader");
        assertEquals(2, frameWaits.get(), "it waited on the device before a cycle that found nothing, and after it");
    }

    @Test
    void theLeaderWaitsBeforeItsFirstCycle() throws InterruptedException {
        startStackThread();
        int polls = cycle.polls.get();
        AtomicInteger pollsAtFirstWait = new AtomicInteger(-1);
        AtomicInteger frameWaits = new AtomicInteger();
        int result = agent.lead(TimeUnit.SECONDS.toNanos(5), () -> frameWaits.get() >= 2, nanos -> {
            if (frameWaits.incrementAndGet() == 1) {
                pollsAtFirstWait.set(cycle.polls.get());
            }
            return true;
        }, () -> false);
        assertEquals(StackLead.LED, result);
        assertEquals(polls, pollsAtFirstWait.get(), "no cycle before the first wait: the ring was just found empty");
        assertEquals(polls + 1, cycle.polls.get(), "a cycle after the wait that may have brought a frame");
    }

    /**
     * A bulk transfer's leader looks for its frame (a wait that does not block) before it sleeps
     * on the device: the frame that shows up meanwhile is taken by a cycle at once, with no sleep
     * and no wake-up; a round trip's leader sleeps at once, as before.
     */
    @Test
    void aBulkLeaderLooksForItsFrameBeforeItSleepsOnTheDevice() throws InterruptedException {
        startStackThread();
        AtomicInteger looks = new AtomicInteger();
        AtomicInteger sleeps = new AtomicInteger();
        int polls = cycle.polls.get();
        // The frame is there at the third look; its cycle ends the lead.
        int result = agent.lead(TimeUnit.SECONDS.toNanos(5), () -> cycle.polls.get() > polls, nanos -> {
            sleeps.incrementAndGet();
            return true;
        }, () -> looks.incrementAndGet() == 3, TimeUnit.MILLISECONDS.toNanos(500));
        assertEquals(StackLead.LED, result);
        assertEquals(0, sleeps.get(), "the frame came while it looked: it never slept on the device");
        assertTrue(looks.get() >= 3, "it looked for the frame: " + looks.get());
    }

    @Test
    void aLeaderThatDoesNotSpinSleepsOnTheDeviceAtOnce() throws InterruptedException {
        startStackThread();
        AtomicInteger looks = new AtomicInteger();
        AtomicInteger sleepsAtFirstLook = new AtomicInteger(-1);
        AtomicInteger sleeps = new AtomicInteger();
        int polls = cycle.polls.get();
        int result = agent.lead(TimeUnit.SECONDS.toNanos(5), () -> cycle.polls.get() > polls, nanos -> {
            sleeps.incrementAndGet();
            return true;
        }, () -> {
            if (looks.incrementAndGet() == 1) {
                sleepsAtFirstLook.set(sleeps.get());
            }
            return false;
        }, 0);
        assertEquals(StackLead.LED, result);
        assertEquals(1, sleeps.get(), "it slept on the device before its cycle");
        assertEquals(1, sleepsAtFirstLook.get(), "its only look, for a frame left unread, came after the sleep, as the lead ended");
    }

    /**
     * The spin before a wait counts from the moment the cycle began, like the timer the cycle
     * armed: a long cycle does not push the next one past that timer's deadline. Here the
     * leader's first cycle takes 100 ms and arms a timer 110 ms after its start; with a spin of
     * 200 ms and no frame, the leader's next cycle is due 10 ms after the first one ended, not
     * 110 ms after (the spin measured from the cycle's end).
     */
    @Test
    void aBulkLeaderSpinsNoLaterThanTheTimerItsCycleArmed() throws InterruptedException {
        startStackThread();
        Thread leader = Thread.currentThread();
        AtomicLong firstCycleAt = new AtomicLong();
        AtomicLong secondCycleAt = new AtomicLong();
        AtomicInteger leaderCycles = new AtomicInteger();
        cycle.duringPoll = () -> {
            if (Thread.currentThread() != leader) {
                return;
            }
            int n = leaderCycles.incrementAndGet();
            if (n == 1) {
                firstCycleAt.set(System.nanoTime());
                cycle.timerInNanos.set(TimeUnit.MILLISECONDS.toNanos(110));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // a long cycle
                while (System.nanoTime() - firstCycleAt.get() < TimeUnit.MILLISECONDS.toNanos(100)) {
                    LockSupport.parkNanos(1_000_000);
                }
            } else if (n == 2) {
                secondCycleAt.set(System.nanoTime());
            }
        };
        int result = agent.lead(TimeUnit.SECONDS.toNanos(5), () -> leaderCycles.get() >= 2, nanos -> true,
                () -> false, TimeUnit.MILLISECONDS.toNanos(200));
        assertTrue(result != StackLead.NOT_LED, "it led");
        long late = secondCycleAt.get() - firstCycleAt.get() - TimeUnit.MILLISECONDS.toNanos(110);
        assertTrue(late < TimeUnit.MILLISECONDS.toNanos(50),
                "the cycle after the timer's deadline ran " + late / 1_000 + " us after it");
    }

    /**
     * Spins that keep finding nothing mean the peer cannot answer while the leader spins (it
     * shares the leader's CPU): after {@link StackAgent#SPIN_MISSES_BEFORE_REST} whole spins in a
     * row without a frame, leaders sleep on the device at once for the next
     * {@link StackAgent#WAITS_WITHOUT_SPIN} waits, and then try spinning again.
     */
    @Test
    void leadersStopSpinningForAWhileAfterARunOfSpinsThatFoundNothing() throws InterruptedException {
        startStackThread();
        for (int i = 0; i < StackAgent.SPIN_MISSES_BEFORE_REST; i++) {
            assertTrue(looksBeforeItSleeps(0) > 0, "spin " + (i + 1) + " looked for a frame");
        }
        for (int i = 0; i < StackAgent.WAITS_WITHOUT_SPIN; i++) {
            assertEquals(0, looksBeforeItSleeps(0), "wait " + (i + 1) + " after the run of misses slept at once");
        }
        assertTrue(looksBeforeItSleeps(0) > 0, "after the rest it spins again");
    }

    /** A spin that finds its frame starts the count of misses again. */
    @Test
    void aSpinThatFindsItsFrameEndsTheRunOfMisses() throws InterruptedException {
        startStackThread();
        for (int i = 1; i < StackAgent.SPIN_MISSES_BEFORE_REST; i++) {
            looksBeforeItSleeps(0);
        }
        looksBeforeItSleeps(3); // the frame is there at the third look
        for (int i = 1; i < StackAgent.SPIN_MISSES_BEFORE_REST; i++) {
            looksBeforeItSleeps(0);
        }
        assertTrue(looksBeforeItSleeps(0) > 0, "still spinning: never as many misses in a row as make it rest");
    }

    /** A spin cut short by the lead's end (or a timer) found nothing for a reason of its own: not counted. */
    @Test
    void aSpinCutShortIsNotAMiss() throws InterruptedException {
        startStackThread();
        for (int i = 0; i < 2 * StackAgent.SPIN_MISSES_BEFORE_REST; i++) {
            int result = agent.lead(TimeUnit.MICROSECONDS.toNanos(50), () -> false, nanos -> true, () -> false,
                    TimeUnit.MICROSECONDS.toNanos(200));
            assertTrue(result != StackLead.NOT_LED, "it led");
        }
        assertTrue(looksBeforeItSleeps(0) > 0, "cut spins did not make it rest");
    }

    /**
     * One lead of a bulk transfer with a 200 µs spin: it spins (or not), sleeps once on the device and
     * ends; {@code frameAtLook} > 0 puts its frame there at that look of the spin, ending the lead.
     *
     * @return how many looks for a frame it made before it slept (a lead that found its frame: all of them)
     */
    private int looksBeforeItSleeps(int frameAtLook) {
        AtomicInteger looks = new AtomicInteger();
        AtomicInteger looksAtSleep = new AtomicInteger(-1);
        AtomicBoolean found = new AtomicBoolean();
        int result = agent.lead(TimeUnit.SECONDS.toNanos(5), () -> looksAtSleep.get() >= 0 || found.get(), nanos -> {
            looksAtSleep.set(looks.get());
            return true;
        }, () -> {
            if (looks.incrementAndGet() == frameAtLook) {
                found.set(true);
            }
            return false;
        }, TimeUnit.MICROSECONDS.toNanos(200));
        assertEquals(StackLead.LED, result);
        return found.get() ? looks.get() : looksAtSleep.get();
    }

    @Test
    void oneThreadLeadsAtATime() throws InterruptedException {
        startStackThread();
        CountDownLatch leading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread first = Thread.ofVirtual().start(() -> agent.lead(TimeUnit.SECONDS.toNanos(10), () -> release.getCount() == 0, nanos -> {
            leading.countDown();
            try {
                release.await(10, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }, () -> false));
        assertTrue(leading.await(5, TimeUnit.SECONDS));
        assertEquals(StackLead.NOT_LED, agent.lead(TimeUnit.SECONDS.toNanos(1), () -> true, nanos -> true, () -> false));
        release.countDown();
        first.join(5_000);
        assertEquals(StackLead.LED, agent.lead(TimeUnit.MILLISECONDS.toNanos(1), () -> true, nanos -> true, () -> false),
                "free again once the first leader left");
    }

    @Test
    void leadingEndsWhenItsTimeIsUp() throws InterruptedException {
        startStackThread();
        long start = System.nanoTime();
        int result = agent.lead(TimeUnit.MILLISECONDS.toNanos(20), () -> false, nanos -> {
            LockSupport.parkNanos(nanos); // the device's wait, without a frame
            return false;
        }, () -> false);
        long took = System.nanoTime() - start;
        assertEquals(StackLead.LED, result);
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(20) && took < TimeUnit.SECONDS.toNanos(5), "took " + took + " ns");
    }

    @Test
    void aTimerDueBeforeTheStackThreadWakesAsksForTheStackThread() throws InterruptedException {
        startStackThread();
        cycle.timerInNanos.set(1_000_000); // 1 ms: before the 50 ms idle wait ends
        AtomicInteger cycles = new AtomicInteger();
        // The first wait comes before any cycle; the cycle after it arms the timer; the second wait ends the lead.
        int result = agent.lead(TimeUnit.SECONDS.toNanos(5), () -> cycles.get() > 1, nanos -> {
            cycles.incrementAndGet();
            return false;
        }, () -> false);
        assertEquals(StackLead.LED_WAKE_STACK, result);
    }

    @Test
    void aFrameLeftUnreadWhenTheLeadEndsAsksForTheStackThread() throws InterruptedException {
        startStackThread();
        // The wait ends for a frame, but the data came another way meanwhile (the stack thread
        // delivered it and rang the bell): the leader leaves without a cycle, the frame unread.
        AtomicInteger frameWaits = new AtomicInteger();
        AtomicInteger asked = new AtomicInteger();
        int polls = cycle.polls.get();
        int result = agent.lead(TimeUnit.SECONDS.toNanos(5), () -> frameWaits.get() > 0, nanos -> {
            frameWaits.incrementAndGet();
            return true;
        }, () -> {
            asked.incrementAndGet();
            return true;
        });
        assertEquals(StackLead.LED_WAKE_STACK, result, "the frame woke the leader alone: the stack thread must be woken for it");
        assertEquals(1, asked.get(), "asked once, as the lead ended");
        assertEquals(polls, cycle.polls.get(), "no cycle after the wait");

        assertEquals(StackLead.LED, agent.lead(TimeUnit.SECONDS.toNanos(5), () -> frameWaits.get() > 1, nanos -> {
            frameWaits.incrementAndGet();
            return true;
        }, () -> false), "nothing left unread: the stack thread sleeps on");
    }

    @Test
    void theStackThreadSleepsWhileTheLeaderRunsACycleAndIsToldWhenTheLeadEnds() throws InterruptedException {
        startStackThread();
        cycle.timerInNanos.set(200_000); // the stack thread wakes every 0.2 ms, also while the leader leads
        Thread leader = Thread.currentThread();
        AtomicBoolean stackSlept = new AtomicBoolean();
        AtomicInteger leaderPolls = new AtomicInteger();
        // The leader's cycle lasts until the stack thread, which woke for its timer meanwhile, is
        // seen waiting for it asleep (not yielding in a loop until the turn is free).
        cycle.duringPoll = () -> {
            if (Thread.currentThread() != leader) {
                return;
            }
            leaderPolls.incrementAndGet();
            long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!stackSlept.get() && System.nanoTime() - limit < 0) {
                stackSlept.set(sleepsWaitingForTheTurn(stack));
                Thread.onSpinWait();
            }
        };
        // The stack thread's wait for a leader is bounded (1 ms): a leader kept off the CPU for
        // longer between seeing it asleep and ending its lead finds it awake again, and then rightly
        // does not wake it. So the scenario runs up to three times; each must see the stack thread
        // asleep, and at least one must end while it still waits.
        int result = StackLead.NOT_LED;
        for (int attempt = 1; attempt <= 3 && result != StackLead.LED_WAKE_STACK; attempt++) {
            stackSlept.set(false);
            leaderPolls.set(0);
            result = agent.lead(TimeUnit.SECONDS.toNanos(5), () -> leaderPolls.get() > 0, nanos -> true, () -> false);
            assertTrue(stackSlept.get(), "the stack thread slept while the leader ran its cycle (attempt " + attempt + ")");
        }
        assertEquals(StackLead.LED_WAKE_STACK, result, "the lead ended while the stack thread waited for it: wake it");
        int polls = cycle.polls.get();
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (cycle.polls.get() == polls && System.nanoTime() - limit < 0) {
            Thread.sleep(1);
        }
        assertSame(stack, cycle.lastPoller, "the stack thread runs cycles again once the lead ended");
    }

    /** Whether {@code thread} is parked in the stack thread's wait for the turn. */
    private static boolean sleepsWaitingForTheTurn(Thread thread) {
        if (thread.getState() != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getMethodName().equals("takeTurnForStackThread")) {
                return true;
            }
        }
        return false;
    }
}
