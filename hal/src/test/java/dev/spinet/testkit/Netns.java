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
 * A network namespace a test creates for itself (BRIEF "Network safety"): everything that puts
 * packets on an interface runs inside it, and {@link #close()} deletes it. Tools a test needs
 * are checked first: missing root or tools skip the test, except with CI=true, where they fail.
 */
public final class Netns implements AutoCloseable {

    public final String name;

    private Netns(String name) {
        this.name = name;
    }

    /** Creates {@code spinet-<purpose>-<pid>} after checking root and the tools. */
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

    public static void requireOrSkip(boolean condition, String message) {
        if (condition) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("CI=true but this test " + message);
        }
        Assumptions.abort("skipped: this test " + message);
    }

    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
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

    public record Result(int status, String output) {
    }

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

    @Override
    public void close() throws IOException, InterruptedException {
        run(20, "ip", "netns", "del", name);
    }
}
