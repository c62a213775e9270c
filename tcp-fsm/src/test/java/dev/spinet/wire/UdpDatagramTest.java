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

class UdpDatagramTest {

    private final Ipv4Packet ip = new Ipv4Packet();
    private final UdpDatagram udp = new UdpDatagram();

    @Test
    void golden_datagram_field_by_field() {
        byte[] packet = Arrays.copyOf(Hex.bytes(GoldenFrames.UDP_PACKET), 46); // with Ethernet padding
        assertEquals(WireError.OK, ip.wrap(packet, 0, packet.length));
        assertEquals(Ipv4Packet.PROTOCOL_UDP, ip.protocol());

        assertEquals(WireError.OK, udp.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength()));

        assertEquals(20, udp.offset());
        assertEquals(5353, udp.sourcePort());
        assertEquals(53, udp.destinationPort());
        assertEquals(13, udp.length());
        assertEquals(0x92E1, udp.checksum());
        assertEquals(28, udp.payloadOffset());
        assertEquals(5, udp.payloadLength());
        assertEquals("hello", new String(packet, udp.payloadOffset(), udp.payloadLength(), java.nio.charset.StandardCharsets.US_ASCII));
        assertTrue(udp.checksumValid(ip.source(), ip.destination()));
    }

    @Test
    void checksum_covers_the_pseudo_header() {
        byte[] packet = Hex.bytes(GoldenFrames.UDP_PACKET);
        assertEquals(WireError.OK, udp.wrap(packet, 20, 13));

        assertTrue(udp.checksumValid(IP_A, IP_B));
        assertFalse(udp.checksumValid(IP_A, IP_A), "wrong destination address");
        assertFalse(udp.checksumValid(0x0B000001, IP_B), "wrong source address");
    }

    @Test
    void corrupted_payload_fails_the_checksum_and_zero_means_not_computed() {
        byte[] packet = Hex.bytes(GoldenFrames.UDP_PACKET);
        packet[32] ^= 0x01;
        assertEquals(WireError.OK, udp.wrap(packet, 20, 13));
        assertFalse(udp.checksumValid(IP_A, IP_B));

        packet[26] = 0;
        packet[27] = 0;
        assertTrue(udp.checksumValid(IP_A, IP_B), "RFC 768: all-zero checksum = none transmitted");
    }

    @Test
    void writers_reproduce_the_golden_packet() {
        byte[] golden = Hex.bytes(GoldenFrames.UDP_PACKET);
        byte[] buffer = new byte[33];

        int at = Ipv4Packet.writeHeader(buffer, 0, 33, 0xABCD, true, 64, Ipv4Packet.PROTOCOL_UDP, IP_A, IP_B);
        assertEquals(8, UdpDatagram.writeHeader(buffer, at, 5353, 53, 5));
        System.arraycopy("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, buffer, at + 8, 5);
        UdpDatagram.writeChecksum(buffer, at, 13, IP_A, IP_B);

        assertArrayEquals(golden, buffer);
    }

    @Test
    void a_computed_zero_checksum_is_sent_as_all_ones() {
        // Choose the payload word so that the checksum comes out 0: make the sum of everything else its complement.
        byte[] buffer = new byte[10];
        UdpDatagram.writeHeader(buffer, 0, 1, 2, 2);
        long rest = Checksum.pseudoHeaderSum(IP_A, IP_B, Ipv4Packet.PROTOCOL_UDP, 10) + Checksum.sum(buffer, 0, 8);
        int word = ~Checksum.fold(rest) & 0xFFFF; // rest + word folds to 0xFFFF, so the checksum is ~0xFFFF = 0
        buffer[8] = (byte) (word >>> 8);
        buffer[9] = (byte) word;
        assertEquals(0, Checksum.finish(rest + word), "precondition: the computed checksum is 0");

        UdpDatagram.writeChecksum(buffer, 0, 10, IP_A, IP_B);

        assertEquals(WireError.OK, udp.wrap(buffer, 0, 10));
        assertEquals(0xFFFF, udp.checksum());
        assertTrue(udp.checksumValid(IP_A, IP_B));
    }

    @Test
    void round_trip_with_high_ports_and_empty_payload() {
        byte[] buffer = new byte[12];
        UdpDatagram.writeHeader(buffer, 4, 65535, 32768, 0);
        UdpDatagram.writeChecksum(buffer, 4, 8, 0xFFFFFFFF, 0x80000001);

        assertEquals(WireError.OK, udp.wrap(buffer, 4, 8));
        assertEquals(65535, udp.sourcePort());
        assertEquals(32768, udp.destinationPort());
        assertEquals(8, udp.length());
        assertEquals(0, udp.payloadLength());
        assertEquals(12, udp.payloadOffset());
        assertTrue(udp.checksumValid(0xFFFFFFFF, 0x80000001));
    }

    @Test
    void misuse_of_writers_throws() {
        assertThrows(IllegalArgumentException.class, () -> UdpDatagram.writeHeader(new byte[8], 0, 65536, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> UdpDatagram.writeHeader(new byte[8], 0, 1, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> UdpDatagram.writeHeader(new byte[8], 0, 1, 1, 65528));
        assertThrows(IllegalArgumentException.class, () -> UdpDatagram.writeHeader(new byte[7], 0, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> UdpDatagram.writeChecksum(new byte[8], 0, 7, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> UdpDatagram.writeChecksum(new byte[8], 0, 9, 0, 0));
    }

    static Stream<Arguments> malformed() {
        byte[] good = Arrays.copyOfRange(Hex.bytes(GoldenFrames.UDP_PACKET), 20, 33); // 13 bytes, length field 13
        return Stream.of(
                Cases.of("udp_truncated_7_bytes", Arrays.copyOf(good, 7), WireError.TRUNCATED),
                Cases.of("udp_empty", new byte[0], WireError.TRUNCATED),
                Cases.of("udp_length_field_7", Cases.with(good, 5, 7), WireError.BAD_LENGTH),
                Cases.of("udp_length_field_0", Cases.with(good, 5, 0), WireError.BAD_LENGTH),
                Cases.of("udp_length_field_past_datagram", Cases.with(good, 5, 14), WireError.BAD_LENGTH),
                Cases.of("udp_length_field_65535", Cases.with(Cases.with(good, 4, 0xFF), 5, 0xFF), WireError.BAD_LENGTH),
                Cases.of("udp_length_field_8_header_only", Cases.with(good, 5, 8), WireError.OK),
                Cases.of("udp_length_field_shorter_than_ip_payload", Cases.with(good, 5, 12), WireError.OK),
                Cases.of("udp_golden", good, WireError.OK));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformed_udp_is_rejected_with_the_exact_error(String flaw, byte[] bytes, WireError expected) {
        assertEquals(expected, udp.wrap(bytes, 0, bytes.length), flaw);
        assertEquals(expected, udp.wrap(Hex.at(20, bytes, 9), 20, bytes.length), flaw);
    }
}
