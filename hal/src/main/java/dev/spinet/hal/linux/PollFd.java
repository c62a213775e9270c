package dev.spinet.hal.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct pollfd} from {@code <poll.h>}, 8 bytes:
 *
 * <pre>
 *  0               4       6       8
 * +---------------+-------+-------+
 * |      fd       |events |revents|
 * +---------------+-------+-------+
 *   int32          int16   int16
 * </pre>
 */
public final class PollFd {

    public static final int SIZE = 8;
    public static final int FD_OFFSET = 0;
    public static final int EVENTS_OFFSET = 4;
    public static final int REVENTS_OFFSET = 6;

    public static final short POLLIN = 0x001;
    public static final short POLLOUT = 0x004;
    public static final short POLLERR = 0x008;
    public static final short POLLHUP = 0x010;
    public static final short POLLNVAL = 0x020;

    private PollFd() {
    }

    /** Fills entry {@code index}: descriptor, requested events, revents cleared. */
    public static void set(MemorySegment fds, int index, int fd, short events) {
        long base = (long) index * SIZE;
        fds.set(ValueLayout.JAVA_INT, base + FD_OFFSET, fd);
        fds.set(ValueLayout.JAVA_SHORT, base + EVENTS_OFFSET, events);
        fds.set(ValueLayout.JAVA_SHORT, base + REVENTS_OFFSET, (short) 0);
    }

    /** The events the kernel reported for entry {@code index}. */
    public static short revents(MemorySegment fds, int index) {
        return fds.get(ValueLayout.JAVA_SHORT, (long) index * SIZE + REVENTS_OFFSET);
    }

    /**
     * Milliseconds for {@code poll(2)} covering {@code remainingNanos}, rounded up (so a wait
     * never ends early) and capped at {@code capMillis}; 0 when nothing remains.
     */
    public static int timeoutMillis(long remainingNanos, int capMillis) {
        if (remainingNanos <= 0) {
            return 0;
        }
        long millis = (remainingNanos + 999_999L) / 1_000_000L;
        return millis > capMillis ? capMillis : (int) millis;
    }
}
