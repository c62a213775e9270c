package dev.spinet.iface;

/**
 * Something the stack thread runs once per duty cycle (Agrona's Agent, without the threads): an
 * {@link Interface}, a whole stack, a chip emulator. The caller reads the clock once and passes
 * the same {@code nowNanos} to everything; how it idles between cycles is its own business.
 */
public interface DutyCycle {

    /** Does this cycle's work at {@code nowNanos}; returns the amount done (0 = idle). Never throws. */
    int poll(long nowNanos);

    /** The absolute time of the next timer, or {@code nowNanos + Long.MAX_VALUE / 4} if none. */
    long nextDeadline(long nowNanos);
}
