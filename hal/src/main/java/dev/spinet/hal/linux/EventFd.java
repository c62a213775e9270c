package dev.spinet.hal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A Linux {@code eventfd(2)}: a 64-bit counter in the kernel whose descriptor is readable while
 * the counter is above zero. Any thread {@link #signal}s it; the thread that sleeps in
 * {@code poll(2)} on a device (a TAP, an INT pin) also polls this descriptor, so the signal ends
 * its wait at once, and a signal given before the wait began is not lost: the counter keeps it
 * until {@link #drain}. This is how application threads wake the stack thread
 * ({@link TapDevice#wakeOn}, {@link GpioInputPin#wakeOn}).
 *
 * <p>The descriptor is non-blocking ({@code EFD_NONBLOCK}): a drain with nothing pending and a
 * signal on a full counter (after 2^64 - 2 signals) both fail with EAGAIN and are ignored, since
 * in either case the descriptor is in the state the caller wants. Neither call allocates.
 */
public final class EventFd implements AutoCloseable {

    /** {@code EFD_NONBLOCK} (= O_NONBLOCK, octal 04000). */
    public static final int EFD_NONBLOCK = 0x800;
    /** {@code EFD_CLOEXEC} (= O_CLOEXEC, octal 02000000). */
    public static final int EFD_CLOEXEC = 0x80000;

    private final LinuxSyscalls syscalls;
    private final Arena arena;
    /** The value every signal adds: 1, written once. Threads share it read-only. */
    private final MemorySegment one;
    /** Where a drain reads the counter to; only the polling thread uses it. */
    private final MemorySegment drained;
    private volatile int fd;

    public EventFd(LinuxSyscalls syscalls) {
        this.syscalls = Objects.requireNonNull(syscalls, "syscalls");
        int result = syscalls.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (result < 0) {
            throw new LinuxDeviceException(Errno.message(syscalls, "eventfd", -result, null), -result);
        }
        this.fd = result;
        this.arena = Arena.ofShared();
        this.one = arena.allocate(Long.BYTES, 8);
        this.one.set(ValueLayout.JAVA_LONG, 0, 1L);
        this.drained = arena.allocate(Long.BYTES, 8);
    }

    /** An eventfd from the C library. */
    public static EventFd open() {
        return new EventFd(Libc.instance());
    }

    /** Makes the descriptor readable (any thread); a no-op once closed. */
    public void signal() {
        int current = fd;
        if (current >= 0) {
            try {
                syscalls.write(current, one, Long.BYTES);
            } catch (IllegalStateException closedMeanwhile) {
                // close() won the race: nobody polls the descriptor any more, so nobody needs waking.
            }
        }
    }

    /** Resets the counter to zero, so the descriptor stops being readable (the polling thread). */
    public void drain() {
        int current = fd;
        if (current >= 0) {
            syscalls.read(current, drained, Long.BYTES);
        }
    }

    /** The descriptor, for a {@code poll(2)} set; -1 once closed. */
    public int fd() {
        return fd;
    }

    /** Closes the descriptor; idempotent. Close it after the devices that poll it. */
    @Override
    public synchronized void close() {
        if (fd >= 0) {
            syscalls.close(fd);
            fd = -1;
            arena.close();
        }
    }
}
