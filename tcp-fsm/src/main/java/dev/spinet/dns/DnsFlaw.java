package dev.spinet.dns;

/**
 * Why {@link DnsMessage} refused part of a message. A reader returns a position (0 or more) or
 * {@link #code()} of one of these (negative), so parsing needs neither exceptions nor objects.
 */
public enum DnsFlaw {
    /** Shorter than the 12-byte header (RFC 1035 4.1.1). */
    TRUNCATED_HEADER,
    /** A label or a pointer runs past the end of the message. */
    NAME_PAST_END,
    /**
     * A compression pointer that does not point before the labels it ends (RFC 1035 4.1.4: "a
     * pointer to a prior occurrence of the same name"): a loop, or a forward reference that
     * could become one.
     */
    POINTER_LOOP,
    /** More than 255 octets once decompressed (RFC 1035 2.3.4). */
    NAME_TOO_LONG,
    /** A label type other than a length or a pointer (0x40, 0x80: RFC 6891 retired them). */
    BAD_LABEL_TYPE,
    /** A question's or a record's fixed fields, or its RDATA, run past the end of the message. */
    RECORD_PAST_END,
    /** An A record whose RDATA is not 4 octets, or a CNAME whose RDATA is not exactly one name. */
    BAD_RDATA;

    private static final DnsFlaw[] VALUES = values();

    /** The negative number a reader returns for this flaw. */
    public int code() {
        return -1 - ordinal();
    }

    /** The flaw a negative reader result stands for. */
    public static DnsFlaw of(int code) {
        return VALUES[-1 - code];
    }
}
