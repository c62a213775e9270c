package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.spinet.testkit.Netns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A reader's and the stack thread's waits on a TAP allocate nothing: {@link TapWatch#await}
 * (an {@code epoll_wait} ended by the bell, which it drains, and one that times out at once),
 * {@link TapWatch#ring}, {@link TapWatch#frameWaiting} and the stack thread's
 * {@link TapWatch#awaitReceive}, through the real C library. The TAP is opened in the host
 * namespace, where it stays down and silent.
 */
@Tag("allocation")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TapWatchAllocationTest {

    private static final int WARM_UP = 50_000;
    private static final int ITERATIONS = 20_000;

    @Test
    void waitsRingsAndPeeksAllocateNothing() throws Exception {
        Netns.requireOrSkip(Libc.isSupportedPlatform(), "needs 64-bit Linux");
        Netns.requireOrSkip(Netns.isRoot(), "needs root (opens a TAP)");
        Netns.requireOrSkip(Files.exists(Path.of(TapDevice.TUN_PATH)), "needs " + TapDevice.TUN_PATH);
        String name = "spwa" + (ProcessHandle.current().pid() % 1_000_000L);
        try (TapDevice tap = TapDevice.open(name, TapDevice.DEFAULT_MAC); EventFd stackWake = EventFd.open()) {
            tap.wakeOn(stackWake);
            TapWatch reader = tap.newWatch();
            TapWatch stack = tap.newIdleWatch();
            long bytes = AllocationProbe.bytesAllocated(WARM_UP, ITERATIONS, () -> {
                reader.ring();
                if (!reader.await(0)) {
                    throw new AssertionError("the bell ends the wait");
                }
                if (reader.await(0) || reader.frameWaiting()) {
                    throw new AssertionError("nothing left: the bell was drained, no frame came");
                }
                stackWake.signal();
                if (!stack.awaitReceive(0)) {
                    throw new AssertionError("the stack thread's eventfd ends its wait");
                }
            });
            assertEquals(0, bytes, "bytes allocated over " + ITERATIONS + " rounds");
            assertFalse(stack.await(0), "drained");
        }
    }
}
