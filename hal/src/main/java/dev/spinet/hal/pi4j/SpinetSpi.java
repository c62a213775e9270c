package dev.spinet.hal.pi4j;

import com.pi4j.io.spi.SpiBase;
import com.pi4j.io.spi.SpiConfig;
import com.pi4j.io.spi.SpiProvider;
import dev.spinet.hal.linux.SpidevBus;
import dev.spinet.hal.spi.SpiBus;

/**
 * A Pi4J {@link com.pi4j.io.spi.Spi} backed by Spinet's {@link SpidevBus}: one spidev ioctl per
 * call into preallocated native memory. Pi4J's byte-array methods go straight through; Spinet's
 * drivers should take {@link #spiBus()} instead, which also offers the chip-select-held header +
 * payload transfer.
 */
public final class SpinetSpi extends SpiBase {

    private final SpidevBus bus;

    SpinetSpi(SpiProvider provider, SpiConfig config, SpidevBus bus) {
        super(provider, config);
        this.bus = bus;
        this.isOpen = true;
    }

    /** The allocation-free port for Spinet's drivers. */
    public SpiBus spiBus() {
        return bus;
    }

    @Override
    public int transfer(byte[] write, int writeOffset, byte[] read, int readOffset, int numberOfBytes) {
        bus.transfer(write, writeOffset, read, readOffset, numberOfBytes);
        return numberOfBytes;
    }

    @Override
    public int write(byte b) {
        byte[] one = {b};
        bus.transfer(one, 0, null, 0, 1);
        return 1;
    }

    @Override
    public int write(byte[] data, int offset, int length) {
        bus.transfer(data, offset, null, 0, length);
        return length;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        bus.transfer(null, 0, one, 0, 1);
        return one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        bus.transfer(null, 0, buffer, offset, length);
        return length;
    }

    /**
     * Write then read with chip select held, as one {@code SPI_IOC_MESSAGE(2)}.
     *
     * @throws UnsupportedOperationException for a non-zero delay between the phases
     */
    @Override
    public void writeThenRead(byte[] write, int writeOffset, int writeLength, int delayMicros,
                              byte[] read, int readOffset, int readLength) {
        if (delayMicros != 0) {
            throw new UnsupportedOperationException("the Spinet SPI provider does not delay between write and read"
                    + " (asked for " + delayMicros + " us): pass 0");
        }
        bus.transfer(write, writeOffset, writeLength, null, 0, read, readOffset, readLength);
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            bus.close();
            isOpen = false;
        }
    }
}
