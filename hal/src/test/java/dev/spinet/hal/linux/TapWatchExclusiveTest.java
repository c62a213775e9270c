package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The two watches on a TAP with sockets: a reader's ({@link TapDevice#newWatch}) and the stack
 * thread's ({@link TapDevice#newIdleWatch}), made in that order. A frame the kernel queues
 * wakes the reader's watch alone while its thread waits, and the stack thread's when no reader
 * waits (so no frame waits unseen); {@link TapWatch#frameWaiting} tells whether one is queued.
 * The frames are UDP datagrams sent from inside a namespace of the test's own to a neighbour
 * with a static entry, so each send is exactly one frame and nothing else is sent (IPv6 off).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TapWatchExclusiveTest {

    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(20);

    @Test
    void aFrameWakesTheWaitingReaderAloneAndTheStackThreadWhenNoReaderWaits() throws Exception {
        Netns.requireOrSkip(Libc.isSupportedPlatform(), "needs 64-bit Linux");
        Netns.requireOrSkip(Files.exists(Path.of(TapDevice.TUN_PATH)), "needs " + TapDevice.TUN_PATH);
        String name = "spwx" + (ProcessHandle.current().pid() % 1_000_000L);
        try (Netns netns = Netns.create("watchx", "bash");
             TapDevice tap = TapDevice.open(name, TapDevice.DEFAULT_MAC);
             EventFd stackWake = EventFd.open()) {
            tap.wakeOn(stackWake);
            TapWatch reader = tap.newWatch();
            TapWatch stack = tap.newIdleWatch();
            netns.execOk(10, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            netns.adoptLink(name, "10.87.0.1/24");
            netns.execOk(10, "ip", "neigh", "replace", "10.87.0.2", "lladdr", "02:00:00:00:87:02", "dev", name);
            drain(tap);
            assertFalse(reader.frameWaiting(), "nothing queued yet");

            // Both wait: the frame wakes the reader, made first; the stack thread sleeps on.
            CompletableFuture<Boolean> readerWoke = CompletableFuture.supplyAsync(() -> awaitLong(reader), Thread::startVirtualThread);
            CompletableFuture<Boolean> stackWoke = CompletableFuture.supplyAsync(() -> awaitLong(stack), Thread::startVirtualThread);
            Thread.sleep(300); // both inside epoll_wait by now
            sendOneFrame(netns);
            assertTrue(readerWoke.get(5, TimeUnit.SECONDS), "the reader woke for the frame");
            assertThrows(stackWoke, "the stack thread slept on while the reader took the frame");
            assertTrue(reader.frameWaiting(), "the frame is still queued: nobody read it");
            stackWake.signal(); // the leader leaving with the frame unread wakes it this way
            assertTrue(stackWoke.get(5, TimeUnit.SECONDS), "the stack thread's bell ends its wait");
            assertEquals(1, drain(tap), "one frame");
            assertFalse(reader.frameWaiting(), "read");

            // Only the stack thread waits: the frame wakes it.
            stackWoke = CompletableFuture.supplyAsync(() -> awaitLong(stack), Thread::startVirtualThread);
            Thread.sleep(300);
            sendOneFrame(netns);
            assertTrue(stackWoke.get(5, TimeUnit.SECONDS), "with no reader waiting, the frame wakes the stack thread");
            assertEquals(1, drain(tap));

            // A frame queued while neither waits is noted by both: each wait then ends at once.
            sendOneFrame(netns);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!reader.frameWaiting() && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            long start = System.nanoTime();
            assertTrue(awaitLong(stack));
            assertTrue(awaitLong(reader));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "both returned at once");
            assertEquals(1, drain(tap));
        }
    }

    private static void assertThrows(CompletableFuture<Boolean> stillWaiting, String message) throws Exception {
        try {
            Boolean woke = stillWaiting.get(500, TimeUnit.MILLISECONDS);
            throw new AssertionError(message + ": it returned " + woke);
        } catch (TimeoutException expected) {
            // still in its wait
        }
    }

    /** Waits on {@code watch} (one wait is at most a poll slice) until it reports something or 20 s passed. */
    private static boolean awaitLong(TapWatch watch) {
        long deadline = System.nanoTime() + LONG_WAIT;
        while (System.nanoTime() - deadline < 0) {
            if (watch.await(deadline - System.nanoTime())) {
                return true;
            }
        }
        return false;
    }

    private static void sendOneFrame(Netns netns) throws Exception {
        netns.execOk(10, "bash", "-c", "echo x > /dev/udp/10.87.0.2/9");
    }

    /** Reads what is queued; returns how many frames. */
    private static int drain(TapDevice tap) {
        byte[] buffer = new byte[65_600];
        int frames = 0;
        while (tap.receive(buffer, 0, buffer.length) > 0) {
            frames++;
        }
        return frames;
    }
}
