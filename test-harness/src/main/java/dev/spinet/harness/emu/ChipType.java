package dev.spinet.harness.emu;

import java.util.Locale;

/** The chips the emulators model; what a {@link ChipFault} applies to. */
public enum ChipType {
    W5500("W5500"),
    ENC28J60("ENC28J60");

    private final String label;

    ChipType(String label) {
        this.label = label;
    }

    /** The chip's name as its data sheet writes it. */
    public String label() {
        return label;
    }

    /** The type of an emulator. */
    public static ChipType of(ChipEmulator chip) {
        if (chip instanceof W5500Emulator) {
            return W5500;
        }
        if (chip instanceof Enc28j60Emulator) {
            return ENC28J60;
        }
        throw new IllegalArgumentException("no chip type for " + chip.getClass().getName());
    }

    /** {@code w5500} or {@code enc28j60}, as the HAL names write them. */
    public String lowerCase() {
        return label.toLowerCase(Locale.ROOT);
    }
}
