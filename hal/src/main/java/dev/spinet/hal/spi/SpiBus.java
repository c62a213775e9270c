package dev.spinet.hal.spi;

/**
 * One SPI peripheral behind one chip select: the only way a driver talks to its controller.
 *
 * <p>Implementations: {@code SpidevBus} (Linux spidev), the Pi4J adapters, the chip emulators in
 * the test harness, and decorators (transaction counting, tracing). A driver is single-threaded
 * and so is its bus: implementations need not be thread-safe.
 *
 * <p>Allocation: neither method may allocate. Implementations preallocate whatever native or heap
 * memory they need when they are built.
 */
public interface SpiBus {

    /**
     * One full-duplex transaction framed by chip select: CS falls, {@code length} bytes are
     * clocked out of {@code tx} while {@code length} bytes are clocked into {@code rx}, CS rises.
     *
     * @param tx bytes to send from {@code txOffset}; {@code null} clocks out zeros
     * @param rx where received bytes go from {@code rxOffset}; {@code null} discards them
     * @param length number of bytes clocked each way; 0 is a no-op that still frames CS
     * @throws IndexOutOfBoundsException when a range does not fit its array (a driver bug)
     * @throws SpiException when the transport fails (for example an ioctl error on Linux)
     */
    void transfer(byte[] tx, int txOffset, byte[] rx, int rxOffset, int length);

    /**
     * One transaction in two parts with chip select held throughout: first {@code headerLength}
     * bytes of {@code header} are sent (what comes back during them is discarded), then
     * {@code length} bytes are exchanged exactly as in {@link #transfer}. This is how the W5500
     * (3-byte address/control phase) and the ENC28J60 (1-byte opcode) move a frame without
     * copying it behind a header first.
     *
     * @param header the command/address bytes, never {@code null}
     * @param tx payload to send, or {@code null} for zeros (a read)
     * @param rx where the payload phase's received bytes go, or {@code null} (a write)
     */
    void transfer(byte[] header, int headerOffset, int headerLength,
                  byte[] tx, int txOffset, byte[] rx, int rxOffset, int length);
}
