package dev.spinet.wire;

import java.util.Arrays;

/** Test helper: byte arrays written as hex text, so golden frames read like a capture dump. */
final class Hex {

    private Hex() {
    }

    /** Parses hex digits, ignoring whitespace and '|' separators used to mark header boundaries. */
    static byte[] bytes(String text) {
        String digits = text.replaceAll("[\\s|]", "");
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits in " + text);
        }
        byte[] out = new byte[digits.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    /** {@code bytes} copied to {@code offset} inside a larger array filled with 0xEE (so a view that ignores its offset reads garbage). */
    static byte[] at(int offset, byte[] bytes, int trailing) {
        byte[] out = new byte[offset + bytes.length + trailing];
        Arrays.fill(out, (byte) 0xEE);
        System.arraycopy(bytes, 0, out, offset, bytes.length);
        return out;
    }

    static String of(byte[] bytes, int offset, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = offset; i < offset + length; i++) {
            text.append(String.format("%02x", bytes[i] & 0xFF));
        }
        return text.toString();
    }

    static byte[] concat(byte[]... parts) {
        int total = 0;
        for (byte[] part : parts) {
            total += part.length;
        }
        byte[] out = new byte[total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
