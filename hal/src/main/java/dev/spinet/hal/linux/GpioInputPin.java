package dev.spinet.hal.linux;

import dev.spinet.hal.gpio.InputPin;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An input line requested from a {@link GpioChip}, with edge events: the controller's INT.
 *
 * <p>{@link #awaitEdge} polls the line's file descriptor ({@code poll(2)}, POLLIN means events
 * are queued) and then reads every queued {@code gpio_v2_line_event} in one {@code read}, so a
 * burst of edges wakes the caller once. The kernel timestamps each event; the last timestamp and
 * a running count are kept for diagnostics. Waits are cut into slices of at most
 * {@value #POLL_SLICE_MILLIS} ms so that {@link Thread#interrupt()} is noticed promptly.
 *
 * <p>Allocation: none after construction. One thread uses a pin at a time.
 */
public final class GpioInputPin implements InputPin {

    /** Longest single poll(2), so an interrupt is seen within this many milliseconds. */
    public static final int POLL_SLICE_MILLIS = 100;
    /** Events read per read(2); the kernel queues 16 per line by default. */
    public static final int EVENTS_PER_READ = 16;

    private final LinuxSyscalls syscalls;
    private final String description;
    private final Arena arena;
    private final MemorySegment values;
    private final MemorySegment pollFd;
    private final MemorySegment events;
    private int fd;
    /** Also polled by {@link #awaitEdge}: another thread's signal ends the wait; null if none. */
    private EventFd wake;
    private long eventCount;
    private long lastEventTimestampNanos;
    private int lastEventId;

    GpioInputPin(LinuxSyscalls syscalls, int lineFd, String description) {
        this.syscalls = syscalls;
        this.fd = lineFd;
        this.description = description;
        this.arena = Arena.ofShared();
        this.values = arena.allocate(GpioV2.LINE_VALUES_SIZE, 8);
        this.pollFd = arena.allocate(2L * PollFd.SIZE, 8);
        this.events = arena.allocate((long) GpioV2.LINE_EVENT_SIZE * EVENTS_PER_READ, 8);
    }

    /**
     * Opens {@code /dev/gpiochip<chip>} (or with {@link HeaderGpioChip#AUTOMATIC} the header's chip)
     * with the C library and requests {@code line} as an input
     * with {@code edge} events; the chip is closed again (the line keeps its own descriptor).
     */
    public static GpioInputPin open(int chip, int line, GpioEdge edge, GpioBias bias) {
        try (GpioChip gpioChip = HeaderGpioChip.open(chip)) {
            return gpioChip.requestInput(line, edge, bias, "spinet-int");
        }
    }

    @Override
    public boolean isHigh() {
        requireOpen();
        values.set(ValueLayout.JAVA_LONG, GpioV2.LINE_VALUES_BITS_OFFSET, 0L);
        values.set(ValueLayout.JAVA_LONG, GpioV2.LINE_VALUES_MASK_OFFSET, 1L);
        int status = syscalls.ioctl(fd, GpioV2.LINE_GET_VALUES_IOCTL, values);
        if (status < 0) {
            throw new LinuxDeviceException(Errno.message(syscalls, "GPIO_V2_LINE_GET_VALUES_IOCTL on " + description,
                    -status, null), -status);
        }
        return (values.get(ValueLayout.JAVA_LONG, GpioV2.LINE_VALUES_BITS_OFFSET) & 1L) != 0;
    }

    @Override
    public boolean awaitEdge(long timeoutNanos) throws InterruptedException {
        requireOpen();
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        EventFd wakeSource = wake;
        int count = wakeSource == null ? 1 : 2;
        while (true) {
            long remaining = deadline - System.nanoTime();
            PollFd.set(pollFd, 0, fd, PollFd.POLLIN);
            if (wakeSource != null) {
                PollFd.set(pollFd, 1, wakeSource.fd(), PollFd.POLLIN);
            }
            int ready = syscalls.poll(pollFd, count, PollFd.timeoutMillis(remaining, POLL_SLICE_MILLIS));
            if (wakeSource != null && ready > 0 && (PollFd.revents(pollFd, 1) & PollFd.POLLIN) != 0) {
                // Another thread asked the waiter to run: no edge, but the wait is over.
                wakeSource.drain();
                return (PollFd.revents(pollFd, 0) & PollFd.POLLIN) != 0 && drainEvents();
            }
            if (ready > 0) {
                // Only POLLIN promises an event to read; POLLERR alone would make read(2) block.
                return (PollFd.revents(pollFd, 0) & PollFd.POLLIN) != 0 && drainEvents();
            }
            if (ready < 0 && ready != -Errno.EINTR) {
                throw new LinuxDeviceException(Errno.message(syscalls, "poll on " + description, -ready, null), -ready);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (deadline - System.nanoTime() <= 0) {
                return false;
            }
        }
    }

    /**
     * Makes {@link #awaitEdge} also return (with {@code false} unless an edge came too) when
     * {@code wakeSource} is signalled: application threads wake the idle stack thread this way.
     * Call before the stack thread starts; {@code null} removes it.
     */
    public void wakeOn(EventFd wakeSource) {
        this.wake = wakeSource;
    }

    /** Reads all queued events; true when at least one was there. */
    private boolean drainEvents() {
        long bytes = syscalls.read(fd, events, events.byteSize());
        if (bytes < GpioV2.LINE_EVENT_SIZE) {
            // POLLERR/POLLHUP or a spurious wake-up: the caller re-reads the chip anyway.
            return false;
        }
        int count = (int) (bytes / GpioV2.LINE_EVENT_SIZE);
        long last = (long) (count - 1) * GpioV2.LINE_EVENT_SIZE;
        eventCount += count;
        lastEventTimestampNanos = events.get(ValueLayout.JAVA_LONG, last + GpioV2.EVENT_TIMESTAMP_OFFSET);
        lastEventId = events.get(ValueLayout.JAVA_INT, last + GpioV2.EVENT_ID_OFFSET);
        return true;
    }

    private void requireOpen() {
        if (fd < 0) {
            throw new IllegalStateException(description + " is closed");
        }
    }

    /** Edge events read so far. */
    public long eventCount() {
        return eventCount;
    }

    /** The kernel's timestamp (CLOCK_MONOTONIC ns) of the last event read, or 0. */
    public long lastEventTimestampNanos() {
        return lastEventTimestampNanos;
    }

    /** {@link GpioV2#EVENT_RISING_EDGE} or {@link GpioV2#EVENT_FALLING_EDGE} of the last event, or 0. */
    public int lastEventId() {
        return lastEventId;
    }

    /** Releases the line; idempotent. */
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
        return "GpioInputPin[" + description + "]";
    }
}
