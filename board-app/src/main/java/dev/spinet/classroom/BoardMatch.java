package dev.spinet.classroom;

import dev.spinet.hal.eth.MacAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How a roster row recognises its board when one image serves the whole class: by a MAC address
 * (the board's Spinet MAC or one of the Pi's own network interfaces), by the Pi's serial number,
 * or by the Linux hostname.
 *
 * <p>Written in the roster's {@code match} column as {@code 02:53:4e:12:34:56} (a MAC),
 * {@code serial:10000000a1b2c3d4} or {@code host:pi-bench-03} (a bare name is a hostname too).
 *
 * @param kind  what is compared
 * @param value a MAC as 48 bits in hex, a serial in lower-case hex without leading zeros, or a
 *              lower-case hostname: the form {@link #matches} compares
 */
public record BoardMatch(Kind kind, String value) {

    /** What a match compares. */
    public enum Kind { MAC, SERIAL, HOSTNAME }

    private static final Pattern SERIAL = Pattern.compile("[0-9a-fA-F]{1,16}");
    /** RFC 1123 host names: labels of letters, digits and hyphens, not starting or ending with a hyphen. */
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    /**
     * @throws IllegalArgumentException saying which forms the column takes
     */
    public static BoardMatch parse(String text) {
        String t = text.trim();
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("serial:")) {
            String serial = t.substring("serial:".length()).trim();
            if (!SERIAL.matcher(serial).matches()) {
                throw new IllegalArgumentException("match " + t + ": a serial number is 1 to 16 hex digits, like serial:10000000a1b2c3d4"
                        + " (on the Pi: cat /proc/device-tree/serial-number)");
            }
            return new BoardMatch(Kind.SERIAL, normalSerial(serial));
        }
        if (lower.startsWith("host:")) {
            return hostname(t.substring("host:".length()).trim(), t);
        }
        if (t.indexOf(':') >= 0 || t.chars().filter(c -> c == '-').count() == 5) {
            long mac;
            try {
                mac = MacAddress.parse(t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("match " + t + ": " + e.getMessage());
            }
            if (MacAddress.isMulticast(mac) || mac == 0) {
                throw new IllegalArgumentException("match " + t + ": a board's MAC is a unicast address (first octet even)");
            }
            return new BoardMatch(Kind.MAC, Long.toHexString(mac));
        }
        return hostname(t, t);
    }

    private static BoardMatch hostname(String name, String original) {
        if (!HOSTNAME.matcher(name).matches()) {
            throw new IllegalArgumentException("match " + original + ": expected a MAC (02:53:4e:12:34:56), serial:HEX or a"
                    + " host name (letters, digits, '-' and '.')");
        }
        return new BoardMatch(Kind.HOSTNAME, name.toLowerCase(Locale.ROOT));
    }

    /** A serial as the Pi prints it (16 hex digits, leading zeros) or without leading zeros: one form. */
    static String normalSerial(String serial) {
        String s = serial.trim().toLowerCase(Locale.ROOT).replaceFirst("^0+(?=.)", "");
        return s;
    }

    /** Whether this board is the one the match names. */
    public boolean matches(BoardIdentity board) {
        return switch (kind) {
            case MAC -> board.macs().contains(Long.parseLong(value, 16));
            case SERIAL -> board.serial() != null && normalSerial(board.serial()).equals(value);
            case HOSTNAME -> board.hostname() != null && board.hostname().toLowerCase(Locale.ROOT).equals(value);
        };
    }

    /** As the roster column writes it. */
    public String text() {
        return switch (kind) {
            case MAC -> MacAddress.format(Long.parseLong(value, 16));
            case SERIAL -> "serial:" + value;
            case HOSTNAME -> "host:" + value;
        };
    }
}
