package dev.spinet.harness.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MockPinTest {

    @Test
    void countsEdgesNotWrites() {
        MockPin pin = new MockPin(true);
        pin.set(true); // no change: no edge
        pin.set(false);
        pin.set(false);
        pin.set(true);
        pin.set(false);
        assertEquals(3, pin.edges());
        assertEquals(2, pin.fallingEdges());
        assertEquals(1, pin.risingEdges());
        assertFalse(pin.isHigh());
    }

    @Test
    void awaitEdgeReportsAPastEdgeOnceAndThenTimesOut() throws InterruptedException {
        MockPin pin = new MockPin(true);
        assertFalse(pin.awaitEdge(0), "no edge yet");
        pin.set(false);
        assertTrue(pin.awaitEdge(TimeUnit.SECONDS.toNanos(10)), "edge since the last call returns at once");
        long start = System.nanoTime();
        assertFalse(pin.awaitEdge(TimeUnit.MILLISECONDS.toNanos(20)), "the edge was already reported");
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(19), "waited for the timeout");
    }

    @Test
    void awaitEdgeWakesWhenAnotherThreadSetsThePin() throws Exception {
        MockPin pin = new MockPin(true);
        Thread emulator = new Thread(() -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pin.set(false);
        });
        emulator.start();
        assertTrue(pin.awaitEdge(TimeUnit.SECONDS.toNanos(10)), "woken by the emulator thread");
        emulator.join();
        assertFalse(pin.isHigh());
        assertEquals(1, pin.fallingEdges());
    }
}
