package dev.spinet.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChecksumTest {

    @Test
    void rfc1071_section_3_worked_example() {
        // RFC 1071 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (carries folded), checksum 220d.
        byte[] bytes = Hex.bytes("00 01 f2 03 f4 f5 f6 f7");

        assertEquals(0xDDF2, Checksum.fold(Checksum.sum(bytes, 0, 8)));
        assertEquals(0x220D, Checksum.compute(bytes, 0, 8));
    }

    @Test
    void odd_trailing_byte_is_padded_with_zero_on_the_right() {
        assertEquals(0xAB00, Checksum.fold(Checksum.sum(new byte[] {(byte) 0xAB}, 0, 1)));
        assertEquals(0x0102 + 0x0300, Checksum.fold(Checksum.sum(new byte[] {1, 2, 3}, 0, 3)));
        assertEquals(0, Checksum.sum(new byte[] {9, 9}, 1, 0));
    }

    @Test
    void a_header_with_its_checksum_verifies_and_a_flipped_bit_does_not() {
        byte[] header = Hex.bytes(GoldenFrames.WIKIPEDIA_IPV4_HEADER);
        assertTrue(Checksum.verifies(Checksum.sum(header, 0, 20)));

        header[15] ^= 0x10;

        assertFalse(Checksum.verifies(Checksum.sum(header, 0, 20)));
    }

    @Test
    void fold_handles_carries_from_long_sums() {
        // 0xFFFF_FFFF_FFFF folds to 0xFFFF (three end-around carries).
        assertEquals(0xFFFF, Checksum.fold(0xFFFF_FFFF_FFFFL));
        assertEquals(0x0001, Checksum.fold(0x1_0000L));
        assertEquals(0, Checksum.fold(0));
        assertEquals(0xFFFF, Checksum.finish(0));
    }

    @Test
    void rfc1624_section_4_example() {
        // RFC 1624 4: HC = 0xDD2F, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000 (eqn. 3), not 0xFFFF.
        assertEquals(0x0000, Checksum.update16(0xDD2F, 0x5555, 0x3285));
    }
}
