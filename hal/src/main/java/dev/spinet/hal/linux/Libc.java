package dev.spinet.hal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * {@link LinuxSyscalls} over the C library with {@code java.lang.foreign}: no JNA, nothing native
 * to build.
 *
 * <p>How errno is obtained, and why two ways: {@link #open} and {@link #close} (start-up and
 * shutdown) have {@code errno} captured by the linker itself right after the call
 * ({@link Linker.Option#captureCallState}), which no JVM activity can disturb. The packet-path
 * calls ({@link #read}, {@link #write}, {@link #poll}, {@link #epollWait}, {@link #ioctl}) cannot use that: in JDK 25
 * a capturing downcall allocates 40 bytes per call unless escape analysis removes them (measured
 * with {@code -XX:-DoEscapeAnalysis}; see LinuxAllocationTest), and an empty TAP queue fails with
 * EAGAIN on every poll of the stack. They use plain downcalls and, only when the result is -1,
 * read the thread's {@code errno} at the address {@code __errno_location()} returns. Between the native return and that read nothing runs but the JVM's own
 * native-to-Java transition; HotSpot preserves errno there in practice, and if it ever did not,
 * the cost would be a misclassified error (counted or reported under the wrong name), never
 * memory unsafety.
 *
 * <p>Allocation: read/write/poll/epoll_wait/ioctl with native segments allocate nothing, also on failure;
 * per-thread state is created once. {@link #open} (path string) and {@link #strerror} allocate.
 *
 * <p>Supported: Linux on a 64-bit CPU (x86-64, arm64: Raspberry Pi OS 64-bit). The constructor
 * refuses anything else with a message saying so.
 */
public final class Libc implements LinuxSyscalls {

    private static volatile Libc instance;

    private final MethodHandle open;
    private final MethodHandle close;
    private final MethodHandle read;
    private final MethodHandle write;
    private final MethodHandle poll;
    private final MethodHandle ioctl;
    private final MethodHandle eventfd;
    private final MethodHandle epollCreate1;
    private final MethodHandle epollCtl;
    private final MethodHandle epollWait;
    private final MethodHandle strerror;
    private final MethodHandle ioUringSetup;
    private final MethodHandle ioUringEnter;
    private final MethodHandle mmap;
    private final MethodHandle munmap;
    private final MethodHandle errnoLocation;
    private final VarHandle errnoHandle;
    private final StructLayout captureLayout;
    private final ThreadLocal<MemorySegment> captureState;
    /** All of the address space, to read errno at the address __errno_location() returns without allocating. */
    private static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private Libc() {
        requireSupportedPlatform();
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        captureLayout = Linker.Option.captureStateLayout();
        errnoHandle = captureLayout.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
        captureState = ThreadLocal.withInitial(() -> Arena.global().allocate(captureLayout));

        ValueLayout.OfInt cInt = ValueLayout.JAVA_INT;
        ValueLayout.OfLong cLong = ValueLayout.JAVA_LONG;
        open = linker.downcallHandle(find(libc, "open"),
                FunctionDescriptor.of(cInt, ValueLayout.ADDRESS, cInt), errno);
        close = linker.downcallHandle(find(libc, "close"), FunctionDescriptor.of(cInt, cInt), errno);
        read = linker.downcallHandle(find(libc, "read"),
                FunctionDescriptor.of(cLong, cInt, ValueLayout.ADDRESS, cLong));
        write = linker.downcallHandle(find(libc, "write"),
                FunctionDescriptor.of(cLong, cInt, ValueLayout.ADDRESS, cLong));
        poll = linker.downcallHandle(find(libc, "poll"),
                FunctionDescriptor.of(cInt, ValueLayout.ADDRESS, cLong, cInt));
        // int ioctl(int fd, unsigned long request, ...): the pointer is the first variadic argument.
        ioctl = linker.downcallHandle(find(libc, "ioctl"),
                FunctionDescriptor.of(cInt, cInt, cLong, ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(2));
        eventfd = linker.downcallHandle(find(libc, "eventfd"), FunctionDescriptor.of(cInt, cInt, cInt), errno);
        epollCreate1 = linker.downcallHandle(find(libc, "epoll_create1"), FunctionDescriptor.of(cInt, cInt), errno);
        epollCtl = linker.downcallHandle(find(libc, "epoll_ctl"),
                FunctionDescriptor.of(cInt, cInt, cInt, cInt, ValueLayout.ADDRESS), errno);
        epollWait = linker.downcallHandle(find(libc, "epoll_wait"),
                FunctionDescriptor.of(cInt, cInt, ValueLayout.ADDRESS, cInt, cInt));
        // long syscall(long number, ...): every argument passed as a 64-bit integer, which the
        // kernel truncates to the unsigned int it takes where that is the type.
        MemorySegment syscall = find(libc, "syscall");
        ioUringSetup = linker.downcallHandle(syscall,
                FunctionDescriptor.of(cLong, cLong, cLong, ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(1), errno);
        ioUringEnter = linker.downcallHandle(syscall,
                FunctionDescriptor.of(cLong, cLong, cLong, cLong, cLong, cLong, cLong, cLong), Linker.Option.firstVariadicArg(1));
        mmap = linker.downcallHandle(find(libc, "mmap"),
                FunctionDescriptor.of(cLong, cLong, cLong, cInt, cInt, cInt, cLong), errno);
        munmap = linker.downcallHandle(find(libc, "munmap"), FunctionDescriptor.of(cInt, cLong, cLong), errno);
        strerror = linker.downcallHandle(find(libc, "strerror"),
                FunctionDescriptor.of(ValueLayout.ADDRESS, cInt));
        // int *__errno_location(void) (glibc and musl), returned as a 64-bit integer so that no
        // MemorySegment is made for it. Asked afresh after every failure rather than cached: a
        // virtual thread may run on another carrier thread, with another errno, from call to call.
        errnoLocation = linker.downcallHandle(find(libc, "__errno_location"), FunctionDescriptor.of(ValueLayout.JAVA_LONG));
    }

    /** This thread's errno, read right after a plain downcall returned -1. */
    private int lastErrno() {
        try {
            long address = (long) errnoLocation.invokeExact();
            return EVERYTHING.get(ValueLayout.JAVA_INT, address);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The process-wide binding, created on first use.
     *
     * @throws UnsupportedOperationException on anything but 64-bit Linux, with what to use instead
     */
    public static Libc instance() {
        Libc result = instance;
        if (result == null) {
            synchronized (Libc.class) {
                result = instance;
                if (result == null) {
                    result = new Libc();
                    instance = result;
                }
            }
        }
        return result;
    }

    /** Whether this JVM runs where the binding works (64-bit Linux). */
    public static boolean isSupportedPlatform() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return os.equals("Linux") && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64")
                || arch.equals("riscv64"));
    }

    private static void requireSupportedPlatform() {
        if (!isSupportedPlatform()) {
            throw new UnsupportedOperationException("Spinet's Linux bindings (TAP, spidev, GPIO) need 64-bit Linux;"
                    + " this JVM runs on " + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
                    + ". On a Raspberry Pi install the 64-bit Raspberry Pi OS; elsewhere use an emulated HAL"
                    + " (--hal sim-w5500) or the demo.");
        }
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(
                () -> new UnsupportedOperationException("the C library has no '" + name + "' symbol"));
    }

    private int errno(MemorySegment state) {
        return (int) errnoHandle.get(state, 0L);
    }

    @Override
    public int open(String path, int flags) {
        MemorySegment state = captureState.get();
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) open.invokeExact(state, arena.allocateFrom(path), flags);
            return fd < 0 ? -errno(state) : fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int eventfd(int initialValue, int flags) {
        MemorySegment state = captureState.get();
        try {
            int fd = (int) eventfd.invokeExact(state, initialValue, flags);
            return fd < 0 ? -errno(state) : fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int epollCreate1(int flags) {
        MemorySegment state = captureState.get();
        try {
            int fd = (int) epollCreate1.invokeExact(state, flags);
            return fd < 0 ? -errno(state) : fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        checkBounds(event, EpollEvent.SIZE);
        MemorySegment state = captureState.get();
        try {
            int result = (int) epollCtl.invokeExact(state, epfd, op, fd, event);
            return result < 0 ? -errno(state) : result;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        checkBounds(events, (long) maxEvents * EpollEvent.SIZE);
        try {
            int result = (int) epollWait.invokeExact(epfd, events, maxEvents, timeoutMillis);
            return result < 0 ? -lastErrno() : result;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int close(int fd) {
        MemorySegment state = captureState.get();
        try {
            int result = (int) close.invokeExact(state, fd);
            return result < 0 ? -errno(state) : result;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long read(int fd, MemorySegment buffer, long count) {
        checkBounds(buffer, count);
        try {
            long result = (long) read.invokeExact(fd, buffer, count);
            return result < 0 ? -lastErrno() : result;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long write(int fd, MemorySegment buffer, long count) {
        checkBounds(buffer, count);
        try {
            long result = (long) write.invokeExact(fd, buffer, count);
            return result < 0 ? -lastErrno() : result;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int poll(MemorySegment pollFds, int count, int timeoutMillis) {
        checkBounds(pollFds, (long) count * PollFd.SIZE);
        try {
            int result = (int) poll.invokeExact(pollFds, (long) count, timeoutMillis);
            return result < 0 ? -lastErrno() : result;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ioctl(int fd, long request, MemorySegment argument) {
        try {
            int result = (int) ioctl.invokeExact(fd, request, argument);
            return result < 0 ? -lastErrno() : result;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ioUringSetup(int entries, MemorySegment params) {
        checkBounds(params, IoUring.PARAMS_SIZE);
        MemorySegment state = captureState.get();
        try {
            long fd = (long) ioUringSetup.invokeExact(state, IoUring.SYS_IO_URING_SETUP, (long) entries, params);
            return fd < 0 ? -errno(state) : (int) fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int ioUringEnter(int ringFd, int toSubmit, int minComplete, int flags) {
        try {
            long result = (long) ioUringEnter.invokeExact(IoUring.SYS_IO_URING_ENTER, (long) ringFd, (long) toSubmit,
                    (long) minComplete, (long) flags, 0L, 0L);
            return result < 0 ? -lastErrno() : (int) result;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long mmap(long length, int prot, int flags, int fd, long offset) {
        MemorySegment state = captureState.get();
        try {
            long address = (long) mmap.invokeExact(state, 0L, length, prot, flags, fd, offset);
            return address == -1L ? -errno(state) : address;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int munmap(long address, long length) {
        MemorySegment state = captureState.get();
        try {
            int result = (int) munmap.invokeExact(state, address, length);
            return result < 0 ? -errno(state) : result;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) strerror.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? null : text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The kernel would write past the segment: a caller bug, caught before it corrupts memory. */
    private static void checkBounds(MemorySegment segment, long count) {
        if (count < 0 || count > segment.byteSize()) {
            throw new IndexOutOfBoundsException("count " + count + " outside a segment of " + segment.byteSize() + " bytes");
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("native call failed", t);
    }
}
