package dev.spinet.hal.linux;

/**
 * Opening or configuring a Linux device failed (TAP, GPIO). The message names the device, the
 * error and what to do about it; {@link #errno()} is the error number (0 if none).
 */
public final class LinuxDeviceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public LinuxDeviceException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The Linux error number behind this failure, or 0. */
    public int errno() {
        return errno;
    }
}
