package dev.spinet.cli;

import dev.spinet.app.DigRunner;
import dev.spinet.app.RunOptions;
import dev.spinet.dns.DnsMessage;
import dev.spinet.hal.clock.NanoClock;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spinet dig NAME}: one DNS lookup through Spinet's own stack and resolver (UDP, and TCP
 * for a truncated answer), printed as host(1) prints it. A quick check of a board's network: the
 * address comes from {@code --ip} or DHCP, the server from {@code --server} or the DHCP lease.
 *
 * <p>Exit status: 0 when the name has addresses, 1 when the lookup failed or the board could not
 * start, 2 for bad options. Errors are one line on stderr.
 */
@Command(name = "dig", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Look a name up with Spinet's resolver (A records, aliases, truncated answers over TCP) and print the answer.",
                "The board gets its address from --ip (or DHCP); the DNS server is --server or the DHCP lease's."},
        footer = {"", "Examples:",
                "  spinet dig www.example.com --hal tap --tap sp0 --ip 10.77.0.2/24 --server 10.77.0.1",
                "  spinet dig www.example.com --hal w5500 --ip dhcp",
                "Exit status: 0 found, 1 not found or cannot start, 2 bad options."})
final class DigCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The host name to look up.")
    String name;

    @Option(names = "--server", paramLabel = "A.B.C.D[,...]", description = "DNS servers to ask (up to 3; default: the DHCP lease's).")
    String server;

    @Option(names = "--hal", paramLabel = "HAL", defaultValue = "tap",
            description = "tap, sim-w5500, sim-enc28j60, w5500 or enc28j60 (default ${DEFAULT-VALUE}).")
    String hal;

    @Option(names = "--ip", paramLabel = "A.B.C.D/NN", required = true, description = "The board's address and prefix length, or 'dhcp'.")
    String ip;

    @Option(names = "--gateway", paramLabel = "A.B.C.D", description = "Default gateway (for a server outside the subnet).")
    String gateway;

    @Option(names = "--mac", paramLabel = "MAC", description = "The board's MAC (default: the HAL's).")
    String mac;

    @Option(names = "--tap", paramLabel = "NAME", defaultValue = "spinet0", description = "TAP interface for tap and sim-* (default ${DEFAULT-VALUE}).")
    String tap;

    @Option(names = "--spi-hz", paramLabel = "N", defaultValue = "0", description = "SPI clock in Hz (default: the chip's).")
    int spiHz;

    @Mixin
    ChipWiring wiring;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after this long (default: the resolver's retries, 7 s per server).")
    Double timeoutSeconds;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        RunOptions options;
        int[] servers;
        Duration timeout = null;
        try {
            options = boardOptions();
            servers = DnsServerOption.parse("--server", server);
            if (timeoutSeconds != null) {
                if (!(timeoutSeconds > 0 && timeoutSeconds <= 600)) {
                    throw new IllegalArgumentException("--timeout " + timeoutSeconds + ": must be above 0 and at most 600 seconds");
                }
                timeout = Duration.ofNanos((long) (timeoutSeconds * 1e9));
            }
            if (name.contains(":")) {
                throw new IllegalArgumentException(name + ": IPv6 is not supported yet; give a host name or an IPv4 address");
            }
            if (!name.matches("[0-9.]+")) {
                DnsMessage.encodeName(name, new byte[DnsMessage.MAX_NAME_LENGTH]);
            }
        } catch (IllegalArgumentException e) {
            err.println("spinet dig: " + e.getMessage());
            err.flush();
            return RunCommand.EXIT_USAGE;
        }
        try {
            return new DigRunner(options, name, servers, timeout, out, err, NanoClock.SYSTEM).run();
        } catch (RuntimeException e) {
            err.println("spinet dig: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return RunCommand.EXIT_CANNOT_START;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("spinet dig: interrupted");
            err.flush();
            return RunCommand.EXIT_CANNOT_START;
        }
    }

    /** The board's options checked as {@code spinet run} checks them, with no services. */
    private RunOptions boardOptions() {
        RunCommand run = new RunCommand();
        run.hal = hal;
        run.ip = ip;
        run.gateway = gateway;
        run.mac = mac;
        run.services = "none";
        run.tap = tap;
        run.spi = wiring.spi;
        run.spiHz = spiHz;
        run.intPin = wiring.intPin;
        run.resetPin = wiring.resetPin;
        run.gpiochip = wiring.gpiochip;
        run.connections = 2;
        run.bufferBytes = 4096;
        return run.validate();
    }
}
