package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real C library binding, on files every Linux system has. */
class LibcTest {

    private static Libc libc;

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(Libc.isSupportedPlatform(), "Libc binding needs 64-bit Linux");
        libc = Libc.instance();
    }

    @Test
    void missingFileIsMinusEnoentWithStrerrorText() {
        assertEquals(-Errno.ENOENT, libc.open("/nonexistent/spinet", OpenFlags.O_RDONLY));
        assertEquals("No such file or directory", libc.strerror(Errno.ENOENT));
        assertEquals("ENOENT (No such file or directory)", Errno.describe(libc, Errno.ENOENT));
    }

    @Test
    void readWritePollAndIoctlReachTheKernel() {
        int zero = libc.open("/dev/zero", OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC);
        int nul = libc.open("/dev/null", OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC);
        assertTrue(zero >= 0 && nul >= 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(64);
            buffer.fill((byte) 7);
            assertEquals(64, libc.read(zero, buffer, 64));
            assertEquals(0, buffer.get(ValueLayout.JAVA_BYTE, 63));
            assertEquals(64, libc.write(nul, buffer, 64));

            MemorySegment fds = arena.allocate(PollFd.SIZE);
            PollFd.set(fds, 0, zero, PollFd.POLLIN);
            assertEquals(1, libc.poll(fds, 1, 0));
            assertEquals(PollFd.POLLIN, PollFd.revents(fds, 0) & PollFd.POLLIN);

            // A spidev ioctl on /dev/null: the kernel says "not a typewriter", errno captured.
            assertEquals(-Errno.ENOTTY, libc.ioctl(nul, SpiIocTransfer.SPI_IOC_WR_MODE, buffer));
            assertEquals(-Errno.EBADF, libc.read(-1, buffer, 1));
        } finally {
            assertEquals(0, libc.close(zero));
            assertEquals(0, libc.close(nul));
        }
        assertEquals(-Errno.EBADF, libc.close(nul));
    }

    @Test
    void errnoIsRightOnVirtualThreadsToo() throws Exception {
        int[] results = new int[2];
        Thread thread = Thread.ofVirtual().start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment buffer = arena.allocate(64);
                int nul = libc.open("/dev/null", OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC);
                Thread.yield();
                results[0] = libc.ioctl(nul, SpiIocTransfer.SPI_IOC_MESSAGE_1, buffer);
                libc.close(nul);
                results[1] = (int) libc.write(-1, buffer, 1);
            }
        });
        thread.join();
        assertEquals(-Errno.ENOTTY, results[0]);
        assertEquals(-Errno.EBADF, results[1]);
    }
}
