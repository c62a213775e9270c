package dev.spinet.hal.linux;

import dev.spinet.hal.gpio.OutputPin;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An output line requested from a {@link GpioChip}: the controller's RESET (active low, so it
 * is requested high). {@link #set} is one {@code GPIO_V2_LINE_SET_VALUES_IOCTL}; allocation-free.
 */
public final class GpioOutputPin implements OutputPin {

    private final LinuxSyscalls syscalls;
    private final String description;
    private final Arena arena;
    private final MemorySegment values;
    private int fd;
    private boolean high;

    GpioOutputPin(LinuxSyscalls syscalls, int lineFd, boolean initialHigh, String description) {
        this.syscalls = syscalls;
        this.fd = lineFd;
        this.high = initialHigh;
        this.description = description;
        this.arena = Arena.ofShared();
        this.values = arena.allocate(GpioV2.LINE_VALUES_SIZE, 8);
    }

    /** Opens the chip with the C library and requests {@code line} as an output at {@code initialHigh}. */
    public static GpioOutputPin open(int chip, int line, boolean initialHigh) {
        try (GpioChip gpioChip = HeaderGpioChip.open(chip)) {
            return gpioChip.requestOutput(line, initialHigh, "spinet-reset");
        }
    }

    @Override
    public void set(boolean level) {
        if (fd < 0) {
            throw new IllegalStateException(description + " is closed");
        }
        values.set(ValueLayout.JAVA_LONG, GpioV2.LINE_VALUES_BITS_OFFSET, level ? 1L : 0L);
        values.set(ValueLayout.JAVA_LONG, GpioV2.LINE_VALUES_MASK_OFFSET, 1L);
        int status = syscalls.ioctl(fd, GpioV2.LINE_SET_VALUES_IOCTL, values);
        if (status < 0) {
            throw new LinuxDeviceException(Errno.message(syscalls, "GPIO_V2_LINE_SET_VALUES_IOCTL on " + description,
                    -status, null), -status);
        }
        high = level;
    }

    @Override
    public boolean isHigh() {
        return high;
    }

    /** Releases the line (the kernel keeps the last level or reverts it, depending on the driver); idempotent. */
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
        return "GpioOutputPin[" + description + "]";
    }
}
