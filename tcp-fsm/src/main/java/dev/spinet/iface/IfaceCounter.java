package dev.spinet.iface;

/**
 * What the interface counts: every frame or datagram dropped has exactly one reason here, so
 * nothing is lost silently. Read them through {@link Interface#counters()}.
 */
public enum IfaceCounter {
    // ---- link layer ----
    RX_FRAMES,
    RX_BYTES,
    /** The device had a frame longer than our frame buffer; it was discarded whole. */
    RX_FRAME_TOO_LONG,
    /** Shorter than an Ethernet header. */
    RX_RUNT,
    /** Unicast to another MAC, or multicast we have not joined. */
    RX_NOT_FOR_US,
    /** EtherType other than IPv4 and ARP (IPv6, VLAN tags, LLDP, ...). */
    RX_UNKNOWN_ETHERTYPE,
    TX_FRAMES,
    TX_BYTES,
    /** The device refused a frame (transmit buffer full or link down). */
    TX_DEVICE_BUSY,

    // ---- ARP (RFC 826) ----
    ARP_RX_TRUNCATED,
    /** Not Ethernet/IPv4 ARP: wrong hardware/protocol type or address lengths. */
    ARP_RX_BAD_FORMAT,
    ARP_RX_BAD_OPERATION,
    /** Sender hardware address multicast/broadcast or sender IP unusable: never cached. */
    ARP_RX_BOGUS_SENDER,
    ARP_RX_REQUESTS,
    ARP_RX_REPLIES,
    /** Another host claims our address (RFC 5227 conflict); we keep it and count. */
    ARP_ADDRESS_CONFLICT,
    ARP_TX_REQUESTS,
    ARP_TX_REPLIES,
    /** RFC 5227 announcements sent when the address changes at run time (DHCP). */
    ARP_TX_ANNOUNCEMENTS,
    /** A resolved entry was evicted to make room (least recently used). */
    ARP_CACHE_EVICTIONS,
    /** No reply after all requests: frames waiting on the address were dropped. */
    ARP_RESOLUTION_FAILED,
    ARP_PENDING_QUEUED,
    ARP_PENDING_SENT,
    /** A frame could not wait for resolution: the pending queue was full. */
    ARP_PENDING_FULL,
    /** A frame waited for an address that never resolved. */
    ARP_PENDING_DROPPED,

    // ---- IPv4 (RFC 791, RFC 1122 3.2.1) ----
    IP_RX_PACKETS,
    IP_RX_TRUNCATED,
    IP_RX_BAD_VERSION,
    IP_RX_BAD_HEADER_LENGTH,
    IP_RX_BAD_TOTAL_LENGTH,
    IP_RX_BAD_CHECKSUM,
    /** Destination is neither our address nor a broadcast address. */
    IP_RX_NOT_FOR_US,
    /** Source is broadcast, multicast, loopback or ours (RFC 1122 3.2.1.3: silently discard). */
    IP_RX_BAD_SOURCE,
    /** Fragments received (every one; the IP_REASM_* counters say what became of them). */
    IP_RX_FRAGMENTS,
    /** Header carried options; accepted (RFC 1122 3.2.1.8 allows ignoring them), counted. */
    IP_RX_WITH_OPTIONS,
    IP_RX_UNKNOWN_PROTOCOL,
    IP_TX_PACKETS,
    IP_TX_NO_ROUTE,
    IP_TX_TOO_LONG,
    /** TCP segments longer than the MTU handed to a device that segments them (TSO). */
    IP_TX_SEGMENTED,
    /** Such segments dropped because the next hop's MAC was not known: ARP was asked, TCP retransmits. */
    IP_TX_SEGMENTED_UNRESOLVED,
    /** Fragments sent (each also counts in IP_TX_PACKETS). */
    IP_TX_FRAGMENTS,
    /** Datagrams sent as fragments because one frame could not carry them. */
    IP_TX_FRAGMENTED_DATAGRAMS,

    // ---- IPv4 reassembly (RFC 791, RFC 815, RFC 5722's overlap rule) ----
    /** Datagrams rebuilt and delivered. */
    IP_REASM_COMPLETED,
    /** Reassembly is configured off (ipReassembly slots 0): the fragment was dropped. */
    IP_REASM_DROP_DISABLED,
    /** Empty, or not the last fragment and not a multiple of 8 data bytes (RFC 791). */
    IP_REASM_DROP_BAD_FRAGMENT,
    /** Offset plus length beyond 65535 bytes of datagram (the "ping of death"); its datagram is abandoned. */
    IP_REASM_DROP_OVERSIZE,
    /** Beyond the slot's capacity (ipReassembly bytes); its datagram is abandoned. */
    IP_REASM_DROP_TOO_BIG,
    /** A last fragment that disagrees with the length other fragments implied; its datagram is abandoned. */
    IP_REASM_DROP_INCONSISTENT,
    /** Overlaps data already held with other bytes or other bounds (RFC 5722): its datagram is abandoned. */
    IP_REASM_DROP_OVERLAP,
    /** A fragment of a datagram already abandoned, dropped until that datagram's timeout. */
    IP_REASM_DROP_ABANDONED,
    /** An exact copy (same place, same bytes) of a fragment already held: dropped alone. */
    IP_REASM_DUPLICATES,
    /** Datagrams abandoned (overlap, oversize, too big, inconsistent): every fragment held was dropped. */
    IP_REASM_ABANDONED,
    /** Every slot was busy: the datagram that started first was dropped to make room. */
    IP_REASM_EVICTED,
    /** Datagrams whose missing fragments did not arrive within the timeout. */
    IP_REASM_TIMEOUTS,

    // ---- ICMP (RFC 792, RFC 1122 3.2.2) ----
    ICMP_RX_TRUNCATED,
    ICMP_RX_BAD_CHECKSUM,
    ICMP_RX_ECHO_REQUESTS,
    ICMP_RX_ECHO_REPLIES,
    /** Echo requests to a broadcast address: RFC 1122 3.2.2.6 lets us ignore them (no smurf). */
    ICMP_RX_ECHO_BROADCAST_IGNORED,
    ICMP_RX_OTHER,
    /**
     * Errors about a datagram we sent (RFC 792 destination unreachable, source quench, time
     * exceeded, parameter problem) whose quote was handed to the transport that sent it.
     */
    ICMP_RX_ERRORS,
    /**
     * Errors whose quote is no datagram of ours: shorter than an IPv4 header plus the 8 octets RFC
     * 792 requires, not IPv4, another source address, or a later fragment (no transport header).
     */
    ICMP_RX_ERROR_BAD_QUOTE,
    /** Errors quoting a protocol no transport here handles. */
    ICMP_RX_ERROR_NO_TRANSPORT,
    /** Errors sent to a broadcast address (no router sends one there, RFC 1812 4.3.2.7). */
    ICMP_RX_ERROR_BROADCAST,
    ICMP_TX_ECHO_REPLIES,
    ICMP_TX_ECHO_REQUESTS,
    ICMP_ECHO_RATE_LIMITED,
    ICMP_TX_PROTOCOL_UNREACHABLE,
    /** RFC 792 time exceeded, code 1: a datagram whose first fragment arrived timed out in reassembly. */
    ICMP_TX_TIME_EXCEEDED,

    /** A defect: an exception was caught in the input path and the frame dropped. Should stay 0. */
    INTERNAL_ERRORS
}
