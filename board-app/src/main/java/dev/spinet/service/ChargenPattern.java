package dev.spinet.service;

/**
 * The character generator pattern of RFC 864: the 95 printable ASCII characters (32 to 126) in
 * a ring; line {@code k} is the 72 characters starting at ring position {@code k mod 95},
 * followed by CR LF. After 95 lines the stream repeats, so the whole stream is one period of
 * {@link #PERIOD} = 95 * 74 bytes, and byte {@code i} of a connection's output is
 * {@code byteAt(i)} — a client checks the stream against that.
 */
public final class ChargenPattern {

    public static final int FIRST_CHAR = 32;
    public static final int CHARS = 95;
    public static final int LINE_CHARS = 72;
    public static final int LINE_BYTES = LINE_CHARS + 2;
    public static final int PERIOD = CHARS * LINE_BYTES;

    private ChargenPattern() {
    }

    /** Byte {@code position} (0-based) of the stream every chargen connection sends. */
    public static byte byteAt(long position) {
        int inPeriod = (int) (position % PERIOD);
        int line = inPeriod / LINE_BYTES;
        int column = inPeriod % LINE_BYTES;
        if (column == LINE_CHARS) {
            return '\r';
        }
        if (column == LINE_CHARS + 1) {
            return '\n';
        }
        return (byte) (FIRST_CHAR + (line + column) % CHARS);
    }

    /** Two periods back to back, so any run of up to one period starts at any offset. */
    static byte[] twoPeriods() {
        byte[] pattern = new byte[2 * PERIOD];
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = byteAt(i);
        }
        return pattern;
    }
}
