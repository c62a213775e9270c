package dev.spinet.wire;

import dev.spinet.hal.eth.MacAddress;

/**
 * Flyweight view of an ARP packet for IPv4 over Ethernet (RFC 826), the only kind accepted.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Hardware type (1 = Ether)   |  Protocol type (0x0800 = IP)  |   0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  HW len (6)   | Proto len (4) |  Operation (1 req, 2 reply)   |   4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Sender hardware address (octets 0..3)              |   8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Sender HW (octets 4..5)     |  Sender IP (octets 0..1)      |  12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Sender IP (octets 2..3)     |  Target HW (octets 0..1)      |  16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Target hardware address (octets 2..5)              |  20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   Target protocol address                     |  24
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The operation is not checked by {@link #wrap}: RFC 826 has the receiver merge the sender
 * before it looks at the opcode, so the input path decides what to do with unknown ones.
 *
 * <p>Reusable: one instance is rewrapped for every packet; nothing is allocated.
 */
public final class ArpPacket {

    public static final int HARDWARE_TYPE_OFFSET = 0;
    public static final int PROTOCOL_TYPE_OFFSET = 2;
    public static final int HARDWARE_LENGTH_OFFSET = 4;
    public static final int PROTOCOL_LENGTH_OFFSET = 5;
    public static final int OPERATION_OFFSET = 6;
    public static final int SENDER_MAC_OFFSET = 8;
    public static final int SENDER_IP_OFFSET = 14;
    public static final int TARGET_MAC_OFFSET = 18;
    public static final int TARGET_IP_OFFSET = 24;
    public static final int LENGTH = 28;

    public static final int HARDWARE_TYPE_ETHERNET = 1;
    public static final int PROTOCOL_TYPE_IPV4 = 0x0800;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;

    private byte[] buffer;
    private int offset;

    /**
     * Views the ARP packet at {@code offset}; bytes after the 28th (Ethernet padding) are ignored.
     *
     * @return {@link WireError#OK}; {@link WireError#TRUNCATED} below 28 bytes;
     *         {@link WireError#BAD_ARP_FORMAT} unless hardware type 1, protocol type 0x0800,
     *         hardware length 6 and protocol length 4
     * @throws IllegalArgumentException when the range does not lie inside {@code buffer}
     */
    public WireError wrap(byte[] buffer, int offset, int length) {
        WireBytes.checkRange(buffer, offset, length);
        this.buffer = buffer;
        this.offset = offset;
        if (length < LENGTH) {
            return WireError.TRUNCATED;
        }
        if (WireBytes.u16(buffer, offset + HARDWARE_TYPE_OFFSET) != HARDWARE_TYPE_ETHERNET
                || WireBytes.u16(buffer, offset + PROTOCOL_TYPE_OFFSET) != PROTOCOL_TYPE_IPV4
                || WireBytes.u8(buffer, offset + HARDWARE_LENGTH_OFFSET) != 6
                || WireBytes.u8(buffer, offset + PROTOCOL_LENGTH_OFFSET) != 4) {
            return WireError.BAD_ARP_FORMAT;
        }
        return WireError.OK;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int hardwareType() {
        return WireBytes.u16(buffer, offset + HARDWARE_TYPE_OFFSET);
    }

    public int protocolType() {
        return WireBytes.u16(buffer, offset + PROTOCOL_TYPE_OFFSET);
    }

    public int operation() {
        return WireBytes.u16(buffer, offset + OPERATION_OFFSET);
    }

    public long senderMac() {
        return MacAddress.read(buffer, offset + SENDER_MAC_OFFSET);
    }

    public int senderIp() {
        return WireBytes.i32(buffer, offset + SENDER_IP_OFFSET);
    }

    public long targetMac() {
        return MacAddress.read(buffer, offset + TARGET_MAC_OFFSET);
    }

    public int targetIp() {
        return WireBytes.i32(buffer, offset + TARGET_IP_OFFSET);
    }

    /**
     * Writes a complete 28-byte Ethernet/IPv4 ARP packet. For a request, RFC 826 leaves the
     * target hardware address unspecified; pass 0.
     *
     * @return {@link #LENGTH}, the number of bytes written
     * @throws IllegalArgumentException when the packet does not fit or the operation is not 16 bits
     */
    public static int write(byte[] buffer, int offset, int operation, long senderMac, int senderIp,
                            long targetMac, int targetIp) {
        WireBytes.checkWritable(buffer, offset, LENGTH);
        if ((operation & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("ARP operation " + operation + " is not a 16-bit value (1 request, 2 reply)");
        }
        WireBytes.put16(buffer, offset + HARDWARE_TYPE_OFFSET, HARDWARE_TYPE_ETHERNET);
        WireBytes.put16(buffer, offset + PROTOCOL_TYPE_OFFSET, PROTOCOL_TYPE_IPV4);
        WireBytes.put8(buffer, offset + HARDWARE_LENGTH_OFFSET, 6);
        WireBytes.put8(buffer, offset + PROTOCOL_LENGTH_OFFSET, 4);
        WireBytes.put16(buffer, offset + OPERATION_OFFSET, operation);
        MacAddress.write(senderMac, buffer, offset + SENDER_MAC_OFFSET);
        WireBytes.put32(buffer, offset + SENDER_IP_OFFSET, senderIp);
        MacAddress.write(targetMac, buffer, offset + TARGET_MAC_OFFSET);
        WireBytes.put32(buffer, offset + TARGET_IP_OFFSET, targetIp);
        return LENGTH;
    }
}
