package dev.spinet.bench;

import dev.spinet.config.StackConfig;
import dev.spinet.iface.IfaceCounter;
import dev.spinet.iface.Interface;
import dev.spinet.testkit.QueueFrameDevice;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Packet;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Frame parsing plus ICMP echo handling: one {@code poll} takes one echo request from the device
 * (Ethernet, IPv4 with header checksum, ICMP with checksum over the data) and transmits the
 * reply (headers written, data copied, two checksums computed). Run with {@code -prof gc}: the
 * expected {@code gc.alloc.rate.norm} is 0 B/op.
 *
 * <pre>scripts/jmh IcmpEchoBenchmark -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IcmpEchoBenchmark {

    static final long US_MAC = 0x02_00_00_00_00_02L;
    static final long PEER_MAC = 0x02_00_00_00_00_01L;
    static final int US = 0x0A_00_00_02;
    static final int PEER = 0x0A_00_00_01;

    /** Echo data bytes: 56 is ping's default; 1472 fills a 1500-byte MTU. */
    @Param({"56", "1472"})
    int dataBytes;

    private Interface iface;
    private QueueFrameDevice device;
    private byte[] request;
    private long now = 1_000_000_000L;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] frame = new byte[14 + 20 + 8 + dataBytes];
        EthernetFrame.writeHeader(frame, 0, US_MAC, PEER_MAC, EthernetFrame.TYPE_IPV4);
        Ipv4Packet.writeHeader(frame, 14, 20 + 8 + dataBytes, 1, false, 64, Ipv4Packet.PROTOCOL_ICMP, PEER, US);
        IcmpPacket.writeEcho(frame, 34, IcmpPacket.TYPE_ECHO_REQUEST, 0x1234, 1);
        for (int i = 0; i < dataBytes; i++) {
            frame[42 + i] = (byte) i;
        }
        IcmpPacket.writeChecksum(frame, 34, 8 + dataBytes);
        request = frame;
        // Replies are counted, not kept, and the request is queued without a copy: the device
        // allocates nothing, so the figures are the stack's alone.
        device = new QueueFrameDevice(US_MAC).discardSent();
        iface = new Interface(StackConfig.builder().ipAddress(US, 24).build(), device);
    }

    @Benchmark
    public int echoRequestToReply() {
        device.injectWithoutCopy(request);
        return iface.poll(now++);
    }

    @TearDown(Level.Trial)
    public void check() {
        long frames = iface.counters().get(IfaceCounter.RX_FRAMES);
        if (iface.counters().get(IfaceCounter.ICMP_TX_ECHO_REPLIES) != frames || device.sentCount() != frames
                || iface.counters().get(IfaceCounter.INTERNAL_ERRORS) != 0) {
            // Every request must have been answered, or the figures measure something else.
            throw new IllegalStateException("not every request was answered: " + iface.counters(), iface.lastInternalError());
        }
    }
}
