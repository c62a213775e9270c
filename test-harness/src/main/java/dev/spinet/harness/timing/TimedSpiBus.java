package dev.spinet.harness.timing;

import dev.spinet.hal.spi.SpiBus;

/**
 * An {@link SpiBus} decorator that charges every transaction its modelled duration
 * ({@link SpiTiming#transactionNanos}: fixed overhead plus the bytes at the clock, header
 * included) to a {@link ModelClock}, after the transaction: the chip answered from the state it
 * had when chip select fell, and frames arriving meanwhile are seen by the next transaction.
 * Put between a driver and an emulated chip, it makes the chip as slow to reach as the real one
 * on a Raspberry Pi without touching the emulator. Allocation-free.
 */
public final class TimedSpiBus implements SpiBus {

    private final SpiBus inner;
    private final SpiTiming timing;
    private final ModelClock clock;
    private long transactions;
    private long nanos;

    public TimedSpiBus(SpiBus inner, SpiTiming timing, ModelClock clock) {
        if (inner == null || timing == null || clock == null) {
            throw new IllegalArgumentException("TimedSpiBus needs the bus it times, an SpiTiming and a ModelClock");
        }
        this.inner = inner;
        this.timing = timing;
        this.clock = clock;
    }

    @Override
    public void transfer(byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) {
        inner.transfer(tx, txOffset, rx, rxOffset, length);
        charge(length);
    }

    @Override
    public void transfer(byte[] header, int headerOffset, int headerLength,
                         byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) {
        inner.transfer(header, headerOffset, headerLength, tx, txOffset, rx, rxOffset, length);
        charge(headerLength + length);
    }

    private void charge(int bytes) {
        long cost = timing.transactionNanos(bytes);
        transactions++;
        nanos += cost;
        clock.spend(cost);
    }

    /** Transactions timed so far. */
    public long transactions() {
        return transactions;
    }

    /** Nanoseconds charged so far. */
    public long nanos() {
        return nanos;
    }

    public SpiTiming timing() {
        return timing;
    }
}
