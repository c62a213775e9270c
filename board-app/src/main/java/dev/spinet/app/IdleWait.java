package dev.spinet.app;

/**
 * How the stack thread sleeps when a duty cycle found nothing to do: until a frame may be there,
 * it is woken, or the time is up (spurious returns allowed). Usually the device's
 * {@code awaitReceive}; on a TAP with readers that lead, a {@code TapWatch} of its own, so that a
 * frame a waiting reader takes does not wake the stack thread too (docs/applications.md
 * "Threads").
 */
@FunctionalInterface
public interface IdleWait {

    /** Sleeps at most {@code timeoutNanos}; allocation-free. */
    void awaitReceive(long timeoutNanos) throws InterruptedException;
}
