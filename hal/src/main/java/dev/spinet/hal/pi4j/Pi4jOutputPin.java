package dev.spinet.hal.pi4j;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import dev.spinet.hal.gpio.OutputPin;
import java.util.Objects;

/** Our {@link OutputPin} over any Pi4J {@link DigitalOutput}. */
public final class Pi4jOutputPin implements OutputPin {

    private final DigitalOutput output;
    private boolean high;

    public Pi4jOutputPin(DigitalOutput output) {
        this.output = Objects.requireNonNull(output, "output");
        this.high = output.state() == DigitalState.HIGH;
    }

    @Override
    public void set(boolean level) {
        output.state(level ? DigitalState.HIGH : DigitalState.LOW);
        high = level;
    }

    @Override
    public boolean isHigh() {
        return high;
    }
}
