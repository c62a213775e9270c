package dev.spinet.hal.linux;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated by the current thread while running a body many times after warm-up (the hal
 * module cannot use the harness's AllocationAssert: the harness depends on hal).
 */
final class AllocationProbe {

    interface Body {
        void run() throws Exception;
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationProbe() {
    }

    /** Samples taken; the smallest counts (as in the harness's AllocationAssert). */
    private static final int SAMPLES = 5;

    /**
     * The fewest bytes allocated over {@code iterations} runs, across several samples after the
     * warm-up. A steady state that allocates shows in every sample; a one-off (a class loaded, a
     * call site linked, a JIT deoptimisation landing in one sample) does not, so it cannot make
     * the test flaky.
     */
    static long bytesAllocated(int warmUp, int iterations, Body body) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            body.run();
        }
        // Calibrate: the probe itself may allocate a few bytes per call on some JVMs.
        long calibrateStart = THREADS.getCurrentThreadAllocatedBytes();
        long calibrateEnd = THREADS.getCurrentThreadAllocatedBytes();
        long overhead = calibrateEnd - calibrateStart;
        long fewest = Long.MAX_VALUE;
        for (int sample = 0; sample < SAMPLES; sample++) {
            long start = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < iterations; i++) {
                body.run();
            }
            long end = THREADS.getCurrentThreadAllocatedBytes();
            fewest = Math.min(fewest, end - start - overhead);
        }
        return fewest;
    }
}
