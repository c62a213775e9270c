package dev.spinet.wire;

/**
 * Flyweight view of a UDP datagram (RFC 768).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |   0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |   4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          Data ...                             |   8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  Checksum pseudo-header (not sent):
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     zero      |  Protocol 17  |          UDP Length           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The length field counts header plus data and decides where the datagram ends; bytes after
 * it in the wrapped range are ignored.
 *
 * <p>Reusable: one instance is rewrapped for every datagram; nothing is allocated.
 */
public final class UdpDatagram {

    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;
    /** The largest UDP length field (header plus data). */
    public static final int MAX_LENGTH = 0xFFFF;

    private byte[] buffer;
    private int offset;

    /**
     * Views the datagram at {@code offset} ({@code length}: the IPv4 payload length).
     *
     * @return {@link WireError#OK}; {@link WireError#TRUNCATED} below 8 bytes;
     *         {@link WireError#BAD_LENGTH} when the length field is below 8 or claims more bytes
     *         than {@code length}
     * @throws IllegalArgumentException when the range does not lie inside {@code buffer}
     */
    public WireError wrap(byte[] buffer, int offset, int length) {
        WireBytes.checkRange(buffer, offset, length);
        this.buffer = buffer;
        this.offset = offset;
        if (length < HEADER_LENGTH) {
            return WireError.TRUNCATED;
        }
        int lengthField = WireBytes.u16(buffer, offset + LENGTH_OFFSET);
        if (lengthField < HEADER_LENGTH || lengthField > length) {
            return WireError.BAD_LENGTH;
        }
        return WireError.OK;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int sourcePort() {
        return WireBytes.u16(buffer, offset + SOURCE_PORT_OFFSET);
    }

    public int destinationPort() {
        return WireBytes.u16(buffer, offset + DESTINATION_PORT_OFFSET);
    }

    /** The header's length field: header plus data, in bytes. */
    public int length() {
        return WireBytes.u16(buffer, offset + LENGTH_OFFSET);
    }

    public int checksum() {
        return WireBytes.u16(buffer, offset + CHECKSUM_OFFSET);
    }

    /** Absolute index of the first data byte in {@link #buffer()}. */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    public int payloadLength() {
        return length() - HEADER_LENGTH;
    }

    /**
     * Whether the checksum verifies for a datagram from {@code sourceIp} to {@code destinationIp}.
     * RFC 768: "An all zero transmitted checksum value means that the transmitter generated no
     * checksum", so 0 is valid; otherwise the pseudo-header plus {@link #length()} bytes must sum
     * to 0xFFFF.
     */
    public boolean checksumValid(int sourceIp, int destinationIp) {
        if (checksum() == 0) {
            return true;
        }
        int udpLength = length();
        long sum = Checksum.pseudoHeaderSum(sourceIp, destinationIp, Ipv4Packet.PROTOCOL_UDP, udpLength)
                + Checksum.sum(buffer, offset, udpLength);
        return Checksum.verifies(sum);
    }

    /**
     * Writes the header with length {@code 8 + payloadLength} and checksum 0 (none). Call
     * {@link #writeChecksum} once the data is in place to fill it in.
     *
     * @return {@link #HEADER_LENGTH}, the number of bytes written
     * @throws IllegalArgumentException when the header does not fit or a field is out of range
     */
    public static int writeHeader(byte[] buffer, int offset, int sourcePort, int destinationPort, int payloadLength) {
        WireBytes.checkWritable(buffer, offset, HEADER_LENGTH);
        if ((sourcePort & ~0xFFFF) != 0 || (destinationPort & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("UDP ports " + sourcePort + " and " + destinationPort + " must be 0..65535");
        }
        if (payloadLength < 0 || payloadLength > MAX_LENGTH - HEADER_LENGTH) {
            throw new IllegalArgumentException("UDP payload of " + payloadLength + " bytes is outside 0..65527");
        }
        WireBytes.put16(buffer, offset + SOURCE_PORT_OFFSET, sourcePort);
        WireBytes.put16(buffer, offset + DESTINATION_PORT_OFFSET, destinationPort);
        WireBytes.put16(buffer, offset + LENGTH_OFFSET, HEADER_LENGTH + payloadLength);
        WireBytes.put16(buffer, offset + CHECKSUM_OFFSET, 0);
        return HEADER_LENGTH;
    }

    /**
     * Computes and stores the checksum over the pseudo-header and the {@code udpLength}-byte
     * datagram at {@code offset}. A computed 0 is sent as 0xFFFF (RFC 768: "If the computed
     * checksum is zero, it is transmitted as all ones"), since 0 means "no checksum".
     *
     * @throws IllegalArgumentException when the datagram does not lie inside {@code buffer} or
     *         {@code udpLength} is outside 8..65535
     */
    public static void writeChecksum(byte[] buffer, int offset, int udpLength, int sourceIp, int destinationIp) {
        WireBytes.checkRange(buffer, offset, udpLength);
        if (udpLength < HEADER_LENGTH || udpLength > MAX_LENGTH) {
            throw new IllegalArgumentException("UDP length " + udpLength + " is outside 8..65535 (header plus data)");
        }
        WireBytes.put16(buffer, offset + CHECKSUM_OFFSET, 0);
        long sum = Checksum.pseudoHeaderSum(sourceIp, destinationIp, Ipv4Packet.PROTOCOL_UDP, udpLength)
                + Checksum.sum(buffer, offset, udpLength);
        int checksum = Checksum.finish(sum);
        WireBytes.put16(buffer, offset + CHECKSUM_OFFSET, checksum == 0 ? 0xFFFF : checksum);
    }

    /**
     * Stores only the pseudo-header sum ({@link Checksum#partial}) for a device that completes the
     * checksum ({@code DeviceCapabilities.transportChecksumOnTransmit}; it sends a computed 0 as
     * 0xFFFF, as Linux does).
     */
    public static void writePartialChecksum(byte[] buffer, int offset, int udpLength, int sourceIp, int destinationIp) {
        WireBytes.put16(buffer, offset + CHECKSUM_OFFSET, Checksum.partial(sourceIp, destinationIp, Ipv4Packet.PROTOCOL_UDP, udpLength));
    }
}
