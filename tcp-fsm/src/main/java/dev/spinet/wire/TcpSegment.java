package dev.spinet.wire;

/**
 * Flyweight view of a TCP segment (RFC 9293 3.1), with its options parsed once in {@link #wrap}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |   0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |   4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |   8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |  12
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |  16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           [Options]                           |  20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                             Data ...                          |  4 * Data Offset
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  Options (RFC 9293 3.2, RFC 7323, RFC 2018):
 *   kind 0 EOL | kind 1 NOP | kind 2 len 4 MSS(16) | kind 3 len 3 shift(8)
 *   kind 4 len 2 SACK-permitted | kind 5 len 2+8n SACK blocks (left, right)*n
 *   kind 8 len 10 TSval(32) TSecr(32) | other kinds: skipped by their length byte
 * </pre>
 *
 * <p>The checksum covers the pseudo-header (source, destination, zero, protocol 6, TCP length),
 * the header and the data. {@link #wrap} does not verify it (the caller knows the addresses):
 * use {@link #checksumValid}.
 *
 * <p>Reusable: one instance is rewrapped for every segment; nothing is allocated.
 */
public final class TcpSegment {

    public static final int SOURCE_PORT_OFFSET = 0;
    public static final int DESTINATION_PORT_OFFSET = 2;
    public static final int SEQUENCE_OFFSET = 4;
    public static final int ACKNOWLEDGMENT_OFFSET = 8;
    public static final int DATA_OFFSET_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_POINTER_OFFSET = 18;
    public static final int OPTIONS_OFFSET = 20;
    /** The header without options. */
    public static final int HEADER_LENGTH = 20;
    /** The largest header: data offset 15 words. */
    public static final int MAX_HEADER_LENGTH = 60;
    public static final int PROTOCOL = 6;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    public static final int OPTION_EOL = 0;
    public static final int OPTION_NOP = 1;
    public static final int OPTION_MSS = 2;
    public static final int OPTION_WINDOW_SCALE = 3;
    public static final int OPTION_SACK_PERMITTED = 4;
    public static final int OPTION_SACK = 5;
    public static final int OPTION_TIMESTAMPS = 8;

    /** The most SACK blocks a 40-byte option space can hold (2 + 8 * 4 = 34). */
    public static final int MAX_SACK_BLOCKS = 4;

    /** MSS assumed when a SYN carries no MSS option (RFC 9293 3.7.1, RFC 1122 4.2.2.6). */
    public static final int DEFAULT_MSS = 536;

    private byte[] buffer;
    private int offset;
    private int length;
    private int headerLength;

    private int mss;
    private int windowScale;
    private boolean sackPermitted;
    private boolean hasTimestamps;
    private int timestampValue;
    private int timestampEcho;
    private int sackBlockCount;
    private final int[] sackLeft = new int[MAX_SACK_BLOCKS];
    private final int[] sackRight = new int[MAX_SACK_BLOCKS];

    /**
     * Views the segment at {@code offset} ({@code length}: the IPv4 payload length) and parses
     * its options.
     *
     * @return {@link WireError#OK}; {@link WireError#TRUNCATED} below 20 bytes;
     *         {@link WireError#BAD_DATA_OFFSET} for a data offset below 5 or past the end;
     *         {@link WireError#BAD_OPTION} for an option of length 0 or 1, running past the header,
     *         or with a wrong length for its kind; {@link WireError#BAD_FIELD} for an MSS of 0
     * @throws IllegalArgumentException when the range does not lie inside {@code buffer}
     */
    public WireError wrap(byte[] buffer, int offset, int length) {
        WireBytes.checkRange(buffer, offset, length);
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.headerLength = HEADER_LENGTH;
        mss = 0;
        windowScale = -1;
        sackPermitted = false;
        hasTimestamps = false;
        timestampValue = 0;
        timestampEcho = 0;
        sackBlockCount = 0;
        if (length < HEADER_LENGTH) {
            return WireError.TRUNCATED;
        }
        int words = WireBytes.u8(buffer, offset + DATA_OFFSET_OFFSET) >>> 4;
        int header = words * 4;
        if (words < 5 || header > length) {
            return WireError.BAD_DATA_OFFSET;
        }
        headerLength = header;
        return parseOptions(offset + OPTIONS_OFFSET, offset + header);
    }

    private WireError parseOptions(int index, int end) {
        while (index < end) {
            int kind = WireBytes.u8(buffer, index);
            if (kind == OPTION_EOL) {
                // RFC 9293 3.2: "End of Option List ... used at the end of all options".
                return WireError.OK;
            }
            if (kind == OPTION_NOP) {
                index++;
                continue;
            }
            if (index + 1 >= end) {
                return WireError.BAD_OPTION; // no room for the length byte
            }
            int optionLength = WireBytes.u8(buffer, index + 1);
            if (optionLength < 2 || index + optionLength > end) {
                return WireError.BAD_OPTION;
            }
            switch (kind) {
                case OPTION_MSS -> {
                    if (optionLength != 4) {
                        return WireError.BAD_OPTION;
                    }
                    int value = WireBytes.u16(buffer, index + 2);
                    if (value == 0) {
                        return WireError.BAD_FIELD;
                    }
                    mss = value;
                }
                case OPTION_WINDOW_SCALE -> {
                    if (optionLength != 3) {
                        return WireError.BAD_OPTION;
                    }
                    // RFC 7323 2.3: a shift above 14 is used as 14 (and may be logged).
                    windowScale = Math.min(WireBytes.u8(buffer, index + 2), 14);
                }
                case OPTION_SACK_PERMITTED -> {
                    if (optionLength != 2) {
                        return WireError.BAD_OPTION;
                    }
                    sackPermitted = true;
                }
                case OPTION_SACK -> {
                    if (optionLength < 10 || (optionLength - 2) % 8 != 0) {
                        return WireError.BAD_OPTION;
                    }
                    int blocks = Math.min((optionLength - 2) / 8, MAX_SACK_BLOCKS);
                    for (int i = 0; i < blocks; i++) {
                        sackLeft[i] = WireBytes.i32(buffer, index + 2 + 8 * i);
                        sackRight[i] = WireBytes.i32(buffer, index + 6 + 8 * i);
                    }
                    sackBlockCount = blocks;
                }
                case OPTION_TIMESTAMPS -> {
                    if (optionLength != 10) {
                        return WireError.BAD_OPTION;
                    }
                    hasTimestamps = true;
                    timestampValue = WireBytes.i32(buffer, index + 2);
                    timestampEcho = WireBytes.i32(buffer, index + 6);
                }
                default -> {
                    // RFC 9293 3.2: "A TCP implementation MUST be able to receive a TCP Option
                    // in any segment" and ignore kinds it does not know, skipping by length.
                }
            }
            index += optionLength;
        }
        return WireError.OK;
    }

    /**
     * Whether the checksum verifies for a segment from {@code source} to {@code destination}
     * (RFC 9293 3.1: pseudo-header + header + data).
     */
    public boolean checksumValid(int source, int destination) {
        long sum = Checksum.pseudoHeaderSum(source, destination, PROTOCOL, length) + Checksum.sum(buffer, offset, length);
        return Checksum.verifies(sum);
    }

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    /** Header plus data. */
    public int length() {
        return length;
    }

    public int sourcePort() {
        return WireBytes.u16(buffer, offset + SOURCE_PORT_OFFSET);
    }

    public int destinationPort() {
        return WireBytes.u16(buffer, offset + DESTINATION_PORT_OFFSET);
    }

    public int sequenceNumber() {
        return WireBytes.i32(buffer, offset + SEQUENCE_OFFSET);
    }

    public int acknowledgmentNumber() {
        return WireBytes.i32(buffer, offset + ACKNOWLEDGMENT_OFFSET);
    }

    /** The header length in bytes (4 * data offset). */
    public int headerLength() {
        return headerLength;
    }

    /** The 8 flag bits (CWR ... FIN). */
    public int flags() {
        return WireBytes.u8(buffer, offset + FLAGS_OFFSET);
    }

    public boolean hasFlag(int flag) {
        return (flags() & flag) != 0;
    }

    /** The raw 16-bit window field (unscaled). */
    public int window() {
        return WireBytes.u16(buffer, offset + WINDOW_OFFSET);
    }

    public int checksum() {
        return WireBytes.u16(buffer, offset + CHECKSUM_OFFSET);
    }

    public int urgentPointer() {
        return WireBytes.u16(buffer, offset + URGENT_POINTER_OFFSET);
    }

    public int payloadOffset() {
        return offset + headerLength;
    }

    public int payloadLength() {
        return length - headerLength;
    }

    /** The MSS option's value, or 0 when absent. */
    public int mss() {
        return mss;
    }

    /** The window-scale shift (0..14, clamped per RFC 7323 2.3), or -1 when absent. */
    public int windowScale() {
        return windowScale;
    }

    public boolean sackPermitted() {
        return sackPermitted;
    }

    public boolean hasTimestamps() {
        return hasTimestamps;
    }

    public int timestampValue() {
        return timestampValue;
    }

    public int timestampEcho() {
        return timestampEcho;
    }

    /** SACK blocks present (0 .. {@link #MAX_SACK_BLOCKS}). */
    public int sackBlockCount() {
        return sackBlockCount;
    }

    public int sackLeft(int block) {
        return sackLeft[block];
    }

    public int sackRight(int block) {
        return sackRight[block];
    }

    // ---- writing ----

    /**
     * Writes a header without options at {@code offset}; the checksum field is left 0. Returns
     * the header length (20). Options, if any, go after it via the {@code writeXxxOption}
     * helpers, then {@link #setDataOffset}, the payload, and {@link #writeChecksum}.
     */
    public static int writeHeader(byte[] buffer, int offset, int sourcePort, int destinationPort,
                                  int sequence, int acknowledgment, int flags, int window) {
        WireBytes.checkWritable(buffer, offset, HEADER_LENGTH);
        WireBytes.put16(buffer, offset + SOURCE_PORT_OFFSET, sourcePort);
        WireBytes.put16(buffer, offset + DESTINATION_PORT_OFFSET, destinationPort);
        WireBytes.put32(buffer, offset + SEQUENCE_OFFSET, sequence);
        WireBytes.put32(buffer, offset + ACKNOWLEDGMENT_OFFSET, acknowledgment);
        WireBytes.put8(buffer, offset + DATA_OFFSET_OFFSET, 5 << 4);
        WireBytes.put8(buffer, offset + FLAGS_OFFSET, flags);
        WireBytes.put16(buffer, offset + WINDOW_OFFSET, window);
        WireBytes.put16(buffer, offset + CHECKSUM_OFFSET, 0);
        WireBytes.put16(buffer, offset + URGENT_POINTER_OFFSET, 0);
        return HEADER_LENGTH;
    }

    /** Sets the data offset for a header of {@code headerLength} bytes (a multiple of 4, 20..60). */
    public static void setDataOffset(byte[] buffer, int offset, int headerLength) {
        if (headerLength < HEADER_LENGTH || headerLength > MAX_HEADER_LENGTH || (headerLength & 3) != 0) {
            throw new IllegalArgumentException("TCP header length must be a multiple of 4 from 20 to 60, was "
                    + headerLength + "; pad options with NOPs");
        }
        WireBytes.put8(buffer, offset + DATA_OFFSET_OFFSET, (headerLength / 4) << 4);
    }

    /** Writes an MSS option (4 bytes) at {@code at}; returns the bytes written. */
    public static int writeMssOption(byte[] buffer, int at, int mss) {
        WireBytes.put8(buffer, at, OPTION_MSS);
        WireBytes.put8(buffer, at + 1, 4);
        WireBytes.put16(buffer, at + 2, mss);
        return 4;
    }

    /** Writes NOP + window-scale option (4 bytes, keeping 4-byte alignment); returns 4. */
    public static int writeWindowScaleOption(byte[] buffer, int at, int shift) {
        WireBytes.put8(buffer, at, OPTION_NOP);
        WireBytes.put8(buffer, at + 1, OPTION_WINDOW_SCALE);
        WireBytes.put8(buffer, at + 2, 3);
        WireBytes.put8(buffer, at + 3, shift);
        return 4;
    }

    /** Writes NOP NOP + SACK-permitted (4 bytes); returns 4. */
    public static int writeSackPermittedOption(byte[] buffer, int at) {
        WireBytes.put8(buffer, at, OPTION_NOP);
        WireBytes.put8(buffer, at + 1, OPTION_NOP);
        WireBytes.put8(buffer, at + 2, OPTION_SACK_PERMITTED);
        WireBytes.put8(buffer, at + 3, 2);
        return 4;
    }

    /** Writes NOP NOP + timestamps (12 bytes); returns 12. */
    public static int writeTimestampsOption(byte[] buffer, int at, int value, int echo) {
        WireBytes.put8(buffer, at, OPTION_NOP);
        WireBytes.put8(buffer, at + 1, OPTION_NOP);
        WireBytes.put8(buffer, at + 2, OPTION_TIMESTAMPS);
        WireBytes.put8(buffer, at + 3, 10);
        WireBytes.put32(buffer, at + 4, value);
        WireBytes.put32(buffer, at + 8, echo);
        return 12;
    }

    /**
     * Writes NOP NOP + a SACK option with blocks {@code [left[i], right[i])} for i below
     * {@code count} (RFC 2018 section 3: 2 + 8 * count bytes after the two NOPs); returns
     * 4 + 8 * count. {@code count} must be 1..{@link #MAX_SACK_BLOCKS}.
     */
    public static int writeSackOption(byte[] buffer, int at, int[] left, int[] right, int count) {
        if (count < 1 || count > MAX_SACK_BLOCKS) {
            throw new IllegalArgumentException("a SACK option holds 1.." + MAX_SACK_BLOCKS + " blocks, not " + count);
        }
        WireBytes.put8(buffer, at, OPTION_NOP);
        WireBytes.put8(buffer, at + 1, OPTION_NOP);
        WireBytes.put8(buffer, at + 2, OPTION_SACK);
        WireBytes.put8(buffer, at + 3, 2 + 8 * count);
        for (int i = 0; i < count; i++) {
            WireBytes.put32(buffer, at + 4 + 8 * i, left[i]);
            WireBytes.put32(buffer, at + 8 + 8 * i, right[i]);
        }
        return 4 + 8 * count;
    }

    /**
     * Computes and stores the checksum of a complete segment of {@code length} bytes (header,
     * options and data in place) from {@code source} to {@code destination}.
     */
    public static void writeChecksum(byte[] buffer, int offset, int length, int source, int destination) {
        WireBytes.put16(buffer, offset + CHECKSUM_OFFSET, 0);
        long sum = Checksum.pseudoHeaderSum(source, destination, PROTOCOL, length) + Checksum.sum(buffer, offset, length);
        WireBytes.put16(buffer, offset + CHECKSUM_OFFSET, Checksum.finish(sum));
    }

    /**
     * Stores only the pseudo-header sum ({@link Checksum#partial}) for a device that completes the
     * checksum over header and data ({@code DeviceCapabilities.transportChecksumOnTransmit}).
     */
    public static void writePartialChecksum(byte[] buffer, int offset, int length, int source, int destination) {
        WireBytes.put16(buffer, offset + CHECKSUM_OFFSET, Checksum.partial(source, destination, PROTOCOL, length));
    }
}
