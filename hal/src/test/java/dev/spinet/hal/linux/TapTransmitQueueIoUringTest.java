package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.Netns;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transmit thread's ring on the running kernel's io_uring, writing to a file instead of a
 * TAP (the writes are the same system-call work, and a file keeps the order): frames published
 * faster than one write each leave several per {@code io_uring_enter(2)}, whole and in order,
 * and the writer allocates nothing doing so.
 */
class TapTransmitQueueIoUringTest {

    private static final int FRAMES = 20_000;
    private static final int LENGTH = 100;

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
        Path file = Files.createFile(dir.resolve("wire"));
        int fd = Libc.instance().open(file.toString(), OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC);
        assertTrue(fd >= 0, "open " + file + ": " + fd);
        try (TapTransmitQueue queue = new TapTransmitQueue(Libc.instance(), fd, "iou0", 128, 128)) {
            publish(queue, FRAMES, 0);
            awaitWritten(queue, FRAMES);
            assertEquals(FRAMES, queue.written(), "frames written whole");
            assertEquals(0, queue.writeErrors());
            assertTrue(queue.batches() > 0 && queue.batches() < FRAMES,
                    "several frames per io_uring_enter: " + FRAMES + " frames, " + queue.batches() + " calls");
        } finally {
            Libc.instance().close(fd);
        }
        byte[] expected = new byte[FRAMES * LENGTH];
        for (int i = 0; i < FRAMES; i++) {
            for (int b = 0; b < LENGTH; b++) {
                expected[i * LENGTH + b] = (byte) (i * 13 + b);
            }
        }
        assertArrayEquals(expected, Files.readAllBytes(file), "every frame whole, in the order published");
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
