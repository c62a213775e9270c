package dev.spinet.hal.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import dev.spinet.hal.linux.Libc;
import dev.spinet.hal.linux.LinuxSyscalls;
import dev.spinet.hal.linux.RaspberryPi;
import dev.spinet.hal.linux.SpidevConfig;
import java.util.function.Supplier;

/**
 * Pi4J contexts with Spinet's providers (SPI, digital input, digital output) registered and
 * Pi4J's own auto-detection off, so no other plugin is needed or probed.
 *
 * <pre>{@code
 * Context pi4j = SpinetPi4j.newBoardContext(0);
 * Spi spi = pi4j.create(Spi.newConfigBuilder(pi4j).id("eth").bus(SpiBus.BUS_0).channel(0)
 *         .mode(SpiMode.MODE_0).baud(20_000_000).provider(SpinetSpiProvider.ID));
 * SpiBus forTheDriver = ((SpinetSpi) spi).spiBus();
 * }</pre>
 */
public final class SpinetPi4j {

    private SpinetPi4j() {
    }

    /**
     * A context for this Raspberry Pi's header on {@code /dev/gpiochip<gpioChip>}, or with
     * {@link dev.spinet.hal.linux.HeaderGpioChip#AUTOMATIC} on the chip found by its label.
     *
     * @throws IllegalStateException when this is not a Raspberry Pi, saying what to use instead
     */
    public static Context newBoardContext(int gpioChip) {
        RaspberryPi.require("Pi4J with Spinet's providers");
        return newContext(Libc::instance, gpioChip);
    }

    /** A context whose providers use {@code syscalls} (the C library, or a test's mock). */
    public static Context newContext(Supplier<LinuxSyscalls> syscalls, int gpioChip) {
        return Pi4J.newContextBuilder()
                .noAutoDetect()
                .noAutoInject()
                .add(new SpinetSpiProvider(syscalls, SpidevConfig.DEFAULT_BUFFER_SIZE),
                        new SpinetDigitalInputProvider(syscalls, gpioChip),
                        new SpinetDigitalOutputProvider(syscalls, gpioChip))
                .build();
    }
}
