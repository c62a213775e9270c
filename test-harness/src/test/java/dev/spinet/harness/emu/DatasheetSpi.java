package dev.spinet.harness.emu;

import dev.spinet.hal.spi.SpiBus;

/** SPI transactions written as a data sheet lists them: the bytes out on MOSI, the bytes back on MISO. */
final class DatasheetSpi {

    private DatasheetSpi() {
    }

    /** One transaction (chip select held across all of {@code mosi}); returns MISO, byte for byte. */
    static byte[] exchange(SpiBus bus, int... mosi) {
        byte[] tx = new byte[mosi.length];
        for (int i = 0; i < mosi.length; i++) {
            tx[i] = (byte) mosi[i];
        }
        byte[] rx = new byte[tx.length];
        bus.transfer(tx, 0, rx, 0, tx.length);
        return rx;
    }
}
