package dev.spinet.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of
 * 16-bit big-endian words, an odd final byte padded with zero. Sums are carried in a {@code long}
 * and folded only at the end, so partial sums over several ranges (pseudo-header, header,
 * payload) simply add.
 *
 * <p>Incremental update follows RFC 1624 equation 3: {@code HC' = ~(~HC + ~m + m')}, which,
 * unlike RFC 1141's form, never produces 0xFFFF... from a non-zero-sum header.
 */
public final class Checksum {

    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Checksum() {
    }

    /** The unfolded one's complement sum of {@code length} bytes from {@code offset}. */
    public static long sum(byte[] buffer, int offset, int length) {
        int i = offset;
        int end = offset + length;
        long sum = 0;
        if (length >= 16) {
            // 16 bytes per step as two little-endian longs (x86 and ARM load them without a byte
            // swap), each split into 32-bit halves summed in two independent accumulators, so
            // that the adds of one step do not wait for the previous step's. RFC 1071 2(B): the
            // sum is byte-order independent, so the little-endian words' sum, folded to 16 bits
            // and byte-swapped, is the big-endian words' sum (up to one's complement carries,
            // which folding absorbs). Carries collect in the upper bits (64 KiB cannot overflow).
            long even = 0;
            long odd = 0;
            for (; i + 16 <= end; i += 16) {
                long a = (long) LONG_LE.get(buffer, i);
                long b = (long) LONG_LE.get(buffer, i + 8);
                even += (a >>> 32) + (a & 0xFFFF_FFFFL);
                odd += (b >>> 32) + (b & 0xFFFF_FFFFL);
            }
            int folded = fold(even + odd);
            sum = ((folded & 0xFF) << 8) | (folded >>> 8);
        }
        for (; i + 4 <= end; i += 4) {
            sum += ((int) INT_BE.get(buffer, i)) & 0xFFFF_FFFFL;
        }
        if (i + 2 <= end) {
            sum += ((buffer[i] & 0xFF) << 8) | (buffer[i + 1] & 0xFF);
            i += 2;
        }
        if (i < end) {
            sum += (buffer[i] & 0xFF) << 8;
        }
        return sum;
    }

    /**
     * The unfolded sum of the IPv4 pseudo-header (RFC 793 3.1, RFC 768): source, destination,
     * zero + protocol, and the transport length.
     */
    public static long pseudoHeaderSum(int source, int destination, int protocol, int transportLength) {
        return (source & 0xFFFF_FFFFL) + (destination & 0xFFFF_FFFFL) + protocol + transportLength;
    }

    /**
     * The checksum field of a TCP or UDP datagram whose device completes the checksum
     * ({@code DeviceCapabilities.transportChecksumOnTransmit}): the pseudo-header sum folded and
     * not complemented, Linux's {@code CHECKSUM_PARTIAL} seed. Summing the datagram with this in
     * the field and complementing gives the full RFC 1071 checksum.
     */
    public static int partial(int source, int destination, int protocol, int transportLength) {
        return fold(pseudoHeaderSum(source, destination, protocol, transportLength));
    }

    /** Folds a sum to 16 bits and complements it: the value to put in a checksum field. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** Folds the carries of a sum into 16 bits (without complementing). */
    public static int fold(long sum) {
        sum = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int) sum;
    }

    /** The checksum field value for a range: {@code finish(sum(...))}. */
    public static int compute(byte[] buffer, int offset, int length) {
        return finish(sum(buffer, offset, length));
    }

    /**
     * Whether a range that contains its own checksum field verifies: its sum folds to 0xFFFF
     * (RFC 1071 section 1, "the result is checked").
     */
    public static boolean verifies(long sum) {
        return fold(sum) == 0xFFFF;
    }

    /** RFC 1624 eqn. 3: the new checksum after one 16-bit word changed from {@code oldWord} to {@code newWord}. */
    public static int update16(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xFFFF) + (~oldWord & 0xFFFF) + (newWord & 0xFFFF);
        return ~fold(sum) & 0xFFFF;
    }

    /** RFC 1624 for a 32-bit field (an address or a sequence number): two word updates at once. */
    public static int update32(int checksum, int oldValue, int newValue) {
        long sum = (~checksum & 0xFFFF)
                + (~(oldValue >>> 16) & 0xFFFF) + (~oldValue & 0xFFFF)
                + ((newValue >>> 16) & 0xFFFF) + (newValue & 0xFFFF);
        return ~fold(sum) & 0xFFFF;
    }
}
