package dev.spinet.cli;

import dev.spinet.classroom.Roster;
import dev.spinet.classroom.RosterException;
import dev.spinet.classroom.RosterRow;
import dev.spinet.control.ControlClient;
import dev.spinet.control.ControlCommand;
import dev.spinet.control.ControlProtocol;
import dev.spinet.control.ControlToken;
import dev.spinet.control.LabSwitchState;
import dev.spinet.instructor.ClassStatus;
import dev.spinet.instructor.ClassStatusServer;
import dev.spinet.instructor.ClassStatusText;
import dev.spinet.app.Ipv4Settings;
import dev.spinet.wire.Ipv4Packet;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code spinet class check|status|switch|reset ROSTER}: the instructor's view of a class set of
 * boards, found through the class roster (docs/labs-images.md).
 */
@Command(name = "class", mixinStandardHelpOptions = true,
        description = "A class set of lab boards, through its roster: check it, watch every board, switch or reset labs.",
        subcommands = {ClassCommand.Check.class, ClassCommand.Status.class, ClassCommand.Switch.class, ClassCommand.Reset.class})
public final class ClassCommand implements Runnable {

    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The roster, or its problems printed one per line (then null). */
    static Roster read(Path file, PrintWriter err) {
        try {
            return Roster.read(file);
        } catch (RosterException e) {
            for (String problem : e.problems()) {
                err.println("spinet class: " + problem);
            }
            err.flush();
            return null;
        }
    }

    @Command(name = "check", description = "Reads the roster and checks every row as the boards will; lists the boards.")
    static final class Check implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ROSTER", description = "the class roster (CSV)")
        Path roster;

        @Override
        public Integer call() {
            Roster r = read(roster, spec.commandLine().getErr());
            if (r == null) {
                return EXIT_USAGE;
            }
            PrintWriter out = spec.commandLine().getOut();
            for (RosterRow row : r.rows()) {
                out.printf(Locale.ROOT, "%-12s %-24s %-18s %-19s %s%n", row.board(), row.match() == null ? "-" : row.match().text(),
                        row.addressing().ipText(), row.lab(), row.peer() == 0 ? "" : "peer " + Ipv4Packet.formatAddress(row.peer()));
            }
            out.println(r.rows().size() + " boards, every row valid");
            out.flush();
            return 0;
        }
    }

    @Command(name = "status", description = {"Shows every board of the roster: lab, address, link, connections and their states,",
            "recent transitions and counters, from each board's /status.json; boards that do not answer are shown as such.",
            "Asks only the addresses in the roster."})
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ROSTER", description = "the class roster (CSV)")
        Path roster;

        @Option(names = "--once", description = "Ask every board once, print, and exit.")
        boolean once;

        @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2", description = "Seconds between polls (default ${DEFAULT-VALUE}).")
        int interval;

        @Option(names = "--timeout", paramLabel = "MS", defaultValue = "1500", description = "How long a board may take to answer (default ${DEFAULT-VALUE}).")
        int timeoutMillis;

        @Option(names = "--serve", paramLabel = "HOST:PORT",
                description = "Also serve the class page there (e.g. 127.0.0.1:8088; 0.0.0.0:8088 for the projector's browser).")
        String serve;

        @Override
        public Integer call() throws Exception {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter out = spec.commandLine().getOut();
            Roster r = read(roster, err);
            if (r == null) {
                return EXIT_USAGE;
            }
            if (interval < 1 || interval > 3600 || timeoutMillis < 100 || timeoutMillis > 60_000) {
                err.println("spinet class status: --interval is 1..3600 s and --timeout 100..60000 ms");
                err.flush();
                return EXIT_USAGE;
            }
            ClassStatus status = new ClassStatus(r, ClassStatus.http(Duration.ofMillis(timeoutMillis)), System::currentTimeMillis,
                    Duration.ofMillis(timeoutMillis));
            if (once) {
                out.print(ClassStatusText.render(status.poll()));
                out.flush();
                return 0;
            }
            status.poll();
            ClassStatusServer server = null;
            try {
                if (serve != null) {
                    InetSocketAddress where;
                    try {
                        where = parseServe(serve);
                    } catch (IllegalArgumentException e) {
                        err.println("spinet class status: --serve " + serve + ": " + e.getMessage());
                        err.flush();
                        return EXIT_USAGE;
                    }
                    server = ClassStatusServer.start(where, status, roster.getFileName().toString(), interval, System::currentTimeMillis);
                    out.println("class page: http://" + server.address().getHostString() + ":" + server.address().getPort() + "/");
                    out.flush();
                }
                while (!Thread.currentThread().isInterrupted()) {
                    out.println("---- " + java.time.LocalTime.now().withNano(0) + " ----");
                    out.print(ClassStatusText.render(status.latest()));
                    out.flush();
                    Thread.sleep(interval * 1000L);
                    status.poll();
                }
                return 0;
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }

        private static InetSocketAddress parseServe(String text) {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("expected HOST:PORT, like 127.0.0.1:8088");
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("the port must be 0..65535");
            }
            try {
                return new InetSocketAddress(InetAddress.getByName(text.substring(0, colon)), port);
            } catch (IOException e) {
                throw new IllegalArgumentException("unknown host " + text.substring(0, colon));
            }
        }
    }

    /** What switch and reset share: the roster, the boards chosen, the token. */
    abstract static class Control implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ROSTER", description = "the class roster (CSV)")
        Path roster;

        @Option(names = "--board", paramLabel = "NAME", description = "Only these boards (repeat the option); default: every board.")
        List<String> boards = new ArrayList<>();

        @Option(names = "--token", paramLabel = "FILE", description = "The class control token (default: the roster's name with .token, beside it).")
        Path token;

        @Option(names = "--timeout", paramLabel = "MS", defaultValue = "3000", description = "How long a board may take to answer (default ${DEFAULT-VALUE}).")
        int timeoutMillis;

        abstract ControlCommand command();

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            PrintWriter out = spec.commandLine().getOut();
            Roster r = read(roster, err);
            if (r == null) {
                return EXIT_USAGE;
            }
            ControlCommand command;
            ControlToken secret;
            List<RosterRow> chosen = new ArrayList<>();
            try {
                command = command();
                secret = ControlToken.read(token != null ? token : ControlToken.besideRoster(roster));
                if (boards.isEmpty()) {
                    chosen.addAll(r.rows());
                } else {
                    for (String name : boards) {
                        chosen.add(r.row(name));
                    }
                }
            } catch (IllegalArgumentException e) {
                err.println("spinet class " + spec.name() + ": " + e.getMessage());
                err.flush();
                return EXIT_USAGE;
            }
            int failed = 0;
            for (RosterRow row : chosen) {
                String answer;
                if (row.address() == 0) {
                    answer = "skipped: its address comes from DHCP, the roster does not know it";
                    failed++;
                } else {
                    try {
                        answer = ControlClient.send(new InetSocketAddress(InetAddress.getByAddress(addressBytes(row.address())),
                                ControlProtocol.PORT), row.board(), secret.boardKey(row.board()), command, Duration.ofMillis(timeoutMillis));
                    } catch (IOException | IllegalStateException e) {
                        answer = "error " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
                    }
                    if (!answer.startsWith("ok ")) {
                        failed++;
                    }
                }
                out.printf(Locale.ROOT, "%-12s %-15s %s%n", row.board(), row.address() == 0 ? "dhcp" : Ipv4Packet.formatAddress(row.address()), answer);
            }
            out.flush();
            return failed == 0 ? 0 : EXIT_FAILED;
        }

        private static byte[] addressBytes(int address) {
            return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        }
    }

    @Command(name = "switch", description = {"Switches boards to another lab without reflashing (port 7070, HMAC proof from the class token).",
            "Each board remembers it across restarts until switched again, reset, or its lab file is edited."})
    static final class Switch extends Control {
        @Option(names = "--lab", required = true, paramLabel = "NAME", description = "The lab to run.")
        String lab;

        @Option(names = "--peer", paramLabel = "A.B.C.D",
                description = "The student's computer for simultaneous-open and syn-sent (default: each board's own from its roster row).")
        String peer;

        @Override
        ControlCommand command() {
            int peerAddress = peer == null ? 0 : Ipv4Settings.parseAddress("--peer", peer);
            if (!dev.spinet.lab.LabCatalogue.standard().exists(lab)) {
                LabSwitchState.check(lab, peerAddress); // throws, naming the labs
            }
            return new ControlCommand(lab, peerAddress);
        }
    }

    @Command(name = "reset", description = "Puts boards back on the lab their image (or roster row) gives them, with fresh counters.")
    static final class Reset extends Control {
        @Override
        ControlCommand command() {
            return ControlCommand.RESET;
        }
    }
}
