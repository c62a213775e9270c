package dev.spinet.iface;

/**
 * The promise between {@code poll} and {@code nextDeadline} that lets a stack thread sleep: a
 * deadline at or before {@code now} says that {@code poll(now)} has work. A board that reports
 * such a deadline and then does nothing when polled at it makes the stack thread's wait
 * ({@code nextDeadline(now) - now}) zero or negative, so the thread runs empty duty cycles
 * back to back (the stack thread spins). Everything in the harness that drives time (the simulator,
 * the scripted peer, the two-layer link) checks this after every idle poll, so any test that
 * reaches such a state fails instead of having the harness step over it. On a running board the
 * stack thread counts the same condition instead of throwing (board-app's {@code StackAgent},
 * docs/design.md "The duty cycle").
 */
public final class DeadlineInvariant {

    private DeadlineInvariant() {
    }

    /**
     * Fails when a board that did no work when polled at {@code now} still reports a deadline at or
     * before {@code now}.
     *
     * @param board    named in the failure
     * @param now      the time of the poll that did no work
     * @param deadline what the board's {@code nextDeadline(now)} returned after that poll
     * @throws IllegalStateException when {@code deadline <= now} (wrap-safe)
     */
    public static void requireFutureDeadlineWhenIdle(Object board, long now, long deadline) {
        if (deadline - now <= 0) {
            throw new IllegalStateException(board + " did no work when polled at t=" + now
                    + " ns, yet reports its next deadline at t=" + deadline + " ns (" + (now - deadline)
                    + " ns ago): its poll and nextDeadline disagree, and a stack thread waiting for that"
                    + " deadline would run empty duty cycles back to back");
        }
    }
}
