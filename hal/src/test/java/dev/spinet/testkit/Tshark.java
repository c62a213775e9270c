package dev.spinet.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Wireshark's tshark, for tests that have captures read back by a decoder Spinet did not write.
 * Such a test skips where tshark is not installed, except under CI=true, where it fails.
 */
public final class Tshark {

    private Tshark() {
    }

    /** Skips the calling test without tshark on the PATH (fails it when CI=true). */
    public static void requireOrSkip() throws Exception {
        boolean present = onPath();
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(present, "CI=true but tshark is not installed: apt-get install -y -q tshark");
        }
        Assumptions.assumeTrue(present, "tshark not installed (apt-get install -y -q tshark); skipping the Wireshark check");
    }

    /** Runs tshark with {@code arguments}; fails unless it exits 0 within 60 s. Returns its standard output. */
    public static String run(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("tshark"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tshark did not finish within 60 s");
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
        return new String(output, StandardCharsets.UTF_8);
    }

    private static boolean onPath() throws Exception {
        Process process = new ProcessBuilder("sh", "-c", "command -v tshark").redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
    }
}
