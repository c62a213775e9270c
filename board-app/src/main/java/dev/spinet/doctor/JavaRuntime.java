package dev.spinet.doctor;

/**
 * The JVM running Spinet, as {@code spinet doctor} judges it.
 *
 * @param version   {@code Runtime.version()} as text, such as {@code 25+36-LTS} or {@code 25-ea+32-Debian-1}
 * @param feature   the feature release (25)
 * @param earlyAccess whether the version has a pre-release tag ({@code ea}): Debian Trixie's
 *                  openjdk-25 package is such a build (25~32ea)
 * @param vendor    {@code java.vendor}
 * @param arch      {@code os.arch} ({@code aarch64}, {@code amd64}, {@code arm})
 * @param dataModel {@code sun.arch.data.model}: 64 or 32
 */
public record JavaRuntime(String version, int feature, boolean earlyAccess, String vendor, String arch, int dataModel) {

    /** This JVM. */
    public static JavaRuntime current() {
        Runtime.Version v = Runtime.version();
        int bits;
        try {
            bits = Integer.parseInt(System.getProperty("sun.arch.data.model", "64"));
        } catch (NumberFormatException e) {
            bits = 64;
        }
        return new JavaRuntime(v.toString(), v.feature(), v.pre().isPresent(), System.getProperty("java.vendor", "?"),
                System.getProperty("os.arch", "?"), bits);
    }
}
