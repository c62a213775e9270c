package dev.spinet.wire;

/**
 * Flyweight view of an ICMPv4 message (RFC 792).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |   0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |   4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data (echo) / original IP header + 8 octets (errors) ...  |   8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Octets 4..7 are identifier and sequence for echo (types 0 and 8); for other types they
 * are the "rest of header" ({@link #restOfHeader()}: unused for destination unreachable and
 * time exceeded, next-hop MTU in the low 16 bits for code 4 "fragmentation needed",
 * RFC 1191). The checksum covers the whole message, header and data.
 *
 * <p>Reusable: one instance is rewrapped for every message; nothing is allocated.
 */
public final class IcmpPacket {

    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    public static final int REST_OF_HEADER_OFFSET = 4;
    public static final int HEADER_LENGTH = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DEST_UNREACHABLE = 3;
    /** Deprecated by RFC 6633; still received from old routers and ignored. */
    public static final int TYPE_SOURCE_QUENCH = 4;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;

    /** Destination unreachable codes (RFC 792, RFC 1122 3.2.2.1). */
    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    public static final int CODE_FRAGMENTATION_NEEDED = 4;
    public static final int CODE_SOURCE_ROUTE_FAILED = 5;
    /** RFC 1812 5.2.7.1: "Communication Administratively Prohibited". */
    public static final int CODE_ADMINISTRATIVELY_PROHIBITED = 13;

    private byte[] buffer;
    private int offset;
    private int length;

    /**
     * Views the {@code length}-byte message at {@code offset} ({@code length} is the IPv4 payload
     * length, not including Ethernet padding, because the checksum covers exactly the message).
     *
     * @return {@link WireError#OK}; {@link WireError#TRUNCATED} below 8 bytes;
     *         {@link WireError#BAD_CHECKSUM} if the checksum over all {@code length} bytes does
     *         not verify (RFC 792 / RFC 1122 3.2.2: silently discard)
     * @throws IllegalArgumentException when the range does not lie inside {@code buffer}
     */
    public WireError wrap(byte[] buffer, int offset, int length) {
        WireBytes.checkRange(buffer, offset, length);
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        if (length < HEADER_LENGTH) {
            return WireError.TRUNCATED;
        }
        if (!Checksum.verifies(Checksum.sum(buffer, offset, length))) {
            return WireError.BAD_CHECKSUM;
        }
        return WireError.OK;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    /** The number of bytes wrapped: header plus data. */
    public int messageLength() {
        return length;
    }

    public int type() {
        return WireBytes.u8(buffer, offset + TYPE_OFFSET);
    }

    public int code() {
        return WireBytes.u8(buffer, offset + CODE_OFFSET);
    }

    public int checksum() {
        return WireBytes.u16(buffer, offset + CHECKSUM_OFFSET);
    }

    /** Echo identifier (types 0 and 8). */
    public int identifier() {
        return WireBytes.u16(buffer, offset + IDENTIFIER_OFFSET);
    }

    /** Echo sequence number (types 0 and 8). */
    public int sequence() {
        return WireBytes.u16(buffer, offset + SEQUENCE_OFFSET);
    }

    /** Octets 4..7 as one value, for types other than echo. */
    public int restOfHeader() {
        return WireBytes.i32(buffer, offset + REST_OF_HEADER_OFFSET);
    }

    /** Absolute index of the first data byte in {@link #buffer()}. */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    /**
     * Writes an echo header (type, code 0, checksum 0, identifier, sequence). Put the data after
     * it, then call {@link #writeChecksum}.
     *
     * @throws IllegalArgumentException when the header does not fit or a field is out of range
     */
    public static void writeEcho(byte[] buffer, int offset, int type, int identifier, int sequence) {
        if ((identifier & ~0xFFFF) != 0 || (sequence & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("ICMP echo identifier " + identifier + " and sequence " + sequence
                    + " must be 0..65535");
        }
        writeHeader(buffer, offset, type, 0, (identifier << 16) | sequence);
    }

    /**
     * Writes a header with any type and code and octets 4..7 (for errors: 0, or the next-hop MTU
     * for "fragmentation needed"), checksum 0. Call {@link #writeChecksum} once the data is in place.
     *
     * @throws IllegalArgumentException when the header does not fit or type/code are not 0..255
     */
    public static void writeHeader(byte[] buffer, int offset, int type, int code, int restOfHeader) {
        WireBytes.checkWritable(buffer, offset, HEADER_LENGTH);
        if ((type & ~0xFF) != 0 || (code & ~0xFF) != 0) {
            throw new IllegalArgumentException("ICMP type " + type + " and code " + code + " must be 0..255");
        }
        WireBytes.put8(buffer, offset + TYPE_OFFSET, type);
        WireBytes.put8(buffer, offset + CODE_OFFSET, code);
        WireBytes.put16(buffer, offset + CHECKSUM_OFFSET, 0);
        WireBytes.put32(buffer, offset + REST_OF_HEADER_OFFSET, restOfHeader);
    }

    /**
     * Zeroes the checksum field, computes the checksum over the {@code length}-byte message at
     * {@code offset} and stores it.
     *
     * @throws IllegalArgumentException when the message does not lie inside {@code buffer} or is
     *         shorter than the header
     */
    public static void writeChecksum(byte[] buffer, int offset, int length) {
        WireBytes.checkRange(buffer, offset, length);
        if (length < HEADER_LENGTH) {
            throw new IllegalArgumentException("ICMP message of " + length + " bytes is shorter than its 8-byte header");
        }
        WireBytes.put16(buffer, offset + CHECKSUM_OFFSET, 0);
        WireBytes.put16(buffer, offset + CHECKSUM_OFFSET, Checksum.compute(buffer, offset, length));
    }
}
