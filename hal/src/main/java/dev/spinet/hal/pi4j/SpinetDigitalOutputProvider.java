package dev.spinet.hal.pi4j;

import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalOutputConfig;
import com.pi4j.io.gpio.digital.DigitalOutputProviderBase;
import com.pi4j.io.gpio.digital.DigitalState;
import dev.spinet.hal.linux.GpioChip;
import dev.spinet.hal.linux.HeaderGpioChip;
import dev.spinet.hal.linux.GpioOutputPin;
import dev.spinet.hal.linux.Libc;
import dev.spinet.hal.linux.LinuxSyscalls;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A Pi4J digital-output provider on the GPIO character device through Spinet's FFM binding. The
 * line is requested already at the config's initial state (LOW when none is given), so it never
 * glitches.
 */
public final class SpinetDigitalOutputProvider extends DigitalOutputProviderBase {

    public static final String ID = "spinet-digital-output";
    public static final String NAME = "Spinet digital output (GPIO cdev over java.lang.foreign)";

    private final Supplier<LinuxSyscalls> syscalls;
    private final int gpioChip;

    public SpinetDigitalOutputProvider(int gpioChip) {
        this(Libc::instance, gpioChip);
    }

    public SpinetDigitalOutputProvider(Supplier<LinuxSyscalls> syscalls, int gpioChip) {
        super(ID, NAME);
        this.syscalls = Objects.requireNonNull(syscalls, "syscalls");
        this.gpioChip = gpioChip;
    }

    @Override
    public int getPriority() {
        return 200;
    }

    @Override
    public DigitalOutput create(DigitalOutputConfig config) {
        int line = Pi4jConfigs.line(config.bcm(), config.address(), "digital output");
        boolean initialHigh = config.initialState() == DigitalState.HIGH;
        GpioOutputPin pin;
        try (GpioChip chip = HeaderGpioChip.open(syscalls.get(), HeaderGpioChip.DEV, gpioChip)) {
            pin = chip.requestOutput(line, initialHigh, "spinet-pi4j");
        }
        SpinetDigitalOutput output = new SpinetDigitalOutput(this, config, pin);
        if (context != null) {
            context.registry().add(output);
        }
        return output;
    }
}
