package dev.spinet.studio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spinet.cli.SpinetMain;
import dev.spinet.lab.FilteredLink;
import dev.spinet.lab.Lab;
import dev.spinet.lab.LabCatalogue;
import dev.spinet.lab.LabReportHtml;
import dev.spinet.lab.LabResult;
import dev.spinet.lab.LabSession;
import dev.spinet.lab.Side;
import dev.spinet.testkit.Tshark;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab studio in real Chromium, driven by Playwright ({@code playwright-core}, pinned in
 * {@code src/test/browser/package-lock.json}, installed by {@code npm ci} into
 * {@code target/studio-browser} when missing): a student steps the handshake lab, predicts one
 * state right and one wrong, steps to the end and saves the run; starts again, drops a segment,
 * presses ABORT on A and downloads capture and report. The files must be byte for byte what {@code spinet lab run
 * handshake} writes, and for the changed run what a {@link LabSession} stepped through the
 * engine's API with the same drop and abort records; tshark must decode every frame without complaint.
 *
 * <p>Skips without Chromium, node or npm, except with CI=true, where that fails. The picture it
 * takes is docs/lab-studio.png's source ({@code target/lab-studio.png}).
 */
class LabStudioBrowserTest {

    private static final String LAB = "handshake";
    /** Send it three times (READY, A's SYN, B's SYN+ACK): A's ACK is then the pending segment, and is dropped. */
    private static final int PASSES_BEFORE_DROP = 3;
    private static final Path BROWSER_SOURCES = Path.of("src/test/browser");
    private static final Path BROWSER_DIR = Path.of("target/studio-browser");

    @Test
    void aStudentStepsDropsPredictsAndSavesWhatLabRunWrites(@TempDir Path out) throws Exception {
        Path chromium = require(firstExecutable("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"),
                "headless Chromium (apt-get install -y chromium)");
        Path node = require(onPath("node"), "node (apt-get install -y nodejs)");
        Path npm = require(onPath("npm"), "npm (apt-get install -y npm)");
        installPlaywright(npm);

        Lab lab = LabCatalogue.standard().lab(LAB);
        Map<String, String> saw;
        try (StudioServer studio = StudioServer.start(0, dev.spinet.lab.LabLanguage.EN, LAB, out)) {
            saw = drive(node, studio, out);
        }
        String errors = saw.entrySet().stream().filter(e -> e.getKey().startsWith("error.")).map(Map.Entry::getValue).toList().toString();
        assertEquals("0", saw.get("errors"), "the page or the driver reported errors: " + errors + "\nall: " + saw);

        assertEquals("Spinet lab studio", saw.get("title"));
        assertEquals("READY", saw.get("phase.start"));
        assertTrue(saw.get("pending.1").contains("Flags [S]"), saw.get("pending.1"));
        assertEquals("true", saw.get("pass.disabled.while.predicting"), "a prediction is asked for before the step");
        assertTrue(saw.get("prompt").contains("Which state does B enter"), saw.get("prompt"));
        assertEquals("Right: B entered SYN_RECEIVED.", saw.get("verdict.1"));
        assertEquals("Not this time: you said LISTEN, A entered ESTABLISHED.", saw.get("verdict.2"));
        assertEquals("1", saw.get("score.right"));
        assertEquals("1", saw.get("score.wrong"));
        assertEquals("Score: 1 right, 1 wrong", saw.get("score.text"));
        assertEquals("FINISHED", saw.get("phase.run1"));
        assertTrue(saw.get("result.run1").contains("Both sides walked the edges the lab expects"), saw.get("result.run1"));

        // ---- run 1 against `spinet lab run handshake --out DIR` ----
        Path labRun = out.resolve("lab-run");
        assertEquals(0, SpinetMain.commandLine().execute("lab", "run", LAB, "--out", labRun.toString()));
        Path savedPcap = out.resolve("unchanged").resolve(LAB + ".pcapng");
        Path savedReport = out.resolve("unchanged").resolve(LAB + ".html");
        assertTrue(saw.get("saved.run1").contains(savedPcap.toString()), saw.get("saved.run1"));
        assertArrayEquals(Files.readAllBytes(labRun.resolve(LAB + ".pcapng")), Files.readAllBytes(savedPcap),
                "the capture saved from the studio differs from lab run's");
        assertEquals(Files.readString(labRun.resolve(LAB + ".html")), Files.readString(savedReport),
                "the report saved from the studio differs from lab run's");

        // ---- run 2 against the same drop made through the engine's API ----
        assertEquals("READY", saw.get("phase.run2"));
        assertTrue(saw.get("dropped").contains("Flags [.]"), "A's ACK was pending: " + saw.get("dropped"));
        assertTrue(saw.get("pending.after.drop").contains("Flags [S.]"), "B sends its SYN+ACK again: " + saw.get("pending.after.drop"));
        assertEquals("A ABORT: happens as soon as the pending segment has gone (press a step button).", saw.get("notice.abort"));
        assertEquals("FINISHED", saw.get("phase.run2.end"));
        assertTrue(Integer.parseInt(saw.get("unplanned.run2")) > 0, "the abort makes transitions the lab did not plan: " + saw);
        assertTrue(saw.get("result.run2").startsWith("The scenario stopped"), saw.get("result.run2"));
        assertEquals(LAB + ".pcapng", saw.get("download." + LAB + ".pcapng"));
        assertEquals(LAB + ".html", saw.get("download." + LAB + ".html"));
        LabResult dropped;
        try (LabSession session = new LabSession(lab, 1)) {
            for (int i = 0; i < PASSES_BEFORE_DROP; i++) {
                session.step(FilteredLink.Verdict.PASS);
            }
            session.step(FilteredLink.Verdict.DROP);
            session.command(Side.A, LabSession.Command.ABORT);
            assertEquals(LabSession.Phase.FINISHED, session.finish(10_000));
            dropped = session.result();
        }
        Path downloadedPcap = out.resolve("dropped").resolve(LAB + ".pcapng");
        assertArrayEquals(dropped.pcapng(), Files.readAllBytes(downloadedPcap), "the downloaded capture differs from the engine's");
        assertEquals(LabReportHtml.render(dropped, LAB + ".pcapng"), Files.readString(out.resolve("dropped").resolve(LAB + ".html")));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(savedPcap), Files.readAllBytes(downloadedPcap)), "the drop changed the run");
        assertTrue(new String(dropped.pcapng(), StandardCharsets.ISO_8859_1).contains("LOST: dropped by the lab before the wire"));

        // ---- Wireshark reads both captures, every frame, nothing malformed ----
        Tshark.requireOrSkip();
        LabResult unchanged = dev.spinet.lab.LabRun.run(lab, 1);
        for (Map.Entry<Path, Integer> capture : Map.of(savedPcap, unchanged.frames().size(), downloadedPcap, dropped.frames().size()).entrySet()) {
            String frames = Tshark.run("-r", capture.getKey().toString(), "-T", "fields", "-e", "frame.number");
            assertEquals(capture.getValue().intValue(), frames.lines().count(), capture.getKey() + ": " + frames);
            assertEquals("", Tshark.run("-r", capture.getKey().toString(), "-Y", "_ws.malformed || _ws.expert.severity >= error").strip(),
                    capture.getKey() + " has malformed frames");
        }
    }

    /** Runs the Playwright script against the studio; returns what it printed, key by key. */
    private static Map<String, String> drive(Path node, StudioServer studio, Path out) throws IOException, InterruptedException {
        Path screenshot = Path.of("target/lab-studio.png").toAbsolutePath();
        Path log = BROWSER_DIR.resolve("driver.log");
        Process process = new ProcessBuilder(node.toString(), "studio-test.mjs", studio.uri().toString(),
                firstExecutable("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome").toString(),
                out.toAbsolutePath().toString(), screenshot.toString(), String.valueOf(PASSES_BEFORE_DROP))
                .directory(BROWSER_DIR.toFile()).redirectError(log.toFile()).start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(240, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the Playwright driver did not finish within 240 s; its log: " + Files.readString(log));
        }
        Map<String, String> saw = new LinkedHashMap<>();
        for (String line : new String(output, StandardCharsets.UTF_8).lines().toList()) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                saw.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        assertEquals(0, process.exitValue(), "the driver failed: " + saw + "\n" + Files.readString(log));
        return saw;
    }

    /**
     * {@code npm ci} of the pinned playwright-core into target/studio-browser, only when it is not
     * there already at the pinned version (quiet: no audit, no funding notes).
     */
    private static void installPlaywright(Path npm) throws IOException, InterruptedException {
        Files.createDirectories(BROWSER_DIR);
        boolean changed = false;
        for (String file : List.of("package.json", "package-lock.json", "studio-test.mjs")) {
            Path target = BROWSER_DIR.resolve(file);
            byte[] source = Files.readAllBytes(BROWSER_SOURCES.resolve(file));
            if (!Files.exists(target) || !java.util.Arrays.equals(source, Files.readAllBytes(target))) {
                Files.copy(BROWSER_SOURCES.resolve(file), target, StandardCopyOption.REPLACE_EXISTING);
                changed |= !file.endsWith(".mjs");
            }
        }
        Path installed = BROWSER_DIR.resolve("node_modules/playwright-core/package.json");
        if (!changed && Files.exists(installed)) {
            return;
        }
        Path log = BROWSER_DIR.resolve("npm.log");
        Process process = new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund", "--quiet", "--ignore-scripts")
                .directory(BROWSER_DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("npm ci of playwright-core did not finish within 300 s: " + Files.readString(log));
        }
        if (process.exitValue() != 0) {
            String why = "npm ci of playwright-core failed (no registry?): " + Files.readString(log);
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.assumeTrue(false, why + "; skipping the browser test");
        }
    }

    private static Path require(Path tool, String what) {
        if (tool == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true and " + what + " is missing");
            }
            Assumptions.assumeTrue(false, what + " is not installed; skipping the studio's browser test");
        }
        return tool;
    }

    private static Path firstExecutable(String... candidates) {
        for (String candidate : candidates) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        return null;
    }

    private static Path onPath(String command) {
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(":")) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
