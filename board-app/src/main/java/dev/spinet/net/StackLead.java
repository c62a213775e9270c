package dev.spinet.net;

import java.util.function.BooleanSupplier;

/**
 * Lets an application thread that waits for data run the stack's duty cycle itself while it
 * waits (leader/follower): it waits on the device, not on a park, so the frame that brings its
 * data wakes it directly and the data lands in its own socket's ring on its own thread. Without
 * it the frame wakes the stack thread, which then hands the data over: for a virtual thread
 * through the waker thread and the scheduler's carrier, two more thread wake-ups in every
 * request/reply round trip, which on a small machine cost more than the rest of the round trip
 * (docs/applications.md "Where a round trip's time goes"). One thread leads at a time; the host
 * keeps the duty cycle single-threaded (the same turn as {@link StackTurn}) and bounds the wait,
 * so a virtual thread holds its carrier (a native {@code poll(2)} pins it) only that long.
 */
public interface StackLead {

    /**
     * System property: how long, in microseconds, a reader leads before it parks as usual
     * ({@link #DEFAULT_LEAD_MICROS} unless set; 0 turns leading off, for measurements).
     */
    String PROPERTY = "spinet.sockets.leadMicros";
    /** Long enough for the next request of a request/reply exchange, short enough to lend a carrier. */
    long DEFAULT_LEAD_MICROS = 2_000;

    /** {@link #PROPERTY}'s value in nanoseconds. */
    static long leadNanos() {
        return Math.max(0, Long.getLong(PROPERTY, DEFAULT_LEAD_MICROS)) * 1_000;
    }

    /** The caller was not let lead (another thread leads, or the host cannot let it). */
    int NOT_LED = 0;
    /** The caller led until {@code until} held or the time was up. */
    int LED = 1;
    /** As {@link #LED}, and a timer the caller's cycles armed falls due before the stack thread wakes: wake it. */
    int LED_WAKE_STACK = 2;

    /** Never lets the caller lead: it parks, and the stack thread hands its data over. */
    StackLead NONE = new StackLead() {
        @Override
        public int lead(long maxNanos, BooleanSupplier until) {
            return NOT_LED;
        }

        @Override
        public void wakeLeader() {
        }
    };

    /**
     * Waits on the device and runs duty cycles on the calling thread until {@code until} holds or
     * {@code maxNanos} passed.
     *
     * @return {@link #NOT_LED}, {@link #LED} or {@link #LED_WAKE_STACK}
     */
    int lead(long maxNanos, BooleanSupplier until);

    /**
     * Ends the leader's current (or next) wait on the device at once: another thread (the stack
     * thread) delivered what the leader waits for, after the leader last looked, so no frame is
     * left to wake it. Any thread; allocation-free.
     */
    void wakeLeader();
}
