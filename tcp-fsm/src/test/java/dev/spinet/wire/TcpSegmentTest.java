package dev.spinet.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class TcpSegmentTest {

    static final int SRC = 0xC0A8_0001; // 192.168.0.1
    static final int DST = 0xC0A8_00C7; // 192.168.0.199

    /**
     * A SYN from 192.168.0.1:49152 to 192.168.0.199:80, seq 0x01020304, window 0xFAF0, options
     * MSS 1460, NOP, window scale 7; checksum computed by hand (pseudo-header + header).
     */
    static final String GOLDEN_SYN = "c000" + "0050" + "01020304" + "00000000" + "70" + "02" + "faf0" + "CSUM" + "0000"
            + "020405b4" + "01030307";

    static byte[] golden() {
        byte[] bytes = HexFormat.of().parseHex(GOLDEN_SYN.replace("CSUM", "0000"));
        // pseudo header: c0a8 0001 c0a8 00c7 0006 001c, header words summed by hand:
        long sum = 0xc0a8 + 0x0001 + 0xc0a8 + 0x00c7 + 0x0006 + 0x001c
                + 0xc000 + 0x0050 + 0x0102 + 0x0304 + 0 + 0 + 0x7002 + 0xfaf0 + 0 + 0
                + 0x0204 + 0x05b4 + 0x0103 + 0x0307;
        while (sum > 0xFFFF) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int checksum = (int) (~sum & 0xFFFF);
        bytes[16] = (byte) (checksum >>> 8);
        bytes[17] = (byte) checksum;
        return bytes;
    }

    @Test
    void parsesGoldenSyn() {
        byte[] bytes = golden();
        TcpSegment segment = new TcpSegment();
        assertEquals(WireError.OK, segment.wrap(bytes, 0, bytes.length));
        assertEquals(49152, segment.sourcePort());
        assertEquals(80, segment.destinationPort());
        assertEquals(0x01020304, segment.sequenceNumber());
        assertEquals(0, segment.acknowledgmentNumber());
        assertEquals(TcpSegment.SYN, segment.flags());
        assertEquals(0xFAF0, segment.window());
        assertEquals(28, segment.headerLength());
        assertEquals(0, segment.payloadLength());
        assertEquals(1460, segment.mss());
        assertEquals(7, segment.windowScale());
        assertFalse(segment.sackPermitted());
        assertTrue(segment.checksumValid(SRC, DST));
        assertFalse(segment.checksumValid(SRC, DST + 1));
    }

    @Test
    void writerProducesTheGoldenBytes() {
        byte[] built = new byte[28];
        TcpSegment.writeHeader(built, 0, 49152, 80, 0x01020304, 0, TcpSegment.SYN, 0xFAF0);
        int header = 20 + TcpSegment.writeMssOption(built, 20, 1460);
        header += TcpSegment.writeWindowScaleOption(built, header, 7);
        TcpSegment.setDataOffset(built, 0, header);
        TcpSegment.writeChecksum(built, 0, header, SRC, DST);
        assertArrayEquals(golden(), built);
    }

    /** RFC 2018 section 3: NOP NOP, kind 5, length 2 + 8n, then each block's left and right edge. */
    @Test
    void writesSackBlocksThatReadBack() {
        byte[] bytes = new byte[20 + 12 + 28];
        TcpSegment.writeHeader(bytes, 0, 1, 2, 3, 4, TcpSegment.ACK, 5);
        int at = 20 + TcpSegment.writeTimestampsOption(bytes, 20, 7, 8);
        int written = TcpSegment.writeSackOption(bytes, at, new int[] {0x1000, 0x3000, 0}, new int[] {0x2000, 0x4000, 0}, 2);
        assertEquals(4 + 16, written);
        assertArrayEquals(new byte[] {1, 1, 5, 18, 0, 0, 0x10, 0, 0, 0, 0x20, 0, 0, 0, 0x30, 0, 0, 0, 0x40, 0},
                java.util.Arrays.copyOfRange(bytes, at, at + written));
        TcpSegment.setDataOffset(bytes, 0, at + written);
        TcpSegment segment = new TcpSegment();
        assertEquals(WireError.OK, segment.wrap(bytes, 0, at + written));
        assertEquals(2, segment.sackBlockCount());
        assertEquals(0x3000, segment.sackLeft(1));
        assertEquals(0x4000, segment.sackRight(1));
        assertEquals(7, segment.timestampValue());
        assertThrows(IllegalArgumentException.class, () -> TcpSegment.writeSackOption(bytes, at, new int[5], new int[5], 5));
    }

    @Test
    void parsesTimestampsSackAndSkipsUnknownOptions() {
        byte[] bytes = new byte[20 + 12 + 4 + 12 + 4];
        TcpSegment.writeHeader(bytes, 0, 1, 2, 3, 4, TcpSegment.ACK, 5);
        int at = 20 + TcpSegment.writeTimestampsOption(bytes, 20, 111, 222);
        at += TcpSegment.writeSackPermittedOption(bytes, at);
        bytes[at] = 5; // SACK, one block
        bytes[at + 1] = 10;
        bytes[at + 5] = 100;
        bytes[at + 9] = (byte) 200;
        at += 10;
        bytes[at] = 99; // unknown kind, length 2
        bytes[at + 1] = 2;
        at += 2;
        bytes[at] = 0; // EOL + padding
        at += 4;
        TcpSegment.setDataOffset(bytes, 0, at);
        TcpSegment segment = new TcpSegment();
        assertEquals(WireError.OK, segment.wrap(bytes, 0, at));
        assertTrue(segment.hasTimestamps());
        assertEquals(111, segment.timestampValue());
        assertEquals(222, segment.timestampEcho());
        assertTrue(segment.sackPermitted());
        assertEquals(1, segment.sackBlockCount());
        assertEquals(100, segment.sackLeft(0));
        assertEquals(200, segment.sackRight(0));
        assertEquals(-1, segment.windowScale());
        assertEquals(0, segment.mss());
    }

    private static WireError wrapWithOptions(int... options) {
        int length = 20 + ((options.length + 3) & ~3);
        byte[] bytes = new byte[length];
        TcpSegment.writeHeader(bytes, 0, 1, 2, 3, 4, TcpSegment.SYN, 5);
        for (int i = 0; i < options.length; i++) {
            bytes[20 + i] = (byte) options[i];
        }
        for (int i = 20 + options.length; i < length; i++) {
            bytes[i] = 1; // NOP padding
        }
        TcpSegment.setDataOffset(bytes, 0, length);
        return new TcpSegment().wrap(bytes, 0, length);
    }

    @Test
    void rejectsMalformedInput() {
        TcpSegment segment = new TcpSegment();
        assertEquals(WireError.TRUNCATED, segment.wrap(new byte[19], 0, 19));
        byte[] bytes = new byte[20];
        bytes[12] = 0x40; // data offset 4
        assertEquals(WireError.BAD_DATA_OFFSET, segment.wrap(bytes, 0, 20));
        bytes[12] = 0x60; // data offset 6 words, only 20 bytes
        assertEquals(WireError.BAD_DATA_OFFSET, segment.wrap(bytes, 0, 20));
        assertEquals(WireError.BAD_OPTION, wrapWithOptions(2, 0));            // length 0
        assertEquals(WireError.BAD_OPTION, wrapWithOptions(99, 1));           // length 1
        assertEquals(WireError.BAD_OPTION, wrapWithOptions(1, 1, 99, 9));     // runs past the header
        assertEquals(WireError.BAD_OPTION, wrapWithOptions(1, 1, 1, 2));      // no room for the length
        assertEquals(WireError.BAD_OPTION, wrapWithOptions(2, 3, 5));         // MSS length 3
        assertEquals(WireError.BAD_OPTION, wrapWithOptions(3, 4, 1, 1));      // window scale length 4
        assertEquals(WireError.BAD_OPTION, wrapWithOptions(4, 3, 0));         // SACK-permitted length 3
        assertEquals(WireError.BAD_OPTION, wrapWithOptions(8, 8, 0, 0, 0, 0, 0, 0)); // timestamps length 8
        assertEquals(WireError.BAD_OPTION, wrapWithOptions(5, 6, 0, 0, 0, 0));       // SACK 2+8n violated
        assertEquals(WireError.BAD_FIELD, wrapWithOptions(2, 4, 0, 0));       // MSS 0
        assertEquals(WireError.OK, wrapWithOptions(0, 99, 99, 99));           // after EOL nothing is parsed
    }

    @Test
    void windowScaleAbove14IsClamped() {
        int length = 24;
        byte[] bytes = new byte[length];
        TcpSegment.writeHeader(bytes, 0, 1, 2, 3, 4, TcpSegment.SYN, 5);
        TcpSegment.writeWindowScaleOption(bytes, 20, 20);
        TcpSegment.setDataOffset(bytes, 0, 24);
        TcpSegment segment = new TcpSegment();
        assertEquals(WireError.OK, segment.wrap(bytes, 0, length));
        assertEquals(14, segment.windowScale());
    }

    @Property(tries = 300)
    void roundTrip(@ForAll @IntRange(min = 1, max = 65535) int sourcePort, @ForAll @IntRange(min = 1, max = 65535) int destinationPort,
                   @ForAll int seq, @ForAll int ack, @ForAll @IntRange(min = 0, max = 255) int flags,
                   @ForAll @IntRange(min = 0, max = 65535) int window, @ForAll @IntRange(min = 1, max = 65535) int mss,
                   @ForAll @IntRange(min = 0, max = 200) int payload) {
        byte[] bytes = new byte[20 + 4 + payload];
        TcpSegment.writeHeader(bytes, 0, sourcePort, destinationPort, seq, ack, flags, window);
        TcpSegment.writeMssOption(bytes, 20, mss);
        TcpSegment.setDataOffset(bytes, 0, 24);
        for (int i = 0; i < payload; i++) {
            bytes[24 + i] = (byte) (i * 7);
        }
        TcpSegment.writeChecksum(bytes, 0, bytes.length, SRC, DST);
        TcpSegment segment = new TcpSegment();
        assertEquals(WireError.OK, segment.wrap(bytes, 0, bytes.length));
        assertEquals(sourcePort, segment.sourcePort());
        assertEquals(destinationPort, segment.destinationPort());
        assertEquals(seq, segment.sequenceNumber());
        assertEquals(ack, segment.acknowledgmentNumber());
        assertEquals(flags, segment.flags());
        assertEquals(window, segment.window());
        assertEquals(mss, segment.mss());
        assertEquals(payload, segment.payloadLength());
        assertTrue(segment.checksumValid(SRC, DST));
        bytes[bytes.length - 1] ^= 0x10;
        assertFalse(segment.checksumValid(SRC, DST), "a flipped bit must fail the checksum");
    }
}
