package dev.spinet.hal.gpio;

/**
 * A digital input, such as a controller's INT line (active low on both the W5500 and the
 * ENC28J60).
 */
public interface InputPin extends AutoCloseable {

    /** The current level: {@code true} for high. */
    boolean isHigh();

    /**
     * Waits until the level may have changed or {@code timeoutNanos} elapse, whichever is first.
     * Spurious returns are allowed: the caller re-reads {@link #isHigh()} or the chip's registers.
     *
     * <p>An edge that happened after the previous {@code awaitEdge} returned (or after the pin was
     * opened) ends the wait at once, even when it came before this call: the drivers read the
     * level first and then wait, and an edge between the two must not be lost. The GPIO
     * character device gives this by queueing events on the line; other implementations count.
     *
     * @return {@code true} if an edge was seen, {@code false} on timeout
     */
    boolean awaitEdge(long timeoutNanos) throws InterruptedException;

    @Override
    default void close() {
    }
}
