package dev.spinet.harness.timing;

import java.util.Locale;

/**
 * What one SPI transaction costs the board: a fixed overhead (on a Raspberry Pi, one
 * {@code SPI_IOC_MESSAGE} ioctl through spidev: the system call, the SPI core queueing the
 * message, the controller driver starting it, chip select set-up and hold, the gap before the
 * next) plus the bytes at the bus clock, 8 clocks each.
 *
 * <p>The default overhead, {@value #PI_SPIDEV_OVERHEAD_NANOS} ns, is a judgement from published
 * oscilloscope and profiling figures, not a solid measurement, hence a parameter; the figures and
 * where they come from are in docs/spi-cost.md, "The timing model": chip select high for 11 to
 * 19 µs between back-to-back spidev transfers on a Raspberry Pi, and on a Pi 2 about 20 µs to
 * wake the SPI worker thread for an interrupt-driven transfer (why spi-bcm2835 polls transfers
 * it estimates under 30 µs, its {@code polling_limit_us}).
 *
 * @param clockHz the SPI clock (after the controller's divider)
 * @param overheadNanos the fixed cost of one transaction
 */
public record SpiTiming(long clockHz, long overheadNanos) {

    /** Default per-transaction overhead of spidev on a Raspberry Pi (see above). */
    public static final long PI_SPIDEV_OVERHEAD_NANOS = 20_000L;

    public SpiTiming {
        if (clockHz < 100_000 || clockHz > 200_000_000) {
            throw new IllegalArgumentException("SPI clock " + clockHz + " Hz outside 100 kHz..200 MHz");
        }
        if (overheadNanos < 0 || overheadNanos > 10_000_000) {
            throw new IllegalArgumentException("SPI overhead " + overheadNanos + " ns outside 0..10 ms");
        }
    }

    /** The clock with the default Raspberry Pi overhead. */
    public static SpiTiming onPi(long clockHz) {
        return new SpiTiming(clockHz, PI_SPIDEV_OVERHEAD_NANOS);
    }

    /** Nanoseconds one transaction of {@code bytes} bytes (header included) takes. */
    public long transactionNanos(long bytes) {
        return overheadNanos + (bytes * 8 * 1_000_000_000L + clockHz - 1) / clockHz;
    }

    /** Nanoseconds {@code transactions} transactions moving {@code bytes} bytes in all take. */
    public long nanos(double transactions, double bytes) {
        return Math.round(transactions * overheadNanos + bytes * 8 * 1e9 / clockHz);
    }

    /**
     * Parses a frequency: {@code 20MHz}, {@code 12.5 MHz}, {@code 800kHz}, {@code 20000000} (Hz).
     *
     * @throws IllegalArgumentException saying what is expected
     */
    public static long parseHz(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        double scale = 1;
        if (t.endsWith("mhz")) {
            scale = 1e6;
            t = t.substring(0, t.length() - 3);
        } else if (t.endsWith("khz")) {
            scale = 1e3;
            t = t.substring(0, t.length() - 3);
        } else if (t.endsWith("hz")) {
            t = t.substring(0, t.length() - 2);
        }
        try {
            double value = Double.parseDouble(t) * scale;
            if (!(value >= 1) || value > 1e12) {
                throw new NumberFormatException();
            }
            return Math.round(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text.trim() + "' is not a frequency; write it like 20MHz, 12.5MHz or 20000000");
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%.4g MHz + %.1f µs per transaction", clockHz / 1e6, overheadNanos / 1e3);
    }
}
