package dev.spinet.dhcp;

/**
 * The client states of RFC 2131 figure 5 (section 4.4). A client starts in INIT, or in
 * INIT_REBOOT when the application gives it the address it had before a restart
 * ({@link DhcpClient#rebootWith}).
 */
public enum DhcpState {
    /** No address; about to broadcast a DHCPDISCOVER (or halted after {@link DhcpClient#release}). */
    INIT,
    /** DHCPDISCOVER sent; waiting for a DHCPOFFER (the first acceptable one is taken). */
    SELECTING,
    /** DHCPREQUEST broadcast for the offered address; waiting for DHCPACK or DHCPNAK. */
    REQUESTING,
    /** Address configured on the interface until T1. */
    BOUND,
    /** T1 passed: DHCPREQUEST unicast to the leasing server until T2. */
    RENEWING,
    /** T2 passed: DHCPREQUEST broadcast to any server until the lease expires. */
    REBINDING,
    /** About to broadcast a DHCPREQUEST for the address held before a restart (RFC 2131 3.2). */
    INIT_REBOOT,
    /** That DHCPREQUEST is out; DHCPACK binds, DHCPNAK or no answer falls back to INIT. */
    REBOOTING
}
