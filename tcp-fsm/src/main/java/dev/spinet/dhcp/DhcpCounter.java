package dev.spinet.dhcp;

/**
 * What the DHCP client counts. Each received message ends either in a state change or in one of
 * the {@code RX_} drop counters.
 */
public enum DhcpCounter {
    TX_DISCOVER,
    TX_REQUEST,
    TX_RELEASE,
    /** Sends that repeated an unanswered message (part of the TX_ counts above). */
    TX_RETRANSMISSIONS,
    /** The interface refused a message (no route, device busy); the retransmission timer retries. */
    TX_FAILED,

    /** Every datagram to port 68. Each ends in exactly one of RX_OFFER, RX_ACK, RX_NAK or an RX_DROP_ counter. */
    RX_MESSAGES,
    /** Offers taken (SELECTING to REQUESTING). */
    RX_OFFER,
    /** Acks accepted (the client is then BOUND). */
    RX_ACK,
    /** Naks accepted (the client then restarts). */
    RX_NAK,

    // ---- malformed: one per DhcpFlaw ----
    RX_DROP_TRUNCATED,
    RX_DROP_BAD_MAGIC_COOKIE,
    RX_DROP_OPTION_OVERRUNS_MESSAGE,
    RX_DROP_NO_END_OPTION,
    RX_DROP_BAD_OPTION_LENGTH,
    RX_DROP_DUPLICATE_OPTION,
    RX_DROP_NO_MESSAGE_TYPE,

    // ---- well-formed but not acceptable ----
    /** Not sent from the server port 67. */
    RX_DROP_WRONG_SOURCE_PORT,
    /** op is not BOOTREPLY. */
    RX_DROP_NOT_BOOTREPLY,
    /** htype/hlen/chaddr are not this client's Ethernet address (a reply to another client). */
    RX_DROP_OTHER_CLIENT,
    /** xid is not the current transaction's. */
    RX_DROP_WRONG_XID,
    /** A message type this state does not expect (a late offer, a duplicate ack). */
    RX_DROP_UNEXPECTED_TYPE,
    /** From a server other than the one selected / leasing. */
    RX_DROP_OTHER_SERVER,
    /** An offer or ack whose yiaddr is not a usable unicast address, or an offer without server id. */
    RX_DROP_BAD_ADDRESS,
    /** An ack without lease time (RFC 2131 table 3: MUST be present). */
    RX_DROP_NO_LEASE_TIME,
    /** A subnet mask whose one bits are not contiguous. */
    RX_DROP_BAD_SUBNET_MASK,

    // ---- lease events ----
    LEASES_ACQUIRED,
    LEASES_RENEWED,
    LEASES_REBOUND,
    LEASES_EXPIRED,
    LEASES_LOST_NAK,
    /** REQUESTING gave up after its retransmissions and restarted at INIT (RFC 2131 3.1.5). */
    REQUEST_TIMEOUTS
}
