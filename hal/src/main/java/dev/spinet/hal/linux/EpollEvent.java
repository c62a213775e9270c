package dev.spinet.hal.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * The {@code struct epoll_event} layout ({@code <sys/epoll.h>}): a 32-bit event mask and a
 * 64-bit user word. On x86-64 the kernel declares it packed (12 bytes, the word at offset 4,
 * {@code EPOLL_PACKED} in the uapi header); elsewhere (aarch64, riscv64) it has natural alignment
 * (16 bytes, the word at offset 8). The user word here holds the descriptor the event is about.
 */
public final class EpollEvent {

    private static final boolean PACKED = isPacked(System.getProperty("os.arch", ""));
    /** Bytes per entry. */
    public static final int SIZE = PACKED ? 12 : 16;
    public static final int EVENTS_OFFSET = 0;
    public static final int DATA_OFFSET = PACKED ? 4 : 8;

    /** {@code EPOLLIN}: readable. */
    public static final int EPOLLIN = 0x001;
    /**
     * {@code EPOLLEXCLUSIVE} (Linux 4.5): when several epoll instances wait on one descriptor
     * with it, a readiness wakes one waiting instance, not all (epoll_ctl(2)); the instance that
     * added the descriptor first is asked first.
     */
    public static final int EPOLLEXCLUSIVE = 1 << 28;
    /** {@code epoll_ctl} operation: add a descriptor. */
    public static final int EPOLL_CTL_ADD = 1;
    /** {@code epoll_create1} flag: close on exec (= O_CLOEXEC). */
    public static final int EPOLL_CLOEXEC = 0x80000;

    private EpollEvent() {
    }

    static boolean isPacked(String arch) {
        String lower = arch.toLowerCase(Locale.ROOT);
        return lower.equals("amd64") || lower.equals("x86_64");
    }

    /** Fills entry {@code index}: the events asked for and the descriptor as the user word. */
    public static void set(MemorySegment events, int index, int mask, int fd) {
        long base = (long) index * SIZE;
        events.set(ValueLayout.JAVA_INT_UNALIGNED, base + EVENTS_OFFSET, mask);
        events.set(ValueLayout.JAVA_LONG_UNALIGNED, base + DATA_OFFSET, fd);
    }

    /** The events the kernel reported in entry {@code index}. */
    public static int events(MemorySegment events, int index) {
        return events.get(ValueLayout.JAVA_INT_UNALIGNED, (long) index * SIZE + EVENTS_OFFSET);
    }

    /** The descriptor entry {@code index} is about (its user word). */
    public static int fd(MemorySegment events, int index) {
        return (int) events.get(ValueLayout.JAVA_LONG_UNALIGNED, (long) index * SIZE + DATA_OFFSET);
    }
}
