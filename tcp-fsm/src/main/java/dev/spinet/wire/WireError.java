package dev.spinet.wire;

/**
 * Why a view refused to wrap a packet. {@code wrap} methods return {@link #OK} or one of these;
 * once a view returned OK, none of its accessors can read outside the packet. The input path
 * turns each into a drop counter.
 */
public enum WireError {
    OK,
    /** Shorter than the fixed header. */
    TRUNCATED,
    /** IPv4 version field is not 4. */
    BAD_VERSION,
    /** IPv4 IHL below 5 or past the end of the buffer. */
    BAD_HEADER_LENGTH,
    /** IPv4 total length below the header length or greater than the bytes received. */
    BAD_TOTAL_LENGTH,
    /** A checksum did not verify. */
    BAD_CHECKSUM,
    /** A UDP length, ICMP size or similar length field is inconsistent with the packet. */
    BAD_LENGTH,
    /** TCP data offset below 5 or past the end of the segment. */
    BAD_DATA_OFFSET,
    /** A TCP option with length 0 or 1, running past the header, or with a wrong fixed length. */
    BAD_OPTION,
    /** ARP for something other than Ethernet/IPv4 (htype 1, ptype 0x0800, hlen 6, plen 4). */
    BAD_ARP_FORMAT,
    /** A field holds a value the protocol forbids (e.g. an MSS of 0). */
    BAD_FIELD
}
