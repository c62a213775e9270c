package dev.spinet.bench;

import dev.spinet.app.Spinet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * java.net sockets against the handler API on one Spinet over one TAP, in one sitting (a
 * harness, not JMH: it needs root, a namespace and a kernel peer). One Spinet runs the echo,
 * discard and chargen services on the handler API (ports 7, 9, 19) and the same three on
 * blocking Spinet sockets in virtual threads (ports 1007, 1009, 1019); a kernel-socket client
 * in the namespace ({@code socket_bench_client.py}) measures, alternating handler and socket so
 * both see the same machine load:
 * <ul>
 *   <li>64-byte echo round trips (TCP_NODELAY both ends): median and p99 in microseconds, one
 *       round trip on the handler's echo and one on the socket echo in turn on two connections
 *       (a platform-thread socket echo on port 1107 is measured the same way);</li>
 *   <li>upload to discard and download from chargen / the socket source: Mbit/s, each round the
 *       median of {@link #TRANSFERS_PER_ROUND} transfers, handler and socket in turn.</li>
 * </ul>
 * Two warm-up rounds, then more (at most {@code spinet.bench.jitWarmupMax}, default 4) while the
 * JVM's JIT compiler threads took {@code spinet.bench.jitQuietMs} (default 10) ms of CPU or more
 * in the last; every round prints its compiler CPU, and the end the total over the measured ones.
 * Usage (as root): {@code scripts/socket-bench [REPS=5] [MB=50]} (MB=0: round trips only). Figures go to the report of
 * the change that measured them (docs/benchmarks.md "Where figures go"), never into tests.
 */
public final class SocketBench {

    private static final String KERNEL_IP = "10.84.0.1";
    private static final String BOARD_IP = "10.84.0.2";
    private static final int RTT_COUNT = 2000;
    private static final int RTT_WARMUP = 200;
    /**
     * Transfers of each kind and side in a round: a 20 MB transfer at a gigabyte a second lasts
     * 20 ms, within which one descheduling of the client or the stack moves the figure by half,
     * so a round's figure is the median of several, taken in turn with the other side's.
     */
    private static final int TRANSFERS_PER_ROUND = 4;

    /** Warm-up rounds always run, before the ones that last until the JIT is quiet. */
    private static final int FIXED_WARMUP_ROUNDS = 2;

    private SocketBench() {
    }

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        long jitQuietMs = Long.getLong("spinet.bench.jitQuietMs", 10);
        int jitWarmupMax = Integer.getInteger("spinet.bench.jitWarmupMax", 4);
        long pid = ProcessHandle.current().pid();
        String namespace = "spinet-skbench-" + pid;
        String tap = ("skb" + pid);
        tap = tap.substring(0, Math.min(15, tap.length()));
        Path work = Files.createTempDirectory("spinet-socket-bench-");
        Path client = work.resolve("socket_bench_client.py");
        try (InputStream in = SocketBench.class.getResourceAsStream("socket_bench_client.py")) {
            Files.copy(in, client);
        }
        run("ip", "netns", "add", namespace);
        Spinet spinet = null;
        try {
            run("ip", "netns", "exec", namespace, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                    "net.ipv6.conf.default.disable_ipv6=1");
            run("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
            spinet = Spinet.start("--hal", "tap", "--tap", tap, "--ip", BOARD_IP + "/24", "--services", "echo,discard,chargen");
            run("ip", "link", "set", tap, "netns", namespace);
            run("ip", "netns", "exec", namespace, "ip", "addr", "add", KERNEL_IP + "/24", "dev", tap);
            run("ip", "netns", "exec", namespace, "ip", "link", "set", tap, "up");
            startSocketServers(spinet);

            String bytes = String.valueOf(megabytes * 1_000_000L);
            String[] names = {"echo RTT median, us", "echo RTT p99, us", "upload, Mbit/s", "download, Mbit/s"};
            List<double[]> handler = new ArrayList<>();
            List<double[]> sockets = new ArrayList<>();
            List<double[]> platform = new ArrayList<>();
            JitActivity jit = JitActivity.ofThisJvm();
            // The fixed warm-up rounds, then more while the compiler threads were still busy in the
            // last one (bench/loss-compare.sh's rule): on 2 CPUs two warm-up rounds left C2
            // compiling 60 to 170 ms inside measured 100 MB transfers, more in the sockets' (more
            // code), so the figures measured the JIT as well as the stack.
            int round = 0;
            long lastWarmUpMs = 0;
            for (; round < FIXED_WARMUP_ROUNDS; round++) {
                lastWarmUpMs = measureRound(jit, namespace, client, bytes, "warm-up", round).jitMs();
            }
            int extraRounds = 0;
            while (lastWarmUpMs >= jitQuietMs && extraRounds < jitWarmupMax) {
                lastWarmUpMs = measureRound(jit, namespace, client, bytes, "warm-up", round++).jitMs();
                extraRounds++;
            }
            long measuredMs = 0;
            List<Long> measuredRoundMs = new ArrayList<>();
            for (int rep = 0; rep < reps; rep++) {
                Round measured = measureRound(jit, namespace, client, bytes, "measured", round++);
                measuredMs += measured.jitMs();
                measuredRoundMs.add(measured.jitMs());
                handler.add(measured.figures()[0]);
                sockets.add(measured.figures()[1]);
                platform.add(measured.figures()[2]);
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "warm-up: %d fixed + %d more rounds (more while the JIT compiler threads took >= %d ms"
                    + " in a round, at most %d), %d ms in the last%s%n", FIXED_WARMUP_ROUNDS, extraRounds, jitQuietMs, jitWarmupMax,
                    lastWarmUpMs, lastWarmUpMs >= jitQuietMs ? " (not quiet: the limit ended the warm-up)" : "");
            System.out.printf(Locale.ROOT, "JIT compiler threads during the %d measured rounds: %d ms CPU (per round %s)%n", reps,
                    measuredMs, measuredRoundMs);
            System.out.println();
            System.out.println("| measurement | handler API (min / median / max) | sockets (min / median / max) | sockets / handler (medians) |");
            System.out.println("|---|---|---|---|");
            for (int i = 0; i < names.length; i++) {
                double[] hs = column(handler, i);
                double[] ss = column(sockets, i);
                System.out.printf(Locale.ROOT, "| %s | %.1f / %.1f / %.1f | %.1f / %.1f / %.1f | %.2fx |%n", names[i],
                        hs[0], median(hs), hs[hs.length - 1], ss[0], median(ss), ss[ss.length - 1], median(ss) / median(hs));
            }
            for (int i = 0; i < 2; i++) {
                double[] hs = column(platform, i + 2);
                double[] ps = column(platform, i);
                System.out.printf(Locale.ROOT, "| %s, platform-thread socket echo | %.1f / %.1f / %.1f | %.1f / %.1f / %.1f | %.2fx |%n",
                        names[i], hs[0], median(hs), hs[hs.length - 1], ps[0], median(ps), ps[ps.length - 1], median(ps) / median(hs));
            }
            // Where the stack thread's wake-ups went (docs/applications.md "Where a round trip's time goes").
            System.out.println();
            System.out.println("stack thread: " + spinet.stackThreadCounters() + "; reads led: " + spinet.sockets().readsLed()
                    + "; writes led: " + spinet.sockets().writesLed());
        } finally {
            if (spinet != null) {
                spinet.close();
            }
            run("ip", "netns", "del", namespace);
            Files.deleteIfExists(client);
            Files.deleteIfExists(work);
        }
        System.exit(0);
    }

    /**
     * A round's figures, {handler, sockets, platform-thread echo with the handler's round trips of
     * the same pair}, each {RTT median, RTT p99, upload, download}, and the CPU milliseconds the
     * JIT compiler threads took during it.
     */
    private record Round(double[][] figures, long jitMs) {
    }

    /**
     * One round, printed: round trips on the handler echo and a socket echo in turn, on two
     * connections at once, then the transfers.
     */
    private static Round measureRound(JitActivity jit, String namespace, Path client, String bytes, String kind, int index)
            throws Exception {
        Map<Long, Long> before = jit.snapshot();
        double[] virtualPair = measureRttPair(namespace, client, 7, 1007);
        double[] platformPair = measureRttPair(namespace, client, 7, 1107);
        double[] bulk = measureBulkPairs(namespace, client, bytes);
        long jitMs = millis(JitActivity.nanosBetween(before, jit.snapshot()));
        double[][] figures = {
            {virtualPair[0], virtualPair[1], bulk[0], bulk[2]},
            {virtualPair[2], virtualPair[3], bulk[1], bulk[3]},
            {platformPair[2], platformPair[3], platformPair[0], platformPair[1]},
        };
        System.out.printf(Locale.ROOT, "%s round %d: handler %s | sockets %s | platform-thread echo %s | JIT compiler threads %d ms%n",
                kind, index, Arrays.toString(figures[0]), Arrays.toString(figures[1]), Arrays.toString(figures[2]), jitMs);
        return new Round(figures, jitMs);
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }

    /**
     * Uploads to the handler's and the sockets' discard, then downloads from the handler's chargen
     * and the sockets' source, {@link #TRANSFERS_PER_ROUND} transfers each, handler and socket in
     * turn (A B B A ...) so both see the same moments of machine load: {handler up, socket up,
     * handler down, socket down}, each the median of its transfers, in Mbit/s.
     */
    private static double[] measureBulkPairs(String namespace, Path client, String bytes) throws Exception {
        if (bytes.equals("0")) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN}; // MB=0: round trips only
        }
        String count = String.valueOf(TRANSFERS_PER_ROUND);
        String[] up = python(namespace, client, "upload-pair", "9", "1009", bytes, count);
        String[] down = python(namespace, client, "download-pair", "19", "1019", bytes, count);
        return new double[] {Double.parseDouble(up[1]), Double.parseDouble(up[2]), Double.parseDouble(down[1]), Double.parseDouble(down[2])};
    }

    /** Median and p99 of two echo servers measured round trip by round trip in turn: {a median, a p99, b median, b p99}. */
    private static double[] measureRttPair(String namespace, Path client, int echoA, int echoB) throws Exception {
        String[] pair = python(namespace, client, "rtt-pair", String.valueOf(echoA), String.valueOf(echoB),
                String.valueOf(RTT_COUNT), String.valueOf(RTT_WARMUP));
        return new double[] {Double.parseDouble(pair[1]), Double.parseDouble(pair[2]), Double.parseDouble(pair[3]), Double.parseDouble(pair[4])};
    }

    private static String[] python(String namespace, Path client, String command, String port, String... more) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace, "python3", client.toString(), command, BOARD_IP, port));
        full.addAll(List.of(more));
        String output = run(full.toArray(new String[0])).strip();
        if (!output.startsWith(command + "-ok")) {
            throw new IllegalStateException(String.join(" ", full) + ": " + output);
        }
        return output.split(" ");
    }

    /** The three socket servers, each connection on a virtual thread of its own. */
    private static void startSocketServers(Spinet spinet) throws IOException {
        ServerSocket echo = spinet.serverSocketFactory().createServerSocket(1007);
        ServerSocket discard = spinet.serverSocketFactory().createServerSocket(1009);
        ServerSocket source = spinet.serverSocketFactory().createServerSocket(1019);
        ServerSocket platformEcho = spinet.serverSocketFactory().createServerSocket(1107);
        Thread.ofPlatform().daemon().start(() -> {
            while (!platformEcho.isClosed()) {
                try (Socket socket = platformEcho.accept()) {
                    socket.setTcpNoDelay(true);
                    socket.getInputStream().transferTo(socket.getOutputStream());
                } catch (IOException e) {
                    // next connection
                }
            }
        });
        serve(echo, socket -> {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        });
        serve(discard, socket -> {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[64 * 1024];
            while (in.read(buffer) > 0) {
                // discarded
            }
        });
        serve(source, socket -> {
            OutputStream out = socket.getOutputStream();
            byte[] pattern = new byte[64 * 1024];
            for (int i = 0; i < pattern.length; i++) {
                pattern[i] = (byte) (32 + i % 95);
            }
            while (true) {
                out.write(pattern);
            }
        });
    }

    private interface Connection {
        void handle(Socket socket) throws IOException;
    }

    /** Accepts on a virtual thread and runs each connection on a virtual thread of its own. */
    private static void serve(ServerSocket server, Connection connection) {
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            connection.handle(socket);
                        } catch (IOException e) {
                            // the client went away (the download ends with its close)
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static double[] column(List<double[]> rows, int index) {
        double[] values = new double[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = rows.get(i)[index];
        }
        Arrays.sort(values);
        return values;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + process.exitValue() + ": " + output);
        }
        return output;
    }
}
