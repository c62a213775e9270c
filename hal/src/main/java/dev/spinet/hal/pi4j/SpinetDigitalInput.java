package dev.spinet.hal.pi4j;

import com.pi4j.context.Context;
import com.pi4j.exception.ShutdownException;
import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalInputBase;
import com.pi4j.io.gpio.digital.DigitalInputConfig;
import com.pi4j.io.gpio.digital.DigitalInputProvider;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.DigitalStateChangeEvent;
import com.pi4j.io.gpio.digital.DigitalStateChangeListener;
import dev.spinet.hal.gpio.InputPin;
import dev.spinet.hal.linux.GpioInputPin;

/**
 * A Pi4J {@link DigitalInput} backed by a GPIO character-device line with edge events on both
 * edges. Pi4J listeners are served by a daemon thread started when the first listener is added;
 * Spinet's drivers should take {@link #inputPin()} and wait in {@link InputPin#awaitEdge}
 * instead (use one or the other: both read the same event queue).
 */
public final class SpinetDigitalInput extends DigitalInputBase {

    private final GpioInputPin pin;
    private Thread watcher;
    private volatile boolean closed;

    SpinetDigitalInput(DigitalInputProvider provider, DigitalInputConfig config, GpioInputPin pin) {
        this.pin = pin;
        super(provider, config);
    }

    /** The allocation-free port for Spinet's drivers. */
    public InputPin inputPin() {
        return pin;
    }

    @Override
    public DigitalState state() {
        return pin.isHigh() ? DigitalState.HIGH : DigitalState.LOW;
    }

    @Override
    public DigitalInput addListener(DigitalStateChangeListener... listeners) {
        DigitalInput result = super.addListener(listeners);
        startWatcher();
        return result;
    }

    private synchronized void startWatcher() {
        if (watcher != null || closed) {
            return;
        }
        watcher = Thread.ofPlatform().daemon().name("spinet-gpio-" + id()).start(this::watch);
    }

    private void watch() {
        try {
            while (!closed) {
                if (pin.awaitEdge(100_000_000L) && !closed) {
                    dispatch(new DigitalStateChangeEvent<>(this, state()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    @Override
    public DigitalInput shutdownInternal(Context context) throws ShutdownException {
        DigitalInput result = super.shutdownInternal(context);
        closeLine();
        return result;
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            closeLine();
        }
    }

    private void closeLine() {
        Thread thread;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            thread = watcher;
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        pin.close();
    }
}
