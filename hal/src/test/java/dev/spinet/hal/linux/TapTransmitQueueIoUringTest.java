package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.Netns;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
    private static final int LENGTH = 100;
    /** Frames a pipe holds without a reader: 100-byte writes share pages, 16 pages of 4 KiB. */
    private static final int PIPE_FRAMES = 600;

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
        Path fifo = dir.resolve("wire");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor(), "mkfifo " + fifo);
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
            long before = threads.getThreadAllocatedBytes(writerId);
            publish(queue, FRAMES, FRAMES);
            awaitWritten(queue, 2L * FRAMES);
            long after = threads.getThreadAllocatedBytes(writerId);
            assertEquals(2L * FRAMES, queue.written(), "frames written");
            assertEquals(0, after - before, "bytes the writer allocated handing " + FRAMES + " frames to io_uring");
        } finally {
            Libc.instance().close(fd);
        }
    }
}
