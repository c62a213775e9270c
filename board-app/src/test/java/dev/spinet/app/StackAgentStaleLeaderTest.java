package dev.spinet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.iface.DutyCycle;
import dev.spinet.net.StackLead;
import dev.spinet.testkit.QueueFrameDevice;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stack thread lets a leader that wants the turn go first ({@link StackAgent#lead}), but not
 * one that is off the CPU: a leader that found the turn taken says it wants it and yields; if
 * it is then descheduled, its wish stays set while it makes no progress, and the stack thread
 * must not sleep for it in every cycle (up to 1 ms each) until it runs again. Here the leader is
 * held, right after its wish, inside its condition (as a descheduled thread would be) while the
 * stack thread has work in every cycle; the stack thread is sampled and must not be found
 * asleep waiting for that leader once it saw the turn stay free with no cycle run by anyone else.
 */
@Timeout(30)
class StackAgentStaleLeaderTest {

    /** A duty cycle with work in every cycle of the stack thread, which it can hold inside one. */
    private static final class BusyCycle implements DutyCycle {
        final AtomicLong stackCycles = new AtomicLong();
        volatile Thread stack;
        volatile CountDownLatch holdStack;
        final CountDownLatch stackInside = new CountDownLatch(1);

        @Override
        public int poll(long nowNanos) {
            if (Thread.currentThread() != stack) {
                return 0;
            }
            stackCycles.incrementAndGet();
            CountDownLatch hold = holdStack;
            if (hold != null) {
                holdStack = null;
                stackInside.countDown();
                try {
                    hold.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 1;
        }

        @Override
        public long nextDeadline(long nowNanos) {
            return nowNanos + Long.MAX_VALUE / 4;
        }
    }

    private final BusyCycle cycle = new BusyCycle();
    private final StackAgent agent = new StackAgent(cycle, OpenedHal.Pump.NONE, new QueueFrameDevice(0x020000000001L),
            NanoClock.SYSTEM, null, new RecordingIdleGate());
    private Thread stack;

    @AfterEach
    void stop() throws InterruptedException {
        agent.requestStop();
        if (stack != null) {
            stack.join(5_000);
        }
    }

    @Test
    void aLeaderOffTheCpuDoesNotMakeTheStackThreadSleepInEveryCycle() throws Exception {
        stack = Thread.ofPlatform().name("stack").unstarted(agent::runUntilStopped);
        cycle.stack = stack;
        stack.start();
        CountDownLatch leaderAsked = new CountDownLatch(1);
        CountDownLatch leaderBack = new CountDownLatch(1);
        AtomicInteger conditionChecks = new AtomicInteger();
        AtomicInteger result = new AtomicInteger(-1);
        Thread leader = Thread.ofPlatform().name("leader").start(() -> result.set(agent.lead(TimeUnit.SECONDS.toNanos(20), () -> {
            // 1: before the first wait; 2: before the first try for the turn, which the held stack
            // thread has; 3: after that try failed, its wish published and the CPU yielded.
            if (conditionChecks.incrementAndGet() == 3) {
                leaderAsked.countDown();
                try {
                    leaderBack.await(10, TimeUnit.SECONDS); // off the CPU, as far as the stack thread can tell
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }
            return false;
        }, nanos -> {
            // The device's wait: "a frame", once the stack thread is inside a cycle and holds the turn.
            CountDownLatch hold = new CountDownLatch(1);
            cycle.holdStack = hold;
            try {
                cycle.stackInside.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Thread.ofPlatform().start(() -> {
                try {
                    leaderAsked.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                hold.countDown(); // the stack thread's cycle ends once the leader asked for the turn
            });
            return true;
        }, () -> false)));
        try {
            assertTrue(leaderAsked.await(10, TimeUnit.SECONDS), "the leader found the turn taken and asked for it");
            long after = cycle.stackCycles.get();
            long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (cycle.stackCycles.get() < after + 3 && System.nanoTime() - limit < 0) {
                Thread.sleep(1);
            }
            assertTrue(cycle.stackCycles.get() >= after + 3, "the stack thread runs cycles while the leader is away");
            int samples = 0;
            int asleepForLeader = 0;
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() - end < 0) {
                samples++;
                if (sleepsWaitingForTheTurn(stack)) {
                    asleepForLeader++;
                }
                Thread.sleep(0, 200_000);
            }
            assertEquals(0, asleepForLeader, "samples of " + samples + " with the stack thread asleep for a leader that is"
                    + " off the CPU (" + (cycle.stackCycles.get() - after) + " stack cycles meanwhile)");
        } finally {
            leaderBack.countDown();
            leader.join(5_000);
        }
        assertTrue(result.get() == StackLead.LED || result.get() == StackLead.LED_WAKE_STACK, "it led: " + result.get());
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
