package dev.spinet.dhcp;

/**
 * The client states of RFC 2131 figure 5 (section 4.4) that this client implements. INIT-REBOOT
 * and REBOOTING (reusing a remembered lease after a restart) are not implemented: a board that
 * restarts begins again in INIT.
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
    REBINDING
}
