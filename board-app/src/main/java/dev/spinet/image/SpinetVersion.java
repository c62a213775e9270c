package dev.spinet.image;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The spinet version this code was built as (Maven project version, filtered into a resource at build time). */
public final class SpinetVersion {

    private SpinetVersion() {
    }

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
}
