package dev.spinet.hal.pi4j;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeEvent;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import dev.spinet.hal.gpio.InputPin;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Our {@link InputPin} over any Pi4J {@link DigitalInput}. Pi4J reports edges through listeners
 * on its own thread; this adapter registers one listener at construction that counts changes and
 * unparks the thread waiting in {@link #awaitEdge}. Waiting allocates nothing (the listener's
 * event objects are Pi4J's).
 *
 * <p>Edges are remembered until a wait consumes them, as the kernel queues a GPIO line's events
 * until they are read: {@link #awaitEdge} returns at once when Pi4J reported a change after the
 * previous {@code awaitEdge} returned (or after construction), and otherwise waits for the next
 * one. The drivers read INT's level and then wait; any edge after that read is after the previous
 * wait returned, so it cannot be missed, whichever thread or order Pi4J reports it in. (Counting
 * from the moment {@code awaitEdge} starts, as before, lost an edge that fell between the level
 * check and the call, and the wait ran to its timeout.) An edge before the level check makes one
 * wait return early, which {@link InputPin#awaitEdge} allows.
 */
public final class Pi4jInputPin implements InputPin {

    private final DigitalInput input;
    private final DigitalStateChangeListener listener;
    private final AtomicLong edges = new AtomicLong();
    /** Edges that an {@link #awaitEdge} return has accounted for; written by the waiting thread only. */
    private long consumed;
    private volatile Thread waiter;

    public Pi4jInputPin(DigitalInput input) {
        this.input = Objects.requireNonNull(input, "input");
        this.listener = this::onChange;
        input.addListener(listener);
    }

    @SuppressWarnings("rawtypes")
    private void onChange(DigitalStateChangeEvent event) {
        edges.incrementAndGet();
        Thread thread = waiter;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public boolean isHigh() {
        return input.state() == DigitalState.HIGH;
    }

    @Override
    public boolean awaitEdge(long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        // Publish the waiter before reading the count: an edge counted after this read unparks us.
        waiter = Thread.currentThread();
        try {
            while (true) {
                long seen = edges.get();
                if (seen != consumed) {
                    consumed = seen;
                    return true;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, remaining);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            waiter = null;
        }
    }

    /** Changes reported by Pi4J so far. */
    public long edgeCount() {
        return edges.get();
    }

    /** Removes the listener; the Pi4J input itself stays open (its owner shuts it down). */
    @Override
    public void close() {
        input.removeListener(listener);
    }
}
