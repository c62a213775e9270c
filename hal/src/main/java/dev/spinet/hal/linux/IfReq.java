package dev.spinet.hal.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * {@code struct ifreq} as {@code TUNSETIFF} uses it ({@code <net/if.h>}, {@code <linux/if_tun.h>}),
 * 40 bytes on 64-bit Linux:
 *
 * <pre>
 *  0                              16      18                      40
 * +-------------------------------+-------+-----------------------+
 * | ifr_name[IFNAMSIZ] (NUL-term.)| flags |  rest of the union    |
 * +-------------------------------+-------+-----------------------+
 *                                   short   (unused here, zero)
 * </pre>
 */
public final class IfReq {

    public static final int SIZE = 40;
    /** {@code IFNAMSIZ}: names are at most 15 bytes plus the terminating NUL. */
    public static final int NAME_SIZE = 16;
    public static final int NAME_OFFSET = 0;
    public static final int FLAGS_OFFSET = 16;

    /** {@code IFF_TUN}. */
    public static final short IFF_TUN = 0x0001;
    /** {@code IFF_TAP}: Ethernet frames rather than IP packets. */
    public static final short IFF_TAP = 0x0002;
    /** {@code IFF_NO_PI}: no 4-byte packet-information prefix on each frame. */
    public static final short IFF_NO_PI = 0x1000;

    /** {@code TUNSETIFF}: _IOW('T', 202, int). */
    public static final long TUNSETIFF = Ioctl.iow('T', 202, 4);
    /** {@code TUNGETIFF}: _IOR('T', 210, unsigned int). */
    public static final long TUNGETIFF = Ioctl.ior('T', 210, 4);

    private IfReq() {
    }

    /**
     * Checks an interface name as the kernel's {@code dev_valid_name} does (1..15 bytes, no '/',
     * ':' or whitespace, not "." or "..").
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static void validateName(String name) {
        if (name == null || name.isEmpty() || name.length() >= NAME_SIZE) {
            throw new IllegalArgumentException("interface name must be 1..15 characters (--tap NAME), not '" + name + "'");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + name + "' is not a valid interface name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == '/' || c == ':') {
                throw new IllegalArgumentException("interface name '" + name + "' contains '" + c
                        + "': use letters, digits, '-', '_' or '.'");
            }
        }
    }

    /** Zeroes the struct and writes name and flags. */
    public static void write(MemorySegment ifreq, String name, short flags) {
        ifreq.fill((byte) 0);
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(bytes, 0, ifreq, ValueLayout.JAVA_BYTE, NAME_OFFSET, Math.min(bytes.length, NAME_SIZE - 1));
        ifreq.set(ValueLayout.JAVA_SHORT, FLAGS_OFFSET, flags);
    }

    /** The NUL-terminated name the kernel left in the struct. */
    public static String name(MemorySegment ifreq) {
        int length = 0;
        while (length < NAME_SIZE - 1 && ifreq.get(ValueLayout.JAVA_BYTE, NAME_OFFSET + length) != 0) {
            length++;
        }
        return new String(ifreq.asSlice(NAME_OFFSET, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII);
    }
}
