package dev.spinet.hal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A thread's wait for a TAP's next frame: an epoll instance of the watch's own over the TAP's
 * descriptor and an eventfd bell. An application thread that waits for data runs the stack's
 * duty cycle itself while it waits this way, so the frame that brings its data wakes it directly
 * instead of the stack thread, which would then have to hand the data over (docs/applications.md
 * "Threads"); the stack thread waits on a watch too ({@link TapDevice#newIdleWatch}).
 *
 * <p>One frame wakes one watch. Each watch registers the TAP with {@code EPOLLEXCLUSIVE}
 * (epoll_ctl(2): "one or more of the epoll file descriptors will receive an event"; the kernel's
 * wake-up walks the descriptor's wait queue in the order the watches were made and stops at the
 * first whose thread it woke). So a frame wakes the earliest-made watch whose thread sleeps in
 * {@link #await}, and a later one (the stack thread's) only while no earlier one sleeps: the
 * stack thread no longer wakes, and contends for the duty cycle, for every frame a waiting reader
 * takes. A watch's epoll notes a frame unless an earlier watch's thread was woken for it: the
 * first-made watch notes every frame, so its {@link #await} returns at once while one is queued;
 * a later one misses the frames an earlier one was woken for, and would sleep beside them. So a
 * waiter that stops waiting with a frame still unread says so ({@link #frameWaiting}) and wakes
 * the later watch's thread (the stack thread), because the frame that woke it woke nobody else.
 *
 * <p>The eventfd ({@link #ring}) covers the other order: another thread delivered the waiter's
 * data just before the waiter began to wait, so no frame is left to wake it. The watch's native
 * memory lives in an automatic arena, not the device's: the device closes its own arena when it
 * closes, which a wait still running on another thread must not prevent. One thread at a time
 * waits on a watch; {@link #await}, {@link #ring} and {@link #frameWaiting} allocate nothing.
 * Without epoll (a test double answering ENOSYS) a watch waits in {@code poll(2)}, where every
 * waiter wakes for every frame.
 */
public final class TapWatch implements AutoCloseable {

    private final TapDevice tap;
    private final LinuxSyscalls syscalls;
    private final EventFd bell;
    /** False when the bell is the device's wake-up, closed by its owner. */
    private final boolean ownsBell;
    /** The epoll instance, or a negative number when there is none (then {@link #pollFd} is used). */
    private volatile int epoll;
    private final MemorySegment events = Arena.ofAuto().allocate(2L * EpollEvent.SIZE, 8);
    private final MemorySegment pollFd = Arena.ofAuto().allocate(2L * PollFd.SIZE, 8);
    /** For {@link #frameWaiting}: a thread other than the waiter may ask, so its own pollfd. */
    private final MemorySegment peekFd = Arena.ofAuto().allocate(PollFd.SIZE, 8);

    TapWatch(TapDevice tap, LinuxSyscalls syscalls) {
        this(tap, syscalls, new EventFd(syscalls), true);
    }

    /** A watch whose bell is {@code bell}, which its owner closes. */
    TapWatch(TapDevice tap, LinuxSyscalls syscalls, EventFd bell) {
        this(tap, syscalls, bell, false);
    }

    private TapWatch(TapDevice tap, LinuxSyscalls syscalls, EventFd bell, boolean ownsBell) {
        this.tap = tap;
        this.syscalls = syscalls;
        this.bell = bell;
        this.ownsBell = ownsBell;
        this.epoll = openEpoll();
    }

    /** An epoll over the TAP (exclusive) and the bell, or -1 when epoll is missing (poll(2) then). */
    private int openEpoll() {
        int created = syscalls.epollCreate1(EpollEvent.EPOLL_CLOEXEC);
        if (created < 0) {
            return -1;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment event = arena.allocate(EpollEvent.SIZE, 8);
            EpollEvent.set(event, 0, EpollEvent.EPOLLIN | EpollEvent.EPOLLEXCLUSIVE, tap.descriptor());
            int added = syscalls.epollCtl(created, EpollEvent.EPOLL_CTL_ADD, tap.descriptor(), event);
            if (added == 0) {
                EpollEvent.set(event, 0, EpollEvent.EPOLLIN, bell.fd());
                added = syscalls.epollCtl(created, EpollEvent.EPOLL_CTL_ADD, bell.fd(), event);
            }
            if (added != 0) {
                syscalls.close(created);
                throw new LinuxDeviceException(Errno.message(syscalls, "epoll_ctl", -added, null), -added);
            }
        }
        return created;
    }

    /**
     * Waits until the TAP has a frame to read, {@link #ring} was called, or {@code timeoutNanos}
     * passed (one wait, at most {@link TapDevice#POLL_SLICE_MILLIS}; rounded up to whole
     * milliseconds, as {@code epoll_wait(2)} counts). Returns at once when the device is closed.
     *
     * @return true when a frame (or an error, which a receive counts) is waiting or the bell rang
     */
    public boolean await(long timeoutNanos) {
        int fd = tap.descriptor();
        int bellFd = bell.fd();
        int epfd = epoll;
        if (fd < 0 || bellFd < 0) {
            return false;
        }
        int timeout = PollFd.timeoutMillis(timeoutNanos, TapDevice.POLL_SLICE_MILLIS);
        if (epfd < 0) {
            PollFd.set(pollFd, 0, fd, PollFd.POLLIN);
            PollFd.set(pollFd, 1, bellFd, PollFd.POLLIN);
            int ready = syscalls.poll(pollFd, 2, timeout);
            if (ready > 0 && (PollFd.revents(pollFd, 1) & PollFd.POLLIN) != 0) {
                bell.drain();
            }
            return ready > 0;
        }
        int ready = syscalls.epollWait(epfd, events, 2, timeout);
        for (int i = 0; i < ready; i++) {
            if (EpollEvent.fd(events, i) == bellFd) {
                bell.drain();
            }
        }
        return ready > 0;
    }

    /**
     * As {@link TapDevice#awaitReceive}, on this watch: until a frame may be there, the bell rang
     * or {@code timeoutNanos} passed (spurious returns allowed), for the stack thread's idle wait.
     *
     * @return true when a frame may be there or the bell rang; false when the time was up
     * @throws InterruptedException when the thread is interrupted before or during the wait
     */
    public boolean awaitReceive(long timeoutNanos) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        while (true) {
            boolean ready = await(deadline - System.nanoTime());
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (ready || deadline - System.nanoTime() <= 0 || tap.descriptor() < 0) {
                return ready;
            }
        }
    }

    /**
     * Whether a frame waits in the TAP right now (a {@code poll(2)} that does not wait). The
     * waiter asks when it stops waiting: a frame that woke it and that it leaves unread woke
     * nobody else, so it must wake another waiter (the stack thread). Any thread, one at a time.
     */
    public boolean frameWaiting() {
        int fd = tap.descriptor();
        if (fd < 0) {
            return false;
        }
        PollFd.set(peekFd, 0, fd, PollFd.POLLIN);
        return syscalls.poll(peekFd, 1, 0) > 0 && (PollFd.revents(peekFd, 0) & PollFd.POLLIN) != 0;
    }

    /** Ends the current (or the next) {@link #await} at once (any thread). */
    public void ring() {
        bell.signal();
    }

    /** Closes the epoll instance and, when the watch made it, the eventfd; idempotent. */
    @Override
    public synchronized void close() {
        int epfd = epoll;
        epoll = -1;
        if (epfd >= 0) {
            syscalls.close(epfd);
        }
        if (ownsBell) {
            bell.close();
        }
    }
}
