package dev.spinet.doctor;

/** The outcome of one {@code spinet doctor} check. */
public enum DoctorStatus {
    /** As docs/raspberry-pi.md asks. */
    PASS,
    /** Works, but something is worth knowing (an early-access JDK, a chip chosen by hand). */
    WARN,
    /** Spinet will not work until the check's fix is done. */
    FAIL,
    /** Not run: the reason is in the detail (not a Raspberry Pi, no --hal, an earlier failure). */
    SKIP
}
