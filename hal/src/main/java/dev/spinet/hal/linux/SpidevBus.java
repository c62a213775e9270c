package dev.spinet.hal.linux;

import dev.spinet.hal.spi.SpiBus;
import dev.spinet.hal.spi.SpiException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * {@link SpiBus} on a Linux spidev device ({@code /dev/spidevB.C}).
 *
 * <p>Open sets mode, 8 bits per word and the maximum clock ({@code SPI_IOC_WR_MODE},
 * {@code SPI_IOC_WR_BITS_PER_WORD}, {@code SPI_IOC_WR_MAX_SPEED_HZ}). Every transaction is ONE
 * ioctl: {@code SPI_IOC_MESSAGE(1)} for {@link #transfer(byte[], int, byte[], int, int)},
 * {@code SPI_IOC_MESSAGE(2)} with {@code cs_change = 0} for the header + payload form, so chip
 * select stays asserted across both segments as the W5500 and ENC28J60 require for a burst.
 *
 * <p>Memory: a transmit and a receive area of {@link SpidevConfig#bufferSize()} bytes and two
 * {@link SpiIocTransfer} structs are allocated natively at open; a transfer copies the caller's
 * bytes in and out of them and allocates nothing. spidev refuses an ioctl whose transmit or
 * receive bytes exceed its {@code bufsiz} (EMSGSIZE), so the buffer size is that limit too, counted
 * the kernel's way: drivers/spi/spidev.c's {@code spidev_message} places each segment of a message
 * in its bounce buffers at {@code ALIGN(len, ARCH_DMA_MINALIGN)} and adds that aligned length to
 * the transmit total when the segment has a {@code tx_buf} and to the receive total when it has
 * an {@code rx_buf}; either total above {@code bufsiz} is EMSGSIZE. ARCH_DMA_MINALIGN is 128 on
 * arm64 ({@link #KERNEL_SEGMENT_ALIGNMENT}), so the 3-byte W5500 header takes 128 bytes of the
 * transmit total and a raised bufsiz that is not a multiple of 128 loses its last partial slot.
 * {@link #transfer} refuses in Java what the kernel would refuse, before the ioctl.
 *
 * <p>Single-threaded like every {@link SpiBus}.
 */
public final class SpidevBus implements SpiBus, AutoCloseable {

    /** spidev's module parameter; a larger buffer than this would fail with EMSGSIZE. */
    public static final Path BUFSIZ_PARAMETER = Path.of("/sys/module/spidev/parameters/bufsiz");

    private static final int BITS_PER_WORD = 8;

    /**
     * {@code ARCH_DMA_MINALIGN} of arm64 (arch/arm64/include/asm/cache.h), the alignment of every
     * segment in spidev's bounce buffers; the largest of the architectures a Pi runs (32-bit ARM
     * uses its cache line, 64 or 32), so counting with it never lets an EMSGSIZE through.
     */
    public static final int KERNEL_SEGMENT_ALIGNMENT = 128;

    private final LinuxSyscalls syscalls;
    private final SpidevConfig config;
    private final Arena arena;
    private final MemorySegment txBuffer;
    private final MemorySegment rxBuffer;
    private final MemorySegment transfers;
    private final long txAddress;
    private final long rxAddress;
    private final int bufferSize;
    private final int speedHz;
    private int fd = -1;

    /**
     * Opens and configures the device through {@code syscalls}.
     *
     * @throws SpiException with what to do when the device is missing, not accessible, or refuses
     *     the mode or clock
     */
    public SpidevBus(LinuxSyscalls syscalls, SpidevConfig config) {
        this.syscalls = Objects.requireNonNull(syscalls, "syscalls");
        this.config = Objects.requireNonNull(config, "config");
        this.bufferSize = config.bufferSize();
        this.speedHz = config.speedHz();
        this.arena = Arena.ofShared();
        try {
            txBuffer = arena.allocate(bufferSize, 8);
            rxBuffer = arena.allocate(bufferSize, 8);
            transfers = arena.allocate(2L * SpiIocTransfer.SIZE, 8);
            txAddress = txBuffer.address();
            rxAddress = rxBuffer.address();
            fd = openDevice();
            configure();
        } catch (RuntimeException e) {
            if (fd >= 0) {
                syscalls.close(fd);
                fd = -1;
            }
            arena.close();
            throw e;
        }
    }

    /**
     * Opens {@code config} with the C library after checking spidev's {@code bufsiz}.
     *
     * @throws UnsupportedOperationException when not on 64-bit Linux
     */
    public static SpidevBus open(SpidevConfig config) {
        int kernelLimit = readKernelBufsiz();
        if (kernelLimit > 0 && config.bufferSize() > kernelLimit) {
            throw new IllegalArgumentException("spidev buffer of " + config.bufferSize() + " bytes exceeds the kernel's"
                    + " spidev bufsiz of " + kernelLimit + " (" + BUFSIZ_PARAMETER + "): use at most " + kernelLimit
                    + " or raise it with spidev.bufsiz=" + config.bufferSize() + " on the kernel command line"
                    + " (/boot/firmware/cmdline.txt) and reboot");
        }
        return new SpidevBus(Libc.instance(), config);
    }

    /** spidev's {@code bufsiz} from sysfs, or -1 when the module is not loaded or unreadable. */
    public static int readKernelBufsiz() {
        try {
            return Integer.parseInt(Files.readString(BUFSIZ_PARAMETER, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException | SecurityException e) {
            return -1;
        }
    }

    private int openDevice() {
        String path = config.devicePath();
        int result = syscalls.open(path, OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC);
        if (result >= 0) {
            return result;
        }
        int errno = -result;
        String advice = switch (errno) {
            case Errno.ENOENT, Errno.ENODEV, Errno.ENXIO -> "SPI is not enabled or " + path + " is not this board's"
                    + " bus.cs: add 'dtparam=spi=on' to /boot/firmware/config.txt (older images: /boot/config.txt)"
                    + " or run 'sudo raspi-config nonint do_spi 0', reboot, and check 'ls /dev/spidev*'."
                    + " Do NOT load the kernel's w5500/enc28j60 overlays: they take the chip select away from spidev";
            case Errno.EACCES, Errno.EPERM -> "permission denied: add the user to group spi"
                    + " ('sudo usermod -aG spi $USER', then log in again) or run as root";
            case Errno.EBUSY -> path + " is in use by another program";
            default -> null;
        };
        throw new SpiException(Errno.message(syscalls, "open " + path, errno, advice));
    }

    private void configure() {
        MemorySegment scratch = rxBuffer;
        scratch.set(ValueLayout.JAVA_BYTE, 0, (byte) config.mode());
        check(syscalls.ioctl(fd, SpiIocTransfer.SPI_IOC_WR_MODE, scratch), "SPI_IOC_WR_MODE " + config.mode(),
                "the controller refused SPI mode " + config.mode() + "; both W5500 and ENC28J60 work in mode 0");
        scratch.set(ValueLayout.JAVA_BYTE, 0, (byte) BITS_PER_WORD);
        check(syscalls.ioctl(fd, SpiIocTransfer.SPI_IOC_WR_BITS_PER_WORD, scratch), "SPI_IOC_WR_BITS_PER_WORD 8", null);
        scratch.set(ValueLayout.JAVA_INT, 0, speedHz);
        check(syscalls.ioctl(fd, SpiIocTransfer.SPI_IOC_WR_MAX_SPEED_HZ, scratch),
                "SPI_IOC_WR_MAX_SPEED_HZ " + speedHz, "choose a lower --spi-hz (W5500 up to 80 MHz, ENC28J60 up to 20 MHz)");
    }

    private void check(int result, String what, String advice) {
        if (result < 0) {
            throw new SpiException(Errno.message(syscalls, what + " on " + config.devicePath(), -result, advice));
        }
    }

    @Override
    public void transfer(byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) {
        requireOpen();
        checkRanges(tx, txOffset, rx, rxOffset, length);
        int aligned = kernelSegmentBytes(length);
        if ((tx != null || rx != null) && aligned > bufferSize) {
            throw tooLarge(length, aligned);
        }
        long txBuf = 0;
        if (tx != null) {
            MemorySegment.copy(tx, txOffset, txBuffer, ValueLayout.JAVA_BYTE, 0, length);
            txBuf = txAddress;
        }
        long rxBuf = rx != null ? rxAddress : 0;
        SpiIocTransfer.write(transfers, 0, txBuf, rxBuf, length, speedHz, BITS_PER_WORD, false);
        int result = syscalls.ioctl(fd, SpiIocTransfer.SPI_IOC_MESSAGE_1, transfers);
        if (result < 0) {
            throw transferFailed(result, "SPI_IOC_MESSAGE(1)", length);
        }
        if (rx != null) {
            MemorySegment.copy(rxBuffer, ValueLayout.JAVA_BYTE, 0, rx, rxOffset, length);
        }
    }

    @Override
    public void transfer(byte[] header, int headerOffset, int headerLength,
                         byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) {
        requireOpen();
        Objects.requireNonNull(header, "header");
        Objects.checkFromIndexSize(headerOffset, headerLength, header.length);
        checkRanges(tx, txOffset, rx, rxOffset, length);
        // The header segment has a tx_buf only; the payload one has whichever of tx and rx is given.
        int payloadAligned = kernelSegmentBytes(length);
        int txTotal = kernelSegmentBytes(headerLength) + (tx != null ? payloadAligned : 0);
        int rxTotal = rx != null ? payloadAligned : 0;
        if (txTotal > bufferSize || rxTotal > bufferSize) {
            throw tooLarge(headerLength + length, Math.max(txTotal, rxTotal));
        }
        MemorySegment.copy(header, headerOffset, txBuffer, ValueLayout.JAVA_BYTE, 0, headerLength);
        long payloadTx = 0;
        if (tx != null) {
            MemorySegment.copy(tx, txOffset, txBuffer, ValueLayout.JAVA_BYTE, headerLength, length);
            payloadTx = txAddress + headerLength;
        }
        long payloadRx = rx != null ? rxAddress : 0;
        SpiIocTransfer.write(transfers, 0, txAddress, 0, headerLength, speedHz, BITS_PER_WORD, false);
        SpiIocTransfer.write(transfers, 1, payloadTx, payloadRx, length, speedHz, BITS_PER_WORD, false);
        int result = syscalls.ioctl(fd, SpiIocTransfer.SPI_IOC_MESSAGE_2, transfers);
        if (result < 0) {
            throw transferFailed(result, "SPI_IOC_MESSAGE(2)", headerLength + length);
        }
        if (rx != null) {
            MemorySegment.copy(rxBuffer, ValueLayout.JAVA_BYTE, 0, rx, rxOffset, length);
        }
    }

    private static void checkRanges(byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative SPI transfer length " + length);
        }
        if (tx != null) {
            Objects.checkFromIndexSize(txOffset, length, tx.length);
        }
        if (rx != null) {
            Objects.checkFromIndexSize(rxOffset, length, rx.length);
        }
    }

    /** What one segment of {@code length} bytes takes of spidev's bufsiz: ALIGN(length, 128). */
    public static int kernelSegmentBytes(int length) {
        return (int) (((long) length + KERNEL_SEGMENT_ALIGNMENT - 1) / KERNEL_SEGMENT_ALIGNMENT * KERNEL_SEGMENT_ALIGNMENT);
    }

    private IllegalArgumentException tooLarge(int transactionBytes, int oneWayKernelBytes) {
        return new IllegalArgumentException("SPI transaction of " + transactionBytes + " bytes takes " + oneWayKernelBytes
                + " bytes one way of the " + bufferSize + "-byte spidev buffer of " + config.devicePath()
                + " (spidev places each segment at a 128-byte boundary): split it, or open with a larger"
                + " SpidevConfig.bufferSize (and spidev.bufsiz on the kernel command line)");
    }

    private SpiException transferFailed(int result, String what, int bytes) {
        int errno = -result;
        String advice = errno == Errno.EMSGSIZE
                ? "the kernel's spidev bufsiz is smaller than " + bufferSize + " bytes: raise spidev.bufsiz or lower the buffer size"
                : null;
        return new SpiException(Errno.message(syscalls, what + " of " + bytes + " bytes on " + config.devicePath(),
                errno, advice));
    }

    private void requireOpen() {
        if (fd < 0) {
            throw new IllegalStateException(config.devicePath() + " is closed");
        }
    }

    /** The configuration this bus was opened with. */
    public SpidevConfig config() {
        return config;
    }

    /**
     * spidev's bufsiz this bus counts against; one call's transmit segments and its receive
     * segment, each rounded up with {@link #kernelSegmentBytes}, must each fit.
     */
    public int bufferSize() {
        return bufferSize;
    }

    /** Closes the device and frees the native buffers; idempotent. */
    @Override
    public void close() {
        if (fd >= 0) {
            syscalls.close(fd);
            fd = -1;
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "SpidevBus[" + config.devicePath() + " mode " + config.mode() + " " + speedHz + " Hz]";
    }
}
