package dev.spinet.harness.timing;

import dev.spinet.hal.clock.NanoClock;

/**
 * The time a modelled board lives in. Work the emulators do in no time on a desktop (an SPI
 * transaction, waiting for the chip's transmitter) is charged to it with {@link #spend}, so
 * everything reading this clock (the virtual wire, the emulated chip, the driver) sees the board
 * as slow as the modelled one: a simulation advances its clock by the charge
 * ({@link SimulatedTime}), a real-time run makes the board's thread wait until the wall clock has
 * caught up ({@link PacedTime}).
 *
 * <p>Only the board's thread charges time. Allocation-free.
 */
public interface ModelClock extends NanoClock {

    /** The board's thread is busy (or blocked) for {@code nanos}: model time moves on by at least that much. */
    void spend(long nanos);

    /** The board's thread waits until this clock reads at least {@code deadline}. */
    default void spendUntil(long deadline) {
        long remaining = deadline - nanoTime();
        if (remaining > 0) {
            spend(remaining);
        }
    }
}
