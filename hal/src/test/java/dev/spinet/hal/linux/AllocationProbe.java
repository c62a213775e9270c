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

    static long bytesAllocated(int warmUp, int iterations, Body body) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            body.run();
        }
        // Calibrate: the probe itself may allocate a few bytes per call on some JVMs.
        long calibrateStart = THREADS.getCurrentThreadAllocatedBytes();
        long calibrateEnd = THREADS.getCurrentThreadAllocatedBytes();
        long overhead = calibrateEnd - calibrateStart;
        long start = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < iterations; i++) {
            body.run();
        }
        long end = THREADS.getCurrentThreadAllocatedBytes();
        return end - start - overhead;
    }
}
