package dev.spinet.net;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Unparks application threads for the stack thread, which must not do it itself when they are
 * virtual: unparking a virtual thread submits its continuation to the scheduler, and the
 * scheduler wraps it in a new task object (32 bytes a wake-up, measured on JDK 25), an
 * allocation on the stack thread. A platform thread is unparked by the stack thread directly
 * (no allocation); for a virtual one the stack thread queues the slot number here, and this
 * platform thread, which may allocate, does the unpark.
 *
 * <p>A slot is queued at most once at a time ({@link #queued}), so the queue, sized for every
 * slot, never fills. The waker clears the mark before it reads who is waiting, so a wake-up asked
 * for while it works is never lost.
 */
final class ThreadWaker implements Runnable {

    /** What the waker wakes for a queued number: the slot's reader and writer, or a listener's acceptor. */
    interface Waiters {
        void unparkWaiters(int id);
    }

    private final SpscIntQueue queue;
    private final AtomicIntegerArray queued;
    private final Waiters waiters;
    private final long spinNanos;
    private volatile boolean parked;
    private volatile boolean stopped;
    private volatile Thread thread;

    ThreadWaker(int ids, long spinNanos, Waiters waiters) {
        this.queue = new SpscIntQueue(ids);
        this.queued = new AtomicIntegerArray(ids);
        this.waiters = waiters;
        this.spinNanos = spinNanos;
    }

    /** Starts the waker's platform thread (daemon). */
    void start(String name) {
        Thread started = Thread.ofPlatform().name(name).daemon().unstarted(this);
        thread = started;
        started.start();
    }

    void stop() {
        stopped = true;
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    /**
     * The stack thread: makes {@code waiter} run again. Allocation-free: a platform thread is
     * unparked here, a virtual one through the waker thread.
     */
    void wake(int id, Thread waiter) {
        if (!waiter.isVirtual()) {
            LockSupport.unpark(waiter);
            return;
        }
        if (queued.get(id) != 0) {
            return;
        }
        queued.set(id, 1);
        queue.offer(id);
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void run() {
        long spinUntil = 0;
        while (!stopped) {
            int id = queue.poll();
            if (id < 0) {
                if (System.nanoTime() - spinUntil < 0) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (queue.isEmpty() && !stopped) {
                    LockSupport.park(this);
                }
                parked = false;
                continue;
            }
            queued.set(id, 0);
            waiters.unparkWaiters(id);
            spinUntil = System.nanoTime() + spinNanos;
        }
    }
}
