package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.spinet.testkit.Netns;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * {@link IoUring} against the running kernel: the writes of one submission reach the descriptor
 * whole and in the order prepared (a pipe, whose bytes show the order), their results come back
 * per entry, and the packet-path calls allocate nothing. Without io_uring (a test double) the
 * ring is null, and {@link TapTransmitQueue} writes frame by frame.
 */
class IoUringTest {

    private static IoUring openOrSkip(int entries) {
        Netns.requireOrSkip(Libc.isSupportedPlatform(), "needs 64-bit Linux");
        IoUring ring = IoUring.open(Libc.instance(), entries);
        Netns.requireOrSkip(ring != null, "needs io_uring (kernel 5.6 or later, kernel.io_uring_disabled 0, no seccomp filter refusing it)");
        return ring;
    }

    @Test
    void writesOfOneSubmissionArriveWholeAndInOrder() throws Exception {
        try (IoUring ring = openOrSkip(64); Arena arena = Arena.ofConfined(); NonBlockingPipe pipe = new NonBlockingPipe()) {
            int fd = pipe.writeFd();
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
            assertArrayEquals(expected, pipe.drain(expected.length, 2_000), "the frames whole, in the order prepared");
        }
    }

    /**
     * A write that would block must end in its own completion (-EAGAIN, as {@code write(2)} on an
     * O_NONBLOCK descriptor does), never be retried by the kernel after the later entries. A full
     * pipe (non-blocking writes supported, FMODE_NOWAIT, as the TAP's descriptor: tun_chr_open)
     * gets entry A, too long for the room left in its last page, and entry B, short enough to
     * join that page. Retried when the pipe drains (io_uring arms a poll for an -EAGAIN of such a
     * descriptor: io_rw_init_file, io_queue_async), A would land after B: a TCP segment overtaken
     * by the next one on the wire.
     */
    @Test
    void aWriteThatWouldBlockEndsInItsCompletionAndIsNotSentAfterLaterOnes() throws Exception {
        try (IoUring ring = openOrSkip(8); Arena arena = Arena.ofConfined(); NonBlockingPipe pipe = new NonBlockingPipe()) {
            Libc libc = Libc.instance();
            int fd = pipe.writeFd();
            MemorySegment fill = arena.allocate(4000, 8).fill((byte) 'f');
            int filled = 0;
            // Each 4000-byte write takes a page of its own (two do not fit one), until the pipe is full.
            while (filled < 1000 && libc.write(fd, fill, 4000) == 4000) {
                filled++;
            }
            MemorySegment a = arena.allocate(200, 8).fill((byte) 'A');
            MemorySegment b = arena.allocate(50, 8).fill((byte) 'B');
            ring.prepareWrite(fd, a.address(), 200, 1);
            ring.prepareWrite(fd, b.address(), 50, 2);
            // Drains the pipe a little later, so a write the kernel parked for a retry goes out then.
            byte[][] wire = new byte[1][];
            int expected = filled * 4000 + 50 + 200;
            Thread reader = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(300);
                    wire[0] = pipe.drain(expected, 1_500);
                } catch (Exception e) {
                    wire[0] = new byte[0];
                }
            });
            int completions = ring.submitAndWait();
            int[] results = new int[3];
            for (int i = 0; i < completions; i++) {
                results[(int) ring.completionTag(i)] = ring.completionResult(i);
            }
            ring.releaseCompletions();
            reader.join(5_000);
            String sent = new String(wire[0], java.nio.charset.StandardCharsets.ISO_8859_1).replace("f", "");
            assertEquals("B".repeat(50), sent, "B went out and A never did after it (pipe filled by " + filled + " writes)");
            assertEquals(2, completions, "one completion per write");
            assertEquals(50, results[2], "B joins the last page of the full pipe");
            assertEquals(-Errno.EAGAIN, results[1], "A, too long for the room left, ends with EAGAIN");
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
