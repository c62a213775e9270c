package dev.spinet.hal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A GPIO controller's character device ({@code /dev/gpiochipN}) from which lines are requested
 * with {@code GPIO_V2_GET_LINE_IOCTL}. A requested line lives on its own file descriptor, so the
 * chip can be closed once its pins are requested.
 *
 * <p>On a Raspberry Pi the 40-pin header is one chip whose number depends on the model and the
 * kernel (gpiochip0 on a Pi 4 and on a Pi 5 with a recent kernel, gpiochip4 on a Pi 5 with an
 * older kernel, none at all on some), so {@link HeaderGpioChip} finds it by its label; line
 * offsets are the BCM GPIO numbers printed on pinout diagrams.
 */
public final class GpioChip implements AutoCloseable {

    private final LinuxSyscalls syscalls;
    private final int chipNumber;
    private final String path;
    private final String name;
    private final String label;
    private final int lines;
    private int fd;

    /**
     * Opens {@code /dev/gpiochip<chipNumber>} and reads its name, label and line count.
     *
     * @throws LinuxDeviceException with what to do (wrong chip number, permissions)
     */
    public GpioChip(LinuxSyscalls syscalls, int chipNumber) {
        this(syscalls, HeaderGpioChip.DEV, chipNumber);
    }

    /**
     * Opens {@code <devDirectory>/gpiochip<chipNumber>} (a directory other than {@code /dev} is
     * for tests and {@code spinet doctor --root}) and reads its name, label and line count.
     *
     * @throws LinuxDeviceException with what to do (wrong chip number, permissions)
     */
    public GpioChip(LinuxSyscalls syscalls, Path devDirectory, int chipNumber) {
        this.syscalls = Objects.requireNonNull(syscalls, "syscalls");
        if (chipNumber < 0) {
            throw new IllegalArgumentException("GPIO chip number must be >= 0 (--gpiochip N), not " + chipNumber);
        }
        this.chipNumber = chipNumber;
        this.path = devDirectory.resolve("gpiochip" + chipNumber).toString();
        int result = syscalls.open(path, OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC);
        if (result < 0) {
            int errno = -result;
            String advice = switch (errno) {
                case Errno.ENOENT, Errno.ENODEV, Errno.ENXIO -> "no such GPIO chip. " + CHIP_ADVICE;
                case Errno.EACCES, Errno.EPERM -> "permission denied: add the user to group gpio"
                        + " ('sudo usermod -aG gpio $USER', then log in again) or run as root";
                default -> null;
            };
            throw new LinuxDeviceException(Errno.message(syscalls, "open " + path, errno, advice), errno);
        }
        fd = result;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(GpioV2.CHIP_INFO_SIZE, 8);
            int status = syscalls.ioctl(fd, GpioV2.GET_CHIPINFO_IOCTL, info);
            if (status < 0) {
                syscalls.close(fd);
                fd = -1;
                throw new LinuxDeviceException(Errno.message(syscalls, "GPIO_GET_CHIPINFO_IOCTL on " + path, -status,
                        path + " is not a GPIO character device (kernel without GPIO_CDEV?)"), -status);
            }
            name = cString(info, GpioV2.CHIP_INFO_NAME_OFFSET);
            label = cString(info, GpioV2.CHIP_INFO_LABEL_OFFSET);
            lines = info.get(ValueLayout.JAVA_INT, GpioV2.CHIP_INFO_LINES_OFFSET);
        }
    }

    /** Opens a chip with the C library. */
    public static GpioChip open(int chipNumber) {
        return new GpioChip(Libc.instance(), chipNumber);
    }

    static final String CHIP_ADVICE = "The 40-pin header's GPIO chip differs between Pi models and kernels"
            + " (label pinctrl-rp1 on a Pi 5, pinctrl-bcm2711 on a Pi 4, pinctrl-bcm2835 on older models): leave"
            + " --gpiochip out to find it by label, or list them with 'gpiodetect' and pass --gpiochip N";

    private static String cString(MemorySegment segment, long offset) {
        MemorySegment field = segment.asSlice(offset, GpioV2.MAX_NAME_SIZE);
        int length = 0;
        while (length < GpioV2.MAX_NAME_SIZE && field.get(ValueLayout.JAVA_BYTE, length) != 0) {
            length++;
        }
        return new String(field.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), java.nio.charset.StandardCharsets.US_ASCII);
    }

    /**
     * Requests {@code line} as an input that reports {@code edge} events (read by
     * {@link GpioInputPin#awaitEdge}).
     */
    public GpioInputPin requestInput(int line, GpioEdge edge, GpioBias bias, String consumer) {
        long flags = GpioV2.FLAG_INPUT | edge.flags() | bias.flags();
        int lineFd = requestLine(line, flags, false, false, consumer);
        return new GpioInputPin(syscalls, lineFd, describeLine(line));
    }

    /** Requests {@code line} as a push-pull output driven to {@code initialHigh} from the start. */
    public GpioOutputPin requestOutput(int line, boolean initialHigh, String consumer) {
        int lineFd = requestLine(line, GpioV2.FLAG_OUTPUT, true, initialHigh, consumer);
        return new GpioOutputPin(syscalls, lineFd, initialHigh, describeLine(line));
    }

    private int requestLine(int line, long flags, boolean output, boolean outputHigh, String consumer) {
        if (fd < 0) {
            throw new IllegalStateException(path + " is closed: request lines before closing the chip");
        }
        if (line < 0 || line >= lines) {
            throw new LinuxDeviceException("GPIO line " + line + " does not exist on " + path + " (" + label + ", "
                    + lines + " lines, 0.." + (lines - 1) + "): use the BCM GPIO number, not the header pin number. "
                    + (lines < 28 ? "This chip is too small to be the 40-pin header: wrong chip? " : "") + CHIP_ADVICE,
                    Errno.EINVAL);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(GpioV2.LINE_REQUEST_SIZE, 8);
            GpioV2.writeSingleLineRequest(request, line, consumer == null ? "spinet" : consumer, flags, output, outputHigh);
            int status = syscalls.ioctl(fd, GpioV2.GET_LINE_IOCTL, request);
            if (status < 0) {
                int errno = -status;
                String advice = switch (errno) {
                    case Errno.EBUSY -> "the line is already in use: by another program, by a kernel driver (the"
                            + " w5500/enc28j60 overlays claim the interrupt line: remove them from config.txt), or by a"
                            + " sysfs export; 'gpioinfo " + chipNumber + "' shows the consumer";
                    case Errno.EINVAL -> "the chip refused the line configuration (flags 0x" + Long.toHexString(flags)
                            + "); edge detection or bias may be unsupported on this chip. " + CHIP_ADVICE;
                    case Errno.EACCES, Errno.EPERM -> "permission denied: add the user to group gpio or run as root";
                    default -> null;
                };
                throw new LinuxDeviceException(Errno.message(syscalls, "GPIO_V2_GET_LINE_IOCTL for " + describeLine(line),
                        errno, advice), errno);
            }
            return request.get(ValueLayout.JAVA_INT, GpioV2.REQUEST_FD_OFFSET);
        }
    }

    /**
     * What the kernel says about {@code line} ({@code GPIO_V2_GET_LINEINFO_IOCTL}): its name and,
     * when something holds it, the consumer (a kernel driver such as {@code enc28j60}, or a
     * program's label).
     *
     * @throws LinuxDeviceException when the line does not exist or the chip refuses the ioctl
     */
    public GpioLineInfo lineInfo(int line) {
        if (fd < 0) {
            throw new IllegalStateException(path + " is closed");
        }
        if (line < 0 || line >= lines) {
            throw new LinuxDeviceException("GPIO line " + line + " does not exist on " + path + " (" + label + ", "
                    + lines + " lines)", Errno.EINVAL);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(GpioV2.LINE_INFO_SIZE, 8);
            info.set(ValueLayout.JAVA_INT, GpioV2.LINE_INFO_OFFSET_OFFSET, line);
            int status = syscalls.ioctl(fd, GpioV2.GET_LINEINFO_IOCTL, info);
            if (status < 0) {
                throw new LinuxDeviceException(Errno.message(syscalls, "GPIO_V2_GET_LINEINFO_IOCTL for "
                        + describeLine(line), -status, null), -status);
            }
            return new GpioLineInfo(line, cString(info, GpioV2.LINE_INFO_NAME_OFFSET),
                    cString(info, GpioV2.LINE_INFO_CONSUMER_OFFSET),
                    info.get(ValueLayout.JAVA_LONG, GpioV2.LINE_INFO_FLAGS_OFFSET));
        }
    }

    private String describeLine(int line) {
        return "GPIO" + line + " on " + path;
    }

    /** The device path, such as {@code /dev/gpiochip0}. */
    public String path() {
        return path;
    }

    public int chipNumber() {
        return chipNumber;
    }

    /** The kernel's chip name, such as {@code gpiochip0}. */
    public String name() {
        return name;
    }

    /** The driver's label, such as {@code pinctrl-bcm2711} or {@code pinctrl-rp1}. */
    public String label() {
        return label;
    }

    /** How many lines the chip has. */
    public int lines() {
        return lines;
    }

    /** Closes the chip; lines already requested stay valid. Idempotent. */
    @Override
    public void close() {
        if (fd >= 0) {
            syscalls.close(fd);
            fd = -1;
        }
    }

    @Override
    public String toString() {
        return path + " (" + name + ", " + label + ", " + lines + " lines)";
    }
}
