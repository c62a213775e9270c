package dev.spinet.dhcp;

import java.util.Arrays;

/**
 * Flyweight view of a DHCP message (RFC 2131 section 2, figure 1) and static writers for one.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+---------------+---------------+
 * |     op (1)    |   htype (1)   |   hlen (1)    |   hops (1)    |    0
 * +---------------+---------------+---------------+---------------+
 * |                            xid (4)                            |    4
 * +-------------------------------+-------------------------------+
 * |           secs (2)            |           flags (2)           |    8
 * +-------------------------------+-------------------------------+
 * |                          ciaddr  (4)                          |   12
 * +---------------------------------------------------------------+
 * |                          yiaddr  (4)                          |   16
 * +---------------------------------------------------------------+
 * |                          siaddr  (4)                          |   20
 * +---------------------------------------------------------------+
 * |                          giaddr  (4)                          |   24
 * +---------------------------------------------------------------+
 * |                          chaddr  (16)                         |   28
 * +---------------------------------------------------------------+
 * |                          sname   (64)                         |   44
 * +---------------------------------------------------------------+
 * |                          file    (128)                        |  108
 * +---------------------------------------------------------------+
 * |              magic cookie 99.130.83.99 (RFC 2132 2)           |  236
 * +---------------------------------------------------------------+
 * |                  options (variable, RFC 2132)                 |  240
 * +---------------------------------------------------------------+
 *
 *  flags: B (bit 15) = broadcast, the rest MUST be zero.
 *  option: code (1) | length (1) | value (length); pad (0) and end (255) are one byte.
 * </pre>
 *
 * <h2>What wrap checks</h2>
 * Length of the fixed part, the magic cookie, every option's length against the end of the
 * message, an end option, the lengths of the options this stack interprets (53, 50, 54, 51, 58,
 * 59, 1, 57: fixed; 3, 6: a non-empty multiple of 4), no duplicates of those, and the presence of
 * option 53. Option overload (52: options continued in sname/file) is reported by
 * {@link #hasOption} but not followed. After {@link DhcpFlaw#OK} every accessor stays inside the
 * message. Reusable: one instance is rewrapped for every message; wrap allocates nothing.
 */
public final class DhcpMessage {

    public static final int OP_OFFSET = 0;
    public static final int HTYPE_OFFSET = 1;
    public static final int HLEN_OFFSET = 2;
    public static final int HOPS_OFFSET = 3;
    public static final int XID_OFFSET = 4;
    public static final int SECS_OFFSET = 8;
    public static final int FLAGS_OFFSET = 10;
    public static final int CIADDR_OFFSET = 12;
    public static final int YIADDR_OFFSET = 16;
    public static final int SIADDR_OFFSET = 20;
    public static final int GIADDR_OFFSET = 24;
    public static final int CHADDR_OFFSET = 28;
    public static final int CHADDR_LENGTH = 16;
    public static final int SNAME_OFFSET = 44;
    public static final int FILE_OFFSET = 108;
    public static final int MAGIC_COOKIE_OFFSET = 236;
    public static final int OPTIONS_OFFSET = 240;
    /** The fixed header plus the cookie: the shortest DHCP message. */
    public static final int MIN_LENGTH = OPTIONS_OFFSET;
    /** RFC 1542 2.1: BOOTP relays may drop shorter messages, so senders pad to 300 bytes. */
    public static final int BOOTP_MIN_LENGTH = 300;

    public static final int SERVER_PORT = 67;
    public static final int CLIENT_PORT = 68;

    public static final int OP_BOOTREQUEST = 1;
    public static final int OP_BOOTREPLY = 2;
    public static final int HTYPE_ETHERNET = 1;
    public static final int HLEN_ETHERNET = 6;
    public static final int FLAG_BROADCAST = 0x8000;
    public static final int MAGIC_COOKIE = 0x6382_5363;

    // RFC 2132 9.6: DHCP message types.
    public static final int DHCPDISCOVER = 1;
    public static final int DHCPOFFER = 2;
    public static final int DHCPREQUEST = 3;
    public static final int DHCPDECLINE = 4;
    public static final int DHCPACK = 5;
    public static final int DHCPNAK = 6;
    public static final int DHCPRELEASE = 7;
    public static final int DHCPINFORM = 8;

    // RFC 2132 option codes.
    public static final int OPTION_PAD = 0;
    public static final int OPTION_SUBNET_MASK = 1;
    public static final int OPTION_ROUTER = 3;
    public static final int OPTION_DNS = 6;
    public static final int OPTION_HOSTNAME = 12;
    public static final int OPTION_REQUESTED_IP = 50;
    public static final int OPTION_LEASE_TIME = 51;
    public static final int OPTION_OVERLOAD = 52;
    public static final int OPTION_MESSAGE_TYPE = 53;
    public static final int OPTION_SERVER_ID = 54;
    public static final int OPTION_PARAMETER_REQUEST_LIST = 55;
    public static final int OPTION_MESSAGE = 56;
    public static final int OPTION_MAX_MESSAGE_SIZE = 57;
    public static final int OPTION_RENEWAL_TIME = 58;
    public static final int OPTION_REBINDING_TIME = 59;
    public static final int OPTION_CLIENT_ID = 61;
    public static final int OPTION_END = 255;

    private static final int ABSENT = -1;

    private byte[] buffer;
    private int offset;
    private int length;
    /** Per option code: index of its value in {@link #buffer} (first occurrence), or ABSENT. */
    private final int[] valueAt = new int[256];
    private final int[] valueLength = new int[256];

    /**
     * Views the DHCP message in {@code buffer[offset, offset + length)} (a UDP payload) and checks
     * it as described in the class comment.
     *
     * @throws IllegalArgumentException if the range does not lie inside {@code buffer} (a caller's bug)
     */
    public DhcpFlaw wrap(byte[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buffer.length - length) {
            throw new IllegalArgumentException("range offset=" + offset + " length=" + length
                    + " does not lie inside a buffer of " + buffer.length + " bytes");
        }
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        Arrays.fill(valueAt, ABSENT);
        if (length < MIN_LENGTH) {
            return DhcpFlaw.TRUNCATED;
        }
        if (i32(MAGIC_COOKIE_OFFSET) != MAGIC_COOKIE) {
            return DhcpFlaw.BAD_MAGIC_COOKIE;
        }
        int end = offset + length;
        int at = offset + OPTIONS_OFFSET;
        boolean ended = false;
        while (at < end) {
            int code = buffer[at] & 0xFF;
            if (code == OPTION_PAD) {
                at++;
                continue;
            }
            if (code == OPTION_END) {
                ended = true;
                break;
            }
            if (at + 1 >= end) {
                return DhcpFlaw.OPTION_OVERRUNS_MESSAGE;
            }
            int optionLength = buffer[at + 1] & 0xFF;
            int value = at + 2;
            if (optionLength > end - value) {
                return DhcpFlaw.OPTION_OVERRUNS_MESSAGE;
            }
            int expected = expectedLength(code);
            if (expected != 0) {
                if (valueAt[code] != ABSENT) {
                    return DhcpFlaw.DUPLICATE_OPTION;
                }
                boolean lengthOk = expected > 0 ? optionLength == expected
                        : optionLength >= 4 && (optionLength & 3) == 0;
                if (!lengthOk) {
                    return DhcpFlaw.BAD_OPTION_LENGTH;
                }
            }
            if (valueAt[code] == ABSENT) {
                valueAt[code] = value;
                valueLength[code] = optionLength;
            }
            at = value + optionLength;
        }
        if (!ended) {
            return DhcpFlaw.NO_END_OPTION;
        }
        if (valueAt[OPTION_MESSAGE_TYPE] == ABSENT) {
            return DhcpFlaw.NO_MESSAGE_TYPE;
        }
        return DhcpFlaw.OK;
    }

    /** Exact length of an option we interpret, -4 for "non-empty list of addresses", 0 for not checked. */
    private static int expectedLength(int code) {
        return switch (code) {
            case OPTION_MESSAGE_TYPE, OPTION_OVERLOAD -> 1;
            case OPTION_MAX_MESSAGE_SIZE -> 2;
            case OPTION_SUBNET_MASK, OPTION_REQUESTED_IP, OPTION_SERVER_ID, OPTION_LEASE_TIME,
                 OPTION_RENEWAL_TIME, OPTION_REBINDING_TIME -> 4;
            case OPTION_ROUTER, OPTION_DNS -> -4;
            default -> 0;
        };
    }

    // ---- fixed header ----

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    public int op() {
        return u8(OP_OFFSET);
    }

    public int htype() {
        return u8(HTYPE_OFFSET);
    }

    public int hlen() {
        return u8(HLEN_OFFSET);
    }

    public int hops() {
        return u8(HOPS_OFFSET);
    }

    public int xid() {
        return i32(XID_OFFSET);
    }

    public int secs() {
        return u16(SECS_OFFSET);
    }

    public int flags() {
        return u16(FLAGS_OFFSET);
    }

    public boolean broadcastFlag() {
        return (flags() & FLAG_BROADCAST) != 0;
    }

    public int ciaddr() {
        return i32(CIADDR_OFFSET);
    }

    public int yiaddr() {
        return i32(YIADDR_OFFSET);
    }

    public int siaddr() {
        return i32(SIADDR_OFFSET);
    }

    public int giaddr() {
        return i32(GIADDR_OFFSET);
    }

    /** The first six bytes of chaddr: the client's Ethernet MAC when htype 1 / hlen 6. */
    public long chaddrMac() {
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | u8(CHADDR_OFFSET + i);
        }
        return mac;
    }

    // ---- options ----

    /** Option 53, 1..8 for a well-formed message (see the DHCP* constants); other values pass through. */
    public int messageType() {
        return buffer[valueAt[OPTION_MESSAGE_TYPE]] & 0xFF;
    }

    public boolean hasOption(int code) {
        return valueAt[code & 0xFF] != ABSENT;
    }

    /** Index in {@link #buffer()} of the option's value (its first occurrence), or -1 if absent. */
    public int optionValueOffset(int code) {
        return valueAt[code & 0xFF];
    }

    /** Length of the option's value, or -1 if absent. */
    public int optionLength(int code) {
        return valueAt[code & 0xFF] == ABSENT ? ABSENT : valueLength[code & 0xFF];
    }

    /**
     * The first 4 bytes of an option as an int (an address, or an unsigned time read with
     * {@link Integer#toUnsignedLong}), or {@code absent} if the option is missing or shorter.
     */
    public int intOption(int code, int absent) {
        int at = valueAt[code & 0xFF];
        if (at == ABSENT || valueLength[code & 0xFF] < 4) {
            return absent;
        }
        return ((buffer[at] & 0xFF) << 24) | ((buffer[at + 1] & 0xFF) << 16) | ((buffer[at + 2] & 0xFF) << 8) | (buffer[at + 3] & 0xFF);
    }

    private int u8(int field) {
        return buffer[offset + field] & 0xFF;
    }

    private int u16(int field) {
        return (u8(field) << 8) | u8(field + 1);
    }

    private int i32(int field) {
        return (u16(field) << 16) | u16(field + 2);
    }

    // ---- writers ----

    /**
     * Writes the fixed header and the magic cookie, zeroing sname, file and the unused chaddr
     * bytes; hops, giaddr and siaddr are 0 unless given.
     *
     * @return the index where options start ({@code offset + 240})
     */
    public static int writeHeader(byte[] buffer, int offset, int op, int xid, int secs, int flags,
                                  int ciaddr, int yiaddr, int siaddr, long chaddrMac) {
        Arrays.fill(buffer, offset, offset + OPTIONS_OFFSET, (byte) 0);
        buffer[offset + OP_OFFSET] = (byte) op;
        buffer[offset + HTYPE_OFFSET] = HTYPE_ETHERNET;
        buffer[offset + HLEN_OFFSET] = HLEN_ETHERNET;
        put32(buffer, offset + XID_OFFSET, xid);
        put16(buffer, offset + SECS_OFFSET, secs);
        put16(buffer, offset + FLAGS_OFFSET, flags);
        put32(buffer, offset + CIADDR_OFFSET, ciaddr);
        put32(buffer, offset + YIADDR_OFFSET, yiaddr);
        put32(buffer, offset + SIADDR_OFFSET, siaddr);
        for (int i = 0; i < 6; i++) {
            buffer[offset + CHADDR_OFFSET + i] = (byte) (chaddrMac >>> (40 - 8 * i));
        }
        put32(buffer, offset + MAGIC_COOKIE_OFFSET, MAGIC_COOKIE);
        return offset + OPTIONS_OFFSET;
    }

    /** A one-byte option at {@code at}; returns the index after it. */
    public static int putByteOption(byte[] buffer, int at, int code, int value) {
        buffer[at] = (byte) code;
        buffer[at + 1] = 1;
        buffer[at + 2] = (byte) value;
        return at + 3;
    }

    /** A two-byte option at {@code at}; returns the index after it. */
    public static int putShortOption(byte[] buffer, int at, int code, int value) {
        buffer[at] = (byte) code;
        buffer[at + 1] = 2;
        put16(buffer, at + 2, value);
        return at + 4;
    }

    /** A four-byte option (address or seconds) at {@code at}; returns the index after it. */
    public static int putIntOption(byte[] buffer, int at, int code, int value) {
        buffer[at] = (byte) code;
        buffer[at + 1] = 4;
        put32(buffer, at + 2, value);
        return at + 6;
    }

    /**
     * An option carrying {@code source[from, from + count)} at {@code at}; returns the index after it.
     *
     * @throws IllegalArgumentException if {@code count} is outside 0..255
     */
    public static int putBytesOption(byte[] buffer, int at, int code, byte[] source, int from, int count) {
        if (count < 0 || count > 255) {
            throw new IllegalArgumentException("a DHCP option carries 0..255 bytes, was " + count);
        }
        buffer[at] = (byte) code;
        buffer[at + 1] = (byte) count;
        System.arraycopy(source, from, buffer, at + 2, count);
        return at + 2 + count;
    }

    /**
     * The end option at {@code at}, then pad options up to {@link #BOOTP_MIN_LENGTH} bytes from
     * {@code messageStart} (RFC 1542 2.1).
     *
     * @return the message length
     */
    public static int putEndAndPad(byte[] buffer, int messageStart, int at) {
        buffer[at++] = (byte) OPTION_END;
        int minimumEnd = messageStart + BOOTP_MIN_LENGTH;
        if (at < minimumEnd) {
            Arrays.fill(buffer, at, minimumEnd, (byte) 0);
            at = minimumEnd;
        }
        return at - messageStart;
    }

    private static void put16(byte[] buffer, int index, int value) {
        buffer[index] = (byte) (value >>> 8);
        buffer[index + 1] = (byte) value;
    }

    private static void put32(byte[] buffer, int index, int value) {
        put16(buffer, index, value >>> 16);
        put16(buffer, index + 2, value);
    }
}
