package dev.spinet.bench;

import dev.spinet.config.StackConfig;
import dev.spinet.tcp.TcpCounter;
import dev.spinet.tcp.TransitionObserver;
import dev.spinet.tcp.scenario.BulkTransfer;
import dev.spinet.tcp.scenario.FaultModel;
import dev.spinet.tcp.scenario.TcpLink;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulk TCP throughput between two stacks over the in-memory link (no IP, MSS 1460, 64 KiB rings),
 * both stacks on one thread: one operation moves 1 MiB from a to b, including the sender's copy
 * into its ring, segment building, checksums, the receiver's input path, ACKs and the
 * application's read into its own array. Gbit/s = 8 * 2^20 / (ns/op). {@code segmentsPerOp} gives the per-segment
 * cost: ns/op divided by it. Run: {@code scripts/jmh TcpBulk -prof gc}.
 *
 * <p>{@code options}: {@code sack+timestamps} (the defaults: both negotiated) or {@code none}.
 * {@code loss}: the probability that the link drops a segment, each way (seeded); with loss the
 * path includes SACK blocks, D-SACK, RFC 6675 recovery (or NewReno) and retransmission timeouts,
 * and the time per operation includes the simulated waiting, so only B/op compares across losses.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class TcpBulkBenchmark {

    static final long MIB = 1L << 20;

    @Param({"1460"})
    public int mss;

    @Param({"sack+timestamps", "none"})
    public String options;

    @Param({"0", "0.01"})
    public double loss;

    /**
     * What the applications do besides their copies into the send ring and out of the receive
     * ring: {@code copies} nothing more (a prepared chunk written again and again, bytes read and
     * dropped); {@code pattern+sha256} a pattern byte computed per stream position and SHA-256
     * over both directions, as the transfer tests verify: that work, not TCP, was about 80 % of
     * the time (JFR, docs/performance.md).
     */
    @Param({"copies"})
    public String application;

    TcpLink link;
    BulkTransfer transfer;

    @Setup(Level.Trial)
    public void setUp() {
        FaultModel ab = loss == 0 ? FaultModel.perfect(0) : new FaultModel(7, loss, 0, 0, 0, 50_000);
        FaultModel ba = loss == 0 ? FaultModel.perfect(0) : new FaultModel(8, loss, 0, 0, 0, 50_000);
        link = new TcpLink(config(TcpLink.ADDRESS_A), config(TcpLink.ADDRESS_B), ab, ba,
                TransitionObserver.NONE, TransitionObserver.NONE, mss + 40, 256);
        boolean verify = switch (application) {
            case "copies" -> false;
            case "pattern+sha256" -> true;
            default -> throw new IllegalArgumentException("application must be copies or pattern+sha256, was " + application);
        };
        transfer = new BulkTransfer(link, Long.MAX_VALUE / 4, 0, 64 * 1024, verify);
        transfer.start(7000);
        link.advance(1_000_000L);
    }

    private StackConfig config(int address) {
        boolean on = options.equals("sack+timestamps");
        return StackConfig.builder().ipAddress(address, 24).tcpMss(mss).tcpBuffers(64 * 1024, 64 * 1024)
                .tcpOptions(true, on, on).tcpSecret(address).build();
    }

    /** Per-operation counts JMH reports next to the time. */
    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Segments {
        public long segmentsPerOp;
    }

    @Benchmark
    public long oneMebibyte(Segments segments) {
        long target = transfer.server.read + MIB;
        long before = link.a.counters().get(TcpCounter.SEGMENTS_SENT);
        while (transfer.server.read < target) {
            transfer.pumpApplications();
            link.step(1_000_000_000L);
        }
        segments.segmentsPerOp += link.a.counters().get(TcpCounter.SEGMENTS_SENT) - before;
        return transfer.server.read;
    }
}
