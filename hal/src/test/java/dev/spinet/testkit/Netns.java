package dev.spinet.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace a test creates for itself: everything that puts packets on an interface
 * runs inside it, and {@link #close()} deletes it (with every interface moved into it). Missing
 * preconditions (root, iproute2, other tools) skip the test with a message, except under
 * {@code CI=true}, where the CI job runs as root with the tools installed and a skip would hide
 * a broken environment, so they fail it.
 */
public final class Netns implements AutoCloseable {

    /** {@code spinet-<purpose>-<pid>}: the pid keeps parallel builds apart. */
    public final String name;

    private Netns(String name) {
        this.name = name;
    }

    /** Creates {@code spinet-<purpose>-<pid>} after checking root, {@code ip} and {@code tools}. */
    public static Netns create(String purpose, String... tools) throws IOException, InterruptedException {
        requireOrSkip(isRoot(), "needs root (creates a network namespace and a TAP)");
        List<String> needed = new ArrayList<>(List.of("ip"));
        needed.addAll(List.of(tools));
        for (String tool : needed) {
            requireOrSkip(onPath(tool), "needs '" + tool + "' on the PATH");
        }
        String name = "spinet-" + purpose + "-" + ProcessHandle.current().pid();
        run(10, "ip", "netns", "del", name); // a leftover from a killed run
        Result created = run(10, "ip", "netns", "add", name);
        requireOrSkip(created.status == 0, "cannot create a network namespace: " + created.output.strip());
        Netns netns = new Netns(name);
        netns.exec(10, "ip", "link", "set", "lo", "up");
        return netns;
    }

    /** Passes when {@code condition} holds; otherwise skips the test, or fails it under CI=true. */
    public static void requireOrSkip(boolean condition, String message) {
        if (condition) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true but this test " + message);
        }
        Assumptions.abort("skipped: this test " + message + " (run as root with iproute2, or set CI=true to make this a failure)");
    }

    /** The reason this process cannot run namespace tests, or null when it can (for callers that decide later). */
    public static String missingPrerequisite(String... tools) {
        if (!isRoot()) {
            return "needs root (creates a network namespace and a TAP)";
        }
        List<String> needed = new ArrayList<>(List.of("ip"));
        needed.addAll(List.of(tools));
        for (String tool : needed) {
            if (!onPath(tool)) {
                return "needs '" + tool + "' on the PATH";
            }
        }
        return null;
    }

    public static boolean isRoot() {
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

    public static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** The command prefixed with {@code ip netns exec NAME}. */
    public List<String> inside(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return full;
    }

    public Result exec(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        return run(timeoutSeconds, inside(command).toArray(new String[0]));
    }

    /** Runs inside the namespace and fails the test unless it exits 0. */
    public String execOk(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Result result = exec(timeoutSeconds, command);
        assertEquals(0, result.status, () -> String.join(" ", command) + " failed: " + result.output);
        return result.output;
    }

    /**
     * Moves {@code link} (for example a TAP this process opened in the host namespace, where it
     * stays down and silent) into this namespace, gives it {@code cidr} and brings it up.
     */
    public void adoptLink(String link, String cidr) throws IOException, InterruptedException {
        runOk(10, "ip", "link", "set", link, "netns", name);
        execOk(10, "ip", "addr", "add", cidr, "dev", link);
        execOk(10, "ip", "link", "set", link, "up");
    }

    public record Result(int status, String output) {
    }

    /** Runs a command (stdin closed, stdout and stderr merged) for at most {@code timeoutSeconds}. */
    public static Result run(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[][] output = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                output[0] = process.getInputStream().readAllBytes();
            } catch (IOException e) {
                output[0] = new byte[0];
            }
        });
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            reader.join(1000);
            return new Result(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
        }
        reader.join(5000);
        return new Result(process.exitValue(), output[0] == null ? "" : new String(output[0], StandardCharsets.UTF_8));
    }

    /** {@link #run}, failing the test unless the command exits 0; returns its output. */
    public static String runOk(int timeoutSeconds, String... command) throws IOException, InterruptedException {
        Result result = run(timeoutSeconds, command);
        if (result.status != 0) {
            fail(String.join(" ", command) + " exited " + result.status + ": " + result.output);
        }
        return result.output;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(20, "ip", "netns", "del", name);
    }
}
