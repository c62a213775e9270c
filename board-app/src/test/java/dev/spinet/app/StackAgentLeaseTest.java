package dev.spinet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.iface.DutyCycle;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StackAgent#lease}: while a reader holds a lease the stack thread's idle wait is a park,
 * off the device, so frames do not wake it; a wake-up ({@link StackAgent#wakeStackThread}) still
 * ends it at once, and when the lease lapses the stack thread waits on the device again.
 */
@Timeout(30)
class StackAgentLeaseTest {

    /** The device wait: returns when the test lets a "frame" through, or at its timeout. */
    private static final class ScriptedDeviceWait implements IdleWait {
        final AtomicInteger waits = new AtomicInteger();
        final Semaphore frames = new Semaphore(0);

        @Override
        public boolean awaitReceive(long timeoutNanos) throws InterruptedException {
            waits.incrementAndGet();
            return frames.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private static final class CountingCycle implements DutyCycle {
        final AtomicInteger polls = new AtomicInteger();

        @Override
        public int poll(long nowNanos) {
            polls.incrementAndGet();
            return 0;
        }

        @Override
        public long nextDeadline(long nowNanos) {
            return nowNanos + Long.MAX_VALUE / 4;
        }
    }

    private final CountingCycle cycle = new CountingCycle();
    private final ScriptedDeviceWait device = new ScriptedDeviceWait();
    private final StackAgent agent = new StackAgent(cycle, OpenedHal.Pump.NONE, device, NanoClock.SYSTEM, null,
            new RecordingIdleGate());
    private Thread stack;

    @AfterEach
    void stop() throws InterruptedException {
        agent.requestStop();
        agent.wakeStackThread();
        device.frames.release(10);
        if (stack != null) {
            stack.join(5_000);
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    @Test
    void aLeaseKeepsTheStackThreadOffTheDeviceUntilAWakeUpOrItsEnd() throws InterruptedException {
        stack = Thread.ofPlatform().name("stack").start(agent::runUntilStopped);
        awaitTrue(() -> device.waits.get() == 1, "the stack thread waits on the device");

        agent.lease(TimeUnit.SECONDS.toNanos(20));
        device.frames.release(); // a frame ends the wait in progress; the cycle after it finds the lease
        awaitTrue(() -> cycle.polls.get() >= 2, "the frame's cycle ran");
        int polls = cycle.polls.get();
        Thread.sleep(20);
        assertEquals(1, device.waits.get(), "no wait on the device while the lease lasts");
        assertTrue(cycle.polls.get() - polls <= 1, "no cycle but the idle cap's: frames are left to the reader");
        int beforeWake = cycle.polls.get();

        agent.wakeStackThread(); // a request the application could not serve itself
        awaitTrue(() -> cycle.polls.get() > beforeWake, "a wake-up ends the lease's sleep at once");
        assertEquals(1, device.waits.get(), "the lease still holds after that cycle");

        agent.lease(1_000_000); // lapses 1 ms from now
        awaitTrue(() -> device.waits.get() == 2, "the stack thread waits on the device again once the lease lapsed");
        assertTrue(agent.counters().get(StackThreadCounter.LEASE_SLEEPS) >= 1, "the sleeps are counted");
    }

    @Test
    void aReaderThatParksEndsTheLeaseAndTheStackThreadReturnsToTheDevice() throws InterruptedException {
        stack = Thread.ofPlatform().name("stack").start(agent::runUntilStopped);
        awaitTrue(() -> device.waits.get() == 1, "the stack thread waits on the device");
        agent.lease(TimeUnit.SECONDS.toNanos(20));
        device.frames.release();
        awaitTrue(() -> cycle.polls.get() >= 2, "the frame's cycle ran");
        Thread.sleep(10);
        assertEquals(1, device.waits.get(), "it sleeps through the lease");

        agent.endLease();
        awaitTrue(() -> device.waits.get() == 2, "once the lease ended it waits on the device again, long before the lease's end");
    }

    @Test
    void withoutALeaseTheStackThreadWaitsOnTheDevice() throws InterruptedException {
        stack = Thread.ofPlatform().name("stack").start(agent::runUntilStopped);
        awaitTrue(() -> device.waits.get() == 1, "the stack thread waits on the device");
        device.frames.release();
        awaitTrue(() -> device.waits.get() == 2, "after the frame's cycle it waits on the device again");
        assertEquals(0, agent.counters().get(StackThreadCounter.LEASE_SLEEPS));
    }

    /**
     * A lease renewed again and again (a writer whose every write takes one) must not keep a frame
     * waiting until the idle cap: each time the stack thread wakes to look at the lease it asks the
     * device whether a frame waits, and runs a cycle when one does.
     */
    @Test
    void aFrameWaitingWhenTheStackThreadLooksAtTheLeaseIsTakenThen() throws InterruptedException {
        java.util.concurrent.atomic.AtomicBoolean frameWaits = new java.util.concurrent.atomic.AtomicBoolean();
        agent.lookForFramesDuringLeasesWith(frameWaits::get);
        stack = Thread.ofPlatform().name("stack").start(agent::runUntilStopped);
        awaitTrue(() -> device.waits.get() == 1, "the stack thread waits on the device");
        java.util.concurrent.atomic.AtomicBoolean renewing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread holder = Thread.ofPlatform().start(() -> {
            while (renewing.get()) {
                agent.lease(2_000_000); // 2 ms, renewed every millisecond: it never lapses
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        });
        try {
            device.frames.release(); // the wait in progress ends; the stack thread then sleeps through the lease
            awaitTrue(() -> cycle.polls.get() >= 2, "the frame's cycle ran");
            Thread.sleep(20);
            int quiet = cycle.polls.get();
            Thread.sleep(100);
            assertTrue(cycle.polls.get() - quiet <= 3, "nothing waits: at most the idle cap's cycles ("
                    + (cycle.polls.get() - quiet) + ")");

            frameWaits.set(true);
            int before = cycle.polls.get();
            Thread.sleep(100);
            int cycles = cycle.polls.get() - before;
            assertTrue(cycles >= 10, "a cycle at each look while a frame waits, not one per idle cap: " + cycles);
        } finally {
            renewing.set(false);
            holder.join(5_000);
        }
    }
}
