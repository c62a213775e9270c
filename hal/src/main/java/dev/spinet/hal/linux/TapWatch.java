package dev.spinet.hal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A second thread's wait for a TAP's next frame, beside the stack thread's
 * {@link TapDevice#awaitReceive}: a {@code poll(2)} on the TAP's descriptor and an eventfd of
 * the watch's own, with a {@code struct pollfd} array of its own (the device's is the stack
 * thread's, and a poll writes into it). An application thread that waits for data runs the
 * stack's duty cycle itself while it waits this way, so the frame that brings its data wakes it
 * directly instead of the stack thread, which would then have to hand the data over
 * (docs/applications.md "Threads").
 *
 * <p>The eventfd ({@link #ring}) covers the other order: the stack thread read the frame and
 * delivered the waiter's data just before the waiter began to poll, so no frame is left to wake
 * it. Its pollfd lives in an automatic arena, not the device's: the device closes its own arena
 * when it closes, which a poll still running on another thread must not prevent. One thread at
 * a time waits on a watch; {@link #await} and {@link #ring} allocate nothing.
 */
public final class TapWatch implements AutoCloseable {

    private final TapDevice tap;
    private final LinuxSyscalls syscalls;
    private final EventFd bell;
    private final MemorySegment pollFd = Arena.ofAuto().allocate(2L * PollFd.SIZE, 8);

    TapWatch(TapDevice tap, LinuxSyscalls syscalls) {
        this.tap = tap;
        this.syscalls = syscalls;
        this.bell = new EventFd(syscalls);
    }

    /**
     * Waits until the TAP has a frame to read, {@link #ring} was called, or {@code timeoutNanos}
     * passed (one {@code poll(2)}, at most {@link TapDevice#POLL_SLICE_MILLIS}; rounded up to
     * whole milliseconds, as {@code poll(2)} counts). Returns at once when the device is closed.
     *
     * @return true when a frame (or an error, which a receive counts) is waiting or the bell rang
     */
    public boolean await(long timeoutNanos) {
        int fd = tap.descriptor();
        int bellFd = bell.fd();
        if (fd < 0 || bellFd < 0) {
            return false;
        }
        PollFd.set(pollFd, 0, fd, PollFd.POLLIN);
        PollFd.set(pollFd, 1, bellFd, PollFd.POLLIN);
        int ready = syscalls.poll(pollFd, 2, PollFd.timeoutMillis(timeoutNanos, TapDevice.POLL_SLICE_MILLIS));
        if (ready > 0 && (PollFd.revents(pollFd, 1) & PollFd.POLLIN) != 0) {
            bell.drain();
        }
        return ready > 0;
    }

    /** Ends the current (or the next) {@link #await} at once (any thread). */
    public void ring() {
        bell.signal();
    }

    /** Closes the eventfd; idempotent. */
    @Override
    public void close() {
        bell.close();
    }
}
