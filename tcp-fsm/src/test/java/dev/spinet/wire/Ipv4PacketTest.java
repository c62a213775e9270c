package dev.spinet.wire;

import static dev.spinet.wire.GoldenFrames.IP_A;
import static dev.spinet.wire.GoldenFrames.IP_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4PacketTest {

    private final Ipv4Packet ip = new Ipv4Packet();

    @Test
    void golden_wikipedia_header_field_by_field() {
        byte[] header = Hex.bytes(GoldenFrames.WIKIPEDIA_IPV4_HEADER);
        byte[] packet = Arrays.copyOf(header, 0x73);

        assertEquals(WireError.OK, ip.wrap(packet, 0, packet.length));

        assertEquals(4, ip.version());
        assertEquals(20, ip.headerLength());
        assertEquals(0, ip.tos());
        assertEquals(115, ip.totalLength());
        assertEquals(0, ip.identification());
        assertTrue(ip.dontFragment());
        assertFalse(ip.moreFragments());
        assertFalse(ip.reservedFlag());
        assertEquals(0, ip.fragmentOffset());
        assertFalse(ip.isFragment());
        assertEquals(64, ip.ttl());
        assertEquals(Ipv4Packet.PROTOCOL_UDP, ip.protocol());
        assertEquals(0xB861, ip.headerChecksum());
        assertEquals(0xC0A80001, ip.source());
        assertEquals(0xC0A800C7, ip.destination());
        assertEquals(0, ip.optionsLength());
        assertEquals(20, ip.payloadOffset());
        assertEquals(95, ip.payloadLength());
    }

    @Test
    void golden_ping_packet_inside_its_ethernet_frame() {
        byte[] frame = Hex.bytes(GoldenFrames.PING_REQUEST_FRAME);

        assertEquals(WireError.OK, ip.wrap(frame, 14, frame.length - 14));

        assertEquals(14, ip.offset());
        assertEquals(60, ip.totalLength());
        assertEquals(0x1C46, ip.identification());
        assertFalse(ip.dontFragment());
        assertEquals(64, ip.ttl());
        assertEquals(Ipv4Packet.PROTOCOL_ICMP, ip.protocol());
        assertEquals(0x4A79, ip.headerChecksum());
        assertEquals(IP_A, ip.source());
        assertEquals(IP_B, ip.destination());
        assertEquals(34, ip.payloadOffset());
        assertEquals(40, ip.payloadLength());
    }

    @Test
    void ethernet_padding_after_total_length_is_ignored() {
        byte[] udp = Hex.bytes(GoldenFrames.UDP_PACKET);
        byte[] padded = Arrays.copyOf(udp, 46); // 33-byte packet padded to the 46-byte minimum payload

        assertEquals(WireError.OK, ip.wrap(padded, 0, padded.length));

        assertEquals(33, ip.totalLength());
        assertEquals(13, ip.payloadLength());
    }

    @Test
    void write_header_reproduces_the_golden_ping_header_and_its_checksum() {
        byte[] golden = Arrays.copyOfRange(Hex.bytes(GoldenFrames.PING_REQUEST_FRAME), 14, 34);
        byte[] buffer = new byte[30];
        Arrays.fill(buffer, (byte) 0xAB);

        int written = Ipv4Packet.writeHeader(buffer, 4, 60, 0x1C46, false, 64, Ipv4Packet.PROTOCOL_ICMP, IP_A, IP_B);

        assertEquals(20, written);
        assertArrayEquals(golden, Arrays.copyOfRange(buffer, 4, 24));
    }

    @Test
    void write_header_reproduces_the_wikipedia_header() {
        byte[] buffer = new byte[20];

        Ipv4Packet.writeHeader(buffer, 0, 115, 0, true, 64, Ipv4Packet.PROTOCOL_UDP, 0xC0A80001, 0xC0A800C7);

        assertEquals(GoldenFrames.WIKIPEDIA_IPV4_HEADER.replace(" ", ""), Hex.of(buffer, 0, 20));
    }

    @Test
    void round_trip_with_extreme_values() {
        byte[] buffer = new byte[100];

        Ipv4Packet.writeHeader(buffer, 3, 97, 0xFFFF, true, 255, 255, 0xFFFFFFFF, 0x80000000);

        assertEquals(WireError.OK, ip.wrap(buffer, 3, 97));
        assertEquals(97, ip.totalLength());
        assertEquals(0xFFFF, ip.identification());
        assertTrue(ip.dontFragment());
        assertEquals(255, ip.ttl());
        assertEquals(255, ip.protocol());
        assertEquals(0xFFFFFFFF, ip.source());
        assertEquals(0x80000000, ip.destination());
        assertEquals(23, ip.payloadOffset());
        assertEquals(77, ip.payloadLength());
    }

    @Test
    void header_with_options_after_rewriting_the_checksum() {
        byte[] packet = new byte[40];
        Ipv4Packet.writeHeader(packet, 0, 40, 7, false, 1, Ipv4Packet.PROTOCOL_TCP, IP_A, IP_B);
        packet[0] = 0x46; // IHL 6: one 4-byte option word follows
        byte[] routerAlert = {(byte) 0x94, 0x04, 0x00, 0x00}; // RFC 2113
        System.arraycopy(routerAlert, 0, packet, 20, 4);
        assertEquals(WireError.BAD_CHECKSUM, ip.wrap(packet, 0, 40), "the old checksum covers only 20 bytes");

        Ipv4Packet.writeHeaderChecksum(packet, 0);

        assertEquals(WireError.OK, ip.wrap(packet, 0, 40));
        assertEquals(24, ip.headerLength());
        assertEquals(4, ip.optionsLength());
        assertEquals(24, ip.payloadOffset());
        assertEquals(16, ip.payloadLength());
        assertEquals((byte) 0x94, packet[Ipv4Packet.OPTIONS_OFFSET]);
    }

    @Test
    void fragment_fields() {
        byte[] packet = Hex.bytes(GoldenFrames.WIKIPEDIA_IPV4_HEADER);
        // MF set, offset 185 units = 1480 bytes (the second fragment of a 1500-MTU split)
        packet[6] = 0x20 | 0x00;
        packet[7] = (byte) 185;
        Ipv4Packet.writeHeaderChecksum(packet, 0);
        byte[] first = Arrays.copyOf(packet, 115);
        assertEquals(WireError.OK, ip.wrap(first, 0, 115));
        assertTrue(ip.moreFragments());
        assertFalse(ip.dontFragment());
        assertEquals(1480, ip.fragmentOffset());
        assertTrue(ip.isFragment());

        first[6] = 0x00; // last fragment: MF clear, offset still non-zero
        Ipv4Packet.writeHeaderChecksum(first, 0);
        assertEquals(WireError.OK, ip.wrap(first, 0, 115));
        assertFalse(ip.moreFragments());
        assertTrue(ip.isFragment());

        first[6] = 0x20; // first fragment: MF set, offset 0
        first[7] = 0;
        Ipv4Packet.writeHeaderChecksum(first, 0);
        assertEquals(WireError.OK, ip.wrap(first, 0, 115));
        assertEquals(0, ip.fragmentOffset());
        assertTrue(ip.isFragment());

        first[6] = (byte) 0x9F; // reserved bit + largest offset 8191 units
        first[7] = (byte) 0xFF;
        Ipv4Packet.writeHeaderChecksum(first, 0);
        assertEquals(WireError.OK, ip.wrap(first, 0, 115));
        assertTrue(ip.reservedFlag());
        assertEquals(8191 * 8, ip.fragmentOffset());
    }

    @Test
    void write_header_rejects_out_of_range_fields() {
        byte[] buffer = new byte[20];
        assertThrows(IllegalArgumentException.class, () -> Ipv4Packet.writeHeader(buffer, 0, 19, 0, false, 64, 6, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Packet.writeHeader(buffer, 0, 65536, 0, false, 64, 6, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Packet.writeHeader(buffer, 0, 20, 0, false, 256, 6, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Packet.writeHeader(buffer, 0, 20, 0, false, 64, -1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Packet.writeHeader(buffer, 0, 20, 0x10000, false, 64, 6, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Ipv4Packet.writeHeader(buffer, 1, 20, 0, false, 64, 6, 0, 0));
    }

    @Test
    void parse_and_format_addresses() {
        assertEquals(0x0A000001, Ipv4Packet.parseAddress("10.0.0.1"));
        assertEquals(0xC0A800C7, Ipv4Packet.parseAddress(" 192.168.0.199 "));
        assertEquals(0, Ipv4Packet.parseAddress("0.0.0.0"));
        assertEquals(0xFFFFFFFF, Ipv4Packet.parseAddress("255.255.255.255"));
        assertEquals("10.0.0.1", Ipv4Packet.formatAddress(0x0A000001));
        assertEquals("255.255.255.255", Ipv4Packet.formatAddress(-1));
        assertEquals("128.0.0.9", Ipv4Packet.formatAddress(0x80000009));
        assertEquals("172.16.254.3", Ipv4Packet.formatAddress(Ipv4Packet.parseAddress("172.16.254.3")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0", "10.0.0.1.2", "256.0.0.1", "10.0.0.256", "010.0.0.1", "a.b.c.d",
            "10..0.1", "10.0.0.1 x", "-1.0.0.0", "10.0.0.", ".10.0.0", "1000.0.0.1", "10,0,0,1", "+1.0.0.0"})
    void parse_address_refuses_with_the_expected_form(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv4Packet.parseAddress(text));
        assertTrue(e.getMessage().contains("like 10.0.0.1"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    static Stream<Arguments> malformed() {
        byte[] good = Hex.bytes(GoldenFrames.UDP_PACKET); // 33 bytes, total length 33
        return Stream.of(
                Cases.of("ipv4_truncated_19_bytes", Arrays.copyOf(good, 19), WireError.TRUNCATED),
                Cases.of("ipv4_empty", new byte[0], WireError.TRUNCATED),
                Cases.of("version_6", fixed(Cases.with(good, 0, 0x65)), WireError.BAD_VERSION),
                Cases.of("version_0", fixed(Cases.with(good, 0, 0x05)), WireError.BAD_VERSION),
                Cases.of("version_6_wins_over_ihl_below_5", Cases.with(good, 0, 0x63), WireError.BAD_VERSION),
                Cases.of("ihl_below_5", fixed(Cases.with(good, 0, 0x44)), WireError.BAD_HEADER_LENGTH),
                Cases.of("ihl_0", Cases.with(good, 0, 0x40), WireError.BAD_HEADER_LENGTH),
                Cases.of("ihl_past_length", Cases.with(good, 0, 0x49), WireError.BAD_HEADER_LENGTH),
                Cases.of("ihl_15_in_a_33_byte_packet", Cases.with(good, 0, 0x4F), WireError.BAD_HEADER_LENGTH),
                Cases.of("total_length_below_20", fixed(Cases.with(good, 3, 19)), WireError.BAD_TOTAL_LENGTH),
                Cases.of("total_length_0", fixed(Cases.with(good, 3, 0)), WireError.BAD_TOTAL_LENGTH),
                Cases.of("total_length_below_header_with_options", fixed(Cases.with(Cases.with(good, 0, 0x46), 3, 20)),
                        WireError.BAD_TOTAL_LENGTH),
                Cases.of("total_length_past_frame", fixed(Cases.with(good, 3, 34)), WireError.BAD_TOTAL_LENGTH),
                Cases.of("total_length_65535", fixed(Cases.with(Cases.with(good, 2, 0xFF), 3, 0xFF)), WireError.BAD_TOTAL_LENGTH),
                Cases.of("total_length_wins_over_bad_checksum", Cases.with(good, 3, 40), WireError.BAD_TOTAL_LENGTH),
                Cases.of("bad_header_checksum", Cases.with(good, 11, 0xFD), WireError.BAD_CHECKSUM),
                Cases.of("header_bit_flip_ttl", Cases.with(good, 8, 0x41), WireError.BAD_CHECKSUM),
                Cases.of("checksum_field_zeroed", Cases.with(Cases.with(good, 10, 0), 11, 0), WireError.BAD_CHECKSUM),
                Cases.of("payload_corruption_is_not_an_ip_error", Cases.with(good, 30, 0), WireError.OK),
                Cases.of("ihl_6_with_valid_option_and_checksum",
                        fixed(Cases.with(Cases.with(good, 0, 0x46), 20, 0x01)), WireError.OK));
    }

    /** Recomputes the header checksum so that the named flaw is the packet's only one. */
    private static byte[] fixed(byte[] packet) {
        int ihl = (packet[0] & 0x0F) * 4;
        packet[10] = 0;
        packet[11] = 0;
        int checksum = Checksum.compute(packet, 0, Math.min(Math.max(ihl, 20), packet.length));
        packet[10] = (byte) (checksum >>> 8);
        packet[11] = (byte) checksum;
        return packet;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformed_ipv4_is_rejected_with_the_exact_error(String flaw, byte[] bytes, WireError expected) {
        assertEquals(expected, ip.wrap(bytes, 0, bytes.length), flaw);
        assertEquals(expected, ip.wrap(Hex.at(14, bytes, 20), 14, bytes.length), flaw);
    }
}
