package dev.spinet.wire;

/**
 * Flyweight view of an IPv4 packet (RFC 791 section 3.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |   0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |   4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |   8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |  12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |  16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (IHL*4 - 20 octets)                |  20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  Flags: bit 0 reserved (must be 0), bit 1 DF, bit 2 MF.
 *  Fragment offset is in units of 8 octets.
 * </pre>
 *
 * <p>Addresses are {@code int}s with the first octet in the highest byte, so
 * {@code 10.0.0.1 == 0x0A000001}. The payload is {@code totalLength - headerLength} bytes;
 * anything after total length in the wrapped range is Ethernet padding and ignored.
 *
 * <p>Reusable: one instance is rewrapped for every packet; nothing is allocated.
 */
public final class Ipv4Packet {

    public static final int VERSION_IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SOURCE_OFFSET = 12;
    public static final int DESTINATION_OFFSET = 16;
    public static final int OPTIONS_OFFSET = 20;

    public static final int MIN_HEADER_LENGTH = 20;
    /** IHL is 4 bits of 32-bit words: 15 * 4. */
    public static final int MAX_HEADER_LENGTH = 60;
    public static final int MAX_TOTAL_LENGTH = 0xFFFF;

    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    /** The limited broadcast address 255.255.255.255 (RFC 919). */
    public static final int BROADCAST = 0xFFFF_FFFF;

    private static final int FLAG_RESERVED = 0x8000;
    /** The DF bit in the 16-bit flags and fragment offset field. */
    public static final int FLAG_DONT_FRAGMENT = 0x4000;
    /** The MF bit in the 16-bit flags and fragment offset field. */
    public static final int FLAG_MORE_FRAGMENTS = 0x2000;
    private static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private byte[] buffer;
    private int offset;

    /**
     * Views the packet at {@code offset}, checking, in this order (RFC 1122 3.2.1.1-3.2.1.2
     * and RFC 1812 5.2.2): the fixed header fits, version is 4, IHL is at least 5 and the header
     * fits in {@code length}, total length covers the header and fits in {@code length}, and the
     * header checksum verifies.
     *
     * @return {@link WireError#OK}, {@link WireError#TRUNCATED}, {@link WireError#BAD_VERSION},
     *         {@link WireError#BAD_HEADER_LENGTH}, {@link WireError#BAD_TOTAL_LENGTH} or
     *         {@link WireError#BAD_CHECKSUM}
     * @throws IllegalArgumentException when the range does not lie inside {@code buffer}
     */
    public WireError wrap(byte[] buffer, int offset, int length) {
        return wrap(buffer, offset, length, true);
    }

    /**
     * Views the packet as {@link #wrap(byte[], int, int)} does, checking the header checksum only
     * when {@code verifyChecksum}: false for frames from a device that verified it already
     * ({@code DeviceCapabilities.ipv4HeaderChecksumVerifiedOnReceive}).
     */
    public WireError wrap(byte[] buffer, int offset, int length, boolean verifyChecksum) {
        WireBytes.checkRange(buffer, offset, length);
        this.buffer = buffer;
        this.offset = offset;
        if (length < MIN_HEADER_LENGTH) {
            return WireError.TRUNCATED;
        }
        int versionIhl = WireBytes.u8(buffer, offset + VERSION_IHL_OFFSET);
        if ((versionIhl >>> 4) != 4) {
            return WireError.BAD_VERSION;
        }
        int headerLength = (versionIhl & 0x0F) * 4;
        if (headerLength < MIN_HEADER_LENGTH || headerLength > length) {
            return WireError.BAD_HEADER_LENGTH;
        }
        int totalLength = WireBytes.u16(buffer, offset + TOTAL_LENGTH_OFFSET);
        if (totalLength < headerLength || totalLength > length) {
            return WireError.BAD_TOTAL_LENGTH;
        }
        if (verifyChecksum && !Checksum.verifies(Checksum.sum(buffer, offset, headerLength))) {
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

    public int version() {
        return WireBytes.u8(buffer, offset + VERSION_IHL_OFFSET) >>> 4;
    }

    /** Header length in bytes (IHL * 4), 20..60. */
    public int headerLength() {
        return (WireBytes.u8(buffer, offset + VERSION_IHL_OFFSET) & 0x0F) * 4;
    }

    /** The whole type-of-service octet (DSCP and ECN). */
    public int tos() {
        return WireBytes.u8(buffer, offset + TOS_OFFSET);
    }

    public int totalLength() {
        return WireBytes.u16(buffer, offset + TOTAL_LENGTH_OFFSET);
    }

    public int identification() {
        return WireBytes.u16(buffer, offset + IDENTIFICATION_OFFSET);
    }

    /** The reserved flag bit (RFC 791: must be zero); reported so the input path can count it. */
    public boolean reservedFlag() {
        return (flagsAndFragment() & FLAG_RESERVED) != 0;
    }

    public boolean dontFragment() {
        return (flagsAndFragment() & FLAG_DONT_FRAGMENT) != 0;
    }

    public boolean moreFragments() {
        return (flagsAndFragment() & FLAG_MORE_FRAGMENTS) != 0;
    }

    /** Fragment offset in bytes (the field counts 8-octet units). */
    public int fragmentOffset() {
        return (flagsAndFragment() & FRAGMENT_OFFSET_MASK) * 8;
    }

    /** Whether this is part of a fragmented datagram: MF set or a non-zero offset. */
    public boolean isFragment() {
        return (flagsAndFragment() & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl() {
        return WireBytes.u8(buffer, offset + TTL_OFFSET);
    }

    public int protocol() {
        return WireBytes.u8(buffer, offset + PROTOCOL_OFFSET);
    }

    public int headerChecksum() {
        return WireBytes.u16(buffer, offset + CHECKSUM_OFFSET);
    }

    public int source() {
        return WireBytes.i32(buffer, offset + SOURCE_OFFSET);
    }

    public int destination() {
        return WireBytes.i32(buffer, offset + DESTINATION_OFFSET);
    }

    /** Bytes of options after the fixed 20-byte header (0..40); they start at {@link #OPTIONS_OFFSET}. */
    public int optionsLength() {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /** Absolute index of the first payload byte in {@link #buffer()}. */
    public int payloadOffset() {
        return offset + headerLength();
    }

    /** {@code totalLength - headerLength}; trailing Ethernet padding is not included. */
    public int payloadLength() {
        return totalLength() - headerLength();
    }

    private int flagsAndFragment() {
        return WireBytes.u16(buffer, offset + FLAGS_FRAGMENT_OFFSET);
    }

    /**
     * Writes a 20-byte header without options: version 4, IHL 5, TOS 0, not fragmented, and the
     * header checksum.
     *
     * @return {@link #MIN_HEADER_LENGTH}, the number of bytes written
     * @throws IllegalArgumentException when the header does not fit, or total length, TTL,
     *         protocol or identification are out of range
     */
    public static int writeHeader(byte[] buffer, int offset, int totalLength, int identification,
                                  boolean dontFragment, int ttl, int protocol, int source, int destination) {
        return writeHeader(buffer, offset, totalLength, identification, dontFragment ? FLAG_DONT_FRAGMENT : 0, ttl, protocol,
                source, destination);
    }

    /**
     * Writes a 20-byte header as {@link #writeHeader(byte[], int, int, int, boolean, int, int, int, int)}
     * does, with the whole flags and fragment offset field given: {@link #FLAG_DONT_FRAGMENT},
     * {@link #FLAG_MORE_FRAGMENTS} and the offset in 8-byte units (RFC 791 "Fragmentation").
     *
     * @throws IllegalArgumentException as the other form, or when the field has the reserved bit set
     */
    public static int writeHeader(byte[] buffer, int offset, int totalLength, int identification,
                                  int flagsAndFragmentOffset, int ttl, int protocol, int source, int destination) {
        return writeHeader(buffer, offset, totalLength, identification, flagsAndFragmentOffset, ttl, protocol, source,
                destination, true);
    }

    /**
     * Writes a 20-byte header as the other forms do; without {@code checksum} the header checksum
     * field is left 0 for a device that fills it in
     * ({@code DeviceCapabilities.ipv4HeaderChecksumOnTransmit}).
     */
    public static int writeHeader(byte[] buffer, int offset, int totalLength, int identification,
                                  int flagsAndFragmentOffset, int ttl, int protocol, int source, int destination,
                                  boolean checksum) {
        WireBytes.checkWritable(buffer, offset, MIN_HEADER_LENGTH);
        if ((flagsAndFragmentOffset & ~(FLAG_DONT_FRAGMENT | FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0) {
            throw new IllegalArgumentException("IPv4 flags and fragment offset 0x" + Integer.toHexString(flagsAndFragmentOffset)
                    + " has bits outside DF, MF and the 13-bit offset");
        }
        if (totalLength < MIN_HEADER_LENGTH || totalLength > MAX_TOTAL_LENGTH) {
            throw new IllegalArgumentException("IPv4 total length " + totalLength + " is outside 20..65535 (header plus payload)");
        }
        if ((ttl & ~0xFF) != 0 || (protocol & ~0xFF) != 0 || (identification & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("IPv4 ttl " + ttl + " and protocol " + protocol
                    + " must be 0..255, identification " + identification + " 0..65535");
        }
        WireBytes.put8(buffer, offset + VERSION_IHL_OFFSET, 0x45);
        WireBytes.put8(buffer, offset + TOS_OFFSET, 0);
        WireBytes.put16(buffer, offset + TOTAL_LENGTH_OFFSET, totalLength);
        WireBytes.put16(buffer, offset + IDENTIFICATION_OFFSET, identification);
        WireBytes.put16(buffer, offset + FLAGS_FRAGMENT_OFFSET, flagsAndFragmentOffset);
        WireBytes.put8(buffer, offset + TTL_OFFSET, ttl);
        WireBytes.put8(buffer, offset + PROTOCOL_OFFSET, protocol);
        WireBytes.put32(buffer, offset + SOURCE_OFFSET, source);
        WireBytes.put32(buffer, offset + DESTINATION_OFFSET, destination);
        if (checksum) {
            writeHeaderChecksum(buffer, offset);
        } else {
            WireBytes.put16(buffer, offset + CHECKSUM_OFFSET, 0);
        }
        return MIN_HEADER_LENGTH;
    }

    /**
     * Recomputes the header checksum of the header at {@code offset} over its IHL * 4 bytes
     * (zeroing the field first, RFC 791 "for purposes of computing the checksum, the value of the
     * checksum field is zero"). Use after editing a header in place.
     */
    public static void writeHeaderChecksum(byte[] buffer, int offset) {
        int headerLength = (WireBytes.u8(buffer, offset + VERSION_IHL_OFFSET) & 0x0F) * 4;
        WireBytes.checkWritable(buffer, offset, Math.max(headerLength, MIN_HEADER_LENGTH));
        WireBytes.put16(buffer, offset + CHECKSUM_OFFSET, 0);
        WireBytes.put16(buffer, offset + CHECKSUM_OFFSET, Checksum.compute(buffer, offset, headerLength));
    }

    /**
     * Parses dotted-quad text such as {@code 10.0.0.1} (CLI and configuration only; allocates on
     * error). Octets are plain decimal 0..255 without leading zeros, so {@code 010} is refused
     * rather than guessed at (inet_aton would read it as octal 8).
     *
     * @throws IllegalArgumentException naming the expected form
     */
    public static int parseAddress(String dotted) {
        if (dotted == null) {
            throw new IllegalArgumentException("no IPv4 address given (expected four decimal octets like 10.0.0.1)");
        }
        String text = dotted.trim();
        int value = 0;
        int octets = 0;
        int i = 0;
        while (true) {
            int start = i;
            int octet = 0;
            while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9' && i - start < 3) {
                octet = octet * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || octet > 255 || (digits > 1 && text.charAt(start) == '0')) {
                throw badAddress(dotted);
            }
            value = (value << 8) | octet;
            octets++;
            if (octets == 4) {
                if (i != text.length()) {
                    throw badAddress(dotted);
                }
                return value;
            }
            if (i >= text.length() || text.charAt(i) != '.') {
                throw badAddress(dotted);
            }
            i++;
        }
    }

    private static IllegalArgumentException badAddress(String text) {
        return new IllegalArgumentException("not an IPv4 address: '" + text
                + "' (expected four decimal octets 0..255 without leading zeros, like 10.0.0.1)");
    }

    /** {@code 10.0.0.1} style (CLI and logs only; allocates). */
    public static String formatAddress(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }
}
