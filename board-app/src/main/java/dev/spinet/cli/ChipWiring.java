package dev.spinet.cli;

import dev.spinet.app.GpioChipOption;
import picocli.CommandLine.Option;

/**
 * How the controller is wired to the Pi: the spidev device, the INT and RESET lines and the GPIO
 * chip they are on. One set of options (a picocli mixin) and one set of checks for every command
 * that talks to a chip, so {@code run}, {@code selftest} and {@code doctor} accept and refuse the
 * same values with the same words.
 */
final class ChipWiring {

    @Option(names = "--spi", paramLabel = "BUS.CS", defaultValue = "0.0", description = "spidev device /dev/spidevBUS.CS (default ${DEFAULT-VALUE}).")
    String spi;

    @Option(names = "--int-pin", paramLabel = "N", defaultValue = "25", description = "BCM GPIO of the chip's INT (default ${DEFAULT-VALUE}).")
    int intPin;

    @Option(names = "--reset-pin", paramLabel = "N", defaultValue = "24", description = "BCM GPIO of the chip's RESET (default ${DEFAULT-VALUE}).")
    int resetPin;

    @Option(names = "--gpiochip", paramLabel = "N|auto", defaultValue = GpioChipOption.AUTO,
            description = "/dev/gpiochipN (default ${DEFAULT-VALUE}: the 40-pin header's chip, found by its label).")
    String gpiochip;

    /** {@link #check} on these options. */
    int checked() {
        return check(spi, intPin, resetPin, gpiochip);
    }

    /**
     * Checks the wiring options and returns the GPIO chip number ({@link GpioChipOption#parse}:
     * automatic unless a number was given).
     *
     * @throws IllegalArgumentException naming the option and what it accepts
     */
    static int check(String spi, int intPin, int resetPin, String gpiochip) {
        if (!spi.matches("\\d{1,3}\\.\\d{1,3}")) {
            throw new IllegalArgumentException("--spi " + spi + ": expected BUS.CS like 0.0 (for /dev/spidev0.0)");
        }
        checkRange("--int-pin", intPin, 0, 1023);
        checkRange("--reset-pin", resetPin, 0, 1023);
        int gpiochipNumber = GpioChipOption.parse(gpiochip);
        if (intPin == resetPin) {
            throw new IllegalArgumentException("--int-pin and --reset-pin are both GPIO" + intPin + "; they must be different lines");
        }
        return gpiochipNumber;
    }

    static void checkRange(String option, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " " + value + ": must be " + min + ".." + max);
        }
    }
}
