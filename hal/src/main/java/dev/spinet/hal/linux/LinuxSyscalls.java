package dev.spinet.hal.linux;

import java.lang.foreign.MemorySegment;

/**
 * The handful of Linux system calls the device classes use, as a seam: {@link Libc} calls the
 * C library through {@code java.lang.foreign}; tests substitute a mock and check the exact ioctl
 * numbers and struct bytes that would reach the kernel.
 *
 * <p>Convention (the raw kernel one): every call returns its non-negative result, or
 * {@code -errno} on failure, so no per-thread error state leaks into callers and the error path
 * of the packet path allocates nothing. Memory arguments are native segments the caller
 * preallocated; none of these methods allocate on success.
 */
public interface LinuxSyscalls {

    /** {@code open(path, flags)}: a file descriptor, or {@code -errno}. May allocate (start-up only). */
    int open(String path, int flags);

    /** {@code close(fd)}: 0 or {@code -errno}. */
    int close(int fd);

    /** {@code read(fd, buffer, count)}: bytes read (0 at end of file), or {@code -errno}. */
    long read(int fd, MemorySegment buffer, long count);

    /** {@code write(fd, buffer, count)}: bytes written, or {@code -errno}. */
    long write(int fd, MemorySegment buffer, long count);

    /**
     * {@code poll(fds, count, timeoutMillis)} over an array of {@code struct pollfd} (8 bytes
     * each, see {@link PollFd}): the number of ready descriptors, 0 on timeout, or {@code -errno}.
     */
    int poll(MemorySegment pollFds, int count, int timeoutMillis);

    /** {@code ioctl(fd, request, argument)} with a pointer argument: the result, or {@code -errno}. */
    int ioctl(int fd, long request, MemorySegment argument);

    /**
     * {@code eventfd(initval, flags)}: a file descriptor, or {@code -errno}. Start-up only. The
     * default answers ENOSYS, for implementations (test doubles) that have no event counters.
     */
    default int eventfd(int initialValue, int flags) {
        return -Errno.ENOSYS;
    }

    /**
     * {@code epoll_create1(flags)}: a descriptor, or {@code -errno}. Start-up only. The defaults of
     * the three epoll calls answer ENOSYS, for test doubles without epoll; callers fall back to
     * {@link #poll}.
     */
    default int epollCreate1(int flags) {
        return -Errno.ENOSYS;
    }

    /** {@code epoll_ctl(epfd, op, fd, event)} with one {@link EpollEvent}: 0 or {@code -errno}. */
    default int epollCtl(int epfd, int op, int fd, MemorySegment event) {
        return -Errno.ENOSYS;
    }

    /**
     * {@code epoll_wait(epfd, events, maxEvents, timeoutMillis)} into an array of
     * {@link EpollEvent}: the number of entries filled, 0 on timeout, or {@code -errno}.
     */
    default int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        return -Errno.ENOSYS;
    }

    /**
     * {@code io_uring_setup(entries, params)} with a 120-byte {@code struct io_uring_params}
     * ({@link IoUring}): the ring's descriptor, or {@code -errno}. Start-up only. The defaults of
     * the io_uring calls and {@code mmap} answer ENOSYS, for test doubles without io_uring; the
     * caller then writes frame by frame.
     */
    default int ioUringSetup(int entries, MemorySegment params) {
        return -Errno.ENOSYS;
    }

    /**
     * {@code io_uring_enter(ringFd, toSubmit, minComplete, flags, NULL, 0)}: the number of
     * submission entries consumed, or {@code -errno}.
     */
    default int ioUringEnter(int ringFd, int toSubmit, int minComplete, int flags) {
        return -Errno.ENOSYS;
    }

    /**
     * {@code mmap(NULL, length, prot, flags, fd, offset)}: the mapping's address, or
     * {@code -errno} (between -4095 and -1). Start-up only.
     */
    default long mmap(long length, int prot, int flags, int fd, long offset) {
        return -Errno.ENOSYS;
    }

    /** {@code munmap(address, length)}: 0 or {@code -errno}. */
    default int munmap(long address, long length) {
        return -Errno.ENOSYS;
    }

    /**
     * The C library's text for an error number ({@code strerror}), for messages only; may
     * allocate. Implementations that have no C library return {@code null}.
     */
    String strerror(int errno);
}
