package dev.spinet.wire;

import org.junit.jupiter.params.provider.Arguments;

/** Test helper: one row of a malformed-input table, named after its flaw (the name is the first argument, so it shows in reports and failure messages). */
final class Cases {

    private Cases() {
    }

    static Arguments of(String flaw, byte[] bytes, WireError expected) {
        return Arguments.of(flaw, bytes, expected);
    }

    /** A copy of {@code bytes} with one byte replaced. */
    static byte[] with(byte[] bytes, int index, int value) {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
