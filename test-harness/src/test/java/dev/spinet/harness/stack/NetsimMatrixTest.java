package dev.spinet.harness.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.FaultInjector;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.iface.DutyCycle;
import dev.spinet.iface.IfaceCounter;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpCounter;
import dev.spinet.tcp.scenario.BulkTransfer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The netsim matrix (after smoltcp's {@code tests/netsim.rs}): one fixed transfer per cell of
 * seeded loss x reordering x buffer size x round-trip time, between two whole {@link Stack}s
 * (Ethernet, ARP, IPv4, TCP) on a {@link VirtualWire} whose ports are wrapped in seeded
 * {@link FaultInjector}s, in simulated time. Each cell's goodput and retransmissions go into a
 * fixed-width table that is compared, byte for byte, with the checked-in snapshot
 * {@code src/test/resources/netsim.snapshot}: a change in the TCP engine's behaviour under loss
 * shows up in the diff as a changed row.
 *
 * <p>Regenerate the snapshot after an intended change with
 * {@code ./mvnw -B -pl test-harness -am test -Dtest=NetsimMatrixTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dspinet.netsim.update=true} and commit the diff.
 *
 * <p>The wire has no bandwidth limit (frames take exactly the one-way latency), so goodput is set
 * by the window, the RTT, slow start and recovery from loss, which is what the matrix is for.
 */
class NetsimMatrixTest {

    static final Path SNAPSHOT = Path.of("src/test/resources/netsim.snapshot");
    static final boolean UPDATE = Boolean.getBoolean("spinet.netsim.update");

    static final double[] LOSS = {0.0, 0.01, 0.05, 0.10};
    static final double[] REORDER = {0.0, 0.05};
    static final int[] BUFFER = {4 * 1024, 16 * 1024, 64 * 1024};
    static final long[] RTT_MS = {1, 20, 100};

    /** Bytes sent one way in every cell. */
    static final int TRANSFER = 256 * 1024;
    /** A cell that has not delivered everything after this much simulated time shows TIMEOUT. */
    static final long CELL_LIMIT_NANOS = 600L * 1_000_000_000L;

    static final int CLIENT = 0x0A00_0001;
    static final int SERVER = 0x0A00_0002;
    static final int PORT = 7000;
    static final long MS = 1_000_000L;

    /** The TCP options both ends offer in a cell: the defaults, or the same without SACK. */
    enum Options {
        SACK_TIMESTAMPS("sack+ts", true),
        TIMESTAMPS("ts", false);

        final String label;
        final boolean sack;

        Options(String label, boolean sack) {
            this.label = label;
            this.sack = sack;
        }
    }

    record Cell(double loss, double reorder, int buffer, long rttMs, Options options, int seedIndex) {
        Cell(double loss, double reorder, int buffer, long rttMs, Options options) {
            this(loss, reorder, buffer, rttMs, options, 0);
        }

        long seed() {
            // Fixed per cell, independent of the order cells run in (and of the options, so both
            // variants draw from the same generator); seedIndex 0 is the snapshot's.
            return 0x4E45_5453_494DL ^ (Math.round(loss * 1000) << 40) ^ (Math.round(reorder * 1000) << 28)
                    ^ ((long) buffer << 8) ^ rttMs ^ ((long) seedIndex * 0x9E37_79B9_7F4A_7C15L);
        }

        String key() {
            return String.format(Locale.ROOT, KEY_FORMAT, String.format(Locale.ROOT, "%.1f%%", loss * 100),
                    String.format(Locale.ROOT, "%.1f%%", reorder * 100), buffer / 1024, rttMs, options.label);
        }
    }

    /** One cell's outcome. */
    record Outcome(String row, boolean ok, long elapsedNanos) {
    }

    @Test
    void goodputAndRetransmissionsMatchTheSnapshot() throws IOException {
        StringBuilder table = new StringBuilder(HEADER);
        for (double loss : LOSS) {
            for (double reorder : REORDER) {
                for (int buffer : BUFFER) {
                    for (long rtt : RTT_MS) {
                        for (Options options : Options.values()) {
                            table.append(run(new Cell(loss, reorder, buffer, rtt, options)).row()).append('\n');
                        }
                    }
                }
            }
        }
        String actual = table.toString();
        if (UPDATE) {
            Files.writeString(SNAPSHOT, actual, StandardCharsets.UTF_8);
            System.out.println("netsim: snapshot written to " + SNAPSHOT.toAbsolutePath() + "\n" + actual);
            return;
        }
        if (!Files.exists(SNAPSHOT)) {
            fail("no snapshot at " + SNAPSHOT.toAbsolutePath() + ": create it with -Dspinet.netsim.update=true\n" + actual);
        }
        String expected = Files.readString(SNAPSHOT, StandardCharsets.UTF_8);
        if (!expected.equals(actual)) {
            String diff = diff(expected, actual);
            System.out.println("netsim: behaviour changed (" + SNAPSHOT + "); if intended, regenerate with"
                    + " -Dspinet.netsim.update=true and commit it.\n" + diff);
            assertEquals(expected, actual, "netsim snapshot differs in these cells:\n" + diff);
        }
    }

    /**
     * SACK on against SACK off (timestamps on in both), measured, not asserted: every cell of the
     * matrix with {@code spinet.netsim.seeds} seeds (the snapshot's first), both variants with the
     * same fault generators; per cell the geometric mean of time(off) / time(on) over the seeds
     * with a 95 % interval, and over the lossy cells the geometric mean of those. Writes
     * {@code target/netsim-sack.md}; {@code bench/netsim-sack.sh} runs it. It asserts only that
     * every run delivered everything intact.
     */
    @Test
    @EnabledIfSystemProperty(named = "spinet.netsim.seeds", matches = "[1-9][0-9]?")
    void sackOnAgainstSackOff() throws IOException {
        int seeds = Integer.getInteger("spinet.netsim.seeds");
        StringBuilder report = new StringBuilder();
        report.append("# Netsim matrix: SACK on against SACK off\n\n");
        report.append("NetsimMatrixTest#sackOnAgainstSackOff, ").append(seeds).append(" seeds per cell, timestamps on in both;"
                + " speed-up = time(SACK off) / time(SACK on), geometric mean over the seeds, with a 95 % interval of the"
                + " mean log ratio (t distribution): a cell is faster (slower) beyond noise when the whole interval lies above"
                + " (below) 1.\n\n");
        report.append("| loss | reord | buf KiB | rtt ms | SACK on, ms (geomean) | SACK off, ms (geomean) | speed-up | 95 % interval | verdict |\n");
        report.append("|---|---|---|---|---|---|---|---|---|\n");
        List<String> failures = new ArrayList<>();
        double lossyLogSum = 0;
        int lossyCells = 0;
        int slowerBeyondNoise = 0;
        double worst = Double.MAX_VALUE;
        for (double loss : LOSS) {
            for (double reorder : REORDER) {
                for (int buffer : BUFFER) {
                    for (long rtt : RTT_MS) {
                        double[] logRatios = new double[seeds];
                        double logOn = 0;
                        double logOff = 0;
                        for (int seed = 0; seed < seeds; seed++) {
                            Outcome on = run(new Cell(loss, reorder, buffer, rtt, Options.SACK_TIMESTAMPS, seed));
                            Outcome off = run(new Cell(loss, reorder, buffer, rtt, Options.TIMESTAMPS, seed));
                            if (!on.ok()) {
                                failures.add(on.row());
                            }
                            if (!off.ok()) {
                                failures.add(off.row());
                            }
                            logRatios[seed] = Math.log((double) off.elapsedNanos() / on.elapsedNanos());
                            logOn += Math.log(on.elapsedNanos() / 1e6);
                            logOff += Math.log(off.elapsedNanos() / 1e6);
                        }
                        double mean = 0;
                        for (double value : logRatios) {
                            mean += value / seeds;
                        }
                        double variance = 0;
                        for (double value : logRatios) {
                            variance += (value - mean) * (value - mean) / Math.max(1, seeds - 1);
                        }
                        double half = seeds > 1 ? T_975[Math.min(seeds - 1, T_975.length - 1)] * Math.sqrt(variance / seeds) : 0;
                        boolean slower = mean + half < 0;
                        boolean faster = mean - half > 0;
                        slowerBeyondNoise += slower ? 1 : 0;
                        if (loss > 0) {
                            lossyLogSum += mean;
                            lossyCells++;
                            worst = Math.min(worst, Math.exp(mean));
                        }
                        report.append(String.format(Locale.ROOT, "| %.1f%% | %.1f%% | %d | %d | %.1f | %.1f | %.2fx | %.2f..%.2f | %s |%n",
                                loss * 100, reorder * 100, buffer / 1024, rtt, Math.exp(logOn / seeds), Math.exp(logOff / seeds),
                                Math.exp(mean), Math.exp(mean - half), Math.exp(mean + half),
                                slower ? "slower beyond noise" : faster ? "faster beyond noise" : "within noise"));
                    }
                }
            }
        }
        report.append(String.format(Locale.ROOT, "%nLossy cells (%d): geometric mean speed-up %.2fx, worst cell %.2fx; cells slower beyond"
                + " noise: %d.%n", lossyCells, Math.exp(lossyLogSum / lossyCells), worst, slowerBeyondNoise));
        Path out = Path.of("target/netsim-sack.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
        System.out.println("netsim: SACK comparison written to " + out.toAbsolutePath() + "\n" + report);
        assertEquals(List.of(), failures, "every run delivers everything intact and closes normally");
    }

    /** Two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom (index = degrees). */
    private static final double[] T_975 = {0, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
            2.056, 2.052, 2.048, 2.045, 2.042};

    static final String KEY_FORMAT = "  %6s %6s %4d %5d %7s";
    static final String ROW_FORMAT = "%s | %9s %8s %5s %5s %4s %5s | %s";

    static final String HEADER = """
            # Spinet netsim matrix: NetsimMatrixTest (test-harness). Regenerate: -Dspinet.netsim.update=true
            # Two whole Stacks on a VirtualWire, each port behind a seeded FaultInjector (loss and reordering
            # applied to frames in both directions, data and ACKs alike; a reordered frame is held until a
            # later frame overtakes it, at most 1 ms). Simulated time; no bandwidth limit on the wire.
            # Per cell: client connects, writes %d bytes, half-closes; server reads all and closes.
            # Both ends: 4 TCBs, send and receive rings of buf KiB, 8 reassembly ranges, default RTOs.
            # Every cell twice: opts sack+ts = the default options (window scaling, timestamps, SACK and
            # D-SACK); opts ts = the same without SACK (NewReno recovery).
            #
            #   loss     frame loss probability per direction      reord   reordering probability per direction
            #   buf      send and receive ring, KiB (both ends)    rtt     round-trip latency of the wire, ms
            #   time_ms  simulated time from connect() to the server having read the last byte
            #   goodput  %d bytes / time, in KB/s (1000 bytes)
            #   segs     TCP segments the client sent          retx    of which retransmitted (RETRANSMITTED_SEGMENTS)
            #   rto      retransmission timeouts at the client fast    fast retransmits at the client
            #   result   ok = all bytes arrived intact (SHA-256) and both ends closed normally;
            #            TIMEOUT = not all delivered within 600 s simulated; BAD = wrong data or abnormal close
            #
            """.formatted(TRANSFER, TRANSFER)
            + "#" + String.format(Locale.ROOT, ROW_FORMAT, String.format(Locale.ROOT, "  %6s %6s %4s %5s %7s", "loss", "reord", "buf", "rtt", "opts"),
                    "time_ms", "goodput", "segs", "retx", "rto", "fast", "result").substring(1) + "\n";

    private static Outcome run(Cell cell) {
        ManualClock clock = new ManualClock();
        VirtualWire wire = new VirtualWire(clock);
        wire.latencyNanos(cell.rttMs * MS / 2);
        FaultInjector clientPort = new FaultInjector(wire.connect("client", 0x02_00_00_00_00_01L), clock, cell.seed())
                .loss(cell.loss).reordering(cell.reorder);
        FaultInjector serverPort = new FaultInjector(wire.connect("server", 0x02_00_00_00_00_02L), clock, ~cell.seed())
                .loss(cell.loss).reordering(cell.reorder);
        Stack client = new Stack(config(CLIENT, cell.buffer, cell.options), clientPort);
        Stack server = new Stack(config(SERVER, cell.buffer, cell.options), serverPort);
        BulkTransfer.Side sender = new BulkTransfer.Side(client.tcp(), TRANSFER, 0x1111, 4096);
        BulkTransfer.Side receiver = new BulkTransfer.Side(server.tcp(), 0, 0x2222, 4096);
        server.tcp().listen(PORT, 4, receiver);
        long start = clock.nanoTime();
        long[] deliveredAt = {-1};
        Simulator sim = new Simulator(clock, wire).add(client).add(server)
                .add(releaser(clientPort)).add(releaser(serverPort))
                .beforeEachRound(() -> {
                    sender.pump();
                    receiver.pump();
                    if (deliveredAt[0] < 0 && receiver.read == TRANSFER) {
                        deliveredAt[0] = clock.nanoTime();
                    }
                });
        sender.handle = client.tcp().connect(SERVER, PORT, sender);
        boolean delivered = sim.runUntil(() -> deliveredAt[0] >= 0, CELL_LIMIT_NANOS);
        boolean closed = delivered && sim.runUntil(() -> sender.done() && receiver.done(), CELL_LIMIT_NANOS);
        String result;
        if (!delivered) {
            result = "TIMEOUT (" + receiver.read + " B)";
        } else if (!closed || sender.closedWith != CloseReason.NORMAL || receiver.closedWith != CloseReason.NORMAL
                || !Arrays.equals(sender.sentHash(), receiver.receivedHash())
                || client.tcp().counters().get(TcpCounter.INTERNAL_ERROR) + server.tcp().counters().get(TcpCounter.INTERNAL_ERROR)
                        + client.iface().counters().get(IfaceCounter.INTERNAL_ERRORS) != 0) {
            result = "BAD (close " + sender.closedWith + "/" + receiver.closedWith + ")";
        } else {
            result = "ok";
        }
        var counters = client.tcp().counters();
        long elapsed = delivered ? deliveredAt[0] - start : -1;
        String time = delivered ? String.format(Locale.ROOT, "%.1f", elapsed / 1e6) : "-";
        String goodput = delivered ? Long.toString(TRANSFER * 1_000_000L / elapsed) : "-";
        String row = String.format(Locale.ROOT, ROW_FORMAT, cell.key(), time, goodput,
                counters.get(TcpCounter.SEGMENTS_SENT), counters.get(TcpCounter.RETRANSMITTED_SEGMENTS),
                counters.get(TcpCounter.RETRANSMISSION_TIMEOUTS), counters.get(TcpCounter.FAST_RETRANSMITS), result);
        return new Outcome(row, result.equals("ok"), elapsed);
    }

    static StackConfig config(int address, int buffer, Options options) {
        return StackConfig.builder().ipAddress(address, 24).tcpConnections(4).tcpBuffers(buffer, buffer)
                .tcpReassemblyHoles(8).tcpOptions(true, true, options.sack).tcpSecret(address).build();
    }

    /** Wakes the simulator when a frame the injector holds back (reordering) is due. */
    private static DutyCycle releaser(FaultInjector injector) {
        return new DutyCycle() {
            @Override
            public int poll(long nowNanos) {
                return injector.flush(nowNanos);
            }

            @Override
            public long nextDeadline(long nowNanos) {
                return injector.nextReleaseNanos(nowNanos);
            }
        };
    }

    /** The rows whose cells changed, old (-) above new (+), plus rows only in one of the two. */
    static String diff(String expected, String actual) {
        Map<String, String> before = rows(expected);
        Map<String, String> after = rows(actual);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> row : before.entrySet()) {
            String now = after.get(row.getKey());
            if (now == null) {
                out.add("- " + row.getValue() + "   (cell gone)");
            } else if (!now.equals(row.getValue())) {
                out.add("- " + row.getValue());
                out.add("+ " + now);
            }
        }
        for (Map.Entry<String, String> row : after.entrySet()) {
            if (!before.containsKey(row.getKey())) {
                out.add("+ " + row.getValue() + "   (new cell)");
            }
        }
        if (out.isEmpty()) {
            out.add("(no cell changed: the header or the layout differs)");
        }
        return String.join("\n", out);
    }

    private static Map<String, String> rows(String table) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : table.split("\n")) {
            int bar = line.indexOf('|');
            if (!line.startsWith("#") && bar > 0) {
                rows.put(line.substring(0, bar).trim(), line);
            }
        }
        return rows;
    }
}
