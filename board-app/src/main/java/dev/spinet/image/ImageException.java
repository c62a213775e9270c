package dev.spinet.image;

/**
 * A failure of an {@code spinet image} command that the user can act on: the message says what
 * went wrong and what to do, and the command prints it (no stack trace) and exits with
 * {@link #exitCode()}.
 */
public final class ImageException extends RuntimeException {

    /** Exit status when a check failed (hash mismatch, read-back mismatch). */
    public static final int VERIFY_FAILED = 1;
    /** Exit status for bad input: missing files, unusable images, invalid option values. */
    public static final int BAD_INPUT = 2;
    /** Exit status when a safety check refused to write (mounted, system disk, too small). */
    public static final int REFUSED = 3;

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public ImageException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ImageException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
