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

    /**
     * System property: how long, in microseconds, a reader that just took a bulk read's bytes
     * keeps the stack thread off the device ({@link #lease}; {@link #DEFAULT_LEASE_MICROS} unless
     * set; 0 turns leases off, for measurements).
     */
    String LEASE_PROPERTY = "spinet.sockets.leaseMicros";
    /**
     * Many times what a reader needs to copy a 64 KiB read out and come back for the next one,
     * and short beside the stack's timers: a reader that does not come back delays the frames
     * that arrive meanwhile by at most this. The stack thread looks again when a lease it sleeps
     * through runs out, so a longer lease also means fewer of its wake-ups during a bulk upload
     * (per 100 MB about 1,200 to 1,700 without leases, 1,000 to 1,500 with 100 µs, 500 to 600
     * with 300 µs; docs/applications.md "Bulk transfers through the rings").
     */
    long DEFAULT_LEASE_MICROS = 300;

    /** {@link #LEASE_PROPERTY}'s value in nanoseconds. */
    static long leaseNanos() {
        return Math.max(0, Long.getLong(LEASE_PROPERTY, DEFAULT_LEASE_MICROS)) * 1_000;
    }

    /**
     * System property: how long, in microseconds, the leader of a bulk transfer (a writer whose
     * outbound ring is full, a reader in a run of bulk reads, until a short read after a wait or a
     * park ends it) looks for its next frame
     * before it sleeps on the device ({@link #DEFAULT_BULK_SPIN_MICROS} unless set; 0 turns it off).
     */
    String BULK_SPIN_PROPERTY = "spinet.sockets.bulkSpinMicros";
    /**
     * Longer than a bulk transfer's next frame takes on a TAP (its ACK or segment turns around in
     * 40 to 70 µs), and what a sleep costs there: on a virtual machine a woken thread waited 30
     * to 40 µs on average before it ran (docs/applications.md "Bulk transfers through the rings").
     */
    long DEFAULT_BULK_SPIN_MICROS = 60;

    /** {@link #BULK_SPIN_PROPERTY}'s value in nanoseconds. */
    static long bulkSpinNanos() {
        return Math.max(0, Long.getLong(BULK_SPIN_PROPERTY, DEFAULT_BULK_SPIN_MICROS)) * 1_000;
    }

    /**
     * {@link #lead}, for a leader in a bulk transfer ({@code bulk}): the host may look for the
     * next frame a while before it sleeps ({@link #BULK_SPIN_PROPERTY}). The default ignores it.
     */
    default int lead(long maxNanos, BooleanSupplier until, boolean bulk) {
        return lead(maxNanos, until);
    }

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
     * The caller just returned a bulk read's bytes, or queued a bulk write's, and will most likely
     * read or write again at once: for {@link #leaseNanos()} from now the stack thread sleeps off
     * the device, so frames that arrive meanwhile wait for the caller's next read or write (which
     * leads, or runs a cycle, on the caller's thread) instead of waking the stack thread to find
     * the turn held or its work already done.
     * Any application thread; allocation-free. The default does nothing (no host that lets
     * readers lead).
     */
    default void lease() {
    }

    /** Whether {@link #lease} keeps the stack thread off the device on this host (the default: no). */
    default boolean leases() {
        return false;
    }

    /**
     * Ends a lease at once ({@link #lease}): a reader or writer is about to park, so nobody will come for
     * the frames soon and the stack thread must wait on the device again. Any application
     * thread; allocation-free; nothing to do when no lease lasts.
     */
    default void endLease() {
    }

    /**
     * Ends the leader's current (or next) wait on the device at once: another thread (the stack
     * thread) delivered what the leader waits for, after the leader last looked, so no frame is
     * left to wake it. Any thread; allocation-free.
     */
    void wakeLeader();

    /**
     * Runs one duty cycle on the calling thread, which holds a lease ({@link #lease}) and will be
     * back at once; what the cycle leaves on the device waits for the caller's next cycle, or for
     * the stack thread, which looks whenever it wakes during the lease. Any application thread;
     * allocation-free.
     *
     * @return false when it ran none or the stack thread must look (another thread holds the
     *     turn, a timer falls due before the stack thread's idle wait ends); the default runs none
     */
    default boolean cycleForLease() {
        return false;
    }
}
