package dev.spinet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ChecksumPropertyTest {

    /** The textbook RFC 1071 loop: one 16-bit big-endian word at a time, end-around carry after each add. */
    static int referenceChecksum(byte[] data, int offset, int length) {
        int sum = 0;
        for (int i = 0; i < length; i += 2) {
            int high = data[offset + i] & 0xFF;
            int low = i + 1 < length ? data[offset + i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
            if (sum > 0xFFFF) {
                sum = (sum & 0xFFFF) + 1;
            }
        }
        return ~sum & 0xFFFF;
    }

    /** A byte array and an arbitrary (odd or even) range inside it. */
    record Slice(byte[] data, int offset, int length) {
    }

    @Provide
    Arbitrary<Slice> slices() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300).flatMap(data -> {
            Arbitrary<Integer> offsets = Arbitraries.integers().between(0, data.length);
            return offsets.flatMap(offset -> Arbitraries.integers().between(0, data.length - offset)
                    .map(length -> new Slice(data, offset, length)));
        });
    }

    @Property(tries = 500)
    void checksum_equals_the_byte_pair_reference(@ForAll("slices") Slice slice) {
        assertEquals(referenceChecksum(slice.data(), slice.offset(), slice.length()),
                Checksum.compute(slice.data(), slice.offset(), slice.length()));
    }

    @Property(tries = 300)
    void sums_of_consecutive_even_ranges_add(@ForAll @Size(min = 0, max = 200) byte[] data, @ForAll @IntRange(min = 0, max = 100) int cutWords) {
        int cut = Math.min(cutWords * 2, data.length & ~1);
        long whole = Checksum.sum(data, 0, data.length);
        long parts = Checksum.sum(data, 0, cut) + Checksum.sum(data, cut, data.length - cut);

        assertEquals(Checksum.fold(whole), Checksum.fold(parts));
    }

    @Property(tries = 300)
    void data_with_its_checksum_inserted_verifies(@ForAll @Size(min = 4, max = 200) byte[] data, @ForAll @IntRange(min = 0, max = 98) int fieldWord) {
        int field = Math.min(fieldWord * 2, (data.length - 2) & ~1);
        data[field] = 0;
        data[field + 1] = 0;
        int checksum = Checksum.compute(data, 0, data.length);
        data[field] = (byte) (checksum >>> 8);
        data[field + 1] = (byte) checksum;

        assertTrue(Checksum.verifies(Checksum.sum(data, 0, data.length)));
    }

    @Property(tries = 500)
    void update16_equals_full_recompute(@ForAll @Size(min = 2, max = 120) byte[] original,
                                        @ForAll @IntRange(min = 0, max = 59) int wordIndex,
                                        @ForAll @IntRange(min = 0, max = 0xFFFF) int newWord) {
        byte[] data = evenLength(original);
        int at = Math.min(wordIndex * 2, data.length - 2);
        int before = Checksum.compute(data, 0, data.length);
        int oldWord = ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);

        data[at] = (byte) (newWord >>> 8);
        data[at + 1] = (byte) newWord;

        assertEquivalent(Checksum.compute(data, 0, data.length), Checksum.update16(before, oldWord, newWord), data);
    }

    @Property(tries = 500)
    void update32_equals_full_recompute(@ForAll @Size(min = 4, max = 120) byte[] original,
                                        @ForAll @IntRange(min = 0, max = 58) int wordIndex,
                                        @ForAll int newValue) {
        byte[] data = evenLength(original);
        int at = Math.min(wordIndex * 2, data.length - 4);
        int before = Checksum.compute(data, 0, data.length);
        int oldValue = WireBytes.i32(data, at);

        WireBytes.put32(data, at, newValue);

        assertEquivalent(Checksum.compute(data, 0, data.length), Checksum.update32(before, oldValue, newValue), data);
    }

    @Property(tries = 300)
    void incrementally_updated_ipv4_header_still_verifies(@ForAll int newSource, @ForAll @IntRange(min = 0, max = 255) int newTtl) {
        byte[] header = Hex.bytes(GoldenFrames.WIKIPEDIA_IPV4_HEADER);
        int checksum = WireBytes.u16(header, Ipv4Packet.CHECKSUM_OFFSET);
        checksum = Checksum.update32(checksum, WireBytes.i32(header, Ipv4Packet.SOURCE_OFFSET), newSource);
        WireBytes.put32(header, Ipv4Packet.SOURCE_OFFSET, newSource);
        int oldTtlWord = WireBytes.u16(header, Ipv4Packet.TTL_OFFSET);
        header[Ipv4Packet.TTL_OFFSET] = (byte) newTtl;
        checksum = Checksum.update16(checksum, oldTtlWord, WireBytes.u16(header, Ipv4Packet.TTL_OFFSET));
        WireBytes.put16(header, Ipv4Packet.CHECKSUM_OFFSET, checksum);

        assertEquals(WireError.OK, new Ipv4Packet().wrap(Hex.at(0, header, 95), 0, 115));
    }

    @Property(tries = 500)
    void pseudo_header_sum_equals_the_sum_of_the_12_byte_pseudo_header(@ForAll int source, @ForAll int destination,
                                                                       @ForAll @IntRange(min = 0, max = 255) int protocol,
                                                                       @ForAll @IntRange(min = 0, max = 0xFFFF) int length) {
        byte[] pseudo = new byte[12];
        WireBytes.put32(pseudo, 0, source);
        WireBytes.put32(pseudo, 4, destination);
        pseudo[8] = 0;
        pseudo[9] = (byte) protocol;
        WireBytes.put16(pseudo, 10, length);

        assertEquals(referenceChecksum(pseudo, 0, 12), Checksum.finish(Checksum.pseudoHeaderSum(source, destination, protocol, length)));
    }

    @Property(tries = 200)
    void transport_checksum_with_pseudo_header_matches_reference_over_concatenation(
            @ForAll int source, @ForAll int destination, @ForAll @Size(min = 8, max = 100) byte[] segment) {
        byte[] pseudoThenSegment = new byte[12 + segment.length];
        WireBytes.put32(pseudoThenSegment, 0, source);
        WireBytes.put32(pseudoThenSegment, 4, destination);
        pseudoThenSegment[9] = (byte) Ipv4Packet.PROTOCOL_TCP;
        WireBytes.put16(pseudoThenSegment, 10, segment.length);
        System.arraycopy(segment, 0, pseudoThenSegment, 12, segment.length);

        long sum = Checksum.pseudoHeaderSum(source, destination, Ipv4Packet.PROTOCOL_TCP, segment.length)
                + Checksum.sum(segment, 0, segment.length);

        assertEquals(referenceChecksum(pseudoThenSegment, 0, pseudoThenSegment.length), Checksum.finish(sum));
    }

    private static byte[] evenLength(byte[] data) {
        return (data.length & 1) == 0 ? data : java.util.Arrays.copyOf(data, data.length + 1);
    }

    /**
     * RFC 1624 eqn. 3 equals a full recompute exactly unless the new data is all zeros, where
     * one's complement has two zeros: recompute gives 0xFFFF (~+0), eqn. 3 gives 0x0000 (~-0);
     * RFC 1624 section 3 explains both are the same number.
     */
    private static void assertEquivalent(int recomputed, int incremental, byte[] data) {
        boolean allZero = true;
        for (byte b : data) {
            allZero &= b == 0;
        }
        if (allZero) {
            assertEquals(0xFFFF, recomputed);
            assertTrue(incremental == 0 || incremental == 0xFFFF, "incremental " + incremental);
        } else {
            assertEquals(recomputed, incremental);
        }
    }
}
