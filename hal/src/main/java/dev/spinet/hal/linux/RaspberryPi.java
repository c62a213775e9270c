package dev.spinet.hal.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether this machine is a Raspberry Pi, from the device tree's model string (for example
 * "Raspberry Pi 4 Model B Rev 1.5"), so the hardware HALs can say so plainly instead of failing
 * with a missing-device stack trace.
 */
public final class RaspberryPi {

    public static final Path MODEL = Path.of("/proc/device-tree/model");

    private RaspberryPi() {
    }

    /** The model string when this is a Raspberry Pi. */
    public static Optional<String> model() {
        return model(MODEL);
    }

    static Optional<String> model(Path modelFile) {
        try {
            String text = new String(Files.readAllBytes(modelFile), StandardCharsets.US_ASCII).replace("\0", "").trim();
            return text.startsWith("Raspberry Pi") ? Optional.of(text) : Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * @param what what needs the Pi, for the message (for example "--hal w5500")
     * @return the model string
     * @throws IllegalStateException on any other machine, saying what to use instead
     */
    public static String require(String what) {
        return model().orElseThrow(() -> new IllegalStateException(notAPiMessage(what, MODEL)));
    }

    static String notAPiMessage(String what, Path modelFile) {
        String found;
        try {
            found = "'" + new String(Files.readAllBytes(modelFile), StandardCharsets.US_ASCII).replace("\0", "").trim() + "'";
        } catch (IOException | SecurityException e) {
            found = "no " + modelFile;
        }
        return what + " needs a Raspberry Pi with the Ethernet controller on its SPI header, but this machine is not"
                + " one (" + found + ", " + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + ")."
                + " On a desktop use --hal tap, or --hal sim-w5500 / sim-enc28j60 for the emulated chips.";
    }
}
