package dev.spinet.control;

/**
 * The lab a board runs and where that choice came from.
 *
 * @param lab    the lab, or null for a board without one
 * @param peer   the student's computer for a lab whose board connects to it, else 0
 * @param origin {@link #IMAGE}, {@link #INSTRUCTOR} or {@link #BOOT_FILE}
 */
public record LabChoice(String lab, int peer, String origin) {

    /** The lab the image (or its roster row) gave the board. */
    public static final String IMAGE = "image";
    /** Switched over the network by the instructor ({@code spinet class switch}). */
    public static final String INSTRUCTOR = "instructor";
    /** Switched by editing the lab file on the boot partition. */
    public static final String BOOT_FILE = "boot file";
}
