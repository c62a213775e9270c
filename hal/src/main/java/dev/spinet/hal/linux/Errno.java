package dev.spinet.hal.linux;

/**
 * The error numbers Spinet reacts to (Linux generic values, identical on x86-64 and arm64), and
 * message text for errors. Only the error path formats text.
 */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int ENXIO = 6;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EBUSY = 16;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int ENOSYS = 38;
    public static final int EMSGSIZE = 90;
    public static final int EOPNOTSUPP = 95;
    public static final int EBADFD = 77;

    private Errno() {
    }

    /** The symbolic name, such as {@code EACCES}, or {@code errno N}. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOENT -> "ENOENT";
            case EINTR -> "EINTR";
            case EIO -> "EIO";
            case ENXIO -> "ENXIO";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EBUSY -> "EBUSY";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            case ENOTTY -> "ENOTTY";
            case ENOSYS -> "ENOSYS";
            case EMSGSIZE -> "EMSGSIZE";
            case EOPNOTSUPP -> "EOPNOTSUPP";
            case EBADFD -> "EBADFD";
            default -> "errno " + errno;
        };
    }

    /** {@code EACCES (Permission denied)}, using the C library's {@code strerror} when there is one. */
    public static String describe(LinuxSyscalls syscalls, int errno) {
        String text = syscalls == null ? null : syscalls.strerror(errno);
        return text == null || text.isEmpty() ? name(errno) : name(errno) + " (" + text + ")";
    }

    /**
     * A complete message: {@code <what> failed: EACCES (Permission denied). <advice>}; advice may be
     * {@code null}.
     */
    public static String message(LinuxSyscalls syscalls, String what, int errno, String advice) {
        String base = what + " failed: " + describe(syscalls, errno);
        return advice == null ? base : base + ". " + advice;
    }
}
