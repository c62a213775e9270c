package dev.spinet.hal.linux;

/**
 * Linux ioctl request numbers, encoded as the kernel's {@code _IOC} macros do in
 * {@code include/uapi/asm-generic/ioctl.h} (used by x86-64, arm64 and 32-bit ARM; not by
 * PowerPC, MIPS or SPARC, where Spinet does not run):
 *
 * <pre>
 *  31 30 29                16 15           8 7            0
 * +-----+--------------------+--------------+--------------+
 * | dir |   size (14 bits)   | type (8 bit) |  nr (8 bit)  |
 * +-----+--------------------+--------------+--------------+
 * dir: 0 none, 1 write (user to kernel), 2 read (kernel to user), 3 both
 * </pre>
 *
 * Tests compare the results with the values the C preprocessor computes from the real headers.
 */
public final class Ioctl {

    public static final int DIRECTION_NONE = 0;
    public static final int DIRECTION_WRITE = 1;
    public static final int DIRECTION_READ = 2;

    private static final int NR_SHIFT = 0;
    private static final int TYPE_SHIFT = 8;
    private static final int SIZE_SHIFT = 16;
    private static final int DIRECTION_SHIFT = 30;
    private static final int SIZE_LIMIT = 1 << 14;

    private Ioctl() {
    }

    /** {@code _IOC(dir, type, nr, size)} as an unsigned 32-bit value in a long. */
    public static long ioc(int direction, int type, int number, int size) {
        if (direction < 0 || direction > 3 || type < 0 || type > 0xFF || number < 0 || number > 0xFF
                || size < 0 || size >= SIZE_LIMIT) {
            throw new IllegalArgumentException("ioctl fields out of range: dir=" + direction + " type=" + type
                    + " nr=" + number + " size=" + size + " (size must be below 16384)");
        }
        return ((long) direction << DIRECTION_SHIFT) | ((long) size << SIZE_SHIFT)
                | ((long) type << TYPE_SHIFT) | ((long) number << NR_SHIFT);
    }

    /** {@code _IO(type, nr)}. */
    public static long io(int type, int number) {
        return ioc(DIRECTION_NONE, type, number, 0);
    }

    /** {@code _IOW(type, nr, size)}: the kernel reads {@code size} bytes from the argument. */
    public static long iow(int type, int number, int size) {
        return ioc(DIRECTION_WRITE, type, number, size);
    }

    /** {@code _IOR(type, nr, size)}: the kernel writes {@code size} bytes to the argument. */
    public static long ior(int type, int number, int size) {
        return ioc(DIRECTION_READ, type, number, size);
    }

    /** {@code _IOWR(type, nr, size)}: both. */
    public static long iowr(int type, int number, int size) {
        return ioc(DIRECTION_READ | DIRECTION_WRITE, type, number, size);
    }
}
