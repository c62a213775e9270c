package dev.spinet.net;

/**
 * Lets an application thread run the stack's duty cycle itself, once, while the stack thread
 * idles: the request it just queued (a write above all) is then served and its segment sent
 * without waking the stack thread first, which on a small, busy machine is a thread hand-over
 * of tens of microseconds in every request/reply round trip (docs/applications.md, "Threads").
 * The host makes sure only one thread runs the duty cycle at a time (a flag the stack thread
 * holds except while it idles), that the stack thread's idle wait ends early enough for the
 * timers the cycle armed, and that the idle wait itself touches nothing a cycle uses (a TAP's
 * {@code poll(2)} does not; a chip driver's idle wait does SPI work, so a host on a chip gives
 * {@link #NONE}).
 */
@FunctionalInterface
public interface StackTurn {

    /**
     * System property: {@code false} makes {@code Spinet.start} and {@code spinet run} wake the
     * stack thread for every request instead (for measurements; default true).
     */
    String PROPERTY = "spinet.sockets.cyclesOnApplicationThreads";

    /** Whether {@link #PROPERTY} leaves application threads running cycles (the default). */
    static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"));
    }

    /** Never runs the cycle on the caller: the stack thread is woken for every request. */
    StackTurn NONE = () -> false;

    /**
     * Runs the duty cycle on the calling thread if nobody else runs it now.
     *
     * @return true when it ran and nothing is left for the stack thread to do before its idle
     *     wait ends; false when the caller must wake the stack thread ({@link StackWakeup})
     */
    boolean runHere();
}
