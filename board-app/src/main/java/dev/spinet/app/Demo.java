package dev.spinet.app;

import dev.spinet.config.StackConfig;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.FrameSummary;
import dev.spinet.harness.net.PcapTap;
import dev.spinet.harness.net.PcapWriter;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.iface.IfaceCounter;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TransitionObserver;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code spinet demo}: two simulated boards on a virtual wire, no hardware, no root. Board A
 * pings board B (the ARP exchange comes first), then opens a TCP connection to B's echo service,
 * sends a few messages, reads each echo and closes. Every frame on the wire is printed with its
 * simulated time, and each board's TCP state transitions are printed as they happen.
 */
public final class Demo {

    /** Latency of the simulated wire: a short cable plus a small controller's turnaround. */
    static final long WIRE_LATENCY_NANOS = 50_000;
    static final long PING_INTERVAL_NANOS = 1_000_000_000L;
    static final int PING_DATA_BYTES = 56;
    static final int ECHO_PORT = 7;
    static final String[] MESSAGES = {"hello, spinet", "the state diagram, edge by edge", "goodbye"};

    private final PrintWriter out;
    private final int pings;
    /** Where to capture the wire (pcap, nanosecond timestamps), or null. */
    private final java.nio.file.Path pcapFile;
    private ManualClock clock;
    private long start;

    public Demo(PrintWriter out, int pings) {
        this(out, pings, null);
    }

    /** @param pcapFile capture every frame on the wire here (opens in Wireshark), or null */
    public Demo(PrintWriter out, int pings, java.nio.file.Path pcapFile) {
        this.out = out;
        this.pings = pings;
        this.pcapFile = pcapFile;
    }

    /** Runs the demo; returns the process exit status (0 when every ping and echo came back). */
    public int run() {
        clock = new ManualClock();
        VirtualWire wire = new VirtualWire(clock);
        wire.latencyNanos(WIRE_LATENCY_NANOS);
        start = clock.nanoTime();

        StackConfig base = StackConfig.builder().tcpSecret(0x5EED).build();
        SimulatedBoard a = new SimulatedBoard("A", wire, 0x02_00_00_00_00_01L,
                base.toBuilder().ipAddress(0x0A_00_00_01, 24).build(), transitions("A"));
        SimulatedBoard b = new SimulatedBoard("B", wire, 0x02_00_00_00_00_02L,
                base.toBuilder().ipAddress(0x0A_00_00_02, 24).build(), transitions("B"));
        Simulator sim = new Simulator(clock, wire).add(a.stack()).add(b.stack());

        out.println("spinet demo: two simulated boards on a virtual wire (simulated time; no hardware, no root)");
        out.printf(Locale.ROOT, "  board %s  %-10s %s%n", a.name(), a.addressText(), MacAddress.format(a.iface().macAddress()));
        out.printf(Locale.ROOT, "  board %s  %-10s %s%n", b.name(), b.addressText(), MacAddress.format(b.iface().macAddress()));
        out.printf(Locale.ROOT, "  wire latency %d us%n%n", WIRE_LATENCY_NANOS / 1000);

        FrameSummary summary = new FrameSummary();
        PcapWriter pcap = openPcap();
        PcapTap capture = pcap == null ? null : new PcapTap(pcap, clock, System.currentTimeMillis() * 1_000_000L);
        wire.tap((port, frame, offset, length, now) -> {
            out.printf(Locale.ROOT, "[%10.6f] %s >  %s%n", seconds(now), port, summary.describe(frame, offset, length));
            if (capture != null) {
                capture.onFrame(port, frame, offset, length, now);
            }
        });

        boolean pingsOk = ping(sim, a, b);
        out.println();
        boolean echoOk = tcpEcho(sim, a, b);
        if (pcap != null) {
            try {
                pcap.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot write " + pcapFile + ": " + e.getMessage(), e);
            }
            out.println("capture: " + pcapFile + " (open it in Wireshark)");
        }
        out.flush();
        return pingsOk && echoOk ? 0 : 1;
    }

    private PcapWriter openPcap() {
        if (pcapFile == null) {
            return null;
        }
        try {
            return new PcapWriter(java.nio.channels.FileChannel.open(pcapFile, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE),
                    PcapWriter.Precision.NANOSECONDS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + pcapFile + ": " + e.getMessage(), e);
        }
    }

    private TransitionObserver transitions(String board) {
        return (connection, from, to, cause) -> out.printf(Locale.ROOT, "[%10.6f] %s    TCP #%d %s -> %s (%s)%n",
                seconds(clock.nanoTime()), board, connection, from, to, cause);
    }

    private double seconds(long now) {
        return (now - start) / 1e9;
    }

    private boolean ping(Simulator sim, SimulatedBoard a, SimulatedBoard b) {
        out.println("--- ping " + b.addressText() + " from " + a.name() + " ---");
        long[] rtts = new long[pings];
        int[] received = new int[1];
        a.iface().setEchoReplyListener((source, identifier, sequence, dataLength, roundTripNanos) -> {
            if (sequence >= 1 && sequence <= pings) {
                rtts[sequence - 1] = roundTripNanos;
                received[0]++;
                out.printf(Locale.ROOT, "%d bytes from %s: icmp_seq=%d time=%.3f ms (simulated)%n",
                        dataLength + 8, b.addressText(), sequence, roundTripNanos / 1e6);
            }
        });
        for (int seq = 1; seq <= pings; seq++) {
            long sentAt = clock.nanoTime();
            a.iface().ping(b.address(), 0x5350, seq, PING_DATA_BYTES, sentAt);
            int expected = seq;
            sim.runUntil(() -> received[0] >= expected, PING_INTERVAL_NANOS);
            if (seq < pings) {
                sim.runFor(PING_INTERVAL_NANOS - (clock.nanoTime() - sentAt));
            }
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        long sum = 0;
        for (long rtt : rtts) {
            if (rtt > 0) {
                min = Math.min(min, rtt);
                max = Math.max(max, rtt);
                sum += rtt;
            }
        }
        out.printf(Locale.ROOT, "%d packets transmitted, %d received, %d%% packet loss%n", pings, received[0],
                100 * (pings - received[0]) / pings);
        if (received[0] > 0) {
            out.printf(Locale.ROOT, "rtt min/avg/max = %.3f/%.3f/%.3f ms (simulated)%n", min / 1e6, sum / 1e6 / received[0], max / 1e6);
        }
        out.printf(Locale.ROOT, "board A: %d ARP requests sent, %d echo requests sent; board B: %d ARP replies, %d echo replies%n",
                a.iface().counters().get(IfaceCounter.ARP_TX_REQUESTS), a.iface().counters().get(IfaceCounter.ICMP_TX_ECHO_REQUESTS),
                b.iface().counters().get(IfaceCounter.ARP_TX_REPLIES), b.iface().counters().get(IfaceCounter.ICMP_TX_ECHO_REPLIES));
        return received[0] == pings;
    }

    /** B serves TCP echo on port 7; A connects, sends each message, checks its echo, closes. */
    private boolean tcpEcho(Simulator sim, SimulatedBoard a, SimulatedBoard b) {
        out.println("--- TCP echo: " + a.name() + " connects to " + b.addressText() + ":" + ECHO_PORT + " ---");
        TcpLayer server = b.tcp();
        server.listen(ECHO_PORT, 2, new EchoService(server));

        TcpLayer client = a.tcp();
        EchoClient echoClient = new EchoClient(client);
        echoClient.connection = client.connect(b.address(), ECHO_PORT, echoClient);
        boolean finished = sim.runUntil(() -> echoClient.closed && server.connectionsInUse() == 0, 10_000_000_000L);
        out.printf(Locale.ROOT, "echoed %d of %d messages; client closed: %s (%s); server connections in use: %d; "
                        + "TIME-WAIT entries on A: %d%n", echoClient.echoed.size(), MESSAGES.length, echoClient.closed,
                echoClient.reason, server.connectionsInUse(), client.timeWaitEntries());
        boolean allEchoed = echoClient.echoed.equals(List.of(MESSAGES));
        boolean ok = finished && allEchoed && echoClient.reason == CloseReason.NORMAL;
        if (!ok) {
            // Say what each side counted, so a failing demo explains itself.
            for (SimulatedBoard board : new SimulatedBoard[] {a, b}) {
                out.println("board " + board.name() + " counters:\n" + board.iface().counters() + board.tcp().counters());
                if (board.tcp().lastInternalError() != null) {
                    board.tcp().lastInternalError().printStackTrace(out);
                }
                if (board.iface().lastInternalError() != null) {
                    board.iface().lastInternalError().printStackTrace(out);
                }
            }
        }
        return ok;
    }

    /** The echo service (TCP port 7, RFC 862): whatever arrives is sent back; FIN is answered with FIN. */
    private static final class EchoService implements TcpHandler {
        private final TcpLayer tcp;
        private final byte[] buffer = new byte[2048];

        EchoService(TcpLayer tcp) {
            this.tcp = tcp;
        }

        @Override
        public void onReadable(int connection) {
            int n;
            while ((n = tcp.read(connection, buffer, 0, Math.min(buffer.length, tcp.writable(connection)))) > 0) {
                tcp.write(connection, buffer, 0, n);
            }
        }

        @Override
        public void onPeerClosed(int connection) {
            tcp.close(connection);
        }
    }

    private final class EchoClient implements TcpHandler {
        private final TcpLayer tcp;
        private final byte[] buffer = new byte[2048];
        private final StringBuilder pending = new StringBuilder();
        final List<String> echoed = new ArrayList<>();
        int connection;
        int sent;
        boolean closed;
        CloseReason reason;

        EchoClient(TcpLayer tcp) {
            this.tcp = tcp;
        }

        @Override
        public void onConnected(int handle) {
            sendNext();
        }

        private void sendNext() {
            byte[] message = MESSAGES[sent++].getBytes(StandardCharsets.US_ASCII);
            out.printf(Locale.ROOT, "[%10.6f] A    sends \"%s\"%n", seconds(clock.nanoTime()), new String(message, StandardCharsets.US_ASCII));
            tcp.write(connection, message, 0, message.length);
        }

        @Override
        public void onReadable(int handle) {
            int n;
            while ((n = tcp.read(connection, buffer, 0, buffer.length)) > 0) {
                pending.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            }
            String expected = MESSAGES[echoed.size()];
            if (pending.length() >= expected.length()) {
                String got = pending.substring(0, expected.length());
                pending.delete(0, expected.length());
                echoed.add(got);
                out.printf(Locale.ROOT, "[%10.6f] A    reads \"%s\"%n", seconds(clock.nanoTime()), got);
                if (sent < MESSAGES.length) {
                    sendNext();
                } else {
                    tcp.close(connection);
                }
            }
        }

        @Override
        public void onClosed(int handle, CloseReason closeReason) {
            closed = true;
            reason = closeReason;
        }
    }

}
