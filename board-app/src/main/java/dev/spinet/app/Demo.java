package dev.spinet.app;

import dev.spinet.config.StackConfig;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.FrameSummary;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.iface.IfaceCounter;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * {@code spinet demo}: two simulated boards on a virtual wire, no hardware, no root. Board A
 * pings board B; every frame on the wire is printed with its simulated time, so the ARP exchange
 * that precedes the first echo is visible, followed by ping-style round-trip lines.
 */
public final class Demo {

    /** Latency of the simulated wire: a short cable plus a small controller's turnaround. */
    static final long WIRE_LATENCY_NANOS = 50_000;
    static final long PING_INTERVAL_NANOS = 1_000_000_000L;
    static final int PING_DATA_BYTES = 56;

    private final PrintWriter out;
    private final int pings;

    public Demo(PrintWriter out, int pings) {
        this.out = out;
        this.pings = pings;
    }

    /** Runs the demo; returns the process exit status (0 when every ping was answered). */
    public int run() {
        ManualClock clock = new ManualClock();
        VirtualWire wire = new VirtualWire(clock);
        wire.latencyNanos(WIRE_LATENCY_NANOS);
        long start = clock.nanoTime();

        StackConfig base = StackConfig.builder().tcpSecret(0x5EED).build();
        SimulatedBoard a = new SimulatedBoard("A", wire, 0x02_00_00_00_00_01L, base.toBuilder().ipAddress(0x0A_00_00_01, 24).build());
        SimulatedBoard b = new SimulatedBoard("B", wire, 0x02_00_00_00_00_02L, base.toBuilder().ipAddress(0x0A_00_00_02, 24).build());
        Simulator sim = new Simulator(clock, wire).add(a.iface()).add(b.iface());

        out.println("spinet demo: two simulated boards on a virtual wire (simulated time; no hardware, no root)");
        out.printf(Locale.ROOT, "  board %s  %-10s %s%n", a.name(), a.addressText(), MacAddress.format(a.iface().macAddress()));
        out.printf(Locale.ROOT, "  board %s  %-10s %s%n", b.name(), b.addressText(), MacAddress.format(b.iface().macAddress()));
        out.printf(Locale.ROOT, "  wire latency %d us%n%n", WIRE_LATENCY_NANOS / 1000);

        FrameSummary summary = new FrameSummary();
        wire.tap((port, frame, offset, length, now) -> out.printf(Locale.ROOT, "[%10.6f] %s >  %s%n",
                (now - start) / 1e9, port, summary.describe(frame, offset, length)));

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
            a.iface().ping(b.address(), 0x5350, seq, PING_DATA_BYTES, clock.nanoTime());
            int expected = seq;
            sim.runUntil(() -> received[0] >= expected, PING_INTERVAL_NANOS);
            if (seq < pings) {
                sim.runFor(PING_INTERVAL_NANOS - ((clock.nanoTime() - start) % PING_INTERVAL_NANOS));
            }
        }

        long min = Long.MAX_VALUE;
        long max = 0;
        long sum = 0;
        for (int i = 0; i < pings; i++) {
            if (rtts[i] > 0) {
                min = Math.min(min, rtts[i]);
                max = Math.max(max, rtts[i]);
                sum += rtts[i];
            }
        }
        out.println();
        out.printf(Locale.ROOT, "--- %s ping statistics ---%n", b.addressText());
        out.printf(Locale.ROOT, "%d packets transmitted, %d received, %d%% packet loss%n", pings, received[0],
                pings == 0 ? 0 : 100 * (pings - received[0]) / pings);
        if (received[0] > 0) {
            out.printf(Locale.ROOT, "rtt min/avg/max = %.3f/%.3f/%.3f ms (simulated)%n", min / 1e6, sum / 1e6 / received[0], max / 1e6);
        }
        out.printf(Locale.ROOT, "board A: %d ARP requests sent, %d echo requests sent; board B: %d ARP replies, %d echo replies%n",
                a.iface().counters().get(IfaceCounter.ARP_TX_REQUESTS), a.iface().counters().get(IfaceCounter.ICMP_TX_ECHO_REQUESTS),
                b.iface().counters().get(IfaceCounter.ARP_TX_REPLIES), b.iface().counters().get(IfaceCounter.ICMP_TX_ECHO_REPLIES));
        out.flush();
        return received[0] == pings ? 0 : 1;
    }
}
