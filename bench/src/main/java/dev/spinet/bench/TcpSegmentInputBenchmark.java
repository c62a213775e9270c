package dev.spinet.bench;

import dev.spinet.config.StackConfig;
import dev.spinet.iface.Ipv4Output;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TransitionObserver;
import dev.spinet.wire.TcpSegment;
import dev.spinet.wire.WireError;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one in-order 1460-byte data segment through the receive path of an established
 * connection: validation, checksum, demultiplexing, RFC 9293 3.10.7.4 processing, the copy into
 * the receive ring, the application's read, and (every second segment) the ACK being built and
 * checksummed. The peer is simulated by rewriting sequence number and checksum in place.
 *
 * <p>{@code options}: {@code none}, or {@code sack+timestamps}: both SYNs offer SACK and
 * timestamps, and every data segment carries TSval/TSecr (PAWS, TS.Recent, our TSecr on the ACK).
 * {@link #reorderedPair} sends two segments per operation, the second first: the out-of-order one
 * goes to the Assembler and its ACK carries a SACK block (with the options), then the first fills
 * the hole. Both must show 0 B/op with {@code -prof gc}.
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

    /** The timestamps option with its two NOPs, when the options are on. */
    static final int TS_OPTION = 12;

    @Param({"none", "sack+timestamps"})
    public String options;

    final byte[] segment = new byte[20 + TS_OPTION + PAYLOAD];
    boolean timestamps;
    int peerTsVal = 1;
    int ourTsVal;
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

        final TcpSegment view = new TcpSegment();

        @Override
        public boolean send(int destination, int protocol, int transportLength, long nowNanos) {
            if ((buffer[34 + TcpSegment.FLAGS_OFFSET] & TcpSegment.SYN) != 0) {
                ourSeq = ((buffer[38] & 0xFF) << 24) | ((buffer[39] & 0xFF) << 16) | ((buffer[40] & 0xFF) << 8) | (buffer[41] & 0xFF);
            }
            if (timestamps && view.wrap(buffer, 34, transportLength) == WireError.OK && view.hasTimestamps()) {
                ourTsVal = view.timestampValue(); // what the peer echoes next
            }
            return true;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        timestamps = options.equals("sack+timestamps");
        StackConfig config = StackConfig.builder().ipAddress(LOCAL, 24).tcpBuffers(64 * 1024, 16 * 1024)
                .tcpOptions(true, timestamps, timestamps).tcpSecret(5).build();
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
        // The SYN has no MSS option (536); with timestamps every segment gives 12 bytes to them.
        if (layer.sendMss(connection) != (timestamps ? 536 - TS_OPTION : 536)) {
            throw new IllegalStateException("options not negotiated as asked: send MSS " + layer.sendMss(connection));
        }
    }

    private void send(int flags, int ack, int payload) {
        send(flags, peerSeq, ack, payload);
    }

    /** The peer's segment at {@code seq}: header, SACK-permitted on a SYN, timestamps, {@code payload} bytes. */
    private void send(int flags, int seq, int ack, int payload) {
        TcpSegment.writeHeader(segment, 0, 40000, 80, seq, ack, flags, 65535);
        int header = 20;
        if (timestamps) {
            if ((flags & TcpSegment.SYN) != 0) {
                header += TcpSegment.writeSackPermittedOption(segment, header);
            }
            header += TcpSegment.writeTimestampsOption(segment, header, peerTsVal++, (flags & TcpSegment.ACK) != 0 ? ourTsVal : 0);
            TcpSegment.setDataOffset(segment, 0, header);
        }
        TcpSegment.writeChecksum(segment, 0, header + payload, PEER, LOCAL);
        layer.receive(PEER, LOCAL, false, segment, 0, header + payload, now);
    }

    @Benchmark
    public int inOrderDataSegment() {
        now += 1_000;
        send(TcpSegment.ACK, ourSeq + 1, PAYLOAD);
        peerSeq += PAYLOAD;
        return layer.read(connection, readBuffer, 0, readBuffer.length);
    }

    /** Two segments, the second first: an out-of-order arrival (a SACK block when SACK is on), then the one filling the hole. */
    @Benchmark
    public int reorderedPair() {
        now += 1_000;
        send(TcpSegment.ACK, peerSeq + PAYLOAD, ourSeq + 1, PAYLOAD);
        send(TcpSegment.ACK, peerSeq, ourSeq + 1, PAYLOAD);
        peerSeq += 2 * PAYLOAD;
        return layer.read(connection, readBuffer, 0, readBuffer.length);
    }
}
