package dev.spinet.wire;

import dev.spinet.hal.eth.MacAddress;

/**
 * Flyweight view of an Ethernet II frame as a {@link dev.spinet.hal.eth.FrameDevice} delivers
 * it: destination, source, EtherType, payload; no preamble and no FCS (the controller strips
 * and checks it).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             Destination MAC address (octets 0..3)             |   0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Destination (octets 4..5)    |   Source MAC (octets 0..1)    |   4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 Source MAC address (octets 2..5)              |   8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           EtherType           |  Payload (46..1500 octets,   |  12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  zero-padded to 46)  ...      |
 * </pre>
 *
 * <p>An 802.1Q tag (EtherType 0x8100) is not parsed: {@link #etherType()} reports 0x8100 and
 * the input path drops the frame. A frame shorter than 60 bytes (64 with FCS) is a runt on the
 * wire, but this view accepts anything that holds the 14-byte header; the payload's own length
 * fields decide how much of {@link #payloadLength()} is padding.
 *
 * <p>Reusable: one instance is rewrapped for every frame; nothing is allocated.
 */
public final class EthernetFrame {

    public static final int DESTINATION_OFFSET = 0;
    public static final int SOURCE_OFFSET = 6;
    public static final int ETHER_TYPE_OFFSET = 12;
    public static final int HEADER_LENGTH = 14;

    /** Minimum frame length without the 4-byte FCS (IEEE 802.3 clause 4.4.2: 64 with it). */
    public static final int MIN_FRAME_LENGTH = 60;

    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    /** An IEEE 802.1Q VLAN tag; reported as is, not parsed. */
    public static final int TYPE_VLAN = 0x8100;
    public static final int TYPE_IPV6 = 0x86DD;

    private byte[] buffer;
    private int offset;
    private int length;

    /**
     * Views {@code length} bytes of {@code buffer} from {@code offset} as a frame.
     *
     * @return {@link WireError#OK}, or {@link WireError#TRUNCATED} when shorter than the
     *         14-byte header
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
        return WireError.OK;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    /** The number of bytes wrapped: header plus payload plus any padding. */
    public int frameLength() {
        return length;
    }

    /** The destination MAC as 48 bits in a long (see {@link MacAddress}). */
    public long destination() {
        return MacAddress.read(buffer, offset + DESTINATION_OFFSET);
    }

    /** The source MAC as 48 bits in a long (see {@link MacAddress}). */
    public long source() {
        return MacAddress.read(buffer, offset + SOURCE_OFFSET);
    }

    public int etherType() {
        return WireBytes.u16(buffer, offset + ETHER_TYPE_OFFSET);
    }

    /** Absolute index of the first payload byte in {@link #buffer()}. */
    public int payloadOffset() {
        return offset + HEADER_LENGTH;
    }

    /** Payload bytes including any padding up to the 60-byte minimum frame. */
    public int payloadLength() {
        return length - HEADER_LENGTH;
    }

    /**
     * Writes the 14-byte header.
     *
     * @return {@link #HEADER_LENGTH}, the number of bytes written
     * @throws IllegalArgumentException when the header does not fit or the EtherType is not 16 bits
     */
    public static int writeHeader(byte[] buffer, int offset, long destination, long source, int etherType) {
        WireBytes.checkWritable(buffer, offset, HEADER_LENGTH);
        if ((etherType & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("EtherType " + etherType + " is not a 16-bit value (e.g. 0x0800 for IPv4)");
        }
        MacAddress.write(destination, buffer, offset + DESTINATION_OFFSET);
        MacAddress.write(source, buffer, offset + SOURCE_OFFSET);
        WireBytes.put16(buffer, offset + ETHER_TYPE_OFFSET, etherType);
        return HEADER_LENGTH;
    }

    /**
     * Zero-fills a frame of {@code frameLength} bytes up to {@link #MIN_FRAME_LENGTH} (IEEE 802.3
     * requires the pad; RFC 894 says it is zero) so that no stale buffer contents leak onto the
     * wire.
     *
     * @return the length to transmit: {@code max(frameLength, MIN_FRAME_LENGTH)}
     */
    public static int padToMinimum(byte[] buffer, int offset, int frameLength) {
        if (frameLength >= MIN_FRAME_LENGTH) {
            return frameLength;
        }
        WireBytes.checkWritable(buffer, offset, MIN_FRAME_LENGTH);
        for (int i = offset + Math.max(frameLength, 0); i < offset + MIN_FRAME_LENGTH; i++) {
            buffer[i] = 0;
        }
        return MIN_FRAME_LENGTH;
    }
}
