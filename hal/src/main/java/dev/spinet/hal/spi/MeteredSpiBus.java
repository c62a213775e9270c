package dev.spinet.hal.spi;

import dev.spinet.hal.eth.DeviceCounters;

/**
 * An {@link SpiBus} decorator that counts transactions (chip-select periods) and the bytes clocked
 * in them, header included, as {@link DeviceCounters} {@code SPI_TRANSACTIONS} and
 * {@code SPI_BYTES}: what {@code spinet run} shows per chip on the status page. The counts never
 * reset (the page shows totals since start). Allocation-free; not thread-safe (one driver owns a
 * bus).
 */
public final class MeteredSpiBus implements SpiBus, DeviceCounters {

    private static final int TRANSACTIONS = 0;
    private static final int BYTES = 1;
    private static final String[] NAMES = {"SPI_TRANSACTIONS", "SPI_BYTES"};

    private final SpiBus inner;
    private long transactions;
    private long bytes;

    public MeteredSpiBus(SpiBus inner) {
        if (inner == null) {
            throw new IllegalArgumentException("MeteredSpiBus needs the bus it counts");
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

    /** Starts both counts again from zero (a measuring harness, between two measured runs). */
    public void reset() {
        transactions = 0;
        bytes = 0;
    }

    /** Transactions since construction or the last {@link #reset()}. */
    public long transactions() {
        return transactions;
    }

    /** Bytes clocked since construction or the last {@link #reset()}. */
    public long bytes() {
        return bytes;
    }

    /** The bus whose transactions are counted. */
    public SpiBus inner() {
        return inner;
    }

    @Override
    public int counterCount() {
        return NAMES.length;
    }

    @Override
    public String counterName(int index) {
        return NAMES[index];
    }

    @Override
    public long counterValue(int index) {
        return switch (index) {
            case TRANSACTIONS -> transactions;
            case BYTES -> bytes;
            default -> throw new IndexOutOfBoundsException("SPI counter " + index + " of " + NAMES.length);
        };
    }
}
