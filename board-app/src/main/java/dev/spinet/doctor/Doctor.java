package dev.spinet.doctor;

import dev.spinet.app.HalKind;
import dev.spinet.hal.linux.GpioChip;
import dev.spinet.hal.linux.GpioChipProbe;
import dev.spinet.hal.linux.GpioLineInfo;
import dev.spinet.hal.linux.HeaderGpioChip;
import dev.spinet.hal.linux.LinuxDeviceException;
import dev.spinet.hal.linux.LinuxSyscalls;
import dev.spinet.hal.linux.SpidevBus;
import dev.spinet.hal.linux.SpidevConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code spinet doctor}: in one run, what docs/raspberry-pi.md asks of a board, each a
 * {@link DoctorCheck} with what to do when it fails. Every file is read below {@code root}
 * ({@code /} on a board; a temporary tree in tests) and every device is opened through
 * {@code syscalls}, so the whole run can be played against a fake {@code /sys}, {@code /dev} and
 * {@code /proc}.
 */
public final class Doctor {

    static final List<String> MODEL_FILES = List.of("proc/device-tree/model", "sys/firmware/devicetree/base/model");
    /** Kernel drivers for the two chips (w5100-spi.c registers as "w5100" and drives the W5500 too). */
    static final List<String> ETHERNET_DRIVERS = List.of("enc28j60", "w5100", "w5500");
    static final List<String> ETHERNET_COMPATIBLES = List.of("microchip,enc28j60", "wiznet,w5500", "wiznet,w5100");

    private final Path root;
    private final LinuxSyscalls syscalls;
    private final JavaRuntime java;
    private final String user;

    public Doctor(Path root, LinuxSyscalls syscalls, JavaRuntime java, String user) {
        this.root = root;
        this.syscalls = syscalls;
        this.java = java;
        this.user = user;
    }

    public DoctorResult run(DoctorOptions options) {
        List<DoctorCheck> checks = new ArrayList<>();
        Optional<String> model = Optional.empty();
        String found = null;
        for (String file : MODEL_FILES) {
            Optional<String> text = readText(root.resolve(file));
            if (text.isPresent()) {
                if (text.get().startsWith("Raspberry Pi")) {
                    model = text;
                } else if (found == null) {
                    found = "/" + file + " says '" + text.get() + "'";
                }
                break;
            }
        }
        if (found == null && model.isEmpty()) {
            found = "no /" + MODEL_FILES.get(0) + " or /" + MODEL_FILES.get(1);
        }
        if (model.isPresent()) {
            checks.add(DoctorCheck.pass("raspberry-pi", model.get()));
        } else {
            checks.add(DoctorCheck.fail("raspberry-pi", "not a Raspberry Pi (" + found + "; "
                    + System.getProperty("os.name") + "/" + java.arch() + ")",
                    "run spinet doctor on the Pi the chip is wired to; on a desktop use --hal tap or --hal sim-w5500"));
        }
        checks.add(javaCheck());
        if (model.isEmpty()) {
            String why = "not run: not a Raspberry Pi";
            for (String name : List.of("spi-enabled", "spi-kernel-driver", "spi-access", "gpiochip", "gpio-access",
                    "int-line", "reset-line", ChipVersionProbe.NAME)) {
                checks.add(DoctorCheck.skip(name, why));
            }
            return new DoctorResult(null, found, checks);
        }
        Optional<ProcessIdentity> identity = ProcessIdentity.read(root);
        String spidev = "spidev" + options.spi();
        Path spidevNode = root.resolve("dev").resolve(spidev);
        boolean spiPresent = Files.exists(spidevNode);
        checks.add(spiEnabled(options.spi(), spiPresent));
        checks.add(spiKernelDrivers());
        checks.add(spiPresent ? access("spi-access", spidevNode, "/dev/" + spidev, identity)
                : DoctorCheck.skip("spi-access", "not run: no /dev/" + spidev));
        GpioChip chip = null;
        try {
            ChipChoice choice = chooseChip(options.gpiochip());
            checks.add(choice.check());
            chip = choice.chip();
            Path gpioNode = chip != null ? Path.of(chip.path()) : firstGpioChipNode();
            checks.add(gpioNode != null
                    ? access("gpio-access", gpioNode, "/" + root.relativize(gpioNode), identity)
                    : DoctorCheck.skip("gpio-access", "not run: no /dev/gpiochip* devices"));
            checks.add(line("int-line", "INT", chip, options.intPin(), "--int-pin"));
            checks.add(line("reset-line", "RESET", chip, options.resetPin(), "--reset-pin"));
        } finally {
            if (chip != null) {
                chip.close();
            }
        }
        checks.add(chipVersion(options, spidevNode, spiPresent));
        return new DoctorResult(model.get(), null, checks);
    }

    // ---- Java ----

    private DoctorCheck javaCheck() {
        String detail = "Java " + java.version() + " (" + java.vendor() + ", " + java.arch() + ", " + java.dataModel() + "-bit)";
        Optional<String> codename = osReleaseCodename();
        if (java.dataModel() != 64) {
            return DoctorCheck.fail("java", detail + ": Spinet's java.lang.foreign bindings need a 64-bit JVM",
                    "install a 64-bit (aarch64) OS and JDK 25");
        }
        if (java.feature() < 25) {
            return DoctorCheck.fail("java", detail + ": Spinet needs Java 25",
                    codename.filter("bookworm"::equals).isPresent()
                            ? "Bookworm's own packages stop at openjdk-17: install Temurin 25 for aarch64 (packages.adoptium.net)"
                            : "install a JDK 25 (Temurin 25 for aarch64 from packages.adoptium.net)");
        }
        if (java.earlyAccess()) {
            return DoctorCheck.warn("java", detail + ": an early-access build"
                    + (codename.filter("trixie"::equals).isPresent() ? " (Trixie's openjdk-25 package is 25~32ea)" : ""),
                    "Spinet runs on it; for a release build install Temurin 25 (packages.adoptium.net)");
        }
        return DoctorCheck.pass("java", detail + codename.filter("bookworm"::equals)
                .map(c -> " (Bookworm's own packages stop at 17: this JDK came from elsewhere, fine)").orElse(""));
    }

    private Optional<String> osReleaseCodename() {
        try {
            for (String line : Files.readAllLines(root.resolve("etc/os-release"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VERSION_CODENAME=")) {
                    return Optional.of(line.substring(17).replace("\"", "").trim().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    // ---- SPI ----

    private DoctorCheck spiEnabled(String spi, boolean present) {
        String node = "/dev/spidev" + spi;
        if (present) {
            return DoctorCheck.pass("spi-enabled", node + " present");
        }
        Optional<String> driver = spiDriver(root.resolve("sys/bus/spi/devices/spi" + spi));
        if (driver.isPresent()) {
            return DoctorCheck.fail("spi-enabled", "no " + node + ": spi" + spi + " is bound to the kernel's "
                    + driver.get() + " driver", overlayAdvice(driver.get()));
        }
        return DoctorCheck.fail("spi-enabled", "no " + node, "add 'dtparam=spi=on' to /boot/firmware/config.txt (or run"
                + " 'sudo raspi-config nonint do_spi 0') and reboot; or pass the --spi BUS.CS the chip is wired to");
    }

    private DoctorCheck spiKernelDrivers() {
        Path devices = root.resolve("sys/bus/spi/devices");
        if (!Files.isDirectory(devices)) {
            return DoctorCheck.skip("spi-kernel-driver", "not run: no /sys/bus/spi/devices (SPI not enabled)");
        }
        List<String> bound = new ArrayList<>();
        List<String> claimed = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(devices)) {
            for (Path device : entries) {
                String name = device.getFileName().toString();
                String driver = spiDriver(device).orElse("no driver");
                bound.add(name + " -> " + driver);
                if (isEthernetDriver(driver)) {
                    claimed.add(name + " is bound to the kernel's " + driver + " driver");
                }
            }
        } catch (IOException e) {
            return DoctorCheck.skip("spi-kernel-driver", "not run: cannot list /sys/bus/spi/devices (" + e.getMessage() + ")");
        }
        bound.sort(null);
        claimed.sort(null);
        if (!claimed.isEmpty()) {
            String driver = claimed.getFirst().substring(claimed.getFirst().indexOf("kernel's ") + 9).replace(" driver", "");
            return DoctorCheck.fail("spi-kernel-driver", String.join("; ", claimed), overlayAdvice(driver));
        }
        return DoctorCheck.pass("spi-kernel-driver", bound.isEmpty() ? "no SPI devices" : String.join(", ", bound));
    }

    /**
     * The driver of an SPI device: the name of the {@code driver} link's target; unbound, what
     * {@code modalias} ({@code spi:enc28j60}) or the device-tree node's {@code compatible} asks for.
     */
    private Optional<String> spiDriver(Path device) {
        try {
            Path link = device.resolve("driver");
            if (Files.isSymbolicLink(link)) {
                return Optional.of(Files.readSymbolicLink(link).getFileName().toString());
            }
        } catch (IOException | RuntimeException e) {
            // fall back to what the device asks for
        }
        Optional<String> compatible = readText(device.resolve("of_node/compatible"));
        if (compatible.isPresent() && ETHERNET_COMPATIBLES.contains(compatible.get())) {
            return Optional.of(compatible.get().substring(compatible.get().indexOf(',') + 1) + " (unbound, " + compatible.get() + ")");
        }
        Optional<String> modalias = readText(device.resolve("modalias"));
        if (modalias.isPresent() && modalias.get().startsWith("spi:") && isEthernetDriver(modalias.get().substring(4))) {
            return Optional.of(modalias.get().substring(4) + " (unbound, " + modalias.get() + ")");
        }
        return Optional.empty();
    }

    private static boolean isEthernetDriver(String driver) {
        return ETHERNET_DRIVERS.stream().anyMatch(driver::startsWith);
    }

    private static String overlayAdvice(String driver) {
        String overlay = driver.startsWith("enc28j60") ? "enc28j60" : "w5500";
        return "remove the 'dtoverlay=" + overlay + "' line from /boot/firmware/config.txt and reboot:"
                + " Spinet drives the chip itself through spidev";
    }

    private DoctorCheck access(String name, Path node, String shown, Optional<ProcessIdentity> identity) {
        if (identity.isEmpty()) {
            return DoctorCheck.skip(name, "not run: cannot read /proc/self/status");
        }
        return DeviceAccess.check(name, root, node, shown, identity.get(), user);
    }

    // ---- GPIO ----

    private record ChipChoice(DoctorCheck check, GpioChip chip) {
    }

    private ChipChoice chooseChip(int requested) {
        Path dev = root.resolve("dev");
        List<GpioChipProbe> probes = HeaderGpioChip.survey(syscalls, dev);
        List<String> all = probes.stream().map(p -> shown(p.describe())).toList();
        if (requested != HeaderGpioChip.AUTOMATIC) {
            Optional<GpioChipProbe> probe = probes.stream().filter(p -> p.number() == requested).findFirst();
            if (probe.isEmpty() || probe.get().label() == null) {
                return new ChipChoice(DoctorCheck.fail("gpiochip", "--gpiochip " + requested + ": "
                        + probe.map(p -> shown(p.describe())).orElse("no /dev/gpiochip" + requested) + " (chips: "
                        + (all.isEmpty() ? "none" : String.join(", ", all)) + ")",
                        "leave --gpiochip out to find the header's chip by its label"), null);
            }
            GpioChip chip = openQuietly(dev, requested);
            if (probe.get().isHeader()) {
                return new ChipChoice(DoctorCheck.pass("gpiochip", shown(probe.get().describe())), chip);
            }
            return new ChipChoice(DoctorCheck.warn("gpiochip", shown(probe.get().describe())
                    + " was named with --gpiochip but is not labelled as the 40-pin header (" + String.join(", ",
                    HeaderGpioChip.HEADER_LABELS) + ")", "leave --gpiochip out unless this board's header chip has"
                    + " another label"), chip);
        }
        Optional<GpioChipProbe> header = probes.stream().filter(GpioChipProbe::isHeader).findFirst();
        if (header.isEmpty()) {
            String detail = all.isEmpty() ? "no /dev/gpiochip* devices"
                    : "no chip labelled " + String.join(", ", HeaderGpioChip.HEADER_LABELS) + " among " + String.join(", ", all);
            return new ChipChoice(DoctorCheck.fail("gpiochip", detail, probes.stream().anyMatch(p -> p.errno() != 0)
                    ? "add the user to group gpio (see gpio-access); if the header chip has another label, pass --gpiochip N"
                    : "if this board's header chip has another label, pass --gpiochip N (gpiodetect lists them)"), null);
        }
        List<String> others = probes.stream().filter(p -> p != header.get()).map(p -> shown(p.describe())).toList();
        return new ChipChoice(DoctorCheck.pass("gpiochip", shown(header.get().describe()) + " is the 40-pin header"
                + (others.isEmpty() ? "" : " (also: " + String.join(", ", others) + ")")),
                openQuietly(dev, header.get().number()));
    }

    private GpioChip openQuietly(Path dev, int number) {
        try {
            return new GpioChip(syscalls, dev, number);
        } catch (LinuxDeviceException e) {
            return null;
        }
    }

    private Path firstGpioChipNode() {
        List<Integer> numbers = HeaderGpioChip.chipNumbers(root.resolve("dev"));
        return numbers.isEmpty() ? null : root.resolve("dev").resolve("gpiochip" + numbers.getFirst());
    }

    private DoctorCheck line(String name, String signal, GpioChip chip, int offset, String option) {
        if (chip == null) {
            return DoctorCheck.skip(name, "not run: no GPIO chip to ask (see gpiochip)");
        }
        String where = "GPIO" + offset + " (" + signal + ") on " + shown(chip.path());
        if (offset >= chip.lines()) {
            return DoctorCheck.fail(name, where + ": the chip has only " + chip.lines() + " lines",
                    option + " takes the BCM GPIO number (0..27 on the header), not the header pin number");
        }
        GpioLineInfo info;
        try {
            info = chip.lineInfo(offset);
        } catch (LinuxDeviceException e) {
            return DoctorCheck.skip(name, "not run: " + shown(e.getMessage()));
        }
        if (!info.name().isEmpty() && !info.name().equals("GPIO" + offset)) {
            // The device tree names the header's lines GPIOn; another name (BT_CTS...) is another chip's wiring.
            where += " [line name " + info.name() + "]";
        }
        if (!info.used()) {
            return DoctorCheck.pass(name, where + " is free");
        }
        String consumer = info.consumer().isEmpty() ? "an unnamed consumer" : "'" + info.consumer() + "'";
        // A kernel driver that takes the line as its IRQ shows as "interrupt" (gpiolib labels a line
        // locked as IRQ that nobody requested so); the w5500/enc28j60 overlays do that with INT.
        String fix = info.consumer().startsWith("spinet")
                ? "a running spinet holds it: stop it (systemctl stop spinet) before running another"
                : info.consumer().equals("interrupt") || info.consumer().startsWith("spi") || isEthernetDriver(info.consumer())
                        ? "a kernel driver holds it: remove the dtoverlay=w5500 / dtoverlay=enc28j60 line from /boot/firmware/config.txt and reboot"
                        : "stop the program or driver that holds it ('gpioinfo' shows it; a sysfs export: echo " + offset
                                + " > /sys/class/gpio/unexport), or wire " + signal + " to a free GPIO and pass " + option;
        return DoctorCheck.fail(name, where + " is in use by " + consumer, fix);
    }

    // ---- the chip ----

    private DoctorCheck chipVersion(DoctorOptions options, Path spidevNode, boolean spiPresent) {
        if (options.hal() != HalKind.W5500 && options.hal() != HalKind.ENC28J60) {
            return DoctorCheck.skip(ChipVersionProbe.NAME, "not run: give --hal w5500 or --hal enc28j60 to read the chip's version register");
        }
        String shown = "/dev/spidev" + options.spi();
        if (!spiPresent) {
            return DoctorCheck.skip(ChipVersionProbe.NAME, "not run: no " + shown);
        }
        SpidevConfig config = new SpidevConfig(spidevNode.toString(), 0, options.hal().defaultSpiHz(), SpidevConfig.DEFAULT_BUFFER_SIZE);
        try (SpidevBus spi = new SpidevBus(syscalls, config)) {
            return options.hal() == HalKind.W5500 ? ChipVersionProbe.w5500(spi, shown) : ChipVersionProbe.enc28j60(spi, shown);
        } catch (RuntimeException e) {
            return DoctorCheck.fail(ChipVersionProbe.NAME, "cannot talk to " + shown + ": " + shown(String.valueOf(e.getMessage())),
                    "fix the spi-enabled / spi-access checks first");
        }
    }

    // ---- helpers ----

    /** A text with the root directory taken out of its paths, as the user knows them. */
    private String shown(String text) {
        String prefix = root.toAbsolutePath().normalize().toString();
        return prefix.equals("/") ? text : text.replace(prefix, "");
    }

    private static Optional<String> readText(Path file) {
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).replace("\0", "").trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
