package dev.spinet.wire;

import static dev.spinet.wire.GoldenFrames.MAC_A;
import static dev.spinet.wire.GoldenFrames.MAC_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.eth.MacAddress;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EthernetFrameTest {

    private final EthernetFrame frame = new EthernetFrame();

    @Test
    void golden_arp_request_frame_at_an_offset() {
        byte[] bytes = Hex.bytes(GoldenFrames.ARP_REQUEST_FRAME);
        assertEquals(60, bytes.length);
        byte[] buffer = Hex.at(5, bytes, 7);

        assertEquals(WireError.OK, frame.wrap(buffer, 5, 60));

        assertSame(buffer, frame.buffer());
        assertEquals(5, frame.offset());
        assertEquals(60, frame.frameLength());
        assertEquals(MacAddress.BROADCAST, frame.destination());
        assertEquals(MAC_A, frame.source());
        assertEquals(EthernetFrame.TYPE_ARP, frame.etherType());
        assertEquals(5 + 14, frame.payloadOffset());
        assertEquals(46, frame.payloadLength());
    }

    @Test
    void golden_ping_frame() {
        byte[] bytes = Hex.bytes(GoldenFrames.PING_REQUEST_FRAME);

        assertEquals(WireError.OK, frame.wrap(bytes, 0, bytes.length));

        assertEquals(MAC_B, frame.destination());
        assertEquals(MAC_A, frame.source());
        assertEquals(0x0800, frame.etherType());
        assertEquals(14, frame.payloadOffset());
        assertEquals(60, frame.payloadLength());
    }

    @Test
    void vlan_tagged_frame_reports_0x8100_as_is() {
        byte[] bytes = Hex.bytes("02 00 00 00 00 02 02 00 00 00 00 01 81 00 00 05 08 00 45 00");

        assertEquals(WireError.OK, frame.wrap(bytes, 0, bytes.length));

        assertEquals(EthernetFrame.TYPE_VLAN, frame.etherType());
        assertEquals(0x8100, frame.etherType());
    }

    @Test
    void write_header_produces_the_golden_header_bytes() {
        byte[] golden = Hex.bytes(GoldenFrames.PING_REQUEST_FRAME);
        byte[] buffer = new byte[20];

        int written = EthernetFrame.writeHeader(buffer, 3, MAC_B, MAC_A, EthernetFrame.TYPE_IPV4);

        assertEquals(EthernetFrame.HEADER_LENGTH, written);
        assertArrayEquals(Arrays.copyOfRange(golden, 0, 14), Arrays.copyOfRange(buffer, 3, 17));
        assertEquals(0, buffer[2]);
        assertEquals(0, buffer[17]);
    }

    @Test
    void round_trip_with_high_bits_set_in_every_field() {
        byte[] buffer = new byte[64];
        long destination = 0xFE_DC_BA_98_76_54L;
        long source = 0x8A_FF_00_80_7F_01L;

        EthernetFrame.writeHeader(buffer, 1, destination, source, 0xFFFE);

        assertEquals(WireError.OK, frame.wrap(buffer, 1, 63));
        assertEquals(destination, frame.destination());
        assertEquals(source, frame.source());
        assertEquals(0xFFFE, frame.etherType());
        assertEquals(15, frame.payloadOffset());
        assertEquals(49, frame.payloadLength());
    }

    @Test
    void one_view_is_rewrapped_for_each_frame() {
        byte[] arp = Hex.bytes(GoldenFrames.ARP_REQUEST_FRAME);
        byte[] ping = Hex.bytes(GoldenFrames.PING_REQUEST_FRAME);

        assertEquals(WireError.OK, frame.wrap(arp, 0, arp.length));
        assertEquals(EthernetFrame.TYPE_ARP, frame.etherType());
        assertEquals(WireError.OK, frame.wrap(ping, 0, ping.length));
        assertEquals(EthernetFrame.TYPE_IPV4, frame.etherType());
        assertSame(ping, frame.buffer());
        assertEquals(60, frame.payloadLength());
    }

    @Test
    void pad_to_minimum_zero_fills_stale_bytes() {
        byte[] buffer = new byte[80];
        Arrays.fill(buffer, (byte) 0x5A);

        assertEquals(60, EthernetFrame.padToMinimum(buffer, 2, 42));

        for (int i = 2 + 42; i < 2 + 60; i++) {
            assertEquals(0, buffer[i], "pad byte " + i);
        }
        assertEquals(0x5A, buffer[2 + 41]);
        assertEquals(0x5A, buffer[2 + 60]);
        assertEquals(61, EthernetFrame.padToMinimum(buffer, 0, 61));
    }

    @Test
    void a_range_outside_the_array_is_misuse_not_a_packet_error() {
        byte[] buffer = new byte[60];

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> frame.wrap(buffer, 10, 60));
        assertTrue(e.getMessage().contains("offset=10 length=60"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> frame.wrap(buffer, -1, 20));
        assertThrows(IllegalArgumentException.class, () -> frame.wrap(buffer, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> EthernetFrame.writeHeader(buffer, 50, 0, 0, 0x0800));
        assertThrows(IllegalArgumentException.class, () -> EthernetFrame.writeHeader(buffer, 0, 0, 0, 0x10000));
    }

    static Stream<Arguments> malformed() {
        byte[] golden = Hex.bytes(GoldenFrames.ARP_REQUEST_FRAME);
        return Stream.of(
                Cases.of("runt_ethernet_frame_13_bytes", Arrays.copyOf(golden, 13), WireError.TRUNCATED),
                Cases.of("empty_frame", new byte[0], WireError.TRUNCATED),
                Cases.of("one_byte_frame", new byte[] {(byte) 0xFF}, WireError.TRUNCATED),
                Cases.of("header_only_no_payload", Arrays.copyOf(golden, 14), WireError.OK));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformed_frames_are_rejected_with_the_exact_error(String flaw, byte[] bytes, WireError expected) {
        assertEquals(expected, frame.wrap(bytes, 0, bytes.length), flaw);
        // The same bytes at an offset inside a bigger buffer give the same answer.
        assertEquals(expected, frame.wrap(Hex.at(9, bytes, 40), 9, bytes.length), flaw);
    }
}
