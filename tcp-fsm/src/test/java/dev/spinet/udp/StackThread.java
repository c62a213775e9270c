package dev.spinet.udp;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a {@link StackPair} on a thread of its own with the real clock, as a board's stack thread
 * runs, so that a test's thread can act as an application (blocking sockets, the resolver).
 * {@link #onStackThread} runs a task there between cycles. {@link #close()} stops it within a
 * second.
 */
public final class StackThread implements AutoCloseable {

    private final StackPair pair;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private volatile Throwable failure;

    public StackThread(StackPair pair) {
        this.pair = pair;
        this.thread = Thread.ofPlatform().name("stack").daemon().start(this::run);
    }

    private void run() {
        try {
            while (running) {
                pair.now = System.nanoTime();
                pair.exchange();
                for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                    task.run();
                }
                LockSupport.parkNanos(200_000);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Runs {@code task} on the stack thread and returns what it threw, or null; waits at most 5 s. */
    public Throwable onStackThread(Runnable task) throws Exception {
        CompletableFuture<Throwable> done = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable t) {
                done.complete(t);
            }
        });
        return done.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(1000);
        if (failure != null) {
            throw new AssertionError("the stack thread failed", failure);
        }
    }
}
