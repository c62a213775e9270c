package dev.spinet.hal.gpio;

/** A digital output, such as a controller's RESET line (active low on both chips). */
public interface OutputPin extends AutoCloseable {

    /** Drives the line high ({@code true}) or low. */
    void set(boolean high);

    /** The level last set. */
    boolean isHigh();

    @Override
    default void close() {
    }
}
