package dev.spinet.hal.pi4j;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeEvent;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import dev.spinet.hal.gpio.InputPin;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Our {@link InputPin} over any Pi4J {@link DigitalInput}. Pi4J reports edges through listeners
 * on its own thread; this adapter registers one listener at construction that counts changes and
 * unparks the thread waiting in {@link #awaitEdge}. Waiting allocates nothing (the listener's
 * event objects are Pi4J's).
 */
public final class Pi4jInputPin implements InputPin {

    private final DigitalInput input;
    private final DigitalStateChangeListener listener;
    private volatile long edges;
    private volatile Thread waiter;

    public Pi4jInputPin(DigitalInput input) {
        this.input = Objects.requireNonNull(input, "input");
        this.listener = this::onChange;
        input.addListener(listener);
    }

    @SuppressWarnings("rawtypes")
    private void onChange(DigitalStateChangeEvent event) {
        edges++;
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
        long seen = edges;
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        waiter = Thread.currentThread();
        try {
            while (edges == seen) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                LockSupport.parkNanos(this, remaining);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return true;
        } finally {
            waiter = null;
        }
    }

    /** Changes reported by Pi4J so far. */
    public long edgeCount() {
        return edges;
    }

    /** Removes the listener; the Pi4J input itself stays open (its owner shuts it down). */
    @Override
    public void close() {
        input.removeListener(listener);
    }
}
