package dev.spinet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version this code was built as: the Maven project version, filtered into
 * {@code build-info.properties} at build time. {@code spinet --version} prints it, and
 * {@code spinet image build} records it in every image.
 */
public final class SpinetVersion implements IVersionProvider {

    /** The project version, or {@code unknown} when the classes run unfiltered (from an IDE's output folder). */
    public static String get() {
        try (InputStream in = SpinetVersion.class.getResourceAsStream("build-info.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"spinet " + get() + " (Java " + Runtime.version() + ")"};
    }
}
