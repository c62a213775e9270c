package dev.spinet.hal.eth;

/**
 * MAC addresses as 48-bit values in a long (first octet in bits 47..40), so they can be kept
 * and compared without objects. Formatting allocates and is for the CLI and tests only.
 */
public final class MacAddress {

    public static final long BROADCAST = 0xFFFF_FFFF_FFFFL;

    private MacAddress() {
    }

    /** Reads 6 bytes at {@code offset}. */
    public static long read(byte[] buffer, int offset) {
        long value = 0;
        for (int i = 0; i < 6; i++) {
            value = (value << 8) | (buffer[offset + i] & 0xFF);
        }
        return value;
    }

    /** Writes 6 bytes at {@code offset}. */
    public static void write(long mac, byte[] buffer, int offset) {
        for (int i = 5; i >= 0; i--) {
            buffer[offset + i] = (byte) mac;
            mac >>>= 8;
        }
    }

    /** Whether the group bit (I/G, least significant bit of the first octet) is set. */
    public static boolean isMulticast(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    /** {@code 02:00:00:00:00:01} style. */
    public static String format(long mac) {
        StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            int octet = (int) (mac >>> shift) & 0xFF;
            if (shift != 40) {
                text.append(':');
            }
            text.append(Character.forDigit(octet >> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return text.toString();
    }

    /**
     * Parses {@code aa:bb:cc:dd:ee:ff} (or with '-').
     *
     * @throws IllegalArgumentException with the expected form when the text is not a MAC
     */
    public static long parse(String text) {
        String[] parts = text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "' (expected six hex octets like 02:00:00:00:00:01)");
        }
        long value = 0;
        for (String part : parts) {
            if (part.length() != 2) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "' (each octet is two hex digits)");
            }
            try {
                value = (value << 8) | Integer.parseInt(part, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "' (octet '" + part + "' is not hex)", e);
            }
        }
        return value;
    }
}
