package dev.spinet.testkit;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Proves that a piece of code allocates nothing on the Java heap: the check behind Spinet's
 * "the packet path allocates 0 bytes" rule.
 *
 * <p>How: run the body {@code warmupIterations} times (so the JIT compiles it and class
 * initialisation and lazy caches are done), then take {@code samples} measurements of
 * {@code measuredIterations} runs each with
 * {@link com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes()}, which counts every
 * byte this thread allocated, TLAB or not. The MINIMUM sample must be 0: a body that allocates
 * on every run can never produce a zero sample, while one-off noise (a JIT deoptimisation, a
 * lazily grown JDK cache) only spoils some samples.
 *
 * <p>Measure on the thread that runs the code, and keep the body free of captured state that
 * allocates (build the {@code Runnable} once, outside). The measuring loop itself does no boxing,
 * no varargs and no string work; messages are built only after a failure. Surefire runs tests
 * tagged {@code @Tag("allocation")} a second time with {@code -XX:-DoEscapeAnalysis}, so a pass
 * does not depend on the JIT scalar-replacing objects that escape analysis happens to catch.
 *
 * <p>On a JVM that cannot count allocated bytes, the assertion is skipped through JUnit
 * {@link Assumptions} with a message saying so.
 */
public final class AllocationAssert {

    public static final int DEFAULT_WARMUP_ITERATIONS = 20_000;
    public static final int DEFAULT_MEASURED_ITERATIONS = 2_000;
    public static final int DEFAULT_SAMPLES = 5;

    /** {@link #bytesPerIteration} when the JVM cannot measure. */
    public static final long UNSUPPORTED = -1;

    private static final com.sun.management.ThreadMXBean THREADS = threadBean();

    private AllocationAssert() {
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean
                && bean.isThreadAllocatedMemorySupported()) {
            if (!bean.isThreadAllocatedMemoryEnabled()) {
                bean.setThreadAllocatedMemoryEnabled(true);
            }
            return bean;
        }
        return null;
    }

    /** Whether this JVM can count allocated bytes per thread. */
    public static boolean supported() {
        return THREADS != null;
    }

    /** {@link #assertZeroAllocation(String, int, int, int, Runnable)} with the default counts. */
    public static void assertZeroAllocation(String what, Runnable body) {
        assertZeroAllocation(what, DEFAULT_WARMUP_ITERATIONS, DEFAULT_MEASURED_ITERATIONS, DEFAULT_SAMPLES, body);
    }

    /**
     * Asserts that {@code body} allocates 0 bytes per run after warm-up.
     *
     * @param what names the code under test in the failure message (for example "ping echo")
     * @throws AssertionError naming {@code what} and the bytes per iteration when it allocates
     * @throws org.opentest4j.TestAbortedException (a skip) when the JVM cannot measure
     */
    public static void assertZeroAllocation(String what, int warmupIterations, int measuredIterations, int samples, Runnable body) {
        checkCounts(warmupIterations, measuredIterations, samples);
        Assumptions.assumeTrue(supported(), "cannot check allocation of '" + what
                + "': this JVM does not support com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes (use HotSpot)");
        long minimum = minimumAllocatedBytes(warmupIterations, measuredIterations, samples, body);
        if (minimum != 0) {
            Assertions.fail(what + " allocated " + perIteration(minimum, measuredIterations) + " bytes per iteration ("
                    + minimum + " bytes in " + measuredIterations + " iterations, the least of " + samples
                    + " samples after " + warmupIterations + " warm-up iterations" + escapeAnalysisNote()
                    + "). Allocation-free code: no new, boxing, iterators, capturing lambdas, varargs or string building.");
        }
    }

    /** {@link #bytesPerIteration(int, int, int, Runnable)} with the default counts. */
    public static long bytesPerIteration(Runnable body) {
        return bytesPerIteration(DEFAULT_WARMUP_ITERATIONS, DEFAULT_MEASURED_ITERATIONS, DEFAULT_SAMPLES, body);
    }

    /**
     * Bytes {@code body} allocates per run after warm-up, from the least of {@code samples}
     * measurements, rounded up (so any allocation at all reports at least 1); for reports, not
     * for pass/fail (use {@link #assertZeroAllocation}). {@link #UNSUPPORTED} if the JVM cannot
     * measure.
     */
    public static long bytesPerIteration(int warmupIterations, int measuredIterations, int samples, Runnable body) {
        checkCounts(warmupIterations, measuredIterations, samples);
        if (!supported()) {
            return UNSUPPORTED;
        }
        return perIteration(minimumAllocatedBytes(warmupIterations, measuredIterations, samples, body), measuredIterations);
    }

    private static long minimumAllocatedBytes(int warmupIterations, int measuredIterations, int samples, Runnable body) {
        com.sun.management.ThreadMXBean threads = THREADS;
        for (int i = 0; i < warmupIterations; i++) {
            body.run();
        }
        long minimum = Long.MAX_VALUE;
        for (int sample = 0; sample < samples; sample++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < measuredIterations; i++) {
                body.run();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (allocated < minimum) {
                minimum = allocated;
            }
        }
        return minimum;
    }

    private static long perIteration(long total, int iterations) {
        return (total + iterations - 1) / iterations;
    }

    private static void checkCounts(int warmupIterations, int measuredIterations, int samples) {
        if (warmupIterations < 0 || measuredIterations < 1 || samples < 1) {
            throw new IllegalArgumentException("need warmupIterations >= 0, measuredIterations >= 1 and samples >= 1; got "
                    + warmupIterations + ", " + measuredIterations + ", " + samples);
        }
    }

    private static String escapeAnalysisNote() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:-DoEscapeAnalysis")
                ? ", escape analysis off" : "";
    }
}
