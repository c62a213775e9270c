package dev.spinet.udp;

/**
 * What the UDP layer counts. Every datagram that reaches {@link UdpLayer#receive} ends in exactly
 * one of {@link #RX_DELIVERED} or an {@code RX_DROP_*} counter.
 */
public enum UdpCounter {
    /** Datagrams handed to the UDP layer by the interface. */
    RX_DATAGRAMS,
    /** Handed to an endpoint's handler. */
    RX_DELIVERED,
    /** Shorter than the 8-byte header, or a length field below 8 or beyond the IPv4 payload. */
    RX_DROP_BAD_LENGTH,
    /** Non-zero checksum that does not verify over the pseudo-header and datagram (RFC 768). */
    RX_DROP_BAD_CHECKSUM,
    /** No endpoint bound to the destination port. No ICMP port unreachable is sent. */
    RX_DROP_NO_LISTENER,
    /** Broadcast to a port whose endpoint did not opt in to broadcasts. */
    RX_DROP_BROADCAST_NOT_ACCEPTED,
    /** A handler threw; the datagram is counted here and the stack keeps running. */
    RX_HANDLER_ERRORS,
    /** Datagrams sent (left, or queued for ARP resolution). */
    TX_DATAGRAMS,
    /** The interface dropped a datagram we sent (no route, device busy, ARP queue full). */
    TX_DROPPED,
    /** An ICMP error about a datagram we sent, handed to the endpoint that sent it (RFC 1122 4.1.3.3). */
    ICMP_ERRORS_DELIVERED,
    /** An ICMP error whose quoted UDP header cannot be one we sent (port 0, or a length below 8). */
    ICMP_DROP_BAD_QUOTE,
    /** An ICMP error about a port no endpoint is bound to (any more). */
    ICMP_DROP_NO_ENDPOINT
}
