package dev.spinet.dhcp;

/**
 * What a {@link DhcpClient} reports, on the stack thread, from inside its poll or receive.
 * Every method has an empty default so an application implements only what it needs (the CLI
 * prints {@code spinet ready ip=...} from {@link #onLeaseAcquired}). Addresses are IPv4
 * addresses in an int, first octet highest; 0 means "none". Must not block or throw.
 */
public interface DhcpListener {

    /** Every state change, including INIT to SELECTING at start. */
    default void onStateChanged(DhcpState from, DhcpState to, long nowNanos) {
    }

    /**
     * A lease was obtained from REQUESTING and the interface is now configured with it.
     *
     * @param leaseSeconds the lease time (option 51); 0xFFFFFFFF (infinite) is reported as -1
     */
    default void onLeaseAcquired(int address, int prefixLength, int router, int dnsServer, long leaseSeconds, long nowNanos) {
    }

    /** A RENEWING or REBINDING request was acknowledged; the arguments are the new lease's. */
    default void onLeaseRenewed(int address, int prefixLength, int router, int dnsServer, long leaseSeconds, long nowNanos) {
    }

    /** The interface no longer has {@code address} (it was unconfigured). */
    default void onLeaseLost(int address, DhcpLeaseLoss reason, long nowNanos) {
    }
}
