package dev.spinet.testkit;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.spinet.hal.linux.Errno;
import dev.spinet.hal.linux.GpioV2;
import dev.spinet.hal.linux.LinuxSyscalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A fake {@code /dev} with GPIO chips: an empty file per {@code gpiochipN} in a temporary
 * directory, and mocked system calls that open them and answer {@code GPIO_GET_CHIPINFO_IOCTL}
 * and {@code GPIO_V2_GET_LINEINFO_IOCTL} with the kernel's struct bytes.
 */
public final class FakeGpioChips {

    private record Chip(String label, int lines, int openErrno) {
    }

    private final Path dev;
    private final LinuxSyscalls syscalls = mock(LinuxSyscalls.class);
    private final Map<Integer, Chip> chipsByFd = new HashMap<>();
    private final Map<String, Integer> fdsByPath = new HashMap<>();
    private final Map<Integer, String> consumers = new HashMap<>();
    private int nextFd = 20;

    public FakeGpioChips(Path dev) {
        this.dev = dev;
        when(syscalls.strerror(anyInt())).thenAnswer(i -> "error " + i.getArgument(0));
        when(syscalls.open(any(), anyInt())).thenAnswer(invocation -> {
            Integer fd = fdsByPath.get((String) invocation.getArgument(0));
            if (fd == null) {
                return -Errno.ENOENT;
            }
            Chip chip = chipsByFd.get(fd);
            return chip.openErrno() != 0 ? -chip.openErrno() : fd;
        });
        when(syscalls.ioctl(anyInt(), anyLong(), any())).thenAnswer(invocation -> {
            Chip chip = chipsByFd.get((Integer) invocation.getArgument(0));
            long request = invocation.getArgument(1);
            MemorySegment argument = invocation.getArgument(2);
            if (chip == null) {
                return -Errno.EBADF;
            }
            if (request == GpioV2.GET_CHIPINFO_IOCTL) {
                argument.fill((byte) 0);
                int number = fdsByPath.entrySet().stream().filter(e -> chipsByFd.get(e.getValue()) == chip)
                        .map(e -> Integer.parseInt(e.getKey().replaceAll(".*gpiochip", ""))).findFirst().orElseThrow();
                putString(argument, 0, "gpiochip" + number);
                putString(argument, 32, chip.label());
                argument.set(ValueLayout.JAVA_INT, 64, chip.lines());
                return 0;
            }
            if (request == GpioV2.GET_LINEINFO_IOCTL) {
                int offset = argument.get(ValueLayout.JAVA_INT, 64);
                if (offset >= chip.lines()) {
                    return -Errno.EINVAL;
                }
                String consumer = consumers.get(offset);
                putString(argument, 0, "GPIO" + offset);
                if (consumer != null) {
                    putString(argument, 32, consumer);
                    argument.set(ValueLayout.JAVA_LONG, 72, GpioV2.FLAG_USED | GpioV2.FLAG_INPUT);
                } else {
                    argument.set(ValueLayout.JAVA_LONG, 72, GpioV2.FLAG_INPUT);
                }
                return 0;
            }
            return -Errno.ENOTTY;
        });
    }

    private static void putString(MemorySegment segment, long offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, offset, bytes.length);
    }

    /** Adds {@code /dev/gpiochip<number>} with this label and line count. */
    public FakeGpioChips chip(int number, String label, int lines) {
        return add(number, new Chip(label, lines, 0));
    }

    /** Adds {@code /dev/gpiochip<number>} that open(2) refuses with {@code errno}. */
    public FakeGpioChips unopenableChip(int number, int errno) {
        return add(number, new Chip("?", 0, errno));
    }

    /** Marks a line of every chip as held by {@code consumer}. */
    public FakeGpioChips lineUsedBy(int offset, String consumer) {
        consumers.put(offset, consumer);
        return this;
    }

    private FakeGpioChips add(int number, Chip chip) {
        Path node = dev.resolve("gpiochip" + number);
        try {
            Files.createDirectories(dev);
            Files.createFile(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int fd = nextFd++;
        chipsByFd.put(fd, chip);
        fdsByPath.put(node.toString(), fd);
        return this;
    }

    public LinuxSyscalls syscalls() {
        return syscalls;
    }

    public Path dev() {
        return dev;
    }
}
