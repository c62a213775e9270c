package dev.spinet.dns;

/**
 * A DNS message (RFC 1035 4.1) read in place, and the one message this resolver writes: a
 * standard query with one question.
 *
 * <pre>
 *   header (12 octets): ID | QR Opcode AA TC RD RA Z RCODE | QDCOUNT | ANCOUNT | NSCOUNT | ARCOUNT
 *   question:           QNAME QTYPE QCLASS
 *   resource record:    NAME TYPE CLASS TTL RDLENGTH RDATA
 * </pre>
 *
 * <p>Names are kept in wire form (length-prefixed labels ending with the root's 0), at most 255
 * octets. Reading one follows compression pointers (RFC 1035 4.1.4) with every bound checked: a
 * pointer must point before the labels it ends, so a chain of pointers can only go backwards and
 * ends (no loop, however crafted); every label and pointer must lie inside the message; the
 * decompressed name must fit 255 octets. A reader returns the position after what it read, or a
 * negative {@link DnsFlaw#code()}; nothing throws and nothing is allocated. Positions are
 * relative to the message's first octet (the ID), as compression pointers are.
 */
public final class DnsMessage {

    public static final int HEADER_LENGTH = 12;
    public static final int PORT = 53;
    /** RFC 1035 4.2.1: "Messages carried by UDP are restricted to 512 bytes". */
    public static final int MAX_UDP_LENGTH = 512;
    /** RFC 1035 2.3.4: names are 255 octets or less, labels 63 octets or less. */
    public static final int MAX_NAME_LENGTH = 255;
    public static final int MAX_LABEL_LENGTH = 63;

    public static final int TYPE_A = 1;
    public static final int TYPE_CNAME = 5;
    public static final int TYPE_SOA = 6;
    public static final int CLASS_IN = 1;

    public static final int RCODE_NO_ERROR = 0;
    public static final int RCODE_FORMAT_ERROR = 1;
    public static final int RCODE_SERVER_FAILURE = 2;
    public static final int RCODE_NAME_ERROR = 3;
    public static final int RCODE_NOT_IMPLEMENTED = 4;
    public static final int RCODE_REFUSED = 5;

    private static final int FLAG_QR = 0x8000;
    private static final int OPCODE_MASK = 0x7800;
    private static final int FLAG_TC = 0x0200;
    private static final int FLAG_RD = 0x0100;
    private static final int RCODE_MASK = 0x000F;
    private static final int POINTER = 0xC0;

    private byte[] buffer;
    private int start;
    private int length;

    private int nameLength;
    private int recordType;
    private int recordClass;
    private long recordTtl;
    private int rdataOffset;
    private int rdataLength;

    /**
     * Views {@code buffer[offset, offset + length)}.
     *
     * @return 0, or {@link DnsFlaw#TRUNCATED_HEADER}'s code when the header does not fit
     */
    public int wrap(byte[] buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buffer.length - length) {
            throw new IllegalArgumentException("range offset=" + offset + " length=" + length
                    + " does not lie inside a buffer of " + buffer.length + " bytes");
        }
        this.buffer = buffer;
        this.start = offset;
        this.length = length;
        return length < HEADER_LENGTH ? DnsFlaw.TRUNCATED_HEADER.code() : 0;
    }

    public int length() {
        return length;
    }

    // ---- header ----

    public int id() {
        return u16(0);
    }

    public boolean isResponse() {
        return (u16(2) & FLAG_QR) != 0;
    }

    /** 0 is a standard query (RFC 1035 4.1.1). */
    public int opcode() {
        return (u16(2) & OPCODE_MASK) >>> 11;
    }

    /** TC: "this message was truncated due to length greater than that permitted on the transmission channel". */
    public boolean truncated() {
        return (u16(2) & FLAG_TC) != 0;
    }

    public int rcode() {
        return u16(2) & RCODE_MASK;
    }

    public int questionCount() {
        return u16(4);
    }

    public int answerCount() {
        return u16(6);
    }

    public int authorityCount() {
        return u16(8);
    }

    // ---- names ----

    /**
     * Reads the (possibly compressed) name at {@code position} into {@code out} in uncompressed
     * wire form; {@link #nameLength()} is its length afterwards.
     *
     * @param out at least {@link #MAX_NAME_LENGTH} bytes
     * @return the position after the name where it started (after its first pointer, if any), or a flaw code
     */
    public int readName(int position, byte[] out) {
        int written = 0;
        int after = -1;
        int at = position;
        // The labels being read started here; a pointer must point below it (RFC 1035 4.1.4).
        int sequenceStart = position;
        while (true) {
            if (at >= length) {
                return DnsFlaw.NAME_PAST_END.code();
            }
            int label = u8(at);
            if ((label & POINTER) == POINTER) {
                if (at + 1 >= length) {
                    return DnsFlaw.NAME_PAST_END.code();
                }
                int target = (label & 0x3F) << 8 | u8(at + 1);
                if (target >= sequenceStart) {
                    return DnsFlaw.POINTER_LOOP.code();
                }
                if (after < 0) {
                    after = at + 2;
                }
                at = target;
                sequenceStart = target;
                continue;
            }
            if ((label & POINTER) != 0) {
                return DnsFlaw.BAD_LABEL_TYPE.code();
            }
            if (label == 0) {
                if (written + 1 > MAX_NAME_LENGTH) {
                    return DnsFlaw.NAME_TOO_LONG.code();
                }
                out[written++] = 0;
                nameLength = written;
                return after < 0 ? at + 1 : after;
            }
            if (at + 1 + label > length) {
                return DnsFlaw.NAME_PAST_END.code();
            }
            if (written + 1 + label + 1 > MAX_NAME_LENGTH) {
                return DnsFlaw.NAME_TOO_LONG.code();
            }
            out[written++] = (byte) label;
            System.arraycopy(buffer, start + at + 1, out, written, label);
            written += label;
            at += 1 + label;
        }
    }

    /** The length of the name the last {@link #readName} read, root label included. */
    public int nameLength() {
        return nameLength;
    }

    /** Skips the name at {@code position} without following pointers; returns the position after it or a flaw code. */
    public int skipName(int position) {
        int at = position;
        int octets = 0;
        while (true) {
            if (at >= length) {
                return DnsFlaw.NAME_PAST_END.code();
            }
            int label = u8(at);
            if ((label & POINTER) == POINTER) {
                return at + 2 <= length ? at + 2 : DnsFlaw.NAME_PAST_END.code();
            }
            if ((label & POINTER) != 0) {
                return DnsFlaw.BAD_LABEL_TYPE.code();
            }
            octets += 1 + label;
            if (octets > MAX_NAME_LENGTH) {
                return DnsFlaw.NAME_TOO_LONG.code();
            }
            if (label == 0) {
                return at + 1;
            }
            at += 1 + label;
        }
    }

    // ---- question and records ----

    /**
     * Reads the question at {@code position}: its name into {@code name}, its type and class into
     * {@link #recordType()} and {@link #recordClass()}.
     *
     * @return the position after it, or a flaw code
     */
    public int readQuestion(int position, byte[] name) {
        int at = readName(position, name);
        if (at < 0) {
            return at;
        }
        if (at + 4 > length) {
            return DnsFlaw.RECORD_PAST_END.code();
        }
        recordType = u16(at);
        recordClass = u16(at + 2);
        return at + 4;
    }

    /**
     * Reads the resource record at {@code position}: its owner into {@code owner}, then type,
     * class, TTL, and where its RDATA lies ({@link #rdataOffset()}, {@link #rdataLength()}).
     *
     * @return the position after the record, or a flaw code
     */
    public int readRecord(int position, byte[] owner) {
        int at = readName(position, owner);
        if (at < 0) {
            return at;
        }
        if (at + 10 > length) {
            return DnsFlaw.RECORD_PAST_END.code();
        }
        recordType = u16(at);
        recordClass = u16(at + 2);
        recordTtl = u32(at + 4);
        rdataLength = u16(at + 8);
        rdataOffset = at + 10;
        if (rdataOffset + rdataLength > length) {
            return DnsFlaw.RECORD_PAST_END.code();
        }
        return rdataOffset + rdataLength;
    }

    public int recordType() {
        return recordType;
    }

    public int recordClass() {
        return recordClass;
    }

    /** The record's TTL in seconds as sent (unsigned 32 bits). */
    public long recordTtl() {
        return recordTtl;
    }

    public int rdataOffset() {
        return rdataOffset;
    }

    public int rdataLength() {
        return rdataLength;
    }

    /** The 32-bit value at {@code position} (an A record's address), unsigned. */
    public long u32(int position) {
        return (long) u16(position) << 16 | u16(position + 2);
    }

    /** The 16-bit value at {@code position}. */
    public int u16(int position) {
        return (buffer[start + position] & 0xFF) << 8 | (buffer[start + position + 1] & 0xFF);
    }

    private int u8(int position) {
        return buffer[start + position] & 0xFF;
    }

    // ---- names in wire form ----

    /** Whether two wire-form names are equal, ignoring ASCII case (RFC 4343). */
    public static boolean sameName(byte[] a, int aLength, byte[] b, int bLength) {
        if (aLength != bLength) {
            return false;
        }
        for (int i = 0; i < aLength; i++) {
            int x = a[i];
            int y = b[i];
            if (x != y && toLower(x) != toLower(y)) {
                return false;
            }
        }
        return true;
    }

    private static int toLower(int octet) {
        return octet >= 'A' && octet <= 'Z' ? octet + ('a' - 'A') : octet;
    }

    /**
     * Encodes a host name such as {@code www.example.com} (a final dot allowed) into wire form.
     * Application side: throws with a message for a name a query cannot carry.
     *
     * @param out at least {@link #MAX_NAME_LENGTH} bytes
     * @return the wire-form length, root label included
     * @throws IllegalArgumentException for an empty label, a label over 63 octets, a name over
     *     255 octets, or a character other than a letter, digit, '-' or '_'
     */
    public static int encodeName(String text, byte[] out) {
        String name = text.endsWith(".") && text.length() > 1 ? text.substring(0, text.length() - 1) : text;
        if (name.isEmpty() || name.equals(".")) {
            throw new IllegalArgumentException("empty host name; give a name like www.example.com");
        }
        int written = 0;
        int labelStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i < name.length() && name.charAt(i) != '.') {
                char c = name.charAt(i);
                boolean allowed = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_';
                if (!allowed) {
                    throw new IllegalArgumentException("'" + text + "' is not a host name: '" + c
                            + "' is not a letter, digit, '-' or '_' (RFC 1123 2.1)");
                }
                continue;
            }
            int labelLength = i - labelStart;
            if (labelLength == 0) {
                throw new IllegalArgumentException("'" + text + "' has an empty label (two dots in a row, or a leading dot)");
            }
            if (labelLength > MAX_LABEL_LENGTH) {
                throw new IllegalArgumentException("'" + text + "' has a label of " + labelLength + " characters; at most 63 (RFC 1035 2.3.4)");
            }
            if (written + 1 + labelLength + 1 > MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("'" + text + "' is longer than the 255 octets a DNS name may have (RFC 1035 2.3.4)");
            }
            out[written++] = (byte) labelLength;
            for (int j = labelStart; j < i; j++) {
                out[written++] = (byte) name.charAt(j);
            }
            labelStart = i + 1;
        }
        out[written++] = 0;
        return written;
    }

    /** {@code www.example.com} from wire form (application side; allocates). */
    public static String formatName(byte[] name, int length) {
        StringBuilder text = new StringBuilder(length);
        int at = 0;
        while (at < length && name[at] != 0) {
            int label = name[at] & 0xFF;
            if (text.length() > 0) {
                text.append('.');
            }
            for (int i = 1; i <= label && at + i < length; i++) {
                char c = (char) (name[at + i] & 0xFF);
                text.append(c >= 0x21 && c <= 0x7E && c != '.' ? c : '?');
            }
            at += 1 + label;
        }
        return text.length() == 0 ? "." : text.toString();
    }

    /**
     * Writes a standard query (opcode 0, RD set: RFC 1035 4.1.1, "recursion desired", since this
     * is a stub resolver) with one question for {@code name}, class IN.
     *
     * @return the message length
     */
    public static int writeQuery(byte[] buffer, int offset, int id, byte[] name, int nameLength, int type) {
        put16(buffer, offset, id);
        put16(buffer, offset + 2, FLAG_RD);
        put16(buffer, offset + 4, 1);
        put16(buffer, offset + 6, 0);
        put16(buffer, offset + 8, 0);
        put16(buffer, offset + 10, 0);
        System.arraycopy(name, 0, buffer, offset + HEADER_LENGTH, nameLength);
        int at = offset + HEADER_LENGTH + nameLength;
        put16(buffer, at, type);
        put16(buffer, at + 2, CLASS_IN);
        return HEADER_LENGTH + nameLength + 4;
    }

    private static void put16(byte[] buffer, int offset, int value) {
        buffer[offset] = (byte) (value >>> 8);
        buffer[offset + 1] = (byte) value;
    }
}
