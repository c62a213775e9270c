package dev.spinet.app;

/**
 * What the stack thread's wake-ups achieved ({@link StackAgent#counters()}): the duty cycle's
 * promise ({@code dev.spinet.iface.DeadlineInvariant}: a deadline at or before {@code now} means
 * {@code poll(now)} has work) counted on a running board instead of thrown by the harness, plus
 * why each idle wait ended and whether the cycle after it found anything to do. A board that
 * keeps its promise shows {@link #EMPTY_AT_DUE_DEADLINE} and {@link #EMPTY_WAKEUPS_AT_DEADLINE}
 * at 0; an idle one wakes about {@code 1 s / StackAgent.IDLE_CAP_NANOS} times a second
 * ({@link #WAKEUPS_AT_CAP}) plus once per timer. Counted in a preallocated {@code long[]} under
 * the duty cycle's turn, so counting allocates nothing.
 */
public enum StackThreadCounter {
    /** Duty cycles run by the stack thread. */
    CYCLES,
    /**
     * A stack-thread cycle that did no work and left its next deadline at or before {@code now}:
     * the thread goes round again at once, without waiting.
     */
    AT_DUE_DEADLINE,
    /**
     * ... and that next cycle found no work either: the due deadline promised work that was not
     * there, and the thread spins for as long as the deadline stays.
     */
    EMPTY_AT_DUE_DEADLINE,
    /** The idle gate (the sockets' command queue, a spin window) said not to wait. */
    IDLE_GATE_REFUSED,
    /** ... and the cycle after it did no work. */
    EMPTY_AFTER_GATE_REFUSED,
    /** A wait that ran until the stack's next deadline. */
    WAKEUPS_AT_DEADLINE,
    /** ... and the cycle after it did no work: the deadline promised work that was not there. */
    EMPTY_WAKEUPS_AT_DEADLINE,
    /** A wait that ran to {@link StackAgent#IDLE_CAP_NANOS} because no deadline came sooner. */
    WAKEUPS_AT_CAP,
    /** ... and the cycle after it did no work (expected: the cap is there for a stop request). */
    EMPTY_WAKEUPS_AT_CAP,
    /**
     * A wait that ended before its timeout (a frame, an application thread's wake-up, a spurious
     * return), or that the device says a frame or a wake-up ended, however late the thread ran.
     */
    WAKEUPS_EARLY,
    /** ... and the cycle after it did no work: nothing was there to wake for. */
    EMPTY_WAKEUPS_EARLY,
    /** A wait during which an application thread ran cycles ({@link StackAgent#runCycleHere}). */
    WAKEUPS_OVERTAKEN,
    /** ... and the cycle after it did no work (the application thread did what the wait was for). */
    EMPTY_WAKEUPS_OVERTAKEN,
    /** Duty cycles an application thread ran while the stack thread idled. */
    TURN_CYCLES,
    /** Turns that left work to the stack thread (the application thread then wakes it). */
    TURNS_LEFT_TO_STACK_THREAD,
    /**
     * Sleeps of the stack thread in a park instead of on the device because a reader held a lease
     * ({@link StackAgent#lease}): each ended when the lease lapsed, was renewed or a wake-up came.
     */
    LEASE_SLEEPS
}
