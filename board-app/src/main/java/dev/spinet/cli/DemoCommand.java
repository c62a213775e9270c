package dev.spinet.cli;

import dev.spinet.app.Demo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code spinet demo}: the no-hardware default. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Two simulated boards on a virtual wire: ARP, ping with simulated round-trip times. No hardware, no root.")
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--pings", defaultValue = "4", description = "Echo requests to send (default ${DEFAULT-VALUE}).")
    int pings;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Also capture every frame on the wire to FILE (pcap; opens in Wireshark).")
    java.nio.file.Path pcap;

    @Override
    public Integer call() {
        if (pings < 1 || pings > 10_000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--pings must be 1..10000, was " + pings);
        }
        try {
            return new Demo(spec.commandLine().getOut(), pings, pcap).run();
        } catch (java.io.UncheckedIOException e) {
            spec.commandLine().getErr().println("spinet demo: " + e.getMessage());
            return 1;
        }
    }
}
