package dev.spinet.app;

import dev.spinet.hal.linux.HeaderGpioChip;
import java.util.Locale;

/**
 * The value of {@code --gpiochip} (and the {@code gpiochip} key of a config file): {@code auto},
 * the default, finds the 40-pin header's chip by its label ({@link HeaderGpioChip}); a number N
 * uses {@code /dev/gpiochipN} as given.
 */
public final class GpioChipOption {

    public static final String AUTO = "auto";

    private GpioChipOption() {
    }

    /**
     * @return {@link HeaderGpioChip#AUTOMATIC} or the chip number
     * @throws IllegalArgumentException naming the option and what it accepts
     */
    public static int parse(String text) {
        String value = text == null ? AUTO : text.trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty() || value.equals(AUTO)) {
            return HeaderGpioChip.AUTOMATIC;
        }
        try {
            int chip = Integer.parseInt(value);
            if (chip >= 0 && chip <= 255) {
                return chip;
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new IllegalArgumentException("--gpiochip " + text + ": 'auto' (find the 40-pin header's chip by its label)"
                + " or a chip number 0..255 for /dev/gpiochipN");
    }

    /** {@code auto} or the number, as the option and config files spell it. */
    public static String format(int chipOrAutomatic) {
        return chipOrAutomatic == HeaderGpioChip.AUTOMATIC ? AUTO : Integer.toString(chipOrAutomatic);
    }
}
