package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TapWatch}, a second thread's wait on a TAP beside the stack thread's: it ends when its
 * time is up with nothing to read, at once when its bell rang (before or during the wait, from
 * another thread), without touching the device's own wake-up, and at once after the device
 * closed. The TAP is opened in the host namespace, where it stays down and silent, so no frame
 * can end a wait instead.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TapWatchTest {

    @Test
    void theBellEndsTheWaitAndTimeEndsItOtherwise() throws Exception {
        Netns.requireOrSkip(Libc.isSupportedPlatform(), "needs 64-bit Linux");
        Netns.requireOrSkip(Netns.isRoot(), "needs root (opens a TAP)");
        Netns.requireOrSkip(Files.exists(Path.of(TapDevice.TUN_PATH)), "needs " + TapDevice.TUN_PATH);
        String name = "spwatch" + (ProcessHandle.current().pid() % 1_000_000L);
        TapWatch watch;
        try (TapDevice tap = TapDevice.open(name, TapDevice.DEFAULT_MAC); EventFd stackWake = EventFd.open()) {
            tap.wakeOn(stackWake);
            watch = tap.newWatch();

            // Nothing to read, no bell: the wait lasts its time.
            long start = System.nanoTime();
            assertFalse(watch.await(TimeUnit.MILLISECONDS.toNanos(30)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30), "waited its 30 ms");

            // Rung before the wait: it returns at once, and the bell is drained by it.
            watch.ring();
            start = System.nanoTime();
            assertTrue(watch.await(TimeUnit.SECONDS.toNanos(20)));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "a ring before the wait ends it");
            assertFalse(watch.await(0), "the ring was used up");

            // Rung during the wait, from another thread; the stack thread's wake-up is not it.
            stackWake.signal();
            Thread ringer = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(30); // inside the one poll(2) of at most POLL_SLICE_MILLIS
                } catch (InterruptedException e) {
                    return;
                }
                watch.ring();
            });
            start = System.nanoTime();
            assertTrue(watch.await(TimeUnit.SECONDS.toNanos(20)));
            long waited = System.nanoTime() - start;
            ringer.join();
            assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(20) && waited < TimeUnit.SECONDS.toNanos(5),
                    "ended by the ring, not by the stack thread's eventfd, after " + waited / 1_000_000 + " ms");
        }
        long start = System.nanoTime();
        assertFalse(watch.await(TimeUnit.SECONDS.toNanos(20)), "the device is closed");
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "returns at once after the close");
    }
}
