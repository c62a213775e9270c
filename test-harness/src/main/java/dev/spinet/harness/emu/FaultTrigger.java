package dev.spinet.harness.emu;

import dev.spinet.harness.net.SplitMix64;
import java.util.Locale;

/**
 * When a {@link ChipFaultScheduler} fires its fault: after an amount of frame traffic through the
 * chip (both ways together, so a transfer in either direction reaches it mid-way), or after a
 * time since the scheduler started.
 *
 * @param afterBytes fire once the chip has moved this many frame bytes (0 when timed)
 * @param afterNanos fire once this much time has passed (0 when by traffic)
 */
public record FaultTrigger(long afterBytes, long afterNanos) {

    /** The earliest and latest traffic a {@link #seeded} trigger picks from: 512 KiB to 4 MiB. */
    public static final long SEEDED_MIN_BYTES = 512 * 1024;
    public static final long SEEDED_MAX_BYTES = 4 * 1024 * 1024;

    private static final String FORMS = "give a time (500ms, 10s), an amount of traffic through the chip (1MB, 64KiB, 100000B) or seed:N";

    public FaultTrigger {
        if (afterBytes < 0 || afterNanos < 0 || (afterBytes == 0) == (afterNanos == 0)) {
            throw new IllegalArgumentException("a fault trigger is either a positive byte count or a positive time, not both");
        }
    }

    public static FaultTrigger afterBytes(long bytes) {
        return new FaultTrigger(bytes, 0);
    }

    public static FaultTrigger afterNanos(long nanos) {
        return new FaultTrigger(0, nanos);
    }

    /** A traffic amount from {@link #SEEDED_MIN_BYTES} to {@link #SEEDED_MAX_BYTES} drawn from {@code seed}: a moment reproducible from the seed alone. */
    public static FaultTrigger seeded(long seed) {
        return afterBytes(SEEDED_MIN_BYTES + new SplitMix64(seed).nextLong(SEEDED_MAX_BYTES - SEEDED_MIN_BYTES));
    }

    public boolean byTraffic() {
        return afterBytes > 0;
    }

    /**
     * Parses {@code 500ms}, {@code 10s}, {@code 1MB} (10^6), {@code 1MiB}, {@code 64KB}, {@code 64KiB},
     * {@code 100000B} or {@code seed:N}.
     *
     * @throws IllegalArgumentException with one line giving the valid forms
     */
    public static FaultTrigger parse(String text) {
        String value = text == null ? "" : text.trim();
        String lower = value.toLowerCase(Locale.ROOT);
        try {
            if (lower.startsWith("seed:")) {
                return seeded(Long.parseLong(value.substring(5).trim()));
            }
            String[][] units = {{"ms", "1000000", "t"}, {"s", "1000000000", "t"}, {"mib", "1048576", "b"}, {"kib", "1024", "b"},
                    {"mb", "1000000", "b"}, {"kb", "1000", "b"}, {"b", "1", "b"}};
            for (String[] unit : units) {
                if (lower.endsWith(unit[0]) && lower.length() > unit[0].length()) {
                    long amount = Long.parseLong(lower.substring(0, lower.length() - unit[0].length()).trim());
                    long scaled = Math.multiplyExact(amount, Long.parseLong(unit[1]));
                    if (amount > 0) {
                        return unit[2].equals("t") ? afterNanos(scaled) : afterBytes(scaled);
                    }
                }
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + value + "': " + FORMS);
    }

    @Override
    public String toString() {
        return byTraffic() ? "after " + afterBytes + " bytes through the chip"
                : String.format(Locale.ROOT, "after %.3f s", afterNanos / 1e9);
    }
}
