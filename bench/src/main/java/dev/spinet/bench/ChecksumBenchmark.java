package dev.spinet.bench;

import dev.spinet.wire.Checksum;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The RFC 1071 checksum over the two sizes the stack sums most: a full 1460-byte TCP segment
 * payload (MSS on a 1500-byte MTU) and a 20-byte IPv4 header; plus a TCP checksum with the
 * pseudo-header and an RFC 1624 incremental update (what rewriting a sequence number costs).
 * Expect gc.alloc.rate.norm = 0 B/op with {@code -prof gc}.
 *
 * <pre>scripts/jmh Checksum -f 1 -wi 2 -i 3 -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ChecksumBenchmark {

    /** TCP MSS for a 1500-byte MTU: 1500 - 20 (IPv4) - 20 (TCP). */
    static final int SEGMENT_BYTES = 1460;
    static final int IPV4_HEADER_BYTES = 20;

    byte[] segment;
    byte[] header;
    int sequence;
    int checksum;

    @Setup
    public void fill() {
        SplittableRandom random = new SplittableRandom(1460);
        segment = new byte[SEGMENT_BYTES];
        header = new byte[IPV4_HEADER_BYTES];
        for (int i = 0; i < segment.length; i++) {
            segment[i] = (byte) random.nextInt(256);
        }
        for (int i = 0; i < header.length; i++) {
            header[i] = (byte) random.nextInt(256);
        }
        sequence = random.nextInt();
        checksum = Checksum.compute(segment, 0, SEGMENT_BYTES);
    }

    @Benchmark
    public int segment1460() {
        return Checksum.compute(segment, 0, SEGMENT_BYTES);
    }

    @Benchmark
    public int ipv4Header20() {
        return Checksum.compute(header, 0, IPV4_HEADER_BYTES);
    }

    @Benchmark
    public int tcpSegmentWithPseudoHeader() {
        long sum = Checksum.pseudoHeaderSum(0x0A00_0001, 0x0A00_0002, 6, SEGMENT_BYTES);
        return Checksum.finish(sum + Checksum.sum(segment, 0, SEGMENT_BYTES));
    }

    @Benchmark
    public int incrementalUpdate32() {
        int next = sequence + 1460;
        int updated = Checksum.update32(checksum, sequence, next);
        sequence = next;
        return updated;
    }
}
