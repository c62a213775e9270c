package dev.spinet.cli;

import dev.spinet.app.BoardRunner;
import dev.spinet.app.GpioChipOption;
import dev.spinet.app.HalKind;
import dev.spinet.app.HalOpener;
import dev.spinet.app.Ipv4Settings;
import dev.spinet.app.RunOptions;
import dev.spinet.classroom.BoardIdentity;
import dev.spinet.classroom.Roster;
import dev.spinet.classroom.RosterRow;
import dev.spinet.app.TcpFeature;
import dev.spinet.app.TcpOption;
import dev.spinet.app.TcpTuning;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.lab.LabRoles;
import dev.spinet.harness.emu.ChipFault;
import dev.spinet.harness.emu.ChipFaultSpec;
import dev.spinet.harness.emu.FaultTrigger;
import dev.spinet.harness.timing.SpiTiming;
import dev.spinet.service.ServiceKind;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spinet run}: the stack with its services on a TAP, an emulated chip bridged to a TAP,
 * or a real chip on a Raspberry Pi. Prints {@code spinet ready ip=... hal=... mac=...} on
 * stdout once serving; SIGINT/SIGTERM shut it down gracefully with exit status 0.
 *
 * <p>Exit status: 0 after a clean shutdown, 1 when the board cannot start (device missing, not
 * root, not a Pi), 2 for a bad command line or config file. Errors are one line on stderr.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the stack and its services until Ctrl-C.",
                "Prints 'spinet ready ip=... hal=... mac=...' on stdout when serving; Ctrl-C (SIGINT) or SIGTERM closes"
                        + " connections gracefully and exits 0.",
                "Every option can also come from --config FILE (key = option name without dashes); flags override the file."},
        footer = {"", "Examples:",
                "  spinet run --hal tap --tap sp0 --ip 10.77.0.2/24 --services echo,http",
                "  spinet run --hal w5500 --ip 192.168.1.50/24 --gateway 192.168.1.1",
                "  spinet run --config /etc/spinet/spinet.properties",
                "  spinet run --hal tap --tap sp0 --ip 10.77.0.2/24 --app-classpath app.jar --app com.example.Main arg1 arg2",
                "  spinet run --hal sim-w5500 --ip 10.77.0.2/24 --chip-fault link-flap:2000 --chip-fault-after 2MB --trace",
                "Exit status: 0 clean shutdown, 1 cannot start (device, permissions, not a Pi), 2 bad options;"
                        + " with --app: the application's (0 when main returns, 1 when it throws, n for System.exit(n))."})
final class RunCommand implements Callable<Integer> {

    static final int EXIT_CANNOT_START = 1;
    static final int EXIT_USAGE = 2;
    static final String DEFAULT_SERVICES = "echo,discard,chargen,http";

    @Spec
    CommandSpec spec;

    @Option(names = "--hal", paramLabel = "HAL", description = "tap, sim-w5500, sim-enc28j60, w5500 or enc28j60 (required).")
    String hal;

    @Option(names = "--ip", paramLabel = "A.B.C.D/NN", description = "Address and prefix length, or 'dhcp' (required).")
    String ip;

    @Option(names = "--gateway", paramLabel = "A.B.C.D", description = "Default gateway (optional; must be inside the --ip subnet).")
    String gateway;

    @Option(names = "--mac", paramLabel = "MAC", description = "This board's MAC, e.g. 02:00:00:00:00:01 (default: the HAL's).")
    String mac;

    @Option(names = "--services", paramLabel = "LIST", defaultValue = DEFAULT_SERVICES,
            description = "Comma-separated: echo (7), discard (9), chargen (19), http (80), or 'none' (default ${DEFAULT-VALUE}).")
    String services;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Capture every frame sent and received to a pcap file.")
    Path pcap;

    @Option(names = "--trace", description = "Print every TCP state transition (time, connection, from -> to, cause).")
    boolean trace;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file holding any of these options.")
    Path config;

    @Option(names = "--lab", paramLabel = "NAME", description = "Run the board in a lab's role (spinet lab list; docs/labs.md).")
    String lab;

    @Option(names = "--peer", paramLabel = "A.B.C.D", description = "The student's computer, for lab roles that connect out (simultaneous-open, syn-sent).")
    String peer;

    @Option(names = "--roster", paramLabel = "FILE",
            description = "Class roster (docs/labs-images.md): take ip, gateway, lab and peer from this board's row, found by --board or by MAC, serial or hostname.")
    Path roster;

    @Option(names = "--board", paramLabel = "NAME", description = "This board's name in the class roster.")
    String board;

    @Option(names = "--control-key", paramLabel = "FILE",
            description = "Board control keys (written by image build --roster): open port 7070 to the instructor's lab switches.")
    Path controlKey;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where a lab switched by the instructor is remembered across restarts.")
    Path stateDir;

    @Option(names = "--lab-file", paramLabel = "FILE", description = "Lab file on the boot partition (lab=NAME, peer=A.B.C.D): applied once per edit.")
    Path labFile;

    @Option(names = "--tap", paramLabel = "NAME", defaultValue = "spinet0",
            description = "TAP interface for tap and sim-* (created if missing; default ${DEFAULT-VALUE}).")
    String tap;

    @Option(names = "--spi", paramLabel = "BUS.CS", defaultValue = "0.0", description = "spidev device /dev/spidevBUS.CS (default ${DEFAULT-VALUE}).")
    String spi;

    @Option(names = "--spi-hz", paramLabel = "N", defaultValue = "0",
            description = "SPI clock in Hz (default 20000000 for W5500, 12000000 for ENC28J60).")
    int spiHz;

    @Option(names = "--spi-clock", paramLabel = "FREQ",
            description = "With sim-w5500/sim-enc28j60: run the emulated chip at a board's speed (the timing model:"
                    + " each SPI transaction costs --spi-overhead-us plus its bytes at FREQ, the wire runs at the chip's line"
                    + " rate, 10 Mbit/s half duplex or 100 Mbit/s full duplex), e.g. 20MHz. With w5500/enc28j60: the SPI"
                    + " clock, like --spi-hz. Off by default.")
    String spiClock;

    @Option(names = "--spi-overhead-us", paramLabel = "US",
            description = "With --spi-clock on sim-*: the fixed cost of one SPI transaction in microseconds"
                    + " (default 20: one spidev ioctl on a Raspberry Pi, docs/spi-cost.md).")
    Double spiOverheadMicros;

    @Option(names = "--int-pin", paramLabel = "N", defaultValue = "25", description = "BCM GPIO of the chip's INT (default ${DEFAULT-VALUE}).")
    int intPin;

    @Option(names = "--reset-pin", paramLabel = "N", defaultValue = "24", description = "BCM GPIO of the chip's RESET (default ${DEFAULT-VALUE}).")
    int resetPin;

    @Option(names = "--gpiochip", paramLabel = "N|auto", defaultValue = GpioChipOption.AUTO,
            description = "/dev/gpiochipN with those GPIOs (default ${DEFAULT-VALUE}: the 40-pin header's chip, found by its label).")
    String gpiochip;

    @Option(names = "--connections", paramLabel = "N", defaultValue = "16", description = "TCP connections (TCBs), 1..1024 (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--buffer-bytes", paramLabel = "N", defaultValue = "0",
            description = "Receive and send ring per connection, a power of two 1024..1048576 (default: what the HAL's "
                    + "receive memory holds: tap 65536, w5500 8192, enc28j60 8192 with a receive window of 4380, three"
                    + " segments, which its FIFO holds; the ENC28J60's window never exceeds that).")
    int bufferBytes;

    @Option(names = "--dns-server", paramLabel = "A.B.C.D[,...]",
            description = "DNS servers for name lookups (up to 3, comma-separated; default: those of the DHCP lease).")
    String dnsServers;

    /** Where the board's /proc and /sys are, for finding its roster row (tests point it elsewhere). */
    Path systemRoot = Path.of("/");

    @Option(names = "--chip-fault", paramLabel = "NAME[:PARAM]",
            description = "sim-* only: fire a chip fault into the emulator mid-run (docs/drivers.md, \"Chip faults\"): "
                    + "link-flap[:MS], send-stuck[:MS] (W5500), txrts-stuck[:N] (ENC28J60), int-lost[:MS], rx-overflow[:MS], "
                    + "epktcnt-255 (ENC28J60), spi-corrupt[:length|pointer|status], brown-out.")
    String chipFault;

    @Option(names = "--chip-fault-after", paramLabel = "WHEN",
            description = "When --chip-fault fires: after traffic through the chip (1MB, 64KiB, 100000B), after a time "
                    + "(500ms, 10s) or at a seeded moment (seed:N); default " + DEFAULT_CHIP_FAULT_AFTER + ".")
    String chipFaultAfter;

    static final String DEFAULT_CHIP_FAULT_AFTER = "1MB";

    @Option(names = "--no-offload",
            description = "With --hal tap: no TAP offloads. By default the TAP carries virtio headers when the kernel"
                    + " supports them, and one read or write moves a TCP segment of up to 64 KiB with a partial checksum;"
                    + " off, every frame is one MSS as on a board (for like-for-like comparisons).")
    boolean noOffload;

    @Option(names = "--tcp-options", paramLabel = "LIST", defaultValue = "wscale,timestamps,sack",
            description = "TCP options offered in SYNs, comma-separated: wscale, timestamps, sack (with D-SACK), or 'none'"
                    + " (default ${DEFAULT-VALUE}).")
    String tcpOptions;

    @Option(names = "--tcp-features", paramLabel = "LIST", defaultValue = "limited-transmit,spurious-recovery-undo,rfc1337,restart-after-idle,icmp-errors,pmtu-discovery,tail-loss-probe,early-retransmit,sack-compression",
            description = "TCP behaviours switched on, comma-separated, or 'none' (default: all): limited-transmit (RFC 3042),"
                    + " spurious-recovery-undo (a fast recovery D-SACKs show needless is undone, RFC 3708), rfc1337 (TIME-WAIT ignores RSTs, RFC 1337 section 3), restart-after-idle (RFC 5681 4.1 restart window),"
                    + " icmp-errors (ICMP errors reach their connection, RFC 1122 4.2.3.9), pmtu-discovery (DF and RFC 1191),"
                    + " tail-loss-probe (RFC 8985 section 7), early-retransmit (RFC 5827), both for SACK peers,"
                    + " sack-compression (out-of-order segments past three duplicate ACKs share one ACK, as Linux);"
                    + " docs/tcp.md, \"Switches\".")
    String tcpFeatures;

    @Option(names = "--pmtu-min", paramLabel = "BYTES",
            description = "The lowest path MTU a \"fragmentation needed\" may set, 68..1500 (default 552, Linux's min_pmtu;"
                    + " a report below it gets segments of this size without DF, RFC 5927 section 7).")
    Integer pmtuMin;

    @Option(names = "--fin-wait-2-timeout", paramLabel = "TIME",
            description = "How long a connection its application closed waits in FIN-WAIT-2 for the peer's FIN: 60s, 500ms,"
                    + " or 0 for as long as the peer takes (default 60s, Linux's tcp_fin_timeout).")
    String finWait2Timeout;

    @Option(names = "--app", paramLabel = "CLASS",
            description = "Host an application: run CLASS's main method on a virtual thread once the stack is up, with the"
                    + " arguments after CLASS (put -- before them if one starts with -); Spinet.current() gives it the"
                    + " stack's socket factories; the stack stops when main returns and the exit status is the"
                    + " application's (docs/applications.md).")
    String app;

    @Option(names = "--app-classpath", paramLabel = "PATH",
            description = "Jars and directories (separated by ':' as in java -cp) holding --app's"
                    + " classes (default: spinet's own class path).")
    String appClasspath;

    @picocli.CommandLine.Parameters(paramLabel = "ARGS", arity = "0..*", description = "With --app: the application's arguments.")
    java.util.List<String> appArguments = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        RunOptions options;
        int[] servers;
        dev.spinet.app.HostedApplication hosted;
        try {
            if (config != null) {
                ConfigFile.apply(ConfigFile.load(config), config, spec, spec.commandLine().getParseResult());
            }
            options = validate();
            servers = DnsServerOption.parse("--dns-server", dnsServers);
            hosted = hostedApplication();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("spinet run: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return EXIT_USAGE;
        }
        BoardRunner runner = new BoardRunner(options, System.out, NanoClock.SYSTEM).dnsServers(servers);
        SignalHandlers.install(runner);
        try {
            return hosted == null ? runner.run() : hosted.run(runner, appArguments.toArray(new String[0]), System.err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_CANNOT_START;
        } catch (RuntimeException e) {
            err.println("spinet run: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return EXIT_CANNOT_START;
        }
    }

    /** {@code --app}'s class and main method, found before anything starts; null without --app. */
    private dev.spinet.app.HostedApplication hostedApplication() {
        if (app == null || app.isBlank()) {
            if (appClasspath != null) {
                throw new IllegalArgumentException("--app-classpath " + appClasspath + " without --app: name the main class with --app CLASS");
            }
            if (!appArguments.isEmpty()) {
                throw new IllegalArgumentException("unexpected argument '" + appArguments.get(0) + "': spinet run takes options only;"
                        + " application arguments follow --app CLASS");
            }
            return null;
        }
        return dev.spinet.app.HostedApplication.find(app.trim(), appClasspath);
    }

    /** Checks every option and converts it; messages name the option and say what is expected. */
    RunOptions validate() {
        if (hal == null) {
            throw new IllegalArgumentException("--hal is required: tap, sim-w5500, sim-enc28j60, w5500 or enc28j60");
        }
        HalKind halKind = prefixed("--hal", () -> HalKind.parse(hal));
        if (roster != null) {
            applyRosterRow(halKind);
        }
        Ipv4Settings addressing = Ipv4Settings.parse(ip, gateway);
        boolean dhcp = addressing.dhcp();
        int address = addressing.address();
        int prefix = addressing.prefixLength();
        int gatewayAddress = addressing.gateway();
        long macAddress = RunOptions.DEFAULT_MAC;
        if (mac != null && !mac.isBlank()) {
            macAddress = prefixed("--mac", () -> MacAddress.parse(mac.trim()));
            if (MacAddress.isMulticast(macAddress) || macAddress == 0) {
                throw new IllegalArgumentException("--mac " + mac + ": must be a unicast address (first octet even), like 02:00:00:00:00:01");
            }
        }
        Set<ServiceKind> serviceKinds = namedSet("--services", services, ServiceKind.class, ServiceKind::parse);
        if (halKind.usesTap() && (tap == null || tap.isEmpty() || tap.length() > 15 || !tap.matches("[A-Za-z0-9_.-]+"))) {
            throw new IllegalArgumentException("--tap '" + tap + "': an interface name of 1..15 letters, digits, '_', '.' or '-'");
        }
        int gpiochipNumber = ChipWiring.check(spi, intPin, resetPin, gpiochip);
        if (spiHz != 0 && (spiHz < 100_000 || spiHz > 125_000_000)) {
            throw new IllegalArgumentException("--spi-hz " + spiHz + ": must be 100000..125000000");
        }
        SpiTiming timing = timing(halKind);
        if (spiClock != null && halKind.usesSpi()) {
            int clockHz = prefixed("--spi-clock", () -> checkedClock(halKind, SpiTiming.parseHz(spiClock)));
            if (spiHz != 0 && spiHz != clockHz) {
                throw new IllegalArgumentException("--spi-clock " + spiClock.trim() + " and --spi-hz " + spiHz + " disagree; give one of them");
            }
            spiHz = clockHz;
        }
        ChipWiring.checkRange("--connections", connections, 1, 1024);
        if (bufferBytes == 0) {
            bufferBytes = halKind.defaultBufferBytes();
        }
        if (bufferBytes < 1024 || bufferBytes > 1 << 20 || Integer.bitCount(bufferBytes) != 1) {
            throw new IllegalArgumentException("--buffer-bytes " + bufferBytes + ": must be a power of two from 1024 to 1048576");
        }
        String labName = null;
        if (lab != null && !lab.isBlank()) {
            labName = lab.trim();
            if (!new dev.spinet.lab.CatalogueLabNames().exists(labName)) {
                throw new IllegalArgumentException("--lab: " + LabCommand.unknownLab(labName));
            }
        }
        int peerAddress = peer == null || peer.isBlank() ? 0 : Ipv4Settings.parseAddress("--peer", peer);
        if (labName != null && peerAddress == 0 && LabRoles.forLab(labName).needsPeer()) {
            throw new IllegalArgumentException("--lab " + labName + " connects to the student's computer: give its address with --peer A.B.C.D");
        }
        String boardName = board == null || board.isBlank() ? null : board.trim();
        if (boardName != null && !boardName.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")) {
            throw new IllegalArgumentException("--board " + boardName + ": 1 to 32 letters, digits, '-', '_' or '.'");
        }
        if (controlKey != null && boardName == null) {
            throw new IllegalArgumentException("--control-key needs the board's name: --board NAME, or a --roster row");
        }
        ChipFaultSpec faultSpec = null;
        FaultTrigger faultAfter = null;
        if (chipFault != null && !chipFault.isBlank()) {
            if (!halKind.emulated()) {
                throw new IllegalArgumentException("--chip-fault " + chipFault.trim() + ": faults are fired into the chip emulator; "
                        + "use --hal sim-w5500 or sim-enc28j60 (not " + halKind.label() + ")");
            }
            faultSpec = prefixed("--chip-fault", () -> ChipFaultSpec.parse(chipFault).forChip(halKind.chip()));
            String when = chipFaultAfter == null || chipFaultAfter.isBlank() ? DEFAULT_CHIP_FAULT_AFTER : chipFaultAfter;
            faultAfter = prefixed("--chip-fault-after", () -> FaultTrigger.parse(when));
        } else if (chipFaultAfter != null && !chipFaultAfter.isBlank()) {
            throw new IllegalArgumentException("--chip-fault-after " + chipFaultAfter.trim() + ": says when --chip-fault fires; "
                    + "give --chip-fault NAME too (one of " + ChipFault.allLabels() + ")");
        }
        Set<TcpOption> options = namedSet("--tcp-options", tcpOptions, TcpOption.class, TcpOption::parse);
        return new RunOptions(halKind, tap, dhcp, address, prefix, gatewayAddress, macAddress, serviceKinds, pcap, trace,
                spi, spiHz, intPin, resetPin, gpiochipNumber, connections, bufferBytes, labName, peerAddress,
                boardName, controlKey, stateDir, labFile, faultSpec, faultAfter, options, tcpTuning(), timing, !noOffload);
    }

    /** {@code --tcp-features}, {@code --pmtu-min} and {@code --fin-wait-2-timeout}; StackConfig's defaults where not given. */
    private TcpTuning tcpTuning() {
        TcpTuning tuning = TcpTuning.DEFAULTS.withFeatures(namedSet("--tcp-features", tcpFeatures, TcpFeature.class, TcpFeature::parse));
        int floor = tuning.pathMtuMinimum();
        if (pmtuMin != null) {
            ChipWiring.checkRange("--pmtu-min", pmtuMin, 68, 1500);
            floor = pmtuMin;
        }
        long finWait2 = tuning.finWait2TimeoutNanos();
        if (finWait2Timeout != null) {
            finWait2 = prefixed("--fin-wait-2-timeout", () -> TcpTuning.parseFinWait2Timeout(finWait2Timeout));
        }
        return new TcpTuning(tuning.features(), floor, finWait2);
    }

    /** A comma-separated list of names ({@code none} or blank for the empty set), each parsed by {@code parse}. */
    private static <E extends Enum<E>> Set<E> namedSet(String option, String list, Class<E> type,
                                                       java.util.function.Function<String, E> parse) {
        Set<E> named = EnumSet.noneOf(type);
        String text = list == null ? "" : list.trim();
        if (!text.isEmpty() && !text.equalsIgnoreCase("none")) {
            for (String name : text.split(",")) {
                if (!name.isBlank()) {
                    named.add(prefixed(option, () -> parse.apply(name)));
                }
            }
        }
        return named;
    }

    /**
     * {@code --roster}: this board's row (named by {@code --board}, else the one whose match column
     * names this board) gives its name, address, gateway, lab and peer.
     */
    private void applyRosterRow(HalKind halKind) {
        Roster classRoster = Roster.read(roster);
        RosterRow row;
        if (board != null && !board.isBlank()) {
            row = classRoster.row(board);
        } else {
            long ownMac = mac != null && !mac.isBlank() ? prefixed("--mac", () -> MacAddress.parse(mac.trim())) : HalOpener.defaultMac(halKind);
            row = classRoster.rowFor(BoardIdentity.read(systemRoot, ownMac));
        }
        Map<String, String> settings = row.runSettings();
        board = settings.get("board");
        ip = settings.get("ip");
        gateway = settings.get("gateway");
        lab = settings.get("lab");
        peer = settings.get("peer");
    }

    /** {@code --spi-clock} and {@code --spi-overhead-us} on sim-*: the timing model, or null when off. */
    private SpiTiming timing(HalKind halKind) {
        boolean simulated = halKind == HalKind.SIM_W5500 || halKind == HalKind.SIM_ENC28J60;
        if (spiOverheadMicros != null && (!simulated || spiClock == null)) {
            throw new IllegalArgumentException("--spi-overhead-us belongs to the timing model: give it with --spi-clock on sim-w5500 or sim-enc28j60");
        }
        if (spiClock == null || !simulated) {
            if (spiClock != null && halKind == HalKind.TAP) {
                throw new IllegalArgumentException("--spi-clock: --hal tap has no SPI chip; use it with sim-w5500, sim-enc28j60, w5500 or enc28j60");
            }
            return null;
        }
        long clockHz = prefixed("--spi-clock", () -> checkedClock(halKind, SpiTiming.parseHz(spiClock)));
        double overhead = spiOverheadMicros == null ? SpiTiming.PI_SPIDEV_OVERHEAD_NANOS / 1000.0 : spiOverheadMicros;
        if (!(overhead >= 0) || overhead > 10_000) {
            throw new IllegalArgumentException("--spi-overhead-us " + spiOverheadMicros + ": must be 0..10000 microseconds");
        }
        return new SpiTiming(clockHz, Math.round(overhead * 1000));
    }

    /** A clock the chip accepts: at least 100 kHz, at most the chip's maximum. */
    private static int checkedClock(HalKind halKind, long clockHz) {
        if (clockHz < 100_000 || clockHz > halKind.maxSpiHz()) {
            throw new IllegalArgumentException(clockHz + " Hz is outside 100 kHz.." + halKind.maxSpiHz() / 1_000_000
                    + " MHz, the " + halKind.chipName() + "'s SPI range");
        }
        return (int) clockHz;
    }

    private static <T> T prefixed(String option, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }
}
