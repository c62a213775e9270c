package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.spinet.testkit.Netns;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IoUring} against the running kernel: the writes of one submission reach the descriptor
 * whole and in the order prepared (a file, whose bytes show the order), their results come back
 * per entry, and the packet-path calls allocate nothing. Without io_uring (a test double) the
 * ring is null, and {@link TapTransmitQueue} writes frame by frame.
 */
class IoUringTest {

    @TempDir
    Path dir;

    private static IoUring openOrSkip(int entries) {
        Netns.requireOrSkip(Libc.isSupportedPlatform(), "needs 64-bit Linux");
        IoUring ring = IoUring.open(Libc.instance(), entries);
        Netns.requireOrSkip(ring != null, "needs io_uring (kernel 5.6 or later, kernel.io_uring_disabled 0, no seccomp filter refusing it)");
        return ring;
    }

    @Test
    void writesOfOneSubmissionArriveWholeAndInOrder() throws Exception {
        Path file = Files.createFile(dir.resolve("frames"));
        try (IoUring ring = openOrSkip(64); Arena arena = Arena.ofConfined()) {
            int fd = Libc.instance().open(file.toString(), OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC);
            assertEquals(true, fd >= 0, "open " + file + ": " + fd);
            int frames = 40;
            int length = 100;
            MemorySegment slots = arena.allocate((long) frames * length, 8);
            byte[] expected = new byte[frames * length];
            for (int i = 0; i < frames; i++) {
                for (int b = 0; b < length; b++) {
                    // Distinct per frame and per position, so a swapped or cut frame shows.
                    byte value = (byte) (i * 7 + b);
                    slots.set(ValueLayout.JAVA_BYTE, (long) i * length + b, value);
                    expected[i * length + b] = value;
                }
            }
            // Two submissions: 25 frames, then 15, as the writer hands over what is queued.
            int done = 0;
            for (int batch : new int[] {25, 15}) {
                for (int i = 0; i < batch; i++) {
                    ring.prepareWrite(fd, slots.address() + (long) (done + i) * length, length, 1000 + done + i);
                }
                int completions = ring.submitAndWait();
                assertEquals(batch, completions, "one completion per write");
                for (int i = 0; i < completions; i++) {
                    assertEquals(length, ring.completionResult(i), "bytes written by entry " + i);
                    assertEquals(1000 + done + i, ring.completionTag(i), "the tag of entry " + i);
                }
                ring.releaseCompletions();
                done += batch;
            }
            Libc.instance().close(fd);
            assertArrayEquals(expected, Files.readAllBytes(file), "the file holds the frames whole, in the order prepared");
        }
    }

    @Test
    void aFailedWriteIsReportedInItsOwnCompletion() throws Exception {
        try (IoUring ring = openOrSkip(8); Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(64, 8);
            ring.prepareWrite(-1, frame.address(), 64, 7);
            assertEquals(1, ring.submitAndWait());
            assertEquals(-Errno.EBADF, ring.completionResult(0), "write(2) to no descriptor: EBADF, as write(2) itself says");
            ring.releaseCompletions();
        }
    }

    @Test
    void submittingAllocatesNothing() throws Exception {
        try (IoUring ring = openOrSkip(64); Arena arena = Arena.ofConfined()) {
            int fd = Libc.instance().open("/dev/null", OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC);
            MemorySegment frame = arena.allocate(1514, 8);
            long[] results = new long[1];
            long bytes = AllocationProbe.bytesAllocated(2_000, 20_000, () -> {
                for (int i = 0; i < 8; i++) {
                    ring.prepareWrite(fd, frame.address(), 1514, i);
                }
                int completions = ring.submitAndWait();
                for (int i = 0; i < completions; i++) {
                    results[0] += ring.completionResult(i);
                }
                ring.releaseCompletions();
            });
            Libc.instance().close(fd);
            assertEquals(0, bytes, "bytes allocated by prepare, submit and reading completions");
            assertEquals(true, results[0] > 0, "the writes went through");
        }
    }

    @Test
    void withoutIoUringThereIsNoRing() {
        LinuxSyscalls withoutRing = new LinuxSyscalls() {
            @Override
            public int open(String path, int flags) {
                return -Errno.ENOENT;
            }

            @Override
            public int close(int fd) {
                return 0;
            }

            @Override
            public long read(int fd, MemorySegment buffer, long count) {
                return -Errno.EAGAIN;
            }

            @Override
            public long write(int fd, MemorySegment buffer, long count) {
                return count;
            }

            @Override
            public int poll(MemorySegment pollFds, int count, int timeoutMillis) {
                return 0;
            }

            @Override
            public int ioctl(int fd, long request, MemorySegment argument) {
                return 0;
            }

            @Override
            public String strerror(int errno) {
                return null;
            }
        };
        assertNull(IoUring.open(withoutRing, 8), "ENOSYS from io_uring_setup: no ring, frames go by write(2)");
    }
}
