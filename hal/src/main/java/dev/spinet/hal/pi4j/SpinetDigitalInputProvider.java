package dev.spinet.hal.pi4j;

import com.pi4j.io.gpio.digital.DigitalInput;
import com.pi4j.io.gpio.digital.DigitalInputConfig;
import com.pi4j.io.gpio.digital.DigitalInputProviderBase;
import com.pi4j.io.gpio.digital.PullResistance;
import dev.spinet.hal.linux.GpioBias;
import dev.spinet.hal.linux.GpioChip;
import dev.spinet.hal.linux.HeaderGpioChip;
import dev.spinet.hal.linux.GpioEdge;
import dev.spinet.hal.linux.GpioInputPin;
import dev.spinet.hal.linux.Libc;
import dev.spinet.hal.linux.LinuxSyscalls;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A Pi4J digital-input provider on the GPIO character device ({@code /dev/gpiochipN}, uAPI v2)
 * through Spinet's FFM binding. The Pi4J {@code bcm} address is the line offset on the chip
 * given at construction.
 */
public final class SpinetDigitalInputProvider extends DigitalInputProviderBase {

    public static final String ID = "spinet-digital-input";
    public static final String NAME = "Spinet digital input (GPIO cdev over java.lang.foreign)";

    private final Supplier<LinuxSyscalls> syscalls;
    private final int gpioChip;

    public SpinetDigitalInputProvider(int gpioChip) {
        this(Libc::instance, gpioChip);
    }

    public SpinetDigitalInputProvider(Supplier<LinuxSyscalls> syscalls, int gpioChip) {
        super(ID, NAME);
        this.syscalls = Objects.requireNonNull(syscalls, "syscalls");
        this.gpioChip = gpioChip;
    }

    @Override
    public int getPriority() {
        return 200;
    }

    @Override
    public DigitalInput create(DigitalInputConfig config) {
        int line = Pi4jConfigs.line(config.bcm(), config.address(), "digital input");
        GpioBias bias = bias(config.pull());
        GpioInputPin pin;
        try (GpioChip chip = HeaderGpioChip.open(syscalls.get(), HeaderGpioChip.DEV, gpioChip)) {
            pin = chip.requestInput(line, GpioEdge.BOTH, bias, "spinet-pi4j");
        }
        SpinetDigitalInput input = new SpinetDigitalInput(this, config, pin);
        if (context != null) {
            context.registry().add(input);
        }
        return input;
    }

    static GpioBias bias(PullResistance pull) {
        if (pull == null) {
            return GpioBias.AS_IS;
        }
        return switch (pull) {
            case PULL_UP -> GpioBias.PULL_UP;
            case PULL_DOWN -> GpioBias.PULL_DOWN;
            case OFF -> GpioBias.DISABLED;
        };
    }
}
