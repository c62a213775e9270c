package dev.spinet.hal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A Linux io_uring (io_uring_setup(2), io_uring_enter(2)) used for one thing: many
 * {@code write(2)}s of one descriptor in a single system call. The TAP's transmit thread
 * ({@link TapTransmitQueue}) hands the kernel every frame queued at once this way instead of one
 * system call per frame.
 *
 * <p>Why: on a virtual machine a system call's entry and exit cost more than a TAP frame's trip
 * through the kernel. Measured on the 2-vCPU VM of docs/performance.md: {@code write(2)} of a
 * 1514-byte frame to a TAP 2.1 to 2.6 µs, the same frames as io_uring writes 0.5 µs each in
 * batches of 8 and 0.4 µs in batches of 32.
 *
 * <p>The layout is the kernel ABI of {@code include/uapi/linux/io_uring.h}: the submission ring
 * (head, tail, mask and an index array), the 64-byte submission entries and the completion ring
 * of 16-byte entries, all mapped from the ring's descriptor at start-up. Submitting fills the
 * next entries and publishes the submission tail with a release store; the completions are read
 * after an acquire load of the completion tail. Nothing is allocated after the constructor.
 * One thread uses a ring at a time.
 */
final class IoUring implements AutoCloseable {

    /** Same number on x86-64, arm64 and riscv64 (the syscall table is shared from 5.1 on). */
    static final long SYS_IO_URING_SETUP = 425;
    static final long SYS_IO_URING_ENTER = 426;
    /** {@code sizeof(struct io_uring_params)}. */
    static final int PARAMS_SIZE = 120;
    /** io_uring_enter(2) calls one {@link #submitAndWait} makes at most while the kernel returns early. */
    static final int ENTER_ATTEMPTS = 8;
    static final int SQE_SIZE = 64;
    static final int CQE_SIZE = 16;
    static final int IORING_OP_WRITE = 23;
    static final int IORING_FEAT_SINGLE_MMAP = 1;
    /** {@code RWF_NOWAIT} of include/uapi/linux/fs.h, the per-write flag of pwritev2(2). */
    static final int RWF_NOWAIT = 0x8;
    static final int IORING_ENTER_GETEVENTS = 1;
    static final long IORING_OFF_SQ_RING = 0;
    static final long IORING_OFF_CQ_RING = 0x8000000L;
    static final long IORING_OFF_SQES = 0x10000000L;
    private static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_SHARED_POPULATE = 0x01 | 0x8000;

    // ---- struct io_uring_params ----
    static final int PARAMS_SQ_ENTRIES = 0;
    static final int PARAMS_CQ_ENTRIES = 4;
    static final int PARAMS_FEATURES = 20;
    static final int PARAMS_SQ_OFF = 40;
    static final int PARAMS_CQ_OFF = 80;
    // ---- struct io_sqring_offsets / io_cqring_offsets (relative to the two above) ----
    static final int OFF_HEAD = 0;
    static final int OFF_TAIL = 4;
    static final int OFF_RING_MASK = 8;
    static final int SQ_OFF_ARRAY = 24;
    static final int CQ_OFF_CQES = 20;
    // ---- struct io_uring_sqe / io_uring_cqe ----
    static final int SQE_OPCODE = 0;
    static final int SQE_FD = 4;
    static final int SQE_OFF = 8;
    static final int SQE_ADDR = 16;
    static final int SQE_LEN = 24;
    static final int SQE_RW_FLAGS = 28;
    static final int SQE_USER_DATA = 32;
    static final int CQE_USER_DATA = 0;
    static final int CQE_RES = 8;

    private static final VarHandle INT_AT = ValueLayout.JAVA_INT.varHandle();

    private final LinuxSyscalls syscalls;
    private final int ringFd;
    private final int entries;
    private final long sqRingAddress;
    private final long sqRingLength;
    private final long cqRingAddress;
    private final long cqRingLength;
    /** The completion ring shares the submission ring's mapping (IORING_FEAT_SINGLE_MMAP). */
    private final boolean singleMap;
    private final long sqesAddress;
    private final long sqesLength;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final int sqHead;
    private final int sqTail;
    private final int sqMask;
    private final int sqArray;
    private final int cqHead;
    private final int cqTail;
    private final int cqMask;
    private final int cqes;
    /** Entries prepared since the last {@link #submitAndWait}. */
    private int prepared;
    /** Completions read by the last {@link #submitAndWait}, and where they are. */
    private int completed;
    private int completedFrom;
    /** {@link #failure}. */
    private int failure;
    private boolean closed;

    private IoUring(LinuxSyscalls syscalls, int ringFd, int entries, MemorySegment params, long sqRingAddress, long sqRingLength,
                    long cqRingAddress, long cqRingLength, boolean singleMap, long sqesAddress, long sqesLength) {
        this.syscalls = syscalls;
        this.ringFd = ringFd;
        this.entries = entries;
        this.sqRingAddress = sqRingAddress;
        this.sqRingLength = sqRingLength;
        this.cqRingAddress = cqRingAddress;
        this.cqRingLength = cqRingLength;
        this.singleMap = singleMap;
        this.sqesAddress = sqesAddress;
        this.sqesLength = sqesLength;
        this.sqRing = MemorySegment.ofAddress(sqRingAddress).reinterpret(sqRingLength);
        this.cqRing = MemorySegment.ofAddress(cqRingAddress).reinterpret(cqRingLength);
        this.sqes = MemorySegment.ofAddress(sqesAddress).reinterpret(sqesLength);
        this.sqHead = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + OFF_HEAD);
        this.sqTail = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + OFF_TAIL);
        this.sqMask = sqRing.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + OFF_RING_MASK));
        this.sqArray = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + SQ_OFF_ARRAY);
        this.cqHead = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF + OFF_HEAD);
        this.cqTail = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF + OFF_TAIL);
        this.cqMask = cqRing.get(ValueLayout.JAVA_INT, params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF + OFF_RING_MASK));
        this.cqes = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF + CQ_OFF_CQES);
    }

    /**
     * A ring of {@code entries} submissions (a power of two), or null when this kernel or this
     * process has none: an old kernel or a test double (ENOSYS), {@code kernel.io_uring_disabled},
     * a seccomp filter (EPERM). Start-up only; allocates.
     */
    static IoUring open(LinuxSyscalls syscalls, int entries) {
        int ringFd;
        MemorySegment params;
        try (Arena scratch = Arena.ofConfined()) {
            params = scratch.allocate(PARAMS_SIZE, 8);
            ringFd = syscalls.ioUringSetup(entries, params);
            if (ringFd < 0) {
                return null;
            }
            params = Arena.ofAuto().allocate(PARAMS_SIZE, 8).copyFrom(params);
        }
        int sqEntries = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_ENTRIES);
        int cqEntries = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_ENTRIES);
        boolean singleMap = (params.get(ValueLayout.JAVA_INT, PARAMS_FEATURES) & IORING_FEAT_SINGLE_MMAP) != 0;
        long sqLength = params.get(ValueLayout.JAVA_INT, PARAMS_SQ_OFF + SQ_OFF_ARRAY) + 4L * sqEntries;
        long cqLength = params.get(ValueLayout.JAVA_INT, PARAMS_CQ_OFF + CQ_OFF_CQES) + (long) CQE_SIZE * cqEntries;
        if (singleMap) {
            sqLength = Math.max(sqLength, cqLength);
            cqLength = sqLength;
        }
        long sqesLength = (long) SQE_SIZE * sqEntries;
        long sqAddress = syscalls.mmap(sqLength, PROT_READ_WRITE, MAP_SHARED_POPULATE, ringFd, IORING_OFF_SQ_RING);
        long cqAddress = singleMap || sqAddress < 0 ? sqAddress
                : syscalls.mmap(cqLength, PROT_READ_WRITE, MAP_SHARED_POPULATE, ringFd, IORING_OFF_CQ_RING);
        long sqesAddress = cqAddress < 0 ? cqAddress
                : syscalls.mmap(sqesLength, PROT_READ_WRITE, MAP_SHARED_POPULATE, ringFd, IORING_OFF_SQES);
        if (sqesAddress < 0) {
            // A user-space address is positive on every supported CPU, an error negative.
            if (sqAddress >= 0) {
                syscalls.munmap(sqAddress, sqLength);
            }
            if (!singleMap && cqAddress >= 0) {
                syscalls.munmap(cqAddress, cqLength);
            }
            syscalls.close(ringFd);
            return null;
        }
        return new IoUring(syscalls, ringFd, sqEntries, params, sqAddress, sqLength, cqAddress, cqLength, singleMap,
                sqesAddress, sqesLength);
    }

    /** Submission entries the ring holds: the most {@link #prepareWrite} calls before one {@link #submitAndWait}. */
    int entries() {
        return entries;
    }

    /**
     * Prepares a {@code write(fd, address, length)} in the next submission entry; {@code tag}
     * comes back with its completion ({@link #completionTag}). Entries run in the order prepared,
     * each at once or not at all: one that would block ends with -EAGAIN (RWF_NOWAIT).
     */
    void prepareWrite(int fd, long address, int length, long tag) {
        int tail = (int) INT_AT.getAcquire(sqRing, (long) sqTail) + prepared;
        int index = tail & sqMask;
        long sqe = (long) index * SQE_SIZE;
        for (int i = 0; i < SQE_SIZE; i += 8) {
            sqes.set(ValueLayout.JAVA_LONG, sqe + i, 0L);
        }
        sqes.set(ValueLayout.JAVA_BYTE, sqe + SQE_OPCODE, (byte) IORING_OP_WRITE);
        sqes.set(ValueLayout.JAVA_INT, sqe + SQE_FD, fd);
        // -1: the descriptor's own position, which a character device like the TAP ignores.
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_OFF, -1L);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_ADDR, address);
        sqes.set(ValueLayout.JAVA_INT, sqe + SQE_LEN, length);
        // RWF_NOWAIT: a write that would block completes with -EAGAIN in its own entry, as
        // write(2) on the TAP's O_NONBLOCK descriptor does. Without it io_uring parks such a write
        // for a retry when the descriptor polls writable (an O_NONBLOCK or FMODE_NOWAIT file counts
        // as supporting non-blocking I/O in io_file_get_flags, so io_rw_init_file leaves
        // REQ_F_NOWAIT unset and io_queue_async arms the poll), and the later entries, issued
        // meanwhile, would leave before it: segments out of order on the wire. A descriptor without FMODE_NOWAIT answers
        // -EOPNOTSUPP (kiocb_set_rw_flags), which the caller takes as "write(2) instead".
        sqes.set(ValueLayout.JAVA_INT, sqe + SQE_RW_FLAGS, RWF_NOWAIT);
        sqes.set(ValueLayout.JAVA_LONG, sqe + SQE_USER_DATA, tag);
        sqRing.set(ValueLayout.JAVA_INT, sqArray + 4L * index, index);
        prepared++;
    }

    /**
     * Publishes the prepared entries and waits until all of them completed: one
     * {@code io_uring_enter(2)}, more only when one returned early (EINTR, EAGAIN, EBUSY, at most
     * {@link #ENTER_ATTEMPTS} calls). Their results are then {@link #completionResult} 0 .. the
     * return value - 1.
     *
     * <p>Fewer than prepared means the ring gave up ({@link #failure} says why): the entries the
     * kernel did not take stay in it, and a later call would submit them over slots that hold
     * other frames by then, so the caller counts them lost and leaves the ring. No entry the
     * kernel took is still running then: every write is RWF_NOWAIT, issued and completed inside
     * the call that submitted it (io_submit_sqes, then the completions flushed before returning).
     *
     * @return completions available, 0 .. entries prepared
     */
    int submitAndWait() {
        int count = prepared;
        prepared = 0;
        int tail = (int) INT_AT.getAcquire(sqRing, (long) sqTail) + count;
        INT_AT.setRelease(sqRing, (long) sqTail, tail);
        int head = (int) INT_AT.getAcquire(cqRing, (long) cqHead);
        int available = 0;
        int result = 0;
        for (int attempt = 0; attempt < ENTER_ATTEMPTS; attempt++) {
            int unsubmitted = tail - (int) INT_AT.getAcquire(sqRing, (long) sqHead);
            available = (int) INT_AT.getAcquire(cqRing, (long) cqTail) - head;
            if (unsubmitted == 0 && available >= count) {
                break;
            }
            result = syscalls.ioUringEnter(ringFd, unsubmitted, count - available, IORING_ENTER_GETEVENTS);
            if (result < 0 && result != -Errno.EINTR && result != -Errno.EAGAIN && result != -Errno.EBUSY) {
                break;
            }
        }
        available = Math.min(count, (int) INT_AT.getAcquire(cqRing, (long) cqTail) - head);
        completedFrom = head;
        completed = available;
        failure = available < count ? (result < 0 ? result : -Errno.EIO) : 0;
        return available;
    }

    /**
     * Why the last {@link #submitAndWait} completed fewer entries than prepared: the last
     * io_uring_enter(2)'s {@code -errno} (EINTR, EAGAIN or EBUSY when the attempts ran out), or 0.
     */
    int failure() {
        return failure;
    }

    /** The result (bytes written, or {@code -errno}) of completion {@code i} of the last {@link #submitAndWait}. */
    int completionResult(int i) {
        return cqRing.get(ValueLayout.JAVA_INT, cqes + (long) ((completedFrom + i) & cqMask) * CQE_SIZE + CQE_RES);
    }

    /** The tag {@link #prepareWrite} gave completion {@code i}. */
    long completionTag(int i) {
        return cqRing.get(ValueLayout.JAVA_LONG, cqes + (long) ((completedFrom + i) & cqMask) * CQE_SIZE + CQE_USER_DATA);
    }

    /** Frees the completions of the last {@link #submitAndWait} for the kernel. */
    void releaseCompletions() {
        INT_AT.setRelease(cqRing, (long) cqHead, completedFrom + completed);
        completed = 0;
    }

    /** Unmaps the rings and closes the descriptor; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        syscalls.munmap(sqesAddress, sqesLength);
        if (!singleMap) {
            syscalls.munmap(cqRingAddress, cqRingLength);
        }
        syscalls.munmap(sqRingAddress, sqRingLength);
        syscalls.close(ringFd);
    }
}
