package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spinet.app.Spinet;
import dev.spinet.hal.linux.Libc;
import dev.spinet.hal.linux.TapDevice;
import dev.spinet.testkit.Netns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Spinet started in this JVM with {@link Spinet#start} on a TAP ({@code --hal tap}), the TAP's
 * kernel side moved into a network namespace of the test's own and addressed
 * {@code 10.83.SUBNET.1/24} there (Spinet is {@code .2}), plus kernel-side programs started in
 * that namespace. Nothing is configured or sent in the host's namespace: the TAP is opened
 * there, down and silent, and moved at once. {@link #close()} stops the programs and Spinet and
 * deletes the namespace.
 */
final class SpinetOnTap implements AutoCloseable {

    final Netns netns;
    final Spinet spinet;
    final String kernelIp;
    final String boardIp;
    final String tap;
    final Path workDir;
    private final List<Process> processes = new ArrayList<>();

    private SpinetOnTap(Netns netns, Spinet spinet, String kernelIp, String boardIp, String tap, Path workDir) {
        this.netns = netns;
        this.spinet = spinet;
        this.kernelIp = kernelIp;
        this.boardIp = boardIp;
        this.tap = tap;
        this.workDir = workDir;
    }

    /**
     * @param purpose short name for the namespace ({@code spinet-PURPOSE-PID}) and the TAP
     * @param runArguments more {@code spinet run} options, e.g. {@code --connections 1024}; without
     *                     {@code --hal} the HAL is {@code tap}
     */
    static SpinetOnTap start(String purpose, int subnet, String[] tools, String... runArguments) throws Exception {
        Netns.requireOrSkip(Libc.isSupportedPlatform(), "needs 64-bit Linux");
        Netns.requireOrSkip(Files.exists(Path.of(TapDevice.TUN_PATH)), "needs " + TapDevice.TUN_PATH);
        Netns netns = Netns.create(purpose, tools);
        Spinet spinet = null;
        try {
            String tap = ("sk" + purpose + ProcessHandle.current().pid());
            tap = tap.substring(0, Math.min(15, tap.length()));
            String kernelIp = "10.83." + subnet + ".1";
            String boardIp = "10.83." + subnet + ".2";
            List<String> arguments = new ArrayList<>(List.of("--tap", tap, "--ip", boardIp + "/24"));
            arguments.addAll(List.of(runArguments));
            if (!arguments.contains("--hal")) {
                arguments.addAll(List.of("--hal", "tap"));
            }
            netns.execOk(10, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            spinet = Spinet.start(arguments.toArray(new String[0]));
            netns.adoptLink(tap, kernelIp + "/24");
            Path workDir = Files.createTempDirectory("spinet-sockets-");
            try (InputStream in = SpinetOnTap.class.getResourceAsStream("socket_peers.py")) {
                assertNotNull(in, "socket_peers.py is missing from the test resources");
                Files.copy(in, workDir.resolve("socket_peers.py"));
            }
            return new SpinetOnTap(netns, spinet, kernelIp, boardIp, tap, workDir);
        } catch (Throwable t) {
            if (spinet != null) {
                spinet.close();
            }
            netns.close();
            throw t;
        }
    }

    String peers() {
        return workDir.resolve("socket_peers.py").toString();
    }

    /**
     * Starts {@code command} inside the namespace and waits (at most 20 s) for a line of its
     * output containing {@code readyText}; it is stopped at {@link #close()}.
     */
    Process background(String readyText, String... command) throws Exception {
        Process process = new ProcessBuilder(netns.inside(command)).redirectErrorStream(true).start();
        processes.add(process);
        process.getOutputStream().close();
        CompletableFuture<String> ready = new CompletableFuture<>();
        StringBuilder seen = new StringBuilder();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    synchronized (seen) {
                        seen.append(line).append('\n');
                    }
                    if (line.contains(readyText)) {
                        ready.complete(line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.complete(null);
        });
        String line = ready.get(20, TimeUnit.SECONDS);
        if (line == null) {
            synchronized (seen) {
                fail(String.join(" ", command) + " did not print '" + readyText + "': " + seen);
            }
        }
        return process;
    }

    @Override
    public void close() throws Exception {
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        spinet.close();
        netns.close();
    }
}
