import dev.spinet.app.Spinet;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

/** Scratch: per-thread CPU and context switches of 100 MB uploads to the handler's and the sockets' discard. */
public class DownProbe {
    static final String PY = String.join("\n",
        "import socket,sys,time,resource",
        "s=socket.create_connection(('10.84.0.2',int(sys.argv[1])),timeout=30)",
        "total=int(sys.argv[2]);got=0;t=time.perf_counter();b=bytearray(262144)",
        "while got<total:",
        "  n=s.recv_into(b)",
        "  if n==0: break",
        "  got+=n",
        "e=time.perf_counter()-t;r=resource.getrusage(resource.RUSAGE_SELF)",
        "s.close()",
        "print('%.0f %.0f %d %d'%(total*8/e/1e6,(r.ru_utime+r.ru_stime)*1000,r.ru_nvcsw,r.ru_nivcsw))");

    static final String PY2 = String.join("\n",
        "import socket,sys,time,resource",
        "s=socket.create_connection(('10.84.0.2',int(sys.argv[1])),timeout=30)",
        "s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)",
        "total=int(sys.argv[2]);got=0;t=time.perf_counter()",
        "while got<total:",
        "  c=s.recv(262144)",
        "  if not c: break",
        "  got+=len(c)",
        "e=time.perf_counter()-t;r=resource.getrusage(resource.RUSAGE_SELF)",
        "s.close()",
        "print('%.0f %.0f %d %d'%(total*8/e/1e6,(r.ru_utime+r.ru_stime)*1000,r.ru_nvcsw,r.ru_nivcsw))");

    record T(String name, long ticks, long vol, long invol) {}

    static Map<Integer, T> snap() throws Exception {
        Map<Integer, T> m = new HashMap<>();
        try (var ds = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path p : ds) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    long vol = 0, inv = 0;
                    for (String line : Files.readAllLines(p.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches")) vol = Long.parseLong(line.split("\\s+")[1]);
                        if (line.startsWith("nonvoluntary_ctxt_switches")) inv = Long.parseLong(line.split("\\s+")[1]);
                    }
                    m.put(Integer.parseInt(p.getFileName().toString()), new T(name, ticks, vol, inv));
                } catch (Exception e) { }
            }
        }
        return m;
    }

    static Map<String, Long> parse(String c) {
        Map<String, Long> m = new TreeMap<>();
        for (String kv : c.replaceAll("[\\n;,]", " ").split("\\s+")) {
            int i = kv.indexOf('=');
            if (i > 0) try { m.put(kv.substring(0, i), Long.parseLong(kv.substring(i + 1))); } catch (NumberFormatException e) { }
        }
        return m;
    }

    static String diff(String a, String b) {
        Map<String, Long> x = parse(a), y = parse(b);
        StringBuilder sb = new StringBuilder();
        for (var e : y.entrySet()) { long d = e.getValue() - x.getOrDefault(e.getKey(), 0L); if (d != 0) sb.append(e.getKey()).append("=+").append(d).append(' '); }
        return sb.toString();
    }

    static long[] cpu(String which) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            if (line.startsWith(which + " ")) { String[] f = line.trim().split("\\s+"); long[] v = new long[f.length - 1]; for (int i = 1; i < f.length; i++) v[i - 1] = Long.parseLong(f[i]); return v; }
        }
        return new long[10];
    }

    static String cpuDiff(long[] x, long[] y) {
        long tot = 0; long[] d = new long[x.length]; for (int i = 0; i < x.length; i++) { d[i] = y[i] - x[i]; tot += d[i]; }
        if (tot == 0) return "cpu0 n/a";
        return String.format("cpu0 user %d%% sys %d%% idle %d%% softirq %d%%", 100 * d[0] / tot, 100 * d[2] / tot, 100 * (d[3] + d[4]) / tot, 100 * d[6] / tot);
    }

    static String run(String... c) throws Exception {
        Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.strip();
    }

    public static void main(String[] a) throws Exception {
        int rounds = Integer.parseInt(a[0]);
        long bytes = Long.parseLong(a[1]) * 1_000_000L;
        long pid = ProcessHandle.current().pid();
        String ns = "spinet-dn14p-" + pid, tap = ("d14p" + pid);
        Path py = Files.createTempFile("dn14p", ".py");
        Files.writeString(py, Boolean.getBoolean("probe.benchClient") ? PY2 : PY);
        run("ip", "netns", "add", ns);
        Spinet spinet = null;
        try {
            List<String> sa = new ArrayList<>(List.of("--hal", "tap", "--tap", tap, "--ip", "10.84.0.2/24", "--services", "echo,discard,chargen"));
            String extra = System.getProperty("probe.args", "");
            if (!extra.isBlank()) sa.addAll(List.of(extra.trim().split("_")));
            spinet = Spinet.start(sa.toArray(new String[0]));
            run("ip", "link", "set", tap, "netns", ns);
            run("ip", "netns", "exec", ns, "ip", "addr", "add", "10.84.0.1/24", "dev", tap);
            run("ip", "netns", "exec", ns, "ip", "link", "set", tap, "up");
            ServerSocket platformSource = spinet.serverSocketFactory().createServerSocket(1020);
            Thread.ofPlatform().daemon().start(() -> {
                while (true) {
                    try (Socket s = platformSource.accept()) {
                        var out = s.getOutputStream(); byte[] b = new byte[65536]; for (int i = 0; i < b.length; i++) b[i] = (byte) (32 + i % 95);
                        while (true) out.write(b);
                    } catch (Exception e) { }
                }
            });
            ServerSocket source = spinet.serverSocketFactory().createServerSocket(1019);
            Thread.ofVirtual().start(() -> {
                while (true) {
                    try {
                        Socket s = source.accept();
                        Thread.ofVirtual().start(() -> {
                            try (s) { var out = s.getOutputStream(); byte[] b = new byte[65536]; for (int i = 0; i < b.length; i++) b[i] = (byte) (32 + i % 95); while (true) out.write(b); } catch (Exception e) { }
                        });
                    } catch (Exception e) { return; }
                }
            });
            run("ip", "netns", "exec", ns, "python3", py.toString(), "19", "20000000"); // warm-up
            run("ip", "netns", "exec", ns, "python3", py.toString(), "1019", "20000000");
            for (int r = 0; r < rounds; r++) {
                for (int port : (System.getProperty("probe.only") != null ? java.util.Arrays.stream(System.getProperty("probe.only").split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {19, 1019, 1020})) {
                    long led0 = spinet.sockets().writesLed();
                    String c0 = spinet.stackThreadCounters().toString();
                    String l0 = run("ip", "netns", "exec", ns, "cat", "/sys/class/net/" + tap + "/statistics/rx_packets", "/sys/class/net/" + tap + "/statistics/tx_packets");
                    Map<Integer, T> s0 = snap();
                    long[] k0 = cpu(System.getProperty("probe.cpu", "cpu0"));
                    String out; out = System.getProperty("probe.clientCpu") != null ? run("ip", "netns", "exec", ns, "taskset", "-c", System.getProperty("probe.clientCpu"), "python3", py.toString(), String.valueOf(port), String.valueOf(bytes)) : run("ip", "netns", "exec", ns, "python3", py.toString(), String.valueOf(port), String.valueOf(bytes));
                    long[] k1 = cpu(System.getProperty("probe.cpu", "cpu0"));
                    Map<Integer, T> s1 = snap();
                    String l1 = run("ip", "netns", "exec", ns, "cat", "/sys/class/net/" + tap + "/statistics/rx_packets", "/sys/class/net/" + tap + "/statistics/tx_packets");
                    String[] a0 = l0.split("\\s+"), a1 = l1.split("\\s+");
                    out = out + " " + cpuDiff(k0, k1) + " framesFromSpinet=" + (Long.parseLong(a1[0]) - Long.parseLong(a0[0])) + " framesToSpinet=" + (Long.parseLong(a1[1]) - Long.parseLong(a0[1]));
                    StringBuilder sb = new StringBuilder();
                    long total = 0;
                    Map<String, long[]> byName = new TreeMap<>();
                    for (var e : s1.entrySet()) {
                        T b = e.getValue(); T x = s0.get(e.getKey());
                        long dt = b.ticks - (x == null ? 0 : x.ticks), dv = b.vol - (x == null ? 0 : x.vol), di = b.invol - (x == null ? 0 : x.invol);
                        if (dt == 0 && dv + di < 50) continue;
                        String n = b.name.replaceAll("-\\d+$", "-N");
                        long[] acc = byName.computeIfAbsent(n, k -> new long[3]);
                        acc[0] += dt * 10; acc[1] += dv; acc[2] += di; total += dt * 10;
                    }
                    for (var e : byName.entrySet()) sb.append(String.format(" %s=%dms/%dv/%di", e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]));
                    System.out.printf("round %d port %d: [Mbit/s clientCPUms clientVol clientInvol] %s | jvm %d ms:%s | writesLed +%d%n", r, port, out, total, sb,
                            spinet.sockets().writesLed() - led0);
                    System.out.println("   sockets: " + spinet.sockets().counters() + " err=" + spinet.sockets().lastInternalError());
                    System.out.println("   counters diff: " + diff(c0, spinet.stackThreadCounters().toString()));
                }
            }
        } finally {
            if (spinet != null) spinet.close();
            run("ip", "netns", "del", ns);
        }
        System.exit(0);
    }
}
