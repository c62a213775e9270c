package dev.spinet.cli;

import dev.spinet.app.HalKind;
import dev.spinet.app.HalOpener;
import dev.spinet.app.RunOptions;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.hal.eth.SelfTestReport;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spinet selftest}: the driver's bring-up checks, one line per step
 * ({@code PASS reset: ...}), then {@code selftest passed} or {@code selftest FAILED}. Exit
 * status 0 when every step passed, 1 when one failed or the chip could not be opened, 2 for bad
 * options. {@code sim-*} runs against the emulated chips (no hardware, no root).
 */
@Command(name = "selftest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check the Ethernet controller step by step (SPI, reset, identity, registers, link...).",
                "sim-w5500 / sim-enc28j60 run the same checks against the emulated chips."})
final class SelftestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--hal", required = true, paramLabel = "HAL", description = "w5500, enc28j60, sim-w5500 or sim-enc28j60.")
    String hal;

    @Option(names = "--spi-hz", paramLabel = "N", defaultValue = "0", description = "SPI clock in Hz (default: 20 MHz W5500, 12 MHz ENC28J60).")
    int spiHz;

    @Mixin
    ChipWiring wiring;

    @Option(names = "--mac", paramLabel = "MAC", description = "MAC to program (default: derived from the Pi's serial number).")
    String mac;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        HalKind kind;
        long macAddress = RunOptions.DEFAULT_MAC;
        int gpiochipNumber;
        try {
            kind = HalKind.parse(hal);
            if (kind == HalKind.TAP) {
                throw new IllegalArgumentException("--hal tap has no chip to test; use w5500, enc28j60, sim-w5500 or sim-enc28j60");
            }
            gpiochipNumber = wiring.checked();
            if (mac != null) {
                macAddress = MacAddress.parse(mac);
            }
        } catch (IllegalArgumentException e) {
            err.println("spinet selftest: " + e.getMessage());
            err.flush();
            return RunCommand.EXIT_USAGE;
        }
        RunOptions options = new RunOptions(kind, "unused", false, 0, 0, 0, macAddress, Set.of(), null, false, wiring.spi, spiHz,
                wiring.intPin, wiring.resetPin, gpiochipNumber, 1, 1024, null, 0, null, null, null, null, null, null,
                java.util.EnumSet.allOf(dev.spinet.app.TcpOption.class), dev.spinet.app.TcpTuning.DEFAULTS, null, false);
        SelfTestReport report;
        try {
            report = HalOpener.selfTest(options, NanoClock.SYSTEM);
        } catch (RuntimeException e) {
            err.println("spinet selftest: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return RunCommand.EXIT_CANNOT_START;
        }
        out.println("selftest " + report.chip() + " (" + kind.label() + ")");
        for (SelfTestReport.Check check : report.checks()) {
            String status = switch (check.status()) {
                case PASS -> "PASS";
                case FAIL -> "FAIL";
                case SKIPPED -> "SKIP";
                case INFO -> "INFO";
            };
            out.printf(Locale.ROOT, "%-4s %s: %s%n", status, check.name(), check.detail());
        }
        out.println(report.passed() ? "selftest passed" : "selftest FAILED");
        out.flush();
        return report.passed() ? 0 : RunCommand.EXIT_CANNOT_START;
    }
}
