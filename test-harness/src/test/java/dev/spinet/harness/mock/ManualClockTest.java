package dev.spinet.harness.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ManualClockTest {

    @Test
    void defaultStartIsNotZero() {
        assertNotEquals(0L, new ManualClock().nanoTime());
        assertEquals(ManualClock.DEFAULT_START_NANOS, new ManualClock().nanoTime());
    }

    @Test
    void advanceAddsExactly() {
        ManualClock clock = new ManualClock(5);
        clock.advance(7);
        clock.advance(0);
        assertEquals(12, clock.nanoTime());
    }

    @Test
    void advanceRejectsNegative() {
        ManualClock clock = new ManualClock(100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clock.advance(-1));
        assertTrue(e.getMessage().contains("backwards"), e.getMessage());
        assertEquals(100, clock.nanoTime());
    }

    @Test
    void setMovesForwardAndRejectsBackwards() {
        ManualClock clock = new ManualClock(100);
        clock.set(100);
        clock.set(250);
        assertEquals(250, clock.nanoTime());
        assertThrows(IllegalArgumentException.class, () -> clock.set(249));
        assertEquals(250, clock.nanoTime());
    }

    @Test
    void setIsWrapSafe() {
        ManualClock clock = new ManualClock(Long.MAX_VALUE - 10);
        clock.set(Long.MAX_VALUE + 10); // wraps to negative, but is 20 ns later
        assertEquals(Long.MIN_VALUE + 9, clock.nanoTime());
        assertThrows(IllegalArgumentException.class, () -> clock.set(Long.MAX_VALUE));
    }
}
