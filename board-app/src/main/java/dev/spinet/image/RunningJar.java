package dev.spinet.image;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * Finds the jar to install on the boards: {@code --jar PATH}, or else the jar this command runs
 * from (the shaded {@code spinet.jar} the launcher starts).
 */
final class RunningJar {

    private RunningJar() {
    }

    /** Where the class files of this command were loaded from (a jar, or a classes folder in development). */
    static Path codeSource() {
        CodeSource source = RunningJar.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            return Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    static Path resolve(Path explicitJar, Path codeSource) {
        if (explicitJar != null) {
            if (!Files.isRegularFile(explicitJar)) {
                throw new ImageException(ImageException.BAD_INPUT, "--jar " + explicitJar
                        + " is not a file; build it with ./mvnw -pl board-app -am package (gives board-app/target/spinet.jar)");
            }
            return explicitJar;
        }
        if (codeSource != null && Files.isRegularFile(codeSource) && codeSource.toString().endsWith(".jar")) {
            return codeSource;
        }
        throw new ImageException(ImageException.BAD_INPUT, "cannot tell which spinet jar to install: this"
                + " command runs from " + (codeSource == null ? "an unknown location" : codeSource)
                + ", not from a jar. Pass --jar board-app/target/spinet.jar (build it with"
                + " ./mvnw -pl board-app -am package).");
    }
}
