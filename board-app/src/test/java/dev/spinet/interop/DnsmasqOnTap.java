package dev.spinet.interop;

import static org.junit.jupiter.api.Assertions.fail;

import dev.spinet.testkit.Netns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A namespace of its own with a persistent TAP ({@link InteropBoard#TAP}), its kernel side
 * addressed, and Debian's dnsmasq bound to it, started with nothing from the host's
 * configuration ({@code --conf-file=/dev/null}) and the caller's arguments (DHCP ranges, DNS
 * records). Spinet then attaches to that TAP. {@link #close()} stops dnsmasq and deletes the
 * namespace and the work directory.
 */
final class DnsmasqOnTap implements AutoCloseable {

    final Netns netns;
    final Path work;
    final Path log;
    final Process dnsmasq;

    /**
     * @param purpose the namespace's name part ({@code spinet-PURPOSE-PID})
     * @param kernelCidr the kernel side of the TAP, e.g. {@code 10.79.9.1/24}
     * @param readyLine a line dnsmasq logs once it serves (e.g. "DHCP, sockets bound")
     * @param arguments dnsmasq's own arguments beyond the common ones; {@code {work}} in one
     *     stands for the work directory (for a lease file, a hosts file)
     * @param tools what else the test runs in the namespace (checked, or the test skips)
     */
    DnsmasqOnTap(String purpose, String kernelCidr, String readyLine, List<String> arguments, String... tools) throws Exception {
        List<String> needed = new ArrayList<>(List.of("dnsmasq"));
        needed.addAll(List.of(tools));
        netns = Netns.create(purpose, needed.toArray(new String[0]));
        work = Files.createTempDirectory("spinet-dnsmasq-");
        log = work.resolve("dnsmasq.log");
        Process started = null;
        try {
            netns.execOk(10, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            netns.execOk(10, "ip", "tuntap", "add", "dev", InteropBoard.TAP, "mode", "tap");
            netns.execOk(10, "ip", "addr", "add", kernelCidr, "dev", InteropBoard.TAP);
            netns.execOk(10, "ip", "link", "set", InteropBoard.TAP, "up");
            List<String> command = new ArrayList<>(List.of("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                    "--interface=" + InteropBoard.TAP, "--bind-interfaces", "--pid-file=" + work.resolve("dnsmasq.pid"),
                    "--log-facility=" + log));
            for (String argument : arguments) {
                command.add(argument.replace("{work}", work.toString()));
            }
            started = new ProcessBuilder(netns.inside(command.toArray(new String[0])))
                    .redirectErrorStream(true).redirectOutput(work.resolve("dnsmasq.out").toFile()).start();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (started.isAlive() && !logText().contains(readyLine) && System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
            }
            if (!started.isAlive()) {
                fail("dnsmasq exited with " + started.exitValue() + ": " + Files.readString(work.resolve("dnsmasq.out")));
            }
        } catch (Throwable t) {
            if (started != null) {
                started.destroyForcibly();
            }
            netns.close();
            throw t;
        }
        dnsmasq = started;
    }

    String logText() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The log, or a note saying why it cannot be read (for failure messages). */
    String logTextOrEmpty() {
        try {
            return logText();
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    /** Waits up to {@code timeoutMillis} for {@code needle} in the log; returns the log then. */
    String awaitLog(String needle, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        String text = logText();
        while (!text.contains(needle) && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
            text = logText();
        }
        return text;
    }

    @Override
    public void close() throws Exception {
        try {
            dnsmasq.destroy();
            if (!dnsmasq.waitFor(5, TimeUnit.SECONDS)) {
                dnsmasq.destroyForcibly();
            }
            try (var files = Files.list(work)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        } finally {
            netns.close();
        }
    }
}
