package dev.spinet.hal.clock;

/**
 * A monotonic clock in nanoseconds. The stack reads it once per duty cycle and passes the value
 * down; values only matter relative to each other and are compared wrap-safely
 * ({@code deadline - now < 0}), as with {@link System#nanoTime()}.
 */
@FunctionalInterface
public interface NanoClock {

    /** The current time in nanoseconds from an arbitrary origin; never goes backwards. */
    long nanoTime();

    /** The system's monotonic clock. */
    NanoClock SYSTEM = System::nanoTime;
}
