package dev.spinet.hal.linux;

/**
 * How to open a spidev device.
 *
 * @param devicePath  {@code /dev/spidevB.C}
 * @param mode        SPI mode 0..3 (CPOL = bit 1, CPHA = bit 0); both chips work in mode 0
 * @param speedHz     clock in Hz; the controller rounds down to what it can make (a Pi 4 divides
 *                    its core clock by an even number: 20 MHz becomes 19.23)
 * @param bufferSize  bytes of preallocated native memory each way, at most spidev's
 *                    {@code bufsiz} module parameter (4096 unless raised); one transaction
 *                    (header + payload) must fit
 */
public record SpidevConfig(String devicePath, int mode, int speedHz, int bufferSize) {

    /** spidev's default {@code bufsiz}. */
    public static final int DEFAULT_BUFFER_SIZE = 4096;

    public SpidevConfig {
        if (devicePath == null || devicePath.isEmpty()) {
            throw new IllegalArgumentException("spidev device path missing (for example /dev/spidev0.0)");
        }
        if (mode < 0 || mode > 3) {
            throw new IllegalArgumentException("SPI mode must be 0..3, not " + mode);
        }
        if (speedHz <= 0) {
            throw new IllegalArgumentException("SPI clock must be positive, not " + speedHz + " Hz (try --spi-hz 20000000)");
        }
        if (bufferSize < 64 || bufferSize > 1 << 22) {
            throw new IllegalArgumentException("spidev buffer size must be 64..4194304 bytes, not " + bufferSize);
        }
    }

    /** {@code /dev/spidev<bus>.<chipSelect>}, mode 0, the default 4096-byte buffer. */
    public static SpidevConfig of(int bus, int chipSelect, int speedHz) {
        if (bus < 0 || chipSelect < 0) {
            throw new IllegalArgumentException("SPI bus and chip select must be >= 0 (for example --spi 0.0), not "
                    + bus + "." + chipSelect);
        }
        return new SpidevConfig("/dev/spidev" + bus + "." + chipSelect, 0, speedHz, DEFAULT_BUFFER_SIZE);
    }

    /**
     * Parses {@code B.C} as in {@code --spi 0.0}.
     *
     * @throws IllegalArgumentException with the expected form
     */
    public static SpidevConfig parse(String busDotChipSelect, int speedHz) {
        String text = busDotChipSelect == null ? "" : busDotChipSelect.trim();
        int dot = text.indexOf('.');
        try {
            if (dot <= 0 || dot == text.length() - 1) {
                throw new NumberFormatException();
            }
            return of(Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)), speedHz);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SPI device must be BUS.CS such as 0.0 (for /dev/spidev0.0), not '"
                    + busDotChipSelect + "'", e);
        }
    }

    public SpidevConfig withMode(int newMode) {
        return new SpidevConfig(devicePath, newMode, speedHz, bufferSize);
    }

    public SpidevConfig withBufferSize(int newBufferSize) {
        return new SpidevConfig(devicePath, mode, speedHz, newBufferSize);
    }
}
