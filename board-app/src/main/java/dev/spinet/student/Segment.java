package dev.spinet.student;

import java.util.StringJoiner;

/**
 * A TCP segment as the connection-state machine sees it: flags, sequence and acknowledgment
 * numbers (raw 32-bit values, compare them with {@link Integer#compareUnsigned} or by
 * subtraction), window and the number of data bytes. Ports, the data itself and the options but
 * MSS are the business of the rest of the stack.
 *
 * @param mss the MSS option's value (a SYN's), 0 without one; a machine may leave it 0, it is not compared
 */
public record Segment(int flags, int seq, int ack, int window, int length, int mss) {

    /** A segment without an MSS option. */
    public Segment(int flags, int seq, int ack, int window, int length) {
        this(flags, seq, ack, window, length, 0);
    }

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** A segment without data. */
    public static Segment of(int flags, int seq, int ack) {
        return new Segment(flags, seq, ack, 0, 0, 0);
    }

    /** Sequence space the segment occupies: its data, plus one for SYN and one for FIN (RFC 9293 3.4). */
    public int sequenceLength() {
        return length + (has(SYN) ? 1 : 0) + (has(FIN) ? 1 : 0);
    }

    /** Flags as tcpdump writes them: S, S., F., R, R., . (PSH as P). */
    public String flagLetters() {
        StringBuilder letters = new StringBuilder();
        if (has(SYN)) {
            letters.append('S');
        }
        if (has(FIN)) {
            letters.append('F');
        }
        if (has(RST)) {
            letters.append('R');
        }
        if (has(PSH)) {
            letters.append('P');
        }
        if (has(ACK)) {
            letters.append('.');
        }
        return letters.toString();
    }

    @Override
    public String toString() {
        StringJoiner text = new StringJoiner(" ", "[", "]");
        text.add(flagLetters()).add("seq=" + Integer.toUnsignedString(seq));
        if (has(ACK)) {
            text.add("ack=" + Integer.toUnsignedString(ack));
        }
        if (length > 0) {
            text.add("len=" + length);
        }
        return text.toString();
    }
}
