package dev.spinet.bench;

import dev.spinet.config.StackConfig;
import dev.spinet.iface.Ipv4Output;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TransitionObserver;
import dev.spinet.wire.TcpSegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one in-order 1460-byte data segment through the receive path of an established
 * connection: validation, checksum, demultiplexing, RFC 9293 3.10.7.4 processing, the copy into
 * the receive ring, the application's read, and (every second segment) the ACK being built and
 * checksummed. The peer is simulated by rewriting sequence number and checksum in place.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class TcpSegmentInputBenchmark {

    static final int LOCAL = 0x0A00_0002;
    static final int PEER = 0x0A00_0001;
    static final int PAYLOAD = 1460;

    final byte[] segment = new byte[20 + PAYLOAD];
    final byte[] readBuffer = new byte[64 * 1024];
    TcpLayer layer;
    int connection = -1;
    int peerSeq;
    int ourSeq;
    long now = 1_000_000_000L;

    /** Ipv4Output that drops everything but remembers our SYN-ACK's sequence number. */
    final class Sink implements Ipv4Output {
        final byte[] buffer = new byte[1514];

        @Override
        public int localAddress() {
            return LOCAL;
        }

        @Override
        public byte[] transmitBuffer() {
            return buffer;
        }

        @Override
        public int transportOffset() {
            return 34;
        }

        @Override
        public int maxTransportLength() {
            return 1480;
        }

        @Override
        public boolean send(int destination, int protocol, int transportLength, long nowNanos) {
            if ((buffer[34 + TcpSegment.FLAGS_OFFSET] & TcpSegment.SYN) != 0) {
                ourSeq = ((buffer[38] & 0xFF) << 24) | ((buffer[39] & 0xFF) << 16) | ((buffer[40] & 0xFF) << 8) | (buffer[41] & 0xFF);
            }
            return true;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        StackConfig config = StackConfig.builder().ipAddress(LOCAL, 24).tcpBuffers(64 * 1024, 16 * 1024).tcpSecret(5).build();
        layer = new TcpLayer(config, new Sink(), TransitionObserver.NONE);
        layer.listen(80, 1, new TcpHandler() {
            @Override
            public void onAccepted(int listener, int c) {
                connection = c;
            }
        });
        peerSeq = 1000;
        send(TcpSegment.SYN, 0, 0);
        peerSeq++;
        send(TcpSegment.ACK, ourSeq + 1, 0);
        if (connection < 0) {
            throw new IllegalStateException("handshake failed");
        }
    }

    private void send(int flags, int ack, int payload) {
        TcpSegment.writeHeader(segment, 0, 40000, 80, peerSeq, ack, flags, 65535);
        TcpSegment.writeChecksum(segment, 0, 20 + payload, PEER, LOCAL);
        layer.receive(PEER, LOCAL, false, segment, 0, 20 + payload, now);
    }

    @Benchmark
    public int inOrderDataSegment() {
        now += 1_000;
        send(TcpSegment.ACK, ourSeq + 1, PAYLOAD);
        peerSeq += PAYLOAD;
        return layer.read(connection, readBuffer, 0, readBuffer.length);
    }
}
