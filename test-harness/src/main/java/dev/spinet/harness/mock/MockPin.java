package dev.spinet.harness.mock;

import dev.spinet.hal.gpio.InputPin;
import dev.spinet.hal.gpio.OutputPin;

/**
 * A GPIO line for tests and emulators: one side drives it with {@link #set}, the other reads it
 * with {@link #isHigh()} and {@link #awaitEdge}. A chip emulator uses one as its INT output (the
 * driver waits on it), a driver test uses one as RESET (the test checks the pulse via
 * {@link #fallingEdges()}).
 *
 * <p>Thread-safety: all methods synchronize on the pin, so an emulator thread may set it while
 * the stack thread waits in {@link #awaitEdge}. No method allocates.
 */
public final class MockPin implements InputPin, OutputPin {

    private boolean high;
    /** An edge happened that no {@link #awaitEdge} call has reported yet. */
    private boolean edgePending;
    private int edges;
    private int fallingEdges;

    /** A pin at the given level with no edges counted. */
    public MockPin(boolean initialHigh) {
        this.high = initialHigh;
    }

    /** Drives the level; a change of level is an edge (counted, and wakes {@link #awaitEdge}). */
    @Override
    public synchronized void set(boolean level) {
        if (level == high) {
            return;
        }
        high = level;
        edges++;
        if (!level) {
            fallingEdges++;
        }
        edgePending = true;
        notifyAll();
    }

    @Override
    public synchronized boolean isHigh() {
        return high;
    }

    /**
     * Returns {@code true} at once if an edge happened since the last call; otherwise waits up to
     * {@code timeoutNanos} (real time) for one. Returns {@code false} on timeout; a timeout of 0
     * or less only checks.
     */
    @Override
    public synchronized boolean awaitEdge(long timeoutNanos) throws InterruptedException {
        if (!edgePending && timeoutNanos > 0) {
            long deadline = System.nanoTime() + timeoutNanos;
            long remaining = timeoutNanos;
            while (!edgePending && remaining > 0) {
                wait(remaining / 1_000_000L, (int) (remaining % 1_000_000L));
                remaining = deadline - System.nanoTime();
            }
        }
        boolean seen = edgePending;
        edgePending = false;
        return seen;
    }

    /** Level changes so far, both directions. */
    public synchronized int edges() {
        return edges;
    }

    /** High-to-low changes so far (INT asserted, RESET pulsed: both chips are active low). */
    public synchronized int fallingEdges() {
        return fallingEdges;
    }

    /** Low-to-high changes so far. */
    public synchronized int risingEdges() {
        return edges - fallingEdges;
    }

    @Override
    public void close() {
    }

    @Override
    public synchronized String toString() {
        return "MockPin[" + (high ? "high" : "low") + ", edges=" + edges + ", falling=" + fallingEdges + "]";
    }
}
