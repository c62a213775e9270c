package dev.spinet.image;

/**
 * One mounted file system (or active swap area).
 *
 * @param source     what is mounted: a device path like /dev/sdb1, or a file, or a pseudo name
 * @param mountPoint where ("[swap]" for swap)
 * @param majorMinor "8:17" from /proc/self/mountinfo, or null when unknown
 */
public record MountEntry(String source, String mountPoint, String majorMinor) {
}
