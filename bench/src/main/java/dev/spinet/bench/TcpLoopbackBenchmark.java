package dev.spinet.bench;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.DeviceCapabilities;
import dev.spinet.storage.RingRegion;
import dev.spinet.tcp.TcpCounter;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.scenario.MemoryEthernet;
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
 * TCP's CPU cost per segment in the shape of smoltcp's {@code examples/loopback_benchmark.rs}:
 * one thread, a client socket sending to a server socket across a loopback Ethernet link in
 * memory with 1536-byte frames (MSS 1482) and 64 KiB socket buffers, the application neither
 * writing nor reading payload bytes ({@link TcpLayer#writeInPlace} claims send-ring space and
 * fills none of it, {@link TcpLayer#readInPlace} discards what arrived), wall-clock time read
 * once per cycle. Window scaling on, SACK and timestamps off (smoltcp sends neither by default).
 * One operation moves 1 MiB: Gbit/s = 8.39 / (ms per op); JMH reports the time per data segment
 * as {@code oneMebibyte:segment}. Run: {@code scripts/jmh TcpLoopback -prof gc}.
 *
 * <p>Where smoltcp has one interface on a loopback device, Spinet has two whole stacks
 * ({@link Stack}: Ethernet, ARP, IPv4, TCP) on the two ends of a {@link MemoryEthernet}, since an
 * interface drops datagrams from its own address (RFC 1122 3.2.1.3); each segment still crosses
 * one sender's output and one receiver's input, as in smoltcp.
 *
 * <p>{@code checksums}: {@code offloaded} (the devices declare
 * {@link DeviceCapabilities#CHECKSUMS_OFFLOADED}, as smoltcp's loopback declares its checksums
 * ignored) or {@code computed} ({@link DeviceCapabilities#NONE}: every IPv4 and TCP checksum
 * computed and checked). Expect 0 B/op under {@code -prof gc} (JMH's own bookkeeping reads as a
 * few bytes per MiB).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class TcpLoopbackBenchmark {

    static final long MIB = 1L << 20;
    static final int FRAME_BYTES = 1536;
    static final int BUFFER_BYTES = 64 * 1024;
    static final int PORT = 1234;
    static final int CLIENT_ADDRESS = 0x0A00_0001;
    static final int SERVER_ADDRESS = 0x0A00_0002;

    /** Claims send-ring space without writing it, as smoltcp's {@code send(|b| (b.len(), ()))}. */
    private static final RingRegion CLAIM = (array, offset, length) -> length;
    /** Discards received bytes without reading them, as smoltcp's {@code recv(|b| (b.len(), b.len()))}. */
    private static final RingRegion DISCARD = (array, offset, length) -> length;

    @Param({"offloaded", "computed"})
    public String checksums;

    Stack client;
    Stack server;
    TcpLayer clientTcp;
    TcpLayer serverTcp;
    int clientHandle;
    final int[] serverHandle = {-1};
    long received;

    @Setup(Level.Trial)
    public void setUp() {
        DeviceCapabilities capabilities = switch (checksums) {
            case "offloaded" -> DeviceCapabilities.CHECKSUMS_OFFLOADED;
            case "computed" -> DeviceCapabilities.NONE;
            default -> throw new IllegalArgumentException("checksums must be offloaded or computed, was " + checksums);
        };
        MemoryEthernet link = new MemoryEthernet(256, FRAME_BYTES, capabilities);
        client = new Stack(config(CLIENT_ADDRESS), link.a);
        server = new Stack(config(SERVER_ADDRESS), link.b);
        clientTcp = client.tcp();
        serverTcp = server.tcp();
        serverTcp.listen(PORT, 1, new TcpHandler() {
            @Override
            public void onAccepted(int listener, int connection) {
                serverHandle[0] = connection;
            }
        });
        clientHandle = clientTcp.connect(SERVER_ADDRESS, PORT, new TcpHandler() {
        });
        for (int i = 0; i < 10_000 && (serverHandle[0] < 0 || clientTcp.state(clientHandle) != TcpState.ESTABLISHED); i++) {
            long now = System.nanoTime();
            client.poll(now);
            server.poll(now);
        }
        if (serverHandle[0] < 0 || clientTcp.sendMss(clientHandle) != FRAME_BYTES - 54) {
            throw new IllegalStateException("the loopback connection did not open with MSS " + (FRAME_BYTES - 54));
        }
    }

    private static StackConfig config(int address) {
        return StackConfig.builder().ipAddress(address, 24).frameBufferBytes(FRAME_BYTES).tcpMss(FRAME_BYTES - 54)
                .tcpBuffers(BUFFER_BYTES, BUFFER_BYTES).tcpOptions(true, false, false).tcpSecret(address).build();
    }

    /**
     * Data segments sent, counted as JMH "operations": in this average-time mode JMH reports the
     * secondary result {@code oneMebibyte:segment} as the time per segment.
     */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Segments {
        public long segment;
    }

    @Benchmark
    public long oneMebibyte(Segments segments) {
        long target = received + MIB;
        long before = clientTcp.counters().get(TcpCounter.SEGMENTS_SENT);
        int serverConnection = serverHandle[0];
        while (received < target) {
            long now = System.nanoTime();
            client.poll(now);
            server.poll(now);
            int n;
            while ((n = serverTcp.readInPlace(serverConnection, Integer.MAX_VALUE, DISCARD)) > 0) {
                received += n;
            }
            while (clientTcp.writeInPlace(clientHandle, Integer.MAX_VALUE, CLAIM) > 0) {
                // the ring may wrap: claim its second region too
            }
        }
        segments.segment += clientTcp.counters().get(TcpCounter.SEGMENTS_SENT) - before;
        return received;
    }
}
