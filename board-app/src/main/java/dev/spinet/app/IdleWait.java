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

    /**
     * Sleeps at most {@code timeoutNanos}; allocation-free.
     *
     * @return true when the wait ended because a frame or a wake-up may be there; false when the
     *     time was up, or when the device does not say (then the caller judges by the clock)
     */
    boolean awaitReceive(long timeoutNanos) throws InterruptedException;

    /** The device's {@code awaitReceive}, which does not say why it returned. */
    static IdleWait of(dev.spinet.hal.eth.FrameDevice device) {
        return timeoutNanos -> {
            device.awaitReceive(timeoutNanos);
            return false;
        };
    }
}
