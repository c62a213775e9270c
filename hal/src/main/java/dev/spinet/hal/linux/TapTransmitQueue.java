package dev.spinet.hal.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TAP's transmit side on a thread of its own, fed through a preallocated single-producer,
 * single-consumer ring of frame slots: what a NIC's transmit descriptor ring is to its driver.
 * The stack thread (the one producer) fills the next free slot in place and publishes it; the
 * writer thread (the one consumer) does the {@code write(2)} and frees the slot. Where the
 * kernel offers io_uring ({@link IoUring}) the writer hands it every frame queued (up to
 * {@link #MAX_BATCH}) in one {@code io_uring_enter(2)}, each still a write of its own, in order:
 * on a virtual machine entering the kernel cost more than the frame's trip through it
 * (docs/performance.md "Frames through io_uring").
 *
 * <p>Why: without offloads every {@code write(2)} of a TAP runs the kernel's receive path for the
 * frame (IPv4, TCP, waking the reader) on the calling thread, about three quarters of a
 * download's CPU time on the stack thread (docs/performance.md, "A transmit thread for the
 * TAP"). With the writes here, reading ACKs and preparing the next segments overlap with the
 * kernel's work on a second CPU.
 *
 * <p>Nothing is allocated per frame: slots are native memory from the constructor, indices are
 * {@code long} counters, and the hand-over is a volatile store plus, only when the writer sleeps,
 * {@link LockSupport#unpark}. When every slot is in use the producer waits for the writer
 * (back-pressure, {@link #fullWaits()}), at most {@link #FULL_WAIT_NANOS}; only if the writer
 * makes no progress in that time is the frame refused ({@link #refused()}), which the stack
 * counts as a busy device. {@link #close} stops the writer and joins it before the slots go.
 */
final class TapTransmitQueue implements AutoCloseable {

    /** Longest wait for a free slot before a frame is refused: the writer is stuck, not busy. */
    static final long FULL_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * The most frames handed to the kernel in one io_uring_enter(2): more than a 64 KB window
     * of MSS-sized frames, so a window's burst goes in one call.
     */
    static final int MAX_BATCH = 64;
    /** Longest wait for the writer thread to end on {@link #close}. */
    private static final long JOIN_MILLIS = 2_000;

    private final LinuxSyscalls syscalls;
    private final int fd;
    private final Arena arena;
    private final MemorySegment[] slots;
    private final int[] lengths;
    private final int mask;
    private final Thread writer;
    /**
     * Writes every queued frame in one system call; null where io_uring is missing, or after it
     * failed (then one write(2) per frame). Written by the writer thread only, after start.
     */
    private IoUring uring;
    /** The most frames one io_uring_enter(2) hands over. */
    private final int batchLimit;

    /** Slots published by the producer (written by the stack thread only). */
    private volatile long tail;
    /** Slots written by the writer (written by the writer thread only). */
    private volatile long head;
    /** The writer is about to park or parked: the producer unparks it after publishing. */
    private volatile boolean writerParked;
    private volatile boolean stopping;

    // ---- producer-side state (stack thread) ----
    /** The producer's last look at {@link #head}, so it reads the volatile only when the ring seems full. */
    private long headSeen;
    private long fullWaits;
    private long refused;

    // ---- writer-side counters (written by the writer only; other threads read them for status) ----
    private long written;
    private long writeErrors;
    private int lastErrno;
    /** io_uring_enter(2) calls that carried frames. */
    private long batches;
    /** A ring that failed, kept to be closed with the queue. */
    private IoUring brokenRing;

    /**
     * @param slotCount frames the ring holds, a power of two (2..4096)
     * @param slotBytes bytes per slot: the largest write, virtio header included
     */
    TapTransmitQueue(LinuxSyscalls syscalls, int fd, String name, int slotCount, int slotBytes) {
        if (slotCount < 2 || slotCount > 4096 || Integer.bitCount(slotCount) != 1) {
            throw new IllegalArgumentException("transmit queue slots must be a power of two in 2..4096, not " + slotCount);
        }
        this.syscalls = syscalls;
        this.fd = fd;
        this.arena = Arena.ofShared();
        this.slots = new MemorySegment[slotCount];
        this.lengths = new int[slotCount];
        this.mask = slotCount - 1;
        MemorySegment all = arena.allocate((long) slotCount * slotBytes, 64);
        for (int i = 0; i < slotCount; i++) {
            slots[i] = all.asSlice((long) i * slotBytes, slotBytes);
        }
        uring = IoUring.open(syscalls, Math.min(MAX_BATCH, slotCount));
        batchLimit = uring == null ? 1 : Math.min(uring.entries(), slotCount);
        writer = Thread.ofPlatform().name("spinet-tap-tx-" + name).daemon(true).unstarted(this::writeLoop);
        writer.start();
    }

    /**
     * The slot the next frame goes into, waiting for the writer while the ring is full; null if
     * it made no progress for {@link #FULL_WAIT_NANOS} or the queue is closing. The frame is sent
     * once {@link #publish} is called; until then the slot is the producer's.
     */
    MemorySegment claim() {
        long next = tail;
        if (next - headSeen > mask) {
            headSeen = head;
            if (next - headSeen > mask && !awaitSlot(next)) {
                refused++;
                return null;
            }
        }
        return slots[(int) (next & mask)];
    }

    /** Waits until the writer frees a slot; yields the CPU, which the writer may need. */
    private boolean awaitSlot(long next) {
        fullWaits++;
        long deadline = System.nanoTime() + FULL_WAIT_NANOS;
        while (!stopping) {
            wakeWriter();
            Thread.yield();
            headSeen = head;
            if (next - headSeen <= mask) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
        }
        return false;
    }

    /** Sends the frame of {@code length} bytes the producer wrote into the slot {@link #claim} gave. */
    void publish(int length) {
        long next = tail;
        lengths[(int) (next & mask)] = length;
        tail = next + 1;
        wakeWriter();
    }

    private void wakeWriter() {
        // Dekker with the writer: it stores writerParked then reads tail, this thread stored tail
        // and now reads writerParked; with both volatile one of them sees the other's store.
        if (writerParked) {
            writerParked = false;
            LockSupport.unpark(writer);
        }
    }

    private void writeLoop() {
        while (!stopping) {
            long current = head;
            if (current == tail) {
                writerParked = true;
                if (current == tail && !stopping) {
                    LockSupport.park(this);
                }
                writerParked = false;
                continue;
            }
            if (uring != null) {
                head = current + writeBatch(current);
                continue;
            }
            int slot = (int) (current & mask);
            int length = lengths[slot];
            count(syscalls.write(fd, slots[slot], length), length);
            head = current + 1;
        }
    }

    /**
     * Writes the frames queued from {@code first} on (at most {@link #batchLimit}) with one
     * io_uring_enter(2); they run in order, each a write(2) of its own to the kernel, and each
     * is counted as such. Returns how many slots are done (free again).
     */
    private int writeBatch(long first) {
        int count = (int) Math.min(tail - first, batchLimit);
        for (int i = 0; i < count; i++) {
            int slot = (int) ((first + i) & mask);
            uring.prepareWrite(fd, slots[slot].address(), lengths[slot], slot);
        }
        int completions = uring.submitAndWait();
        batches++;
        // Set when the ring cannot go on (refused the descriptor, or gave up): write(2) from here on.
        boolean leaveRing = false;
        for (int i = 0; i < completions; i++) {
            int slot = (int) uring.completionTag(i);
            int result = uring.completionResult(i);
            if (result == -Errno.EOPNOTSUPP) {
                // The descriptor takes no non-blocking write through io_uring (no FMODE_NOWAIT:
                // kiocb_set_rw_flags refuses RWF_NOWAIT before writing anything). It refuses every
                // entry alike, so write(2) of each in turn keeps the order.
                leaveRing = true;
                result = (int) syscalls.write(fd, slots[slot], lengths[slot]);
            }
            count(result, lengths[slot]);
        }
        uring.releaseCompletions();
        if (completions < count) {
            // The ring gave up (an error, or io_uring_enter kept returning early): the frames it did
            // not take are lost, as a NIC drops a burst it could not send, and TCP recovers them.
            // They stay queued in the ring, which is why it is left (closed with the queue) and
            // never entered again: that would send them over slots holding later frames.
            writeErrors += count - completions;
            lastErrno = -uring.failure();
            leaveRing = true;
        }
        if (leaveRing) {
            // From here on one write(2) per frame.
            brokenRing = uring;
            uring = null;
        }
        return count;
    }

    private void count(long result, int length) {
        if (result == length) {
            written++;
        } else {
            // EAGAIN included: the kernel's backlog for the interface is full, the frame is lost
            // as a NIC drops one whose transmit fails; TCP recovers it.
            writeErrors++;
            lastErrno = result < 0 ? (int) -result : Errno.EIO;
        }
    }

    /** io_uring_enter(2) calls that carried frames (0 without io_uring). */
    long batches() {
        return batches;
    }

    /** Frames the kernel took whole. */
    long written() {
        return written;
    }

    /** write(2) failures and short writes. */
    long writeErrors() {
        return writeErrors;
    }

    /** The last write(2) error number, or 0. */
    int lastErrno() {
        return lastErrno;
    }

    /** Times the producer found every slot in use and waited (back-pressure). */
    long fullWaits() {
        return fullWaits;
    }

    /** Frames refused because the writer made no progress for {@link #FULL_WAIT_NANOS}. */
    long refused() {
        return refused;
    }

    /** Frames published and not yet written. */
    int queued() {
        return (int) (tail - head);
    }

    /** The writer thread (for tests: its name and whether it ended). */
    Thread writer() {
        return writer;
    }

    /** Stops the writer (frames still queued are dropped, as a NIC's ring is on reset) and frees the slots. */
    @Override
    public void close() {
        stopping = true;
        LockSupport.unpark(writer);
        boolean interrupted = false;
        try {
            writer.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (!writer.isAlive()) {
            if (uring != null) {
                uring.close();
            }
            if (brokenRing != null) {
                brokenRing.close();
            }
            arena.close();
        }
        // A writer still inside write(2) after the join keeps the arena alive: freeing it under
        // the call would be a use after free. The daemon thread ends with the process.
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
