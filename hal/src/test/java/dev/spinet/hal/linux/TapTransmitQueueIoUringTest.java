package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.Netns;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transmit thread's ring on the running kernel's io_uring, writing to a pipe instead of a
 * TAP (a non-blocking descriptor that supports non-blocking writes, as the TAP's, and keeps the
 * order): frames published faster than one write each leave several per
 * {@code io_uring_enter(2)}, whole and in order, and the writer allocates nothing doing so. A
 * descriptor io_uring cannot write without blocking (a named FIFO) gets its frames by write(2).
 */
class TapTransmitQueueIoUringTest {

    private static final int FRAMES = 20_000;
    private static final int ALLOCATION_SAMPLES = 3;
    private static final int LENGTH = 100;
    /** Frames a pipe holds without a reader: 100-byte writes share pages, 16 pages of 4 KiB. */
    private static final int PIPE_FRAMES = 600;
    /** Frames whose contents differ ({@link #publish}'s bytes repeat every 256 frames). */
    private static final int DISTINCT_FRAMES = 250;

    @TempDir
    Path dir;

    private static void requireIoUring() {
        Netns.requireOrSkip(Libc.isSupportedPlatform(), "needs 64-bit Linux");
        Netns.requireOrSkip(TapDevice.batchedTransmitAvailable(),
                "needs io_uring (kernel 5.6 or later, kernel.io_uring_disabled 0, no seccomp filter refusing it)");
    }

    /** Publishes {@code frames} frames of {@link #LENGTH} bytes, frame i filled with bytes derived from i. */
    private static void publish(TapTransmitQueue queue, int frames, int first) {
        for (int i = first; i < first + frames; i++) {
            MemorySegment slot = queue.claim();
            assertTrue(slot != null, "a slot for frame " + i);
            for (int b = 0; b < LENGTH; b++) {
                slot.set(ValueLayout.JAVA_BYTE, b, (byte) (i * 13 + b));
            }
            queue.publish(LENGTH);
        }
    }

    private static void awaitWritten(TapTransmitQueue queue, long frames) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (queue.written() + queue.writeErrors() < frames && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
    }

    @Test
    void framesLeaveSeveralPerCallWholeAndInOrder() throws Exception {
        requireIoUring();
        try (NonBlockingPipe pipe = new NonBlockingPipe();
             TapTransmitQueue queue = new TapTransmitQueue(Libc.instance(), pipe.writeFd(), "iou0", 128, 128)) {
            publish(queue, PIPE_FRAMES, 0);
            awaitWritten(queue, PIPE_FRAMES);
            assertEquals(PIPE_FRAMES, queue.written(), "frames written whole");
            assertEquals(0, queue.writeErrors());
            assertTrue(queue.batches() > 0 && queue.batches() < PIPE_FRAMES,
                    "several frames per io_uring_enter: " + PIPE_FRAMES + " frames, " + queue.batches() + " calls");
            assertArrayEquals(expected(PIPE_FRAMES), pipe.drain((long) PIPE_FRAMES * LENGTH, 2_000),
                    "every frame whole, in the order published");
        }
    }

    @Test
    void aDescriptorWithoutNonBlockingWritesGetsItsFramesByWrite() throws Exception {
        requireIoUring();
        Netns.requireOrSkip(Files.isExecutable(Path.of("/usr/bin/mkfifo")), "needs /usr/bin/mkfifo (coreutils)");
        Path fifo = dir.resolve("wire");
        assertEquals(0, new ProcessBuilder("/usr/bin/mkfifo", fifo.toString()).start().waitFor(), "mkfifo " + fifo);
        // O_RDWR: a FIFO's open that waits for no other end; a FIFO lacks FMODE_NOWAIT (fifo_open).
        int fd = Libc.instance().open(fifo.toString(), OpenFlags.O_RDWR | OpenFlags.O_NONBLOCK | OpenFlags.O_CLOEXEC);
        assertTrue(fd >= 0, "open " + fifo + ": " + fd);
        try (TapTransmitQueue queue = new TapTransmitQueue(Libc.instance(), fd, "iou2", 128, 128)) {
            publish(queue, PIPE_FRAMES, 0);
            awaitWritten(queue, PIPE_FRAMES);
            assertEquals(0, queue.writeErrors(), "no frame lost to io_uring refusing the descriptor (EOPNOTSUPP)");
            assertEquals(PIPE_FRAMES, queue.written(), "frames written whole");
            MemorySegment buffer = Arena.ofAuto().allocate((long) PIPE_FRAMES * LENGTH);
            assertEquals((long) PIPE_FRAMES * LENGTH, Libc.instance().read(fd, buffer, buffer.byteSize()), "bytes in the FIFO");
            assertArrayEquals(expected(PIPE_FRAMES), buffer.toArray(ValueLayout.JAVA_BYTE), "every frame whole, in order");
        } finally {
            Libc.instance().close(fd);
        }
    }

    /**
     * A ring whose io_uring_enter(2) keeps returning early (EINTR each of its attempts) has taken
     * none of the batch: the writer must not leave those entries queued in it, for the next call
     * would submit them over slots that hold later frames by then. Every frame in the pipe is one
     * the queue counts as written, once, in order; the others are counted as errors.
     */
    @Test
    void aRingThatKeepsReturningEarlyIsLeftAndNoFrameGoesTwice() throws Exception {
        requireIoUring();
        Libc libc = Libc.instance();
        int[] interrupted = {IoUring.ENTER_ATTEMPTS};
        LinuxSyscalls interruptedFirst = new LinuxSyscalls() {
            @Override public int open(String path, int flags) { return libc.open(path, flags); }
            @Override public int close(int fd) { return libc.close(fd); }
            @Override public long read(int fd, MemorySegment buffer, long count) { return libc.read(fd, buffer, count); }
            @Override public long write(int fd, MemorySegment buffer, long count) { return libc.write(fd, buffer, count); }
            @Override public int poll(MemorySegment pollFds, int count, int timeoutMillis) { return libc.poll(pollFds, count, timeoutMillis); }
            @Override public int ioctl(int fd, long request, MemorySegment argument) { return libc.ioctl(fd, request, argument); }
            @Override public String strerror(int errno) { return libc.strerror(errno); }
            @Override public int ioUringSetup(int entries, MemorySegment params) { return libc.ioUringSetup(entries, params); }
            @Override public long mmap(long length, int prot, int flags, int fd, long offset) {
                return libc.mmap(length, prot, flags, fd, offset);
            }
            @Override public int munmap(long address, long length) { return libc.munmap(address, length); }

            @Override
            public int ioUringEnter(int ringFd, int toSubmit, int minComplete, int flags) {
                // The writer thread only: a signal before the kernel took anything, every attempt of the first batch.
                if (interrupted[0] > 0) {
                    interrupted[0]--;
                    return -Errno.EINTR;
                }
                return libc.ioUringEnter(ringFd, toSubmit, minComplete, flags);
            }
        };
        try (NonBlockingPipe pipe = new NonBlockingPipe();
             TapTransmitQueue queue = new TapTransmitQueue(interruptedFirst, pipe.writeFd(), "iou3", 8, 128)) {
            publish(queue, DISTINCT_FRAMES, 0);
            awaitWritten(queue, DISTINCT_FRAMES);
            byte[] wire = pipe.drain((long) DISTINCT_FRAMES * LENGTH, 1_000);
            assertEquals(DISTINCT_FRAMES, queue.written() + queue.writeErrors(), "every frame counted once, written or lost");
            assertTrue(queue.writeErrors() > 0, "the first batch, never submitted, is counted lost");
            assertEquals(queue.written() * LENGTH, wire.length, "bytes in the pipe: the frames counted written");
            int previous = -1;
            for (int at = 0; at + LENGTH <= wire.length; at += LENGTH) {
                int frame = frameAt(wire, at);
                assertTrue(frame > previous, "frame " + frame + " after frame " + previous + ": each once, in order");
                previous = frame;
            }
        }
    }

    /** Which frame i (filled by {@link #publish} with bytes i * 13 + b) the bytes at {@code at} are, or -1. */
    private static int frameAt(byte[] wire, int at) {
        for (int i = 0; i < DISTINCT_FRAMES; i++) {
            boolean match = true;
            for (int b = 0; b < LENGTH && match; b++) {
                match = wire[at + b] == (byte) (i * 13 + b);
            }
            if (match) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] expected(int frames) {
        byte[] expected = new byte[frames * LENGTH];
        for (int i = 0; i < frames; i++) {
            for (int b = 0; b < LENGTH; b++) {
                expected[i * LENGTH + b] = (byte) (i * 13 + b);
            }
        }
        return expected;
    }

    @Test
    void theWriterAllocatesNothing() throws Exception {
        requireIoUring();
        int fd = Libc.instance().open("/dev/null", OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC);
        try (TapTransmitQueue queue = new TapTransmitQueue(Libc.instance(), fd, "iou1", 128, 128)) {
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            long writerId = queue.writer().threadId();
            publish(queue, FRAMES, 0); // warm-up: the writer's loop compiled
            awaitWritten(queue, FRAMES);
            // The least of several samples must be 0, as in AllocationAssert: a writer that
            // allocates per frame or per batch never gives a zero sample, while one-off noise
            // (a deoptimisation and recompilation of the loop) spoils only some.
            long least = Long.MAX_VALUE;
            for (int sample = 1; sample <= ALLOCATION_SAMPLES; sample++) {
                long before = threads.getThreadAllocatedBytes(writerId);
                publish(queue, FRAMES, sample * FRAMES);
                awaitWritten(queue, (sample + 1L) * FRAMES);
                least = Math.min(least, threads.getThreadAllocatedBytes(writerId) - before);
            }
            assertEquals((ALLOCATION_SAMPLES + 1L) * FRAMES, queue.written(), "frames written");
            assertEquals(0, least, "bytes the writer allocated handing " + FRAMES + " frames to io_uring (least of "
                    + ALLOCATION_SAMPLES + " samples)");
        } finally {
            Libc.instance().close(fd);
        }
    }
}
