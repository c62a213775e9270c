package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Renders a local file to PNG with headless Chromium (Debian package {@code chromium}). Missing
 * Chromium skips the test, except with CI=true, where it fails.
 */
final class HeadlessChromium {

    private HeadlessChromium() {
    }

    static Path executable() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true and headless Chromium is missing: apt-get install -y chromium");
        }
        assumeTrue(false, "headless Chromium not installed (apt-get install -y chromium); skipping the render check");
        return null;
    }

    /** Screenshots {@code page} (a local file) at width x height into {@code png}; returns the image. */
    static BufferedImage screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        Path chromium = executable();
        Path profile = Files.createTempDirectory("spinet-chromium-");
        ProcessBuilder builder = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--hide-scrollbars", "--user-data-dir=" + profile, "--screenshot=" + png.toAbsolutePath(),
                "--window-size=" + width + "," + height, page.toAbsolutePath().toUri().toString());
        builder.redirectErrorStream(true);
        builder.redirectOutput(profile.resolve("chromium.log").toFile());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("headless Chromium did not finish within 60 s; log: " + Files.readString(profile.resolve("chromium.log")));
        }
        if (!Files.exists(png)) {
            fail("headless Chromium wrote no screenshot (exit " + process.exitValue() + "); log: "
                    + Files.readString(profile.resolve("chromium.log")));
        }
        return ImageIO.read(png.toFile());
    }

    /**
     * Loads {@code page} (a local file) and returns the DOM after its scripts ran ({@code --dump-dom}):
     * how a test has Chromium measure what it laid out.
     */
    static String dumpDom(Path page) throws IOException, InterruptedException {
        Path chromium = executable();
        Path profile = Files.createTempDirectory("spinet-chromium-");
        Path dom = profile.resolve("dom.html");
        ProcessBuilder builder = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--dump-dom", page.toAbsolutePath().toUri().toString());
        builder.redirectError(profile.resolve("chromium.log").toFile());
        builder.redirectOutput(dom.toFile());
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("headless Chromium did not finish within 120 s; log: " + Files.readString(profile.resolve("chromium.log")));
        }
        return Files.readString(dom);
    }

    /** Variance of the pixels' luminance (0 for a blank image). */
    static double luminanceVariance(BufferedImage image) {
        double sum = 0;
        double squares = 0;
        long n = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                double l = 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
                sum += l;
                squares += l * l;
                n++;
            }
        }
        double mean = sum / n;
        return squares / n - mean * mean;
    }

    /** Pixels close to a colour (to check that a highlight was drawn). */
    static long pixelsNear(BufferedImage image, int rgb, int tolerance) {
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs(((p >> 16) & 0xFF) - ((rgb >> 16) & 0xFF)) <= tolerance
                        && Math.abs(((p >> 8) & 0xFF) - ((rgb >> 8) & 0xFF)) <= tolerance
                        && Math.abs((p & 0xFF) - (rgb & 0xFF)) <= tolerance) {
                    count++;
                }
            }
        }
        return count;
    }
}
