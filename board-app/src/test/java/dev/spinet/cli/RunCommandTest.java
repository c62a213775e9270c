package dev.spinet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.app.HalKind;
import dev.spinet.app.RunOptions;
import dev.spinet.harness.emu.FaultTrigger;
import dev.spinet.app.BoardSession;
import dev.spinet.app.TcpFeature;
import dev.spinet.app.TcpOption;
import dev.spinet.app.TcpTuning;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.DeviceCounters;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.service.ServiceKind;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code spinet run} and {@code spinet selftest} option parsing and validation, in process. */
class RunCommandTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    /** Parses and validates like call() does, without starting anything. */
    private RunOptions options(String... args) {
        CommandLine cli = SpinetMain.commandLine();
        CommandLine.ParseResult parsed = cli.parseArgs(prepend("run", args));
        CommandLine run = parsed.subcommand().commandSpec().commandLine();
        RunCommand command = run.getCommand();
        if (command.config != null) {
            ConfigFile.apply(ConfigFile.load(command.config), command.config, command.spec, parsed.subcommand());
        }
        return command.validate();
    }

    /** Parses and applies a config file like call() does, without validating. */
    private RunCommand parse(String... args) {
        CommandLine.ParseResult parsed = SpinetMain.commandLine().parseArgs(prepend("run", args));
        RunCommand command = parsed.subcommand().commandSpec().commandLine().getCommand();
        if (command.config != null) {
            ConfigFile.apply(ConfigFile.load(command.config), command.config, command.spec, parsed.subcommand());
        }
        return command;
    }

    /** {@link #options} on a board whose /proc and /sys are under {@code root}. */
    private RunOptions optionsOn(Path root, String... args) {
        CommandLine cli = SpinetMain.commandLine();
        CommandLine.ParseResult parsed = cli.parseArgs(prepend("run", args));
        RunCommand command = parsed.subcommand().commandSpec().commandLine().getCommand();
        command.systemRoot = root;
        if (command.config != null) {
            ConfigFile.apply(ConfigFile.load(command.config), command.config, command.spec, parsed.subcommand());
        }
        return command.validate();
    }

    @Test
    void aBoardTakesItsRowOfTheRosterByNameOrBySerialNumber() throws IOException {
        Path roster = Files.writeString(dir.resolve("class.csv"), """
                board,match,ip,gateway,lab,peer
                bench-01,serial:10000000a1b2c3d4,10.0.0.21/24,10.0.0.1,handshake,
                bench-02,02:00:00:00:00:22,10.0.0.22/24,,syn-sent,10.0.0.122
                """);
        Path root = dir.resolve("pi");
        Files.createDirectories(root.resolve("proc/device-tree"));
        Files.write(root.resolve("proc/device-tree/serial-number"), "10000000a1b2c3d4\0".getBytes());
        RunOptions bySerial = optionsOn(root, "--hal", "tap", "--roster", roster.toString());
        assertEquals("bench-01", bySerial.board());
        assertEquals(0x0A000015, bySerial.ip());
        assertEquals(0x0A000001, bySerial.gateway());
        assertEquals("handshake", bySerial.lab());

        RunOptions byMac = optionsOn(dir.resolve("elsewhere"), "--hal", "tap", "--mac", "02:00:00:00:00:22", "--roster", roster.toString());
        assertEquals("bench-02", byMac.board());
        assertEquals(0x0A00007A, byMac.peer());
        RunOptions byName = optionsOn(root, "--hal", "tap", "--roster", roster.toString(), "--board", "bench-02", "--ip", "10.9.9.9/24");
        assertEquals(0x0A000016, byName.ip(), "the row's address replaces --ip");

        assertEquals(RunCommand.EXIT_USAGE, execute("run", "--hal", "tap", "--mac", "02:00:00:00:00:99", "--roster", roster.toString()));
        assertTrue(err.toString().contains("no row of " + roster + " matches this board; put one of these in its match column: 02:00:00:00:00:99"),
                err.toString());
        err.getBuffer().setLength(0);
        assertEquals(RunCommand.EXIT_USAGE, execute("run", "--hal", "tap", "--ip", "10.0.0.2/24", "--control-key", roster.toString()));
        assertTrue(err.toString().contains("--control-key needs the board's name"), err.toString());
    }

    private static String[] prepend(String first, String... rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private int execute(String... args) {
        CommandLine cli = SpinetMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void theAcceptanceCommandParses() {
        RunOptions o = options("--hal", "tap", "--tap", "sp0", "--ip", "10.77.0.2/24", "--services", "echo,http");
        assertEquals(HalKind.TAP, o.hal());
        assertEquals("sp0", o.tap());
        assertEquals(0x0A4D0002, o.ip());
        assertEquals(24, o.prefixLength());
        assertEquals(EnumSet.of(ServiceKind.ECHO, ServiceKind.HTTP), o.services());
        assertEquals(RunOptions.DEFAULT_MAC, o.mac());
        assertFalse(o.trace());
    }

    @Test
    void defaultsServeEverythingOnTheDocumentedPins() {
        RunOptions o = options("--hal", "w5500", "--ip", "192.168.1.50/24", "--gateway", "192.168.1.1", "--mac", "02:00:00:00:00:07",
                "--trace", "--pcap", "x.pcap");
        assertEquals(EnumSet.allOf(ServiceKind.class), o.services());
        assertEquals("0.0", o.spi());
        assertEquals(20_000_000, o.effectiveSpiHz());
        assertEquals(25, o.intPin());
        assertEquals(24, o.resetPin());
        assertEquals(dev.spinet.hal.linux.HeaderGpioChip.AUTOMATIC, o.gpiochip(), "header chip found by its label");
        assertEquals(0xC0A80101, o.gateway());
        assertEquals(0x02_00_00_00_00_07L, o.mac());
        assertTrue(o.trace());
        assertEquals(Path.of("x.pcap"), o.pcap());
        assertEquals(12_000_000, options("--hal", "enc28j60", "--ip", "10.0.0.2/8").effectiveSpiHz());
    }

    @Test
    void servicesNoneMeansOnlyArpAndPing() {
        assertTrue(options("--hal", "tap", "--ip", "10.0.0.2/24", "--services", "none").services().isEmpty());
    }

    @Test
    void configFileSuppliesOptionsAndFlagsOverrideIt() throws IOException {
        Path file = dir.resolve("spinet.properties");
        Files.writeString(file, """
                # a board
                lab=handshake
                hal=sim-w5500
                tap=lab0
                ip=10.9.0.5/16
                gateway=10.9.0.1
                services=echo, chargen
                trace=true
                spi-hz=16000000
                """);
        RunOptions o = options("--config", file.toString(), "--tap", "override0");
        assertEquals(HalKind.SIM_W5500, o.hal());
        assertEquals("override0", o.tap(), "the flag wins over the file");
        assertEquals(0x0A090005, o.ip());
        assertEquals(16, o.prefixLength());
        assertEquals(0x0A090001, o.gateway());
        assertEquals(EnumSet.of(ServiceKind.ECHO, ServiceKind.CHARGEN), o.services());
        assertTrue(o.trace());
        assertEquals(16_000_000, o.spiHz());
        assertEquals("handshake", o.lab());
    }

    @Test
    void ringSizeDefaultsToWhatTheControllersReceiveMemoryHolds() {
        assertEquals(65536, options("--hal", "tap", "--ip", "10.0.0.2/24").bufferBytes());
        assertEquals(8192, options("--hal", "sim-w5500", "--ip", "10.0.0.2/24").bufferBytes());
        RunOptions enc = options("--hal", "enc28j60", "--ip", "10.0.0.2/24");
        assertEquals(8192, enc.bufferBytes());
        assertEquals(3 * 1460, enc.hal().receiveWindow(enc.bufferBytes()), "three full segments: what the FIFO holds");
        assertEquals(0, options("--hal", "w5500", "--ip", "10.0.0.2/24").hal().receiveWindow(8192), "the ring");
        assertEquals(32768, options("--hal", "enc28j60", "--ip", "10.0.0.2/24", "--buffer-bytes", "32768").bufferBytes(),
                "an explicit size wins");
    }

    @Test
    void tcpOptionsDefaultToAllAndCanBeNamedOrNone() {
        assertEquals(EnumSet.allOf(TcpOption.class), options("--hal", "tap", "--ip", "10.0.0.2/24").tcpOptions());
        assertEquals(EnumSet.of(TcpOption.WSCALE, TcpOption.TIMESTAMPS),
                options("--hal", "tap", "--ip", "10.0.0.2/24", "--tcp-options", "wscale, timestamps").tcpOptions());
        assertTrue(options("--hal", "tap", "--ip", "10.0.0.2/24", "--tcp-options", "none").tcpOptions().isEmpty());
        assertEquals(RunCommand.EXIT_USAGE, execute("run", "--hal", "tap", "--ip", "10.0.0.2/24", "--tcp-options", "sack,nagle"));
        assertTrue(err.toString().startsWith("spinet run: --tcp-options: 'nagle' is no TCP option; give wscale, timestamps, sack, or none"),
                err.toString());
    }

    @Test
    void tcpFeaturesDefaultToStackConfigsOwnAndCanBeNamedOrNone() {
        StackConfig defaults = StackConfig.builder().build();
        TcpTuning tuning = options("--hal", "tap", "--ip", "10.0.0.2/24").tcpTuning();
        assertEquals(EnumSet.allOf(TcpFeature.class), tuning.features());
        assertEquals(defaults.tcpPathMtuMinimum, tuning.pathMtuMinimum());
        assertEquals(defaults.tcpFinWait2TimeoutNanos, tuning.finWait2TimeoutNanos());
        assertEquals(EnumSet.of(TcpFeature.RFC1337, TcpFeature.ICMP_ERRORS),
                options("--hal", "tap", "--ip", "10.0.0.2/24", "--tcp-features", "rfc1337, ICMP-errors").tcpTuning().features());
        assertTrue(options("--hal", "tap", "--ip", "10.0.0.2/24", "--tcp-features", "none").tcpTuning().features().isEmpty());
        assertEquals(RunCommand.EXIT_USAGE, execute("run", "--hal", "tap", "--ip", "10.0.0.2/24", "--tcp-features", "rfc1337,nagle"));
        assertEquals("spinet run: --tcp-features: 'nagle' is no TCP feature; give limited-transmit, spurious-recovery-undo, rfc1337,"
                + " restart-after-idle, icmp-errors, pmtu-discovery, tail-loss-probe, early-retransmit, sack-compression, or none", err.toString().strip());
    }

    @Test
    void pathMtuFloorIsCheckedAgainstRfc1191sFloorAndAnEthernetMtu() {
        assertEquals(1280, options("--hal", "tap", "--ip", "10.0.0.2/24", "--pmtu-min", "1280").tcpTuning().pathMtuMinimum());
        assertEquals(68, options("--hal", "tap", "--ip", "10.0.0.2/24", "--pmtu-min", "68").tcpTuning().pathMtuMinimum());
        for (String bad : new String[] {"67", "1501"}) {
            err.getBuffer().setLength(0);
            assertEquals(RunCommand.EXIT_USAGE, execute("run", "--hal", "tap", "--ip", "10.0.0.2/24", "--pmtu-min", bad));
            assertEquals("spinet run: --pmtu-min " + bad + ": must be 68..1500", err.toString().strip());
        }
    }

    @Test
    void finWait2TimeoutTakesSecondsMillisecondsOrZero() {
        assertEquals(5_000_000_000L, finWait2("5s"));
        assertEquals(250_000_000L, finWait2("250ms"));
        assertEquals(0, finWait2("0"));
        assertEquals(86_400_000_000_000L, finWait2("86400s"));
        for (String bad : new String[] {"5", "5 minutes", "-1s", "1.5s", "86401s", ""}) {
            err.getBuffer().setLength(0);
            assertEquals(RunCommand.EXIT_USAGE, execute("run", "--hal", "tap", "--ip", "10.0.0.2/24", "--fin-wait-2-timeout", bad), bad);
            String message = err.toString().strip();
            assertTrue(message.startsWith("spinet run: --fin-wait-2-timeout: '" + bad.trim() + "' is ") && !message.contains("\n")
                    && (message.contains("give seconds or milliseconds such as 60s or 500ms, or 0 for no limit")
                    || message.contains("give at most 86400s, or 0 for no limit")), message);
        }
    }

    private long finWait2(String time) {
        return options("--hal", "tap", "--ip", "10.0.0.2/24", "--fin-wait-2-timeout", time).tcpTuning().finWait2TimeoutNanos();
    }

    @Test
    void tcpSwitchesFromTheCommandLineOrAConfigFileReachTheBoardsStackConfig() throws IOException {
        StackConfig defaults = StackConfig.builder().build();
        StackConfig plain = boardConfig(options("--hal", "tap", "--ip", "10.0.0.2/24"));
        assertEquals(List.of(defaults.tcpLimitedTransmit, defaults.tcpSpuriousRecoveryUndo, defaults.tcpRfc1337, defaults.tcpRestartAfterIdle, defaults.tcpIcmpErrors,
                        defaults.tcpPathMtuDiscovery, defaults.tcpTailLossProbe, defaults.tcpEarlyRetransmit, defaults.tcpSackCompression,
                        defaults.tcpPathMtuMinimum, defaults.tcpFinWait2TimeoutNanos),
                switches(plain), "no option: StackConfig's defaults");
        assertEquals(List.of(true, true, true, true, true, true, true, true, true, 552, 60_000_000_000L), switches(plain),
                "docs/tcp.md: all on, 552, 60 s");

        StackConfig flags = boardConfig(options("--hal", "tap", "--ip", "10.0.0.2/24", "--tcp-features", "none",
                "--pmtu-min", "1280", "--fin-wait-2-timeout", "5s"));
        assertEquals(List.of(false, false, false, false, false, false, false, false, false, 1280, 5_000_000_000L), switches(flags));

        Path file = Files.writeString(dir.resolve("tcp.properties"), """
                hal=tap
                ip=10.0.0.2/24
                tcp-features=limited-transmit,pmtu-discovery,early-retransmit,sack-compression
                pmtu-min=576
                fin-wait-2-timeout=0
                """);
        StackConfig fromFile = boardConfig(options("--config", file.toString()));
        assertEquals(List.of(true, false, false, false, false, true, false, true, true, 576, 0L), switches(fromFile));
    }

    /** The StackConfig {@code spinet run} builds for these options, on a virtual wire. */
    private static StackConfig boardConfig(RunOptions options) {
        ManualClock clock = new ManualClock();
        BoardSession session = BoardSession.start(options, new VirtualWire(clock).connect("board", 0x02_00_00_00_00_02L), clock,
                "test", DeviceCounters.NONE, new PrintStream(OutputStream.nullOutputStream()), "", "command line", null);
        return session.stack().tcp().config();
    }

    private static List<Object> switches(StackConfig config) {
        return List.of(config.tcpLimitedTransmit, config.tcpSpuriousRecoveryUndo, config.tcpRfc1337, config.tcpRestartAfterIdle, config.tcpIcmpErrors,
                config.tcpPathMtuDiscovery, config.tcpTailLossProbe, config.tcpEarlyRetransmit, config.tcpSackCompression, config.tcpPathMtuMinimum,
                config.tcpFinWait2TimeoutNanos);
    }

    @Test
    void tapOffloadsAreOnByDefaultAndNoOffloadTurnsThemOff() {
        assertTrue(options("--hal", "tap", "--ip", "10.0.0.2/24").offload());
        assertFalse(options("--hal", "tap", "--ip", "10.0.0.2/24", "--no-offload").offload());
    }

    @Test
    void labMustBeInTheCatalogueAndPeerIsAnAddress() {
        assertEquals(RunCommand.EXIT_USAGE, execute("run", "--hal", "tap", "--ip", "10.0.0.2/24", "--lab", "no-such-lab"));
        assertTrue(err.toString().contains("--lab: no lab called 'no-such-lab'; the labs are: handshake"), err.toString());
        RunOptions o = options("--hal", "tap", "--ip", "10.0.0.2/24", "--lab", "simultaneous-open", "--peer", "10.0.0.1");
        assertEquals("simultaneous-open", o.lab());
        assertEquals(0x0A000001, o.peer());
        assertEquals(RunCommand.EXIT_USAGE, execute("run", "--hal", "tap", "--ip", "10.0.0.2/24", "--lab", "syn-sent"));
        assertTrue(err.toString().contains("--lab syn-sent connects to the student's computer: give its address with --peer"),
                err.toString());
    }

    @Test
    void configFileTakesTheTimingModelsOverheadAsADecimal() throws IOException {
        Path file = dir.resolve("timed.properties");
        Files.writeString(file, "hal=sim-w5500\nip=10.0.0.2/24\nspi-clock=20MHz\nspi-overhead-us=12.5\n");
        RunCommand command = parse("--config", file.toString());
        assertEquals(12.5, command.spiOverheadMicros);
    }

    @Test
    void configFileCanSetEveryOptionOfRunWithATypeItConverts() {
        CommandLine run = SpinetMain.commandLine().getSubcommands().get("run");
        for (CommandLine.Model.OptionSpec option : run.getCommandSpec().options()) {
            String name = option.longestName();
            if (option.usageHelp() || option.versionHelp() || name.equals("--config")) {
                continue;
            }
            assertTrue(ConfigFile.converts(option.type()),
                    name + " has type " + option.type().getName() + ", which a --config file could not set");
        }
    }

    @Test
    void configFileWithAnUnknownKeyIsRejectedNamingIt() throws IOException {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "hal=tap\nip=10.0.0.2/24\nservise=echo\n");
        assertEquals(RunCommand.EXIT_USAGE, execute("run", "--config", file.toString()));
        assertTrue(err.toString().startsWith("spinet run: --config " + file + ": unknown key(s) [servise]"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), "one line");
    }

    @Test
    void missingConfigFileIsOneClearLine() {
        assertEquals(RunCommand.EXIT_USAGE, execute("run", "--config", dir.resolve("nope.properties").toString()));
        assertEquals("spinet run: --config " + dir.resolve("nope.properties") + ": no such file", err.toString().strip());
    }

    @Test
    void badValuesAreOneLineEachWithExitStatus2() {
        String[][] cases = {
                {"--ip", "10.0.0.2/24"},
                {"--hal", "tap"},
                {"--hal", "ethernet", "--ip", "10.0.0.2/24"},
                {"--hal", "tap", "--ip", "10.0.0.2"},
                {"--hal", "tap", "--ip", "10.0.0.2/33"},
                {"--hal", "tap", "--ip", "10.0.0.300/24"},
                {"--hal", "tap", "--ip", "127.0.0.1/8"},
                {"--hal", "tap", "--ip", "10.0.0.2/24", "--gateway", "10.0.1.1"},
                {"--hal", "tap", "--ip", "10.0.0.2/24", "--mac", "01:00:5e:00:00:01"},
                {"--hal", "tap", "--ip", "10.0.0.2/24", "--mac", "zz"},
                {"--hal", "tap", "--ip", "10.0.0.2/24", "--services", "echo,telnet"},
                {"--hal", "tap", "--ip", "10.0.0.2/24", "--tap", "a-name-far-too-long"},
                {"--hal", "w5500", "--ip", "10.0.0.2/24", "--spi", "0"},
                {"--hal", "w5500", "--ip", "10.0.0.2/24", "--int-pin", "24"},
                {"--hal", "tap", "--ip", "10.0.0.2/24", "--buffer-bytes", "3000"},
                {"--hal", "tap", "--ip", "10.0.0.2/24", "--connections", "0"},
                {"--hal", "tap", "--ip", "dhcp", "--gateway", "10.0.0.1"},
                {"--hal", "tap", "--ip", "10.0.0.2/24", "--lab", "syn-sent"},
                {"--hal", "tap", "--ip", "10.0.0.2/24", "--lab", "simultaneous-open", "--peer", "10.0.0"},
                {"--hal", "tap", "--ip", "10.0.0.2/24", "--chip-fault", "link-flap"},
                {"--hal", "sim-w5500", "--ip", "10.0.0.2/24", "--chip-fault", "flap"},
                {"--hal", "sim-w5500", "--ip", "10.0.0.2/24", "--chip-fault", "txrts-stuck"},
                {"--hal", "sim-w5500", "--ip", "10.0.0.2/24", "--chip-fault", "link-flap:-1"},
                {"--hal", "sim-w5500", "--ip", "10.0.0.2/24", "--chip-fault", "link-flap", "--chip-fault-after", "soon"},
                {"--hal", "sim-w5500", "--ip", "10.0.0.2/24", "--chip-fault-after", "1MB"},
        };
        for (String[] args : cases) {
            err.getBuffer().setLength(0);
            int status = execute(prepend("run", args));
            String message = err.toString();
            assertEquals(RunCommand.EXIT_USAGE, status, String.join(" ", args) + " -> " + message);
            assertTrue(message.startsWith("spinet run: --"), String.join(" ", args) + " -> " + message);
            assertEquals(1, message.strip().lines().count(), String.join(" ", args) + " -> " + message);
        }
    }


    @Test
    void hardwareHalOnThisMachineSaysItIsNotAPi() {
        org.junit.jupiter.api.Assumptions.assumeFalse(dev.spinet.hal.linux.RaspberryPi.model().isPresent(), "this is a Pi");
        assertEquals(RunCommand.EXIT_CANNOT_START, execute("run", "--hal", "enc28j60", "--ip", "10.0.0.2/24"));
        assertTrue(err.toString().contains("needs a Raspberry Pi"), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace");
    }

    @Test
    void selftestOnTheEmulatedChipsPassesStepByStep() {
        assertEquals(0, execute("selftest", "--hal", "sim-w5500"));
        String report = out.toString();
        assertTrue(report.startsWith("selftest W5500 (sim-w5500)"), report);
        assertTrue(report.contains("PASS identity: VERSIONR=0x04"), report);
        assertTrue(report.strip().endsWith("selftest passed"), report);
        out.getBuffer().setLength(0);
        assertEquals(0, execute("selftest", "--hal", "sim-enc28j60"));
        assertTrue(out.toString().contains("PASS loopback"), out.toString());
    }

    @Test
    void selftestRejectsTap() {
        assertEquals(RunCommand.EXIT_USAGE, execute("selftest", "--hal", "tap"));
        assertTrue(err.toString().contains("no chip to test"), err.toString());
    }

    @Test
    void helpListsEveryOption() {
        assertEquals(0, execute("run", "--help"));
        for (String option : new String[] {"--hal", "--tap", "--ip", "--gateway", "--mac", "--services", "--pcap", "--trace",
                "--config", "--spi", "--spi-hz", "--int-pin", "--reset-pin", "--gpiochip", "--no-offload"}) {
            assertTrue(out.toString().contains(option), option);
        }
    }

    @Test
    void chipFaultsAreForTheEmulatedChipsAndEachChipsOwnFaults() {
        RunOptions none = options("--hal", "sim-w5500", "--ip", "10.0.0.2/24");
        assertNull(none.chipFault());
        assertNull(none.chipFaultAfter());

        RunOptions flap = options("--hal", "sim-w5500", "--ip", "10.0.0.2/24", "--chip-fault", "link-flap:2500");
        assertEquals("link-flap:2500", flap.chipFault().toString());
        assertEquals(FaultTrigger.afterBytes(1_000_000), flap.chipFaultAfter(), "default: after 1MB through the chip");
        RunOptions stuck = options("--hal", "sim-enc28j60", "--ip", "10.0.0.2/24", "--chip-fault", "txrts-stuck",
                "--chip-fault-after", "10s");
        assertEquals("txrts-stuck:1", stuck.chipFault().toString());
        assertEquals(FaultTrigger.afterNanos(10_000_000_000L), stuck.chipFaultAfter());

        assertEquals(RunCommand.EXIT_USAGE, execute("run", "--hal", "w5500", "--ip", "10.0.0.2/24", "--chip-fault", "brown-out"));
        assertEquals("spinet run: --chip-fault brown-out: faults are fired into the chip emulator; use --hal sim-w5500 or "
                + "sim-enc28j60 (not w5500)", err.toString().strip());
        err.getBuffer().setLength(0);
        assertEquals(RunCommand.EXIT_USAGE, execute("run", "--hal", "sim-enc28j60", "--ip", "10.0.0.2/24", "--chip-fault", "send-stuck"));
        assertEquals("spinet run: --chip-fault: send-stuck is not a fault of the ENC28J60 (a link flap after which SEND never "
                + "completes); for the ENC28J60 use one of link-flap, txrts-stuck, int-lost, rx-overflow, epktcnt-255, spi-corrupt, "
                + "brown-out", err.toString().strip());
    }

    @Test
    void helpListsTheChipFaultOptions() {
        assertEquals(0, execute("run", "--help"));
        assertTrue(out.toString().contains("--chip-fault=NAME[:PARAM]"), out.toString());
        assertTrue(out.toString().contains("--chip-fault-after=WHEN"), out.toString());
    }

    @Test
    void spiClockOnAnEmulatedChipTurnsTheTimingModelOn() {
        RunOptions off = options("--hal", "sim-enc28j60", "--ip", "10.0.0.2/24");
        assertEquals(null, off.timing(), "off by default");
        RunOptions on = options("--hal", "sim-enc28j60", "--ip", "10.0.0.2/24", "--spi-clock", "20MHz");
        assertEquals(20_000_000L, on.timing().clockHz());
        assertEquals(20_000L, on.timing().overheadNanos(), "the published spidev figure unless told otherwise");
        RunOptions w5500 = options("--hal", "sim-w5500", "--ip", "10.0.0.2/24", "--spi-clock", "33.3MHz", "--spi-overhead-us", "12.5");
        assertEquals(33_300_000L, w5500.timing().clockHz());
        assertEquals(12_500L, w5500.timing().overheadNanos());
        RunOptions board = options("--hal", "enc28j60", "--ip", "10.0.0.2/24", "--spi-clock", "16MHz");
        assertEquals(16_000_000, board.spiHz(), "on a board it is the spidev clock");
        assertEquals(null, board.timing());
    }

    @Test
    void timingOptionsThatCannotApplyAreRefusedWithTheReason() {
        assertEquals(RunCommand.EXIT_USAGE, execute("run", "--hal", "sim-enc28j60", "--ip", "10.0.0.2/24", "--spi-clock", "25MHz"));
        assertTrue(err.toString().contains("ENC28J60"), err::toString);
        assertEquals(RunCommand.EXIT_USAGE, execute("run", "--hal", "sim-w5500", "--ip", "10.0.0.2/24", "--spi-overhead-us", "10"));
        assertTrue(err.toString().contains("--spi-overhead-us belongs to the timing model"), err::toString);
        assertEquals(RunCommand.EXIT_USAGE, execute("run", "--hal", "tap", "--ip", "10.0.0.2/24", "--spi-clock", "20MHz"));
        assertTrue(err.toString().contains("no SPI chip"), err::toString);
        assertEquals(RunCommand.EXIT_USAGE, execute("run", "--hal", "w5500", "--ip", "10.0.0.2/24", "--spi-clock", "20MHz", "--spi-hz", "30000000"));
        assertTrue(err.toString().contains("disagree"), err::toString);
        assertEquals(RunCommand.EXIT_USAGE, execute("run", "--hal", "sim-w5500", "--ip", "10.0.0.2/24", "--spi-clock", "quick"));
        assertTrue(err.toString().contains("--spi-clock"), err::toString);
    }
}
