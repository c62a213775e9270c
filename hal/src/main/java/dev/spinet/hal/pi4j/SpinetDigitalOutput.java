package dev.spinet.hal.pi4j;

import com.pi4j.context.Context;
import com.pi4j.exception.ShutdownException;
import com.pi4j.io.exception.IOException;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputBase;
import com.pi4j.io.gpio.digital.DigitalOutputConfig;
import com.pi4j.io.gpio.digital.DigitalOutputProvider;
import com.pi4j.io.gpio.digital.DigitalState;
import dev.spinet.hal.gpio.OutputPin;
import dev.spinet.hal.linux.GpioOutputPin;

/** A Pi4J {@link DigitalOutput} backed by a GPIO character-device line. */
public final class SpinetDigitalOutput extends DigitalOutputBase {

    private final GpioOutputPin pin;
    private boolean closed;

    SpinetDigitalOutput(DigitalOutputProvider provider, DigitalOutputConfig config, GpioOutputPin pin) {
        this.pin = pin;
        super(provider, config);
    }

    /** The allocation-free port for Spinet's drivers. */
    public OutputPin outputPin() {
        return pin;
    }

    @Override
    public DigitalOutput state(DigitalState state) throws IOException {
        if (state == DigitalState.HIGH || state == DigitalState.LOW) {
            pin.set(state == DigitalState.HIGH);
        }
        return super.state(state);
    }

    @Override
    public DigitalOutput shutdownInternal(Context context) throws ShutdownException {
        DigitalOutput result = super.shutdownInternal(context);
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
        if (!closed) {
            closed = true;
            pin.close();
        }
    }
}
