package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.Netns;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The eventfd that lets another thread end the stack thread's idle wait: a signal makes the
 * descriptor readable until drained, a signal given before the wait is not lost, and a TAP's
 * {@code awaitReceive} returns at once when its eventfd is signalled instead of sleeping out its
 * timeout (the TAP is opened in the host namespace, where it stays down and silent, so no frame
 * can end the wait instead).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventFdWakeTest {

    @Test
    void aSignalStaysUntilDrained() {
        Netns.requireOrSkip(Libc.isSupportedPlatform(), "needs 64-bit Linux");
        Libc libc = Libc.instance();
        try (EventFd wake = EventFd.open(); Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(PollFd.SIZE, 8);
            PollFd.set(fds, 0, wake.fd(), PollFd.POLLIN);
            assertEquals(0, libc.poll(fds, 1, 0), "a fresh eventfd is not readable");
            wake.signal();
            wake.signal();
            PollFd.set(fds, 0, wake.fd(), PollFd.POLLIN);
            assertEquals(1, libc.poll(fds, 1, 0), "signalled: readable");
            wake.drain();
            PollFd.set(fds, 0, wake.fd(), PollFd.POLLIN);
            assertEquals(0, libc.poll(fds, 1, 0), "drained: not readable, however many signals came");
            wake.drain(); // nothing pending: EAGAIN, ignored
        }
    }

    @Test
    void aSignalEndsATapWaitEarly() throws Exception {
        Netns.requireOrSkip(Libc.isSupportedPlatform(), "needs 64-bit Linux");
        Netns.requireOrSkip(Netns.isRoot(), "needs root (opens a TAP)");
        Netns.requireOrSkip(Files.exists(Path.of(TapDevice.TUN_PATH)), "needs " + TapDevice.TUN_PATH);
        String name = "spwake" + (ProcessHandle.current().pid() % 1_000_000L);
        try (TapDevice tap = TapDevice.open(name, TapDevice.DEFAULT_MAC); EventFd wake = EventFd.open()) {
            tap.wakeOn(wake);
            long timeout = TimeUnit.SECONDS.toNanos(20);

            // Signalled before the wait: the wait returns at once.
            wake.signal();
            long start = System.nanoTime();
            tap.awaitReceive(timeout);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "a signal given before the wait ends it");

            // Signalled during the wait, from another thread.
            Thread signaller = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
                wake.signal();
            });
            start = System.nanoTime();
            tap.awaitReceive(timeout);
            long waited = System.nanoTime() - start;
            signaller.join();
            assertTrue(waited < TimeUnit.SECONDS.toNanos(5), "the wait ended when signalled, after " + waited / 1_000_000 + " ms");
        }
    }
}
