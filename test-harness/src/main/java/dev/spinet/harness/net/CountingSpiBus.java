package dev.spinet.harness.net;

import dev.spinet.hal.spi.SpiBus;

/**
 * A {@link SpiBus} decorator that counts transactions (chip-select periods) and the bytes clocked
 * in them (header plus payload), for the SPI-cost accounting of the drivers. {@link #reset()}
 * starts a new measurement. Allocation-free; not thread-safe (one driver owns a bus).
 */
public final class CountingSpiBus implements SpiBus {

    private final SpiBus inner;
    private long transactions;
    private long bytes;

    public CountingSpiBus(SpiBus inner) {
        if (inner == null) {
            throw new IllegalArgumentException("CountingSpiBus needs the bus it decorates");
        }
        this.inner = inner;
    }

    @Override
    public void transfer(byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) {
        transactions++;
        bytes += length;
        inner.transfer(tx, txOffset, rx, rxOffset, length);
    }

    @Override
    public void transfer(byte[] header, int headerOffset, int headerLength,
                         byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) {
        transactions++;
        bytes += headerLength + length;
        inner.transfer(header, headerOffset, headerLength, tx, txOffset, rx, rxOffset, length);
    }

    /** Transactions since construction or the last {@link #reset()}. */
    public long transactions() {
        return transactions;
    }

    /** Bytes clocked since construction or the last {@link #reset()}. */
    public long bytes() {
        return bytes;
    }

    public void reset() {
        transactions = 0;
        bytes = 0;
    }

    public SpiBus inner() {
        return inner;
    }
}
