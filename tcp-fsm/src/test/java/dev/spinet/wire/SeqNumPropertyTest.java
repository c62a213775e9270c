package dev.spinet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Sequence-number comparisons checked against plain long arithmetic on the "unwrapped" number
 * line, with starting points concentrated around both wraps: 0xFFFFFFFF -> 0 (unsigned) and
 * 0x7FFFFFFF -> 0x80000000 (signed).
 */
class SeqNumPropertyTest {

    private static final long MODULUS = 1L << 32;
    private static final long HALF = 1L << 31;

    @Provide
    Arbitrary<Integer> seq() {
        return Arbitraries.oneOf(
                Arbitraries.of(0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 5, 5 + Integer.MIN_VALUE),
                Arbitraries.integers(),
                Arbitraries.integers().between(-1000, 1000),
                Arbitraries.integers().between(Integer.MAX_VALUE - 1000, Integer.MAX_VALUE),
                Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MIN_VALUE + 1000));
    }

    /** Forward distances 1 .. 2^31 - 1: every distance for which "a before a + d" is defined. */
    @Provide
    Arbitrary<Long> forward() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(1, HALF - 1),
                Arbitraries.longs().between(1, 70_000),
                Arbitraries.longs().between(HALF - 70_000, HALF - 1));
    }

    @Property
    void a_is_before_a_plus_d_across_the_wrap(@ForAll("seq") int a, @ForAll("forward") long d) {
        int b = (int) (a + d); // wraps modulo 2^32 as TCP does

        assertTrue(SeqNum.lt(a, b));
        assertTrue(SeqNum.le(a, b));
        assertFalse(SeqNum.gt(a, b));
        assertFalse(SeqNum.ge(a, b));
        assertTrue(SeqNum.gt(b, a));
        assertTrue(SeqNum.ge(b, a));
        assertFalse(SeqNum.lt(b, a));
        assertEquals(d, SeqNum.diff(a, b));
        assertEquals(b, SeqNum.max(a, b));
        assertEquals(b, SeqNum.max(b, a));
        assertEquals(a, SeqNum.min(a, b));
        assertEquals(a, SeqNum.min(b, a));
    }

    @Property
    void comparisons_are_antisymmetric_and_consistent(@ForAll("seq") int a, @ForAll("seq") int b) {
        assertEquals(SeqNum.lt(a, b), SeqNum.gt(b, a), "lt(a, b) mirrors gt(b, a)");
        assertEquals(SeqNum.le(a, b), SeqNum.ge(b, a), "le(a, b) mirrors ge(b, a)");
        assertEquals(SeqNum.le(a, b), SeqNum.lt(a, b) || a == b);
        assertEquals(SeqNum.ge(a, b), SeqNum.gt(a, b) || a == b);
        assertFalse(SeqNum.lt(a, a));
        if (a != b && b - a != Integer.MIN_VALUE) {
            assertTrue(SeqNum.lt(a, b) ^ SeqNum.lt(b, a), "exactly one of a < b, b < a");
        }
    }

    @Example
    void numbers_exactly_half_the_space_apart_are_the_documented_ambiguity() {
        // 2^31 apart, a - b and b - a are both Integer.MIN_VALUE: each reads as "before" the other.
        // TCP never compares numbers that far apart (windows are < 2^30 with scaling, RFC 7323 2.3).
        int a = 5;
        int b = a + Integer.MIN_VALUE;
        assertTrue(SeqNum.lt(a, b));
        assertTrue(SeqNum.lt(b, a));
        // ... but gt and ge still mirror lt and le exactly there (found by the property above).
        assertTrue(SeqNum.gt(b, a));
        assertTrue(SeqNum.gt(a, b));
        assertTrue(SeqNum.ge(a, b));
    }

    @Property
    void in_window_matches_long_arithmetic(@ForAll("seq") int low, @ForAll("windowSize") long size, @ForAll("offsetFromLow") long k) {
        int high = (int) (low + size);
        int x = (int) (low + k);
        long position = Math.floorMod(k, MODULUS); // where x lies, counting forward from low

        assertEquals(position < size, SeqNum.inWindow(x, low, high), "low=" + low + " size=" + size + " k=" + k);
        assertEquals(position <= size, SeqNum.between(low, x, high), "low=" + low + " size=" + size + " k=" + k);
    }

    @Property
    void empty_window_holds_nothing_and_between_holds_only_its_end(@ForAll("seq") int low, @ForAll("seq") int x) {
        assertFalse(SeqNum.inWindow(x, low, low));
        assertEquals(x == low, SeqNum.between(low, x, low));
    }

    @Property
    void window_edges(@ForAll("seq") int low, @ForAll("forward") long size) {
        int high = (int) (low + size);
        assertTrue(SeqNum.inWindow(low, low, high), "low edge is inside");
        assertTrue(SeqNum.inWindow(high - 1, low, high), "last number is inside");
        assertFalse(SeqNum.inWindow(high, low, high), "high edge is outside");
        assertFalse(SeqNum.inWindow(low - 1, low, high), "one before low is outside");
        assertTrue(SeqNum.between(low, high, high));
        assertFalse(SeqNum.between(low, high + 1, high));
    }

    @Provide
    Arbitrary<Long> windowSize() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(0, HALF - 1),
                Arbitraries.longs().between(0, 70_000));
    }

    /** Offsets of x from low, either side, including far outside and a full turn away. */
    @Provide
    Arbitrary<Long> offsetFromLow() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-MODULUS, 2 * MODULUS),
                Arbitraries.longs().between(-70_000, 70_000));
    }
}
