package dev.spinet.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("allocation")
class AllocationAssertTest {

    /** Escapes every array, so even escape analysis cannot remove the allocation. */
    static volatile Object sink;
    static long counter;

    @Test
    void aLoopThatAllocatesArraysFails() {
        Runnable allocating = () -> sink = new byte[64];
        AssertionError failure = assertThrows(AssertionError.class,
                () -> AllocationAssert.assertZeroAllocation("array loop", 1_000, 1_000, 3, allocating));
        String message = failure.getMessage();
        assertTrue(message.startsWith("array loop allocated "), message);
        assertTrue(message.contains("bytes per iteration"), message);
    }

    @Test
    void aPlainArithmeticLoopPasses() {
        Runnable arithmetic = () -> counter = counter * 31 + 7;
        AllocationAssert.assertZeroAllocation("arithmetic", arithmetic);
        assertTrue(counter != 0, "the body ran");
    }

    @Test
    void anEmptyBodyMeasuresZeroSoTheMeasurementItselfDoesNotAllocate() {
        Runnable empty = () -> { };
        assertEquals(0, AllocationAssert.bytesPerIteration(empty));
    }

    @Test
    void bytesPerIterationReportsAtLeastTheArraySize() {
        Assumptions.assumeTrue(AllocationAssert.supported(), "JVM cannot count allocated bytes");
        Runnable allocating = () -> sink = new long[16];
        long bytes = AllocationAssert.bytesPerIteration(1_000, 1_000, 3, allocating);
        assertTrue(bytes >= 16 * 8 && bytes <= 16 * 8 + 32, "new long[16] took " + bytes + " bytes (128 of data plus a header)");
    }

    @Test
    void badCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> AllocationAssert.assertZeroAllocation("x", 0, 0, 1, () -> { }));
        assertThrows(IllegalArgumentException.class, () -> AllocationAssert.bytesPerIteration(0, 1, 0, () -> { }));
    }
}
