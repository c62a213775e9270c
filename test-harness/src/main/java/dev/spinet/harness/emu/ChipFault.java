package dev.spinet.harness.emu;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The chip faults the emulators can be made to suffer, from the errata and from field reports,
 * each with the parameter it takes ({@code NAME[:PARAM]}, see {@link ChipFaultSpec}) and the
 * chips it makes sense for. What the driver does about each is the fault table in
 * {@code docs/drivers.md}; {@link ChipFaultScheduler} fires one mid-run.
 */
public enum ChipFault {

    /** The cable is pulled mid-transfer and plugged back PARAM ms later. */
    LINK_FLAP("link-flap", EnumSet.allOf(ChipType.class), "ms the cable stays unplugged", "1000", 1, 600_000,
            "link down mid-transfer, up again after PARAM ms"),
    /**
     * A link flap shorter than the driver's link poll (PARAM ms, default 10) after which SEND never
     * completes until socket 0 is closed and opened (W5500 boards after a cable re-plug; ESP-IDF
     * closes socket 0 on link down for this reason).
     */
    SEND_STUCK("send-stuck", EnumSet.of(ChipType.W5500), "ms the cable is out (shorter than the driver's link poll)", "10", 1, 600_000,
            "a link flap after which SEND never completes"),
    /** Errata DS80349 item 12: the next PARAM transmissions keep ECON1.TXRTS set with neither TXIF nor TXERIF. */
    TXRTS_STUCK("txrts-stuck", EnumSet.of(ChipType.ENC28J60), "transmissions that stick", "1", 1, 1000,
            "ECON1.TXRTS stays set without TXIF or TXERIF (errata item 12)"),
    /** INT is held deasserted for PARAM ms while the chip goes on receiving: the edge never comes. */
    INT_LOST("int-lost", EnumSet.allOf(ChipType.class), "ms INT stays deasserted", "2000", 1, 600_000,
            "no INT edge while data waits, for PARAM ms"),
    /**
     * A broadcast storm keeps the receive memory full for PARAM ms: the chip drops what arrives
     * (ENC28J60: EIR.RXERIF; W5500 MACRAW: silently, its socket 0 buffer full).
     */
    RX_OVERFLOW("rx-overflow", EnumSet.allOf(ChipType.class), "ms the receive memory is kept full", "50", 1, 600_000,
            "receive memory full for PARAM ms (ENC28J60 RXERIF, W5500 full buffer)"),
    /** EPKTCNT jumps to 255: the chip drops every frame with RXERIF until the count comes down. */
    EPKTCNT_255("epktcnt-255", EnumSet.of(ChipType.ENC28J60), null, null, 0, 0,
            "EPKTCNT saturated at 255 (ENC28J60 RXERIF)"),
    /** One byte of one SPI response corrupted on MISO: a length, a pointer or a status. */
    SPI_CORRUPT("spi-corrupt", EnumSet.allOf(ChipType.class), "length, pointer or status", "length", 0, 0,
            "one byte of an SPI response corrupted (PARAM: length, pointer or status)",
            "length", "pointer", "status"),
    /** A brown-out: every register back to its reset value, the driver not told. */
    BROWN_OUT("brown-out", EnumSet.allOf(ChipType.class), null, null, 0, 0,
            "chip reset mid-run: every register back to its reset value");

    private final String label;
    private final Set<ChipType> chips;
    private final String parameterHelp;
    private final String defaultParameter;
    private final long min;
    private final long max;
    private final String description;
    private final List<String> words;

    ChipFault(String label, Set<ChipType> chips, String parameterHelp, String defaultParameter, long min, long max,
              String description, String... words) {
        this.label = label;
        this.chips = Set.copyOf(chips);
        this.parameterHelp = parameterHelp;
        this.defaultParameter = defaultParameter;
        this.min = min;
        this.max = max;
        this.description = description;
        this.words = List.of(words);
    }

    /** The name on the command line. */
    public String label() {
        return label;
    }

    /** One line: what happens to the chip. */
    public String description() {
        return description;
    }

    public boolean appliesTo(ChipType chip) {
        return chips.contains(chip);
    }

    public boolean takesParameter() {
        return defaultParameter != null;
    }

    /** The parameter used when none is given, or null for a fault without one. */
    public String defaultParameter() {
        return defaultParameter;
    }

    /** Whether the parameter is a number (a duration in ms or a count) rather than a word. */
    public boolean numericParameter() {
        return takesParameter() && words.isEmpty();
    }

    /** The parameter checked and in its normal form (the default when {@code text} is null). */
    String normalize(String text) {
        if (!takesParameter()) {
            if (text != null) {
                throw new IllegalArgumentException(label + " takes no parameter; give just '" + label + "'");
            }
            return null;
        }
        if (text == null) {
            return defaultParameter;
        }
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (!words.isEmpty()) {
            if (!words.contains(value)) {
                throw new IllegalArgumentException(label + ":" + text + ": PARAM is one of " + String.join(", ", words));
            }
            return value;
        }
        long number;
        try {
            number = Long.parseLong(value);
        } catch (NumberFormatException e) {
            number = Long.MIN_VALUE;
        }
        if (number < min || number > max) {
            throw new IllegalArgumentException(label + ":" + text + ": PARAM is the " + parameterHelp + ", " + min + ".." + max);
        }
        return Long.toString(number);
    }

    /** {@code NAME[:PARAM]} as help text, for example {@code link-flap[:MS]}. */
    public String usage() {
        if (!takesParameter()) {
            return label;
        }
        return label + "[:" + (words.isEmpty() ? "N" : String.join("|", words)) + "]";
    }

    /** The fault called {@code name}, or an exception listing the names. */
    public static ChipFault named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        for (ChipFault fault : values()) {
            if (fault.label.equals(wanted)) {
                return fault;
            }
        }
        throw new IllegalArgumentException("unknown chip fault '" + name.trim() + "'; use one of " + allLabels() + " (NAME[:PARAM])");
    }

    /** Every fault's name, comma-separated. */
    public static String allLabels() {
        return labels(EnumSet.allOf(ChipType.class));
    }

    /** The faults for {@code chip}, comma-separated. */
    public static String labels(ChipType chip) {
        return labels(EnumSet.of(chip));
    }

    private static String labels(Set<ChipType> chips) {
        List<String> names = new ArrayList<>();
        for (ChipFault fault : values()) {
            for (ChipType chip : chips) {
                if (fault.appliesTo(chip)) {
                    names.add(fault.label);
                    break;
                }
            }
        }
        return String.join(", ", names);
    }

    @Override
    public String toString() {
        return label;
    }
}
