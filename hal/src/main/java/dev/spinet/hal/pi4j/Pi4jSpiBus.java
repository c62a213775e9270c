package dev.spinet.hal.pi4j;

import com.pi4j.io.spi.Spi;
import dev.spinet.hal.spi.SpiBus;
import dev.spinet.hal.spi.SpiException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Our {@link SpiBus} over any Pi4J {@link Spi}, for users who bring Pi4J's own SPI providers.
 *
 * <p>Pi4J's {@code Spi} has no gather transfer that keeps chip select asserted across two
 * buffers, so the header + payload form is assembled into one preallocated scratch buffer and
 * sent as one Pi4J transfer (one CS frame). {@code null} tx sends from a preallocated zero
 * buffer; {@code null} rx receives into a scratch buffer. This adapter allocates nothing per
 * transfer; what the Pi4J provider underneath allocates is its own business (Pi4J 4.0.2's
 * published spidev path allocates on every transfer: see docs/raspberry-pi.md).
 */
public final class Pi4jSpiBus implements SpiBus {

    private final Spi spi;
    private final byte[] zeros;
    private final byte[] scratchTx;
    private final byte[] scratchRx;

    /**
     * @param maxTransactionBytes the largest header + payload a transaction may carry (4096 fits
     *     every Ethernet frame with its command header)
     */
    public Pi4jSpiBus(Spi spi, int maxTransactionBytes) {
        this.spi = Objects.requireNonNull(spi, "spi");
        if (maxTransactionBytes < 1) {
            throw new IllegalArgumentException("maxTransactionBytes must be positive, not " + maxTransactionBytes);
        }
        this.zeros = new byte[maxTransactionBytes];
        this.scratchTx = new byte[maxTransactionBytes];
        this.scratchRx = new byte[maxTransactionBytes];
    }

    public Pi4jSpiBus(Spi spi) {
        this(spi, 4096);
    }

    @Override
    public void transfer(byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) {
        checkLength(length);
        if (tx != null) {
            Objects.checkFromIndexSize(txOffset, length, tx.length);
        }
        if (rx != null) {
            Objects.checkFromIndexSize(rxOffset, length, rx.length);
        }
        byte[] out = tx != null ? tx : zeros;
        int outOffset = tx != null ? txOffset : 0;
        byte[] in = rx != null ? rx : scratchRx;
        int inOffset = rx != null ? rxOffset : 0;
        exchange(out, outOffset, in, inOffset, length);
    }

    @Override
    public void transfer(byte[] header, int headerOffset, int headerLength,
                         byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) {
        Objects.requireNonNull(header, "header");
        Objects.checkFromIndexSize(headerOffset, headerLength, header.length);
        if (length < 0) {
            throw new IllegalArgumentException("negative SPI transfer length " + length);
        }
        int total = headerLength + length;
        checkLength(total);
        if (tx != null) {
            Objects.checkFromIndexSize(txOffset, length, tx.length);
        }
        if (rx != null) {
            Objects.checkFromIndexSize(rxOffset, length, rx.length);
        }
        System.arraycopy(header, headerOffset, scratchTx, 0, headerLength);
        if (tx != null) {
            System.arraycopy(tx, txOffset, scratchTx, headerLength, length);
        } else {
            Arrays.fill(scratchTx, headerLength, total, (byte) 0);
        }
        exchange(scratchTx, 0, scratchRx, 0, total);
        if (rx != null) {
            System.arraycopy(scratchRx, headerLength, rx, rxOffset, length);
        }
    }

    private void exchange(byte[] out, int outOffset, byte[] in, int inOffset, int length) {
        int done;
        try {
            done = spi.transfer(out, outOffset, in, inOffset, length);
        } catch (RuntimeException e) {
            throw new SpiException("Pi4J SPI transfer of " + length + " bytes failed: " + e.getMessage(), e);
        }
        if (done != length) {
            throw new SpiException("Pi4J SPI transfer moved " + done + " of " + length + " bytes");
        }
    }

    private void checkLength(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative SPI transfer length " + length);
        }
        if (length > zeros.length) {
            throw new IllegalArgumentException("SPI transaction of " + length + " bytes exceeds this adapter's "
                    + zeros.length + "-byte buffer: construct Pi4jSpiBus with a larger maxTransactionBytes");
        }
    }

    /** The Pi4J device underneath. */
    public Spi spi() {
        return spi;
    }
}
