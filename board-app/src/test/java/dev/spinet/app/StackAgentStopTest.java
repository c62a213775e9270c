package dev.spinet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.iface.DutyCycle;
import dev.spinet.net.StackLead;
import dev.spinet.testkit.QueueFrameDevice;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StackAgent#runUntilStopped} returns with the stack to itself: what the stack thread does
 * after it (the sockets' {@code abortAll}, the services' close and abort, the DHCP release in
 * {@code BoardRunner}'s shutdown) touches the stack's single-threaded state without the turn,
 * so it must not overlap a duty cycle an application thread runs ({@link StackAgent#runCycleHere},
 * {@link StackAgent#lead}). The stack thread waits for a cycle in progress on an application
 * thread, and after the stop no application thread runs one.
 */
@Timeout(30)
class StackAgentStopTest {

    /** A duty cycle that counts its polls and can hold an application thread inside one. */
    private static final class HeldCycle implements DutyCycle {
        final AtomicInteger polls = new AtomicInteger();
        final AtomicBoolean applicationInside = new AtomicBoolean();
        final CountDownLatch inside = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile Thread held;

        @Override
        public int poll(long nowNanos) {
            polls.incrementAndGet();
            if (Thread.currentThread() == held) {
                applicationInside.set(true);
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                applicationInside.set(false);
            }
            return 0;
        }

        @Override
        public long nextDeadline(long nowNanos) {
            return nowNanos + Long.MAX_VALUE / 4;
        }
    }

    private final HeldCycle cycle = new HeldCycle();
    private final RecordingIdleGate gate = new RecordingIdleGate();
    private final StackAgent agent = new StackAgent(cycle, OpenedHal.Pump.NONE, new QueueFrameDevice(0x020000000001L),
            NanoClock.SYSTEM, null, gate);
    private final AtomicBoolean returnedDuringApplicationCycle = new AtomicBoolean();
    private Thread stack;

    private void startStackThread() throws InterruptedException {
        stack = Thread.ofPlatform().name("stack").start(() -> {
            agent.runUntilStopped();
            // Here BoardRunner's shutdown begins touching the stack without the turn.
            returnedDuringApplicationCycle.set(cycle.applicationInside.get());
        });
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!gate.idle && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        assertTrue(gate.idle, "the stack thread idles");
    }

    @AfterEach
    void stop() throws InterruptedException {
        agent.requestStop();
        cycle.release.countDown();
        if (stack != null) {
            stack.join(5_000);
        }
    }

    @Test
    void theStackThreadReturnsOnlyAfterTheCycleOfAnApplicationThreadEnded() throws Exception {
        startStackThread();
        Thread application = Thread.ofPlatform().name("application").unstarted(agent::runCycleHere);
        cycle.held = application;
        application.start();
        assertTrue(cycle.inside.await(5, TimeUnit.SECONDS), "the application thread runs a cycle");
        agent.requestStop();
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (stack.isAlive() && !waitsForTheTurn(stack) && System.nanoTime() - limit < 0) {
            Thread.onSpinWait();
        }
        assertTrue(stack.isAlive(), "the stopped stack thread waits for the application thread's cycle before it returns");
        cycle.release.countDown();
        stack.join(5_000);
        application.join(5_000);
        assertFalse(stack.isAlive(), "it returns once the cycle ended");
        assertFalse(returnedDuringApplicationCycle.get(), "it never returned while the application thread's cycle ran");
    }

    @Test
    void afterTheStopNoApplicationThreadRunsACycle() throws Exception {
        startStackThread();
        agent.requestStop();
        stack.join(5_000);
        assertFalse(stack.isAlive(), "the stack thread returned");
        int polls = cycle.polls.get();
        assertFalse(agent.runCycleHere(), "a request after the stop is left to the stack thread's shutdown");
        assertEquals(StackLead.LED, agent.lead(TimeUnit.MILLISECONDS.toNanos(5), () -> false, nanos -> true, () -> false));
        assertEquals(polls, cycle.polls.get(), "no cycle ran after the stop");
    }

    /** Whether {@code thread} is in the stack thread's wait for the turn. */
    private static boolean waitsForTheTurn(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getMethodName().equals("takeTurnForStackThread")) {
                return true;
            }
        }
        return false;
    }
}
