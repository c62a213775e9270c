package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Preconditions and command running for tests that need root, /dev/net/tun and iproute2. Missing
 * preconditions skip the test with a message, except when CI=true, where they fail it.
 */
final class NetnsEnvironment {

    private NetnsEnvironment() {
    }

    static void require(boolean condition, String whatIsMissing) {
        if (condition) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail(whatIsMissing + " (CI=true: required)");
        }
        assumeTrue(false, whatIsMissing + ": skipping (run as root with /dev/net/tun and iproute2, or set CI=true to make this a failure)");
    }

    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // effective uid
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** Runs a command (at most 10 s) and returns its output; fails the test on a non-zero exit. */
    static String run(String... command) throws IOException, InterruptedException {
        Result result = runQuietly(command);
        if (result.exitCode != 0) {
            fail(String.join(" ", command) + " exited " + result.exitCode + ": " + result.output);
        }
        return result.output;
    }

    record Result(int exitCode, String output) {
    }

    static Result runQuietly(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
