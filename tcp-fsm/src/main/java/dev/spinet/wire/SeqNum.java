package dev.spinet.wire;

/**
 * TCP sequence-number arithmetic modulo 2^32 (RFC 9293 3.4): numbers are kept in an
 * {@code int} and compared by the sign of their difference, which is right as long as the two
 * are less than 2^31 apart (true of any window TCP allows).
 */
public final class SeqNum {

    private SeqNum() {
    }

    /** {@code a < b} modulo 2^32. */
    public static boolean lt(int a, int b) {
        return a - b < 0;
    }

    /** {@code a <= b} modulo 2^32. */
    public static boolean le(int a, int b) {
        return a - b <= 0;
    }

    /**
     * {@code a > b} modulo 2^32. Written as {@code lt(b, a)} rather than {@code a - b > 0} so the
     * two always agree, even for numbers exactly 2^31 apart, where {@code a - b} and {@code b - a}
     * are both {@code Integer.MIN_VALUE}.
     */
    public static boolean gt(int a, int b) {
        return b - a < 0;
    }

    /** {@code a >= b} modulo 2^32: {@code le(b, a)}, for the same reason as {@link #gt}. */
    public static boolean ge(int a, int b) {
        return b - a <= 0;
    }

    /** {@code low <= x < high} modulo 2^32 (a half-open window; empty when low == high). */
    public static boolean inWindow(int x, int low, int high) {
        // Distance from low, taken unsigned, is below the window's size.
        return Integer.compareUnsigned(x - low, high - low) < 0;
    }

    /** {@code low <= x <= high} modulo 2^32 (a closed range starting at low). */
    public static boolean between(int low, int x, int high) {
        return Integer.compareUnsigned(x - low, high - low) <= 0;
    }

    /** {@code b - a} as a signed distance. */
    public static int diff(int a, int b) {
        return b - a;
    }

    /** The later of two sequence numbers. */
    public static int max(int a, int b) {
        return a - b >= 0 ? a : b;
    }

    /** The earlier of two sequence numbers. */
    public static int min(int a, int b) {
        return a - b <= 0 ? a : b;
    }
}
