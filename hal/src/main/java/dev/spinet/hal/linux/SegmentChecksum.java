package dev.spinet.hal.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) over native memory, for the checksum work a TAP with
 * offloads does itself: completing a partial checksum the kernel left ({@link VirtioNetHeader#F_NEEDS_CSUM})
 * and writing the pseudo-header sum the kernel completes. Sums are unfolded {@code long}s, so
 * sums of ranges add; big-endian words, an odd last byte padded with zero.
 */
final class SegmentChecksum {

    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private SegmentChecksum() {
    }

    /** The unfolded one's complement sum of {@code length} bytes at {@code offset}. */
    static long sum(MemorySegment segment, long offset, int length) {
        long sum = 0;
        long i = offset;
        long end = offset + length;
        // 8 bytes a step, split into 32-bit halves: each half is the sum of two 16-bit words and
        // one's complement addition is order-independent; carries collect in the upper bits.
        for (; i + 8 <= end; i += 8) {
            long word = segment.get(LONG_BE, i);
            sum += (word >>> 32) + (word & 0xFFFF_FFFFL);
        }
        for (; i + 2 <= end; i += 2) {
            sum += segment.get(SHORT_BE, i) & 0xFFFF;
        }
        if (i < end) {
            sum += (segment.get(ValueLayout.JAVA_BYTE, i) & 0xFF) << 8;
        }
        return sum;
    }

    /** Folds carries into 16 bits, without complementing. */
    static int fold(long sum) {
        sum = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int) sum;
    }

    static int readShort(MemorySegment segment, long offset) {
        return segment.get(SHORT_BE, offset) & 0xFFFF;
    }

    static void writeShort(MemorySegment segment, long offset, int value) {
        segment.set(SHORT_BE, offset, (short) value);
    }
}
