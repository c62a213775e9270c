package dev.spinet.interop;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spinet.testkit.Netns;
import dev.spinet.cli.SpinetProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code spinet run} inside a network namespace of its own, with the kernel's side of the
 * TAP addressed, plus the clients the interop tests drive it with: curl, nc, ping and the Python
 * kernel-socket client ({@code kernel_client.py}, copied to a temporary directory). Everything
 * runs inside the namespace; nothing is configured in the host's. {@link #close()} stops Spinet
 * with SIGINT (it must exit 0) and deletes the namespace.
 */
final class InteropBoard implements AutoCloseable {

    static final String TAP = "sp0";

    final Netns netns;
    final SpinetProcess spinet;
    final String hal;
    final String boardIp;
    final String kernelIp;
    final Path workDir;
    final Path client;
    private int exitStatus = Integer.MIN_VALUE;

    private InteropBoard(Netns netns, SpinetProcess spinet, String hal, String boardIp, String kernelIp, Path workDir, Path client) {
        this.netns = netns;
        this.spinet = spinet;
        this.hal = hal;
        this.boardIp = boardIp;
        this.kernelIp = kernelIp;
        this.workDir = workDir;
        this.client = client;
    }

    /**
     * Starts {@code spinet run --hal HAL --tap sp0 --ip BOARD/24 --services echo,discard,chargen,http}
     * in namespace {@code spinet-PURPOSE-PID}, waits for the ready line, then gives the kernel's
     * side of the TAP {@code kernelIp/24}.
     */
    static InteropBoard start(String purpose, String hal, String boardIp, String kernelIp, String... extraRunArgs) throws Exception {
        Netns netns = Netns.create(purpose, "python3", "curl", "nc", "ping");
        SpinetProcess spinet = null;
        try {
            Path workDir = Files.createTempDirectory("spinet-interop-");
            Path client = copyClient(workDir);
            netns.execOk(10, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            List<String> args = new ArrayList<>(List.of("run", "--hal", hal, "--tap", TAP, "--ip", boardIp + "/24",
                    "--services", "echo,discard,chargen,http"));
            args.addAll(List.of(extraRunArgs));
            spinet = new SpinetProcess(netns, args.toArray(new String[0]));
            SpinetProcess started = spinet;
            String ready = spinet.awaitLine("spinet ready", 60_000);
            assertNotNull(ready, () -> "no ready line; stdout:\n" + started.stdout() + "\nstderr:\n" + started.stderr());
            assertTrue(ready.startsWith("spinet ready ip=" + boardIp + " hal=" + hal + " mac="), ready);
            netns.execOk(10, "ip", "addr", "add", kernelIp + "/24", "dev", TAP);
            netns.execOk(10, "ip", "link", "set", TAP, "up");
            return new InteropBoard(netns, spinet, hal, boardIp, kernelIp, workDir, client);
        } catch (Throwable t) {
            if (spinet != null) {
                spinet.close();
            }
            netns.close();
            throw t;
        }
    }

    static Path copyClient(Path workDir) throws IOException {
        Path client = workDir.resolve("kernel_client.py");
        try (InputStream in = InteropBoard.class.getResourceAsStream("kernel_client.py")) {
            assertNotNull(in, "kernel_client.py is missing from the test resources");
            Files.copy(in, client);
        }
        return client;
    }

    /** Runs a kernel_client.py command inside the namespace; fails unless it prints {@code COMMAND-ok}. */
    String python(int timeoutSeconds, String command, String... args) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("python3", client.toString(), command));
        full.addAll(List.of(args));
        Netns.Result result = netns.exec(timeoutSeconds, full.toArray(new String[0]));
        String output = result.output().strip();
        if (result.status() != 0 || !output.startsWith(command + "-ok")) {
            fail(hal + ": kernel_client.py " + String.join(" ", full.subList(2, full.size())) + " -> status " + result.status()
                    + ": " + output + diagnostics());
        }
        return output;
    }

    /** curl inside the namespace; returns the body, fails on any HTTP or transport error. */
    String curl(String path) throws IOException, InterruptedException {
        Netns.Result result = netns.exec(30, "curl", "-sS", "--fail", "--max-time", "10", "http://" + boardIp + path);
        if (result.status() != 0) {
            fail(hal + ": curl " + path + " -> status " + result.status() + ": " + result.output() + diagnostics());
        }
        return result.output();
    }

    /** Fetches /status.json with curl and parses it strictly (Python's json module) into path=value pairs. */
    Map<String, String> status() throws IOException, InterruptedException {
        Path file = workDir.resolve("status.json");
        Files.deleteIfExists(file);
        Netns.Result fetched = netns.exec(30, "curl", "-sS", "--fail", "--max-time", "10", "-o", file.toString(),
                "http://" + boardIp + "/status.json");
        if (fetched.status() != 0) {
            fail(hal + ": curl /status.json -> status " + fetched.status() + ": " + fetched.output() + diagnostics());
        }
        String parsed = python(20, "json", file.toString());
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : parsed.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }

    static long number(Map<String, String> status, String path) {
        String value = status.get(path);
        assertNotNull(value, () -> "status.json has no " + path + "; keys: " + status.keySet());
        return Long.parseLong(value);
    }

    /** Polls /status.json until {@code tcp.connections_in_use} is at most {@code max} (the request itself counts). */
    Map<String, String> awaitConnectionsInUseAtMost(long max, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        Map<String, String> status = status();
        while (number(status, "tcp.connections_in_use") > max && System.nanoTime() - deadline < 0) {
            Thread.sleep(200);
            status = status();
        }
        return status;
    }

    /** The parts of a status worth printing in a failure: connections, services, closes and non-zero counters. */
    static String summary(Map<String, String> status) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : status.entrySet()) {
            String key = e.getKey();
            boolean counter = key.contains(".counters.");
            if (key.startsWith("diagram.") || (counter && "0".equals(e.getValue()))) {
                continue;
            }
            out.append(key).append('=').append(e.getValue()).append(counter ? "  " : "\n");
        }
        return out.toString();
    }

    String diagnostics() {
        return "\n--- spinet stdout:\n" + spinet.stdout() + "\n--- spinet stderr:\n" + spinet.stderr();
    }

    /** SIGINT, expecting exit status 0 (reported by {@link #exitStatus()}), then deletes the namespace. */
    @Override
    public void close() throws Exception {
        try {
            if (spinet.isAlive()) {
                exitStatus = spinet.interruptAndWait(20);
            }
        } finally {
            spinet.close();
            netns.close();
            try (var files = Files.list(workDir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(workDir);
        }
    }

    int exitStatus() {
        return exitStatus;
    }
}
