package dev.spinet.cli;

import dev.spinet.app.HalKind;
import dev.spinet.doctor.Doctor;
import dev.spinet.doctor.DoctorOptions;
import dev.spinet.doctor.DoctorReport;
import dev.spinet.doctor.DoctorResult;
import dev.spinet.doctor.JavaRuntime;
import dev.spinet.hal.linux.Libc;
import dev.spinet.hal.linux.LinuxSyscalls;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spinet doctor}: checks a Raspberry Pi for what docs/raspberry-pi.md asks (SPI enabled
 * and not claimed by a kernel overlay, INT and RESET free, the header's GPIO chip, groups spi and
 * gpio, Java 25, and with {@code --hal} the chip's version register), one line per check with
 * what to do. Exit status 0 when nothing failed, 1 when something did, 2 for bad options.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check this Raspberry Pi for everything docs/raspberry-pi.md asks: SPI, kernel overlays, GPIO chip"
                + " and lines, groups, Java, and (with --hal) the chip's version register. One line per check."},
        footer = {"", "Examples:", "  spinet doctor", "  spinet doctor --hal w5500 --json > doctor.json"})
final class DoctorCommand implements Callable<Integer> {

    private final Supplier<LinuxSyscalls> syscalls;

    @Spec
    CommandSpec spec;

    @Option(names = "--hal", paramLabel = "CHIP", description = "w5500 or enc28j60: also read the chip's version register over SPI.")
    String hal;

    @Mixin
    ChipWiring wiring;

    @Option(names = "--json", description = "Print the same as JSON (for bug reports).")
    boolean json;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/", hidden = true,
            description = "Read /proc, /sys, /dev and /etc below DIR (tests use a fake tree).")
    Path root;

    DoctorCommand() {
        this(Libc::instance);
    }

    DoctorCommand(Supplier<LinuxSyscalls> syscalls) {
        this.syscalls = syscalls;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DoctorOptions options;
        try {
            HalKind kind = hal == null ? null : HalKind.parse(hal);
            if (kind != null && kind != HalKind.W5500 && kind != HalKind.ENC28J60) {
                throw new IllegalArgumentException("--hal " + hal + ": doctor checks a wired chip, w5500 or enc28j60");
            }
            int gpiochipNumber = wiring.checked();
            options = new DoctorOptions(kind, wiring.spi, wiring.intPin, wiring.resetPin, gpiochipNumber);
        } catch (IllegalArgumentException e) {
            err.println("spinet doctor: " + e.getMessage());
            err.flush();
            return RunCommand.EXIT_USAGE;
        }
        DoctorResult result = new Doctor(root, syscalls.get(), JavaRuntime.current(), System.getProperty("user.name", "?"))
                .run(options);
        out.print(json ? DoctorReport.json(result, SpinetVersion.get()) : DoctorReport.text(result));
        out.flush();
        return result.failed() ? RunCommand.EXIT_CANNOT_START : 0;
    }
}
