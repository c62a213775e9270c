package dev.spinet.hal.spi;

/**
 * The SPI transport failed (not a protocol error of the chip). Thrown at start-up and by
 * transports that cannot go on; the message says what failed and what to check.
 */
public final class SpiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SpiException(String message) {
        super(message);
    }

    public SpiException(String message, Throwable cause) {
        super(message, cause);
    }
}
