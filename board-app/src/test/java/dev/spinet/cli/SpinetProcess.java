package dev.spinet.cli;

import dev.spinet.testkit.Netns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code spinet} as a child process inside a namespace, started with this JVM and this test's
 * class path (the shaded jar is built only after the tests run). Collects stdout and stderr
 * lines; {@link #awaitLine} waits for one with a given prefix.
 */
public final class SpinetProcess implements AutoCloseable {

    private final Process process;
    private final LinkedBlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final List<String> stdout = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();

    public SpinetProcess(Netns netns, String... args) throws IOException {
        this(netns, SpinetMain.class, args);
    }

    /** Any main class of this class path (a test probe, for example) instead of {@code spinet}. */
    public SpinetProcess(Netns netns, Class<?> mainClass, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = netns.inside(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), mainClass.getName());
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        Thread.ofVirtual().start(() -> pump(process.inputReader(StandardCharsets.UTF_8), true));
        Thread.ofVirtual().start(() -> pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false));
    }

    private void pump(BufferedReader reader, boolean isStdout) {
        try (reader) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (isStdout) {
                    synchronized (stdout) {
                        stdout.add(line);
                    }
                    stdoutLines.add(line);
                } else {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // The process ended.
        }
    }

    /** The first stdout line starting with {@code prefix} within the timeout, or null. */
    public String awaitLine(String prefix, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() - deadline < 0) {
            String line = stdoutLines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive() && stdoutLines.isEmpty()) {
                return null;
            }
        }
        return null;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGINT (what Ctrl-C sends) and waits for the exit status; -1 on timeout. */
    public int interruptAndWait(long timeoutSeconds) throws IOException, InterruptedException {
        Netns.run(5, "kill", "-INT", Long.toString(process.pid()));
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            return -1;
        }
        return process.exitValue();
    }

    /** Waits for the process to end by itself; its exit status, or -1 on timeout. */
    public int waitForExit(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            return -1;
        }
        return process.exitValue();
    }

    public String stdout() {
        synchronized (stdout) {
            return String.join("\n", stdout);
        }
    }

    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
