package dev.spinet.cli;

import static org.junit.jupiter.api.Assertions.fail;

import dev.spinet.testkit.Netns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Headless Chromium (Debian package {@code chromium}) run inside a test's network namespace, so
 * it reaches a board on that namespace's TAP as a student's browser would. Each call uses a fresh
 * profile; QUIC, background networking, component updates and sync are off so the browser sends
 * nothing but the page's own requests. Missing Chromium skips, or fails under CI=true.
 */
final class ChromiumInNamespace {

    private final Netns netns;
    private final Path chromium;

    ChromiumInNamespace(Netns netns) {
        this.netns = netns;
        Path found = null;
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(candidate))) {
                found = Path.of(candidate);
                break;
            }
        }
        Netns.requireOrSkip(found != null, "needs headless Chromium (apt-get install -y chromium)");
        this.chromium = found;
    }

    /** Loads {@code url} at width x height and writes a PNG screenshot. */
    void screenshot(String url, Path png, int width, int height, int virtualTimeMillis) throws IOException, InterruptedException {
        run(url, virtualTimeMillis, "--hide-scrollbars", "--window-size=" + width + "," + height,
                "--screenshot=" + png.toAbsolutePath());
        if (!Files.exists(png)) {
            fail("headless Chromium wrote no screenshot of " + url);
        }
    }

    /**
     * The DOM after loading {@code url} and letting {@code virtualTimeMillis} of (virtual) time
     * pass, so the page's own timers and fetches run before the DOM is printed.
     */
    String dumpDom(String url, int virtualTimeMillis) throws IOException, InterruptedException {
        return run(url, virtualTimeMillis, "--dump-dom");
    }

    private String run(String url, int virtualTimeMillis, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("spinet-lpg-chromium-");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=" + virtualTimeMillis));
        command.addAll(List.of(extra));
        command.add(url);
        Path stdout = profile.resolve("stdout");
        Path log = profile.resolve("chromium.log");
        try {
            Process process = new ProcessBuilder(netns.inside(command.toArray(new String[0])))
                    .redirectOutput(stdout.toFile()).redirectError(log.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                fail("headless Chromium did not finish within 90 s; log: " + Files.readString(log));
            }
            if (process.exitValue() != 0) {
                fail("headless Chromium exited " + process.exitValue() + "; log: " + Files.readString(log));
            }
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            deleteTree(profile);
        }
    }

    /** Best effort: a Chromium helper process still writing its crash database may leave the profile behind in /tmp. */
    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Left for the system's temporary-file cleaning.
        }
    }
}
