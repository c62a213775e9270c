package dev.spinet.cli;

import dev.spinet.app.BoardRunner;

/**
 * SIGINT and SIGTERM ask the board to shut down gracefully; the command then returns 0 on its
 * own. A shutdown hook covers the other ways the JVM is told to exit (SIGHUP, System.exit
 * elsewhere): it asks for the same shutdown and waits for it, bounded.
 */
final class SignalHandlers {

    private static final long HOOK_WAIT_MILLIS = 3_000;

    private static final int SIGINT = 2;

    private SignalHandlers() {
    }

    /**
     * A non-interactive shell starts background commands ({@code spinet run ... &}) with SIGINT
     * ignored (POSIX 2.11), and the JVM then refuses to handle it, so {@code kill -INT} from a
     * script would do nothing. A server is stopped with SIGINT by design here, so put the
     * default disposition back before registering (Linux/glibc {@code signal(2)}; elsewhere,
     * or if that fails, SIGTERM still works).
     */
    private static void restoreDefaultInterrupt() {
        try {
            java.lang.foreign.Linker linker = java.lang.foreign.Linker.nativeLinker();
            var signal = linker.defaultLookup().find("signal");
            if (signal.isPresent()) {
                var handle = linker.downcallHandle(signal.get(), java.lang.foreign.FunctionDescriptor.of(
                        java.lang.foreign.ValueLayout.ADDRESS, java.lang.foreign.ValueLayout.JAVA_INT,
                        java.lang.foreign.ValueLayout.ADDRESS));
                java.lang.foreign.MemorySegment ignored = (java.lang.foreign.MemorySegment) handle.invokeExact(
                        SIGINT, java.lang.foreign.MemorySegment.NULL);
                if (ignored.address() != 1) {
                    // SIG_IGN is (void*) 1; anything else was not ignored, so put it back as it was.
                    java.lang.foreign.MemorySegment unused = (java.lang.foreign.MemorySegment) handle.invokeExact(SIGINT, ignored);
                }
            }
        } catch (Throwable e) {
            // No native access or no signal(2): SIGTERM remains.
        }
    }

    static void install(BoardRunner runner) {
        restoreDefaultInterrupt();
        sun.misc.SignalHandler handler = signal -> runner.requestStop();
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), handler);
            } catch (IllegalArgumentException e) {
                // The JVM reserves this signal (e.g. -Xrs): the shutdown hook still covers it.
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.requestStop();
            try {
                runner.awaitFinished(HOOK_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "spinet-shutdown"));
    }
}
