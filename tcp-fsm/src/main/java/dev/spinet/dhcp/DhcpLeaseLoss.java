package dev.spinet.dhcp;

/** Why the client gave its address up. */
public enum DhcpLeaseLoss {
    /** The lease ran out while RENEWING/REBINDING got no answer (RFC 2131 4.4.5). */
    EXPIRED,
    /** A server answered a DHCPREQUEST with DHCPNAK. */
    NAK,
    /** The application called {@link DhcpClient#release}. */
    RELEASED
}
