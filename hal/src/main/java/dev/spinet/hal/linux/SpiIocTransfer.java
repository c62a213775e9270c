package dev.spinet.hal.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct spi_ioc_transfer} from {@code include/uapi/linux/spi/spidev.h}: one segment of
 * an {@code SPI_IOC_MESSAGE(n)} ioctl, 32 bytes, native byte order, the same on 32- and 64-bit
 * kernels (pointers travel as u64):
 *
 * <pre>
 *  0                               8                              16
 * +-------------------------------+-------------------------------+
 * |            tx_buf (u64)       |            rx_buf (u64)       |
 * +---------------+---------------+-------+---+---+---+---+---+---+
 * |   len (u32)   | speed_hz (u32)|delay_ |bpw|csc|txn|rxn|wdl|pad|
 * |               |               |usecs16|   |   |   |   |   |   |
 * +---------------+---------------+-------+---+---+---+---+---+---+
 * 16              20              24      26  27  28  29  30  31
 * bpw = bits_per_word, csc = cs_change, txn/rxn = tx_nbits/rx_nbits, wdl = word_delay_usecs
 * </pre>
 *
 * A null {@code tx_buf} makes the controller shift out zeros; a null {@code rx_buf} discards
 * what comes in (Documentation/spi/spidev.rst, struct spi_transfer). {@code cs_change} = 0
 * keeps chip select asserted from one segment to the next and releases it after the last one.
 */
public final class SpiIocTransfer {

    public static final int SIZE = 32;
    public static final int TX_BUF_OFFSET = 0;
    public static final int RX_BUF_OFFSET = 8;
    public static final int LEN_OFFSET = 16;
    public static final int SPEED_HZ_OFFSET = 20;
    public static final int DELAY_USECS_OFFSET = 24;
    public static final int BITS_PER_WORD_OFFSET = 26;
    public static final int CS_CHANGE_OFFSET = 27;
    public static final int TX_NBITS_OFFSET = 28;
    public static final int RX_NBITS_OFFSET = 29;
    public static final int WORD_DELAY_USECS_OFFSET = 30;
    public static final int PAD_OFFSET = 31;

    /** Magic number of spidev ioctls: {@code SPI_IOC_MAGIC 'k'}. */
    public static final int SPI_IOC_MAGIC = 'k';

    /** {@code SPI_IOC_MESSAGE(1)}: 0x40206B00. */
    public static final long SPI_IOC_MESSAGE_1 = message(1);
    /** {@code SPI_IOC_MESSAGE(2)}: 0x40406B00. */
    public static final long SPI_IOC_MESSAGE_2 = message(2);
    /** {@code SPI_IOC_WR_MODE}: _IOW('k', 1, __u8). */
    public static final long SPI_IOC_WR_MODE = Ioctl.iow(SPI_IOC_MAGIC, 1, 1);
    /** {@code SPI_IOC_RD_MODE}: _IOR('k', 1, __u8). */
    public static final long SPI_IOC_RD_MODE = Ioctl.ior(SPI_IOC_MAGIC, 1, 1);
    /** {@code SPI_IOC_WR_BITS_PER_WORD}: _IOW('k', 3, __u8). */
    public static final long SPI_IOC_WR_BITS_PER_WORD = Ioctl.iow(SPI_IOC_MAGIC, 3, 1);
    /** {@code SPI_IOC_WR_MAX_SPEED_HZ}: _IOW('k', 4, __u32). */
    public static final long SPI_IOC_WR_MAX_SPEED_HZ = Ioctl.iow(SPI_IOC_MAGIC, 4, 4);
    /** {@code SPI_IOC_RD_MAX_SPEED_HZ}: _IOR('k', 4, __u32). */
    public static final long SPI_IOC_RD_MAX_SPEED_HZ = Ioctl.ior(SPI_IOC_MAGIC, 4, 4);

    private SpiIocTransfer() {
    }

    /**
     * {@code SPI_IOC_MESSAGE(n)}: {@code _IOW('k', 0, char[n * 32])}; the kernel refuses sizes
     * that are not a multiple of 32 or exceed the 14-bit size field.
     */
    public static long message(int segments) {
        if (segments < 1 || segments * SIZE >= (1 << 14)) {
            throw new IllegalArgumentException("SPI_IOC_MESSAGE takes 1..511 segments, not " + segments);
        }
        return Ioctl.iow(SPI_IOC_MAGIC, 0, segments * SIZE);
    }

    /**
     * Writes all 32 bytes of segment {@code index} (every field, so no stale value survives from
     * an earlier transaction). Allocation-free.
     *
     * @param txAddress native address to send from, or 0 for zeros
     * @param rxAddress native address to receive into, or 0 to discard
     */
    public static void write(MemorySegment transfers, int index, long txAddress, long rxAddress, int length,
                             int speedHz, int bitsPerWord, boolean csChange) {
        long base = (long) index * SIZE;
        transfers.set(ValueLayout.JAVA_LONG, base + TX_BUF_OFFSET, txAddress);
        transfers.set(ValueLayout.JAVA_LONG, base + RX_BUF_OFFSET, rxAddress);
        transfers.set(ValueLayout.JAVA_INT, base + LEN_OFFSET, length);
        transfers.set(ValueLayout.JAVA_INT, base + SPEED_HZ_OFFSET, speedHz);
        transfers.set(ValueLayout.JAVA_SHORT, base + DELAY_USECS_OFFSET, (short) 0);
        transfers.set(ValueLayout.JAVA_BYTE, base + BITS_PER_WORD_OFFSET, (byte) bitsPerWord);
        transfers.set(ValueLayout.JAVA_BYTE, base + CS_CHANGE_OFFSET, csChange ? (byte) 1 : (byte) 0);
        transfers.set(ValueLayout.JAVA_INT, base + TX_NBITS_OFFSET, 0); // tx_nbits, rx_nbits, word_delay, pad
    }
}
