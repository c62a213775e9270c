package dev.spinet.wire;

import static dev.spinet.wire.GoldenFrames.IP_A;
import static dev.spinet.wire.GoldenFrames.IP_B;
import static dev.spinet.wire.GoldenFrames.MAC_A;
import static dev.spinet.wire.GoldenFrames.MAC_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IcmpPacketTest {

    private final EthernetFrame frame = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final IcmpPacket icmp = new IcmpPacket();

    @Test
    void golden_ping_request_through_all_three_views() {
        byte[] bytes = Hex.bytes(GoldenFrames.PING_REQUEST_FRAME);
        assertEquals(74, bytes.length);

        assertEquals(WireError.OK, frame.wrap(bytes, 0, bytes.length));
        assertEquals(EthernetFrame.TYPE_IPV4, frame.etherType());
        assertEquals(WireError.OK, ip.wrap(frame.buffer(), frame.payloadOffset(), frame.payloadLength()));
        assertEquals(Ipv4Packet.PROTOCOL_ICMP, ip.protocol());
        assertEquals(WireError.OK, icmp.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength()));

        assertEquals(34, icmp.offset());
        assertEquals(40, icmp.messageLength());
        assertEquals(IcmpPacket.TYPE_ECHO_REQUEST, icmp.type());
        assertEquals(0, icmp.code());
        assertEquals(0x4D5A, icmp.checksum());
        assertEquals(1, icmp.identifier());
        assertEquals(1, icmp.sequence());
        assertEquals(0x00010001, icmp.restOfHeader());
        assertEquals(42, icmp.payloadOffset());
        assertEquals(32, icmp.payloadLength());
        assertEquals("abcdefghijklmnopqrstuvwabcdefghi", new String(bytes, icmp.payloadOffset(), icmp.payloadLength(),
                java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void writers_reproduce_the_golden_ping_frame_byte_for_byte() {
        byte[] golden = Hex.bytes(GoldenFrames.PING_REQUEST_FRAME);
        byte[] payload = Hex.bytes(GoldenFrames.PING_PAYLOAD_HEX);
        byte[] buffer = new byte[100];
        Arrays.fill(buffer, (byte) 0xCC);

        int at = EthernetFrame.writeHeader(buffer, 0, MAC_B, MAC_A, EthernetFrame.TYPE_IPV4);
        at += Ipv4Packet.writeHeader(buffer, at, 20 + 8 + 32, 0x1C46, false, 64, Ipv4Packet.PROTOCOL_ICMP, IP_A, IP_B);
        IcmpPacket.writeEcho(buffer, at, IcmpPacket.TYPE_ECHO_REQUEST, 1, 1);
        System.arraycopy(payload, 0, buffer, at + 8, 32);
        IcmpPacket.writeChecksum(buffer, at, 40);

        assertArrayEquals(golden, Arrays.copyOf(buffer, 74));
    }

    @Test
    void golden_echo_reply_checksum() {
        byte[] reply = Hex.bytes(GoldenFrames.PING_REPLY_ICMP);
        assertEquals(WireError.OK, icmp.wrap(reply, 0, reply.length));
        assertEquals(IcmpPacket.TYPE_ECHO_REPLY, icmp.type());
        assertEquals(0x555A, icmp.checksum());

        // Turning the request into a reply in place: RFC 1624 update of the type word equals the golden reply.
        byte[] request = Arrays.copyOfRange(Hex.bytes(GoldenFrames.PING_REQUEST_FRAME), 34, 74);
        int updated = Checksum.update16(0x4D5A, 0x0800, 0x0000);
        assertEquals(0x555A, updated);
        request[0] = 0;
        request[2] = (byte) (updated >>> 8);
        request[3] = (byte) updated;
        assertArrayEquals(reply, request);
    }

    @Test
    void round_trip_with_odd_length_payload_and_high_values() {
        byte[] buffer = new byte[64];
        IcmpPacket.writeEcho(buffer, 5, IcmpPacket.TYPE_ECHO_REPLY, 0xFFFF, 0x8001);
        for (int i = 0; i < 13; i++) {
            buffer[5 + 8 + i] = (byte) (0xF0 + i);
        }

        IcmpPacket.writeChecksum(buffer, 5, 21);

        assertEquals(WireError.OK, icmp.wrap(buffer, 5, 21));
        assertEquals(IcmpPacket.TYPE_ECHO_REPLY, icmp.type());
        assertEquals(0xFFFF, icmp.identifier());
        assertEquals(0x8001, icmp.sequence());
        assertEquals(13, icmp.payloadLength());
        assertEquals(Checksum.compute(withZeroChecksum(buffer, 5, 21), 0, 21), icmp.checksum());
    }

    @Test
    void error_message_header_round_trip() {
        byte[] buffer = new byte[8 + 28];
        IcmpPacket.writeHeader(buffer, 0, IcmpPacket.TYPE_DEST_UNREACHABLE, IcmpPacket.CODE_FRAGMENTATION_NEEDED, 1400);
        IcmpPacket.writeChecksum(buffer, 0, buffer.length);

        assertEquals(WireError.OK, icmp.wrap(buffer, 0, buffer.length));
        assertEquals(3, icmp.type());
        assertEquals(4, icmp.code());
        assertEquals(1400, icmp.restOfHeader());
        assertEquals(28, icmp.payloadLength());
    }

    @Test
    void misuse_of_writers_throws() {
        assertThrows(IllegalArgumentException.class, () -> IcmpPacket.writeEcho(new byte[8], 0, 8, 0x10000, 0));
        assertThrows(IllegalArgumentException.class, () -> IcmpPacket.writeEcho(new byte[8], 1, 8, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> IcmpPacket.writeHeader(new byte[8], 0, 256, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> IcmpPacket.writeChecksum(new byte[8], 0, 7));
        assertThrows(IllegalArgumentException.class, () -> IcmpPacket.writeChecksum(new byte[8], 0, 9));
    }

    private static byte[] withZeroChecksum(byte[] buffer, int offset, int length) {
        byte[] copy = Arrays.copyOfRange(buffer, offset, offset + length);
        copy[2] = 0;
        copy[3] = 0;
        return copy;
    }

    static Stream<Arguments> malformed() {
        byte[] good = Arrays.copyOfRange(Hex.bytes(GoldenFrames.PING_REQUEST_FRAME), 34, 74);
        return Stream.of(
                Cases.of("icmp_truncated_7_bytes", Arrays.copyOf(good, 7), WireError.TRUNCATED),
                Cases.of("icmp_empty", new byte[0], WireError.TRUNCATED),
                Cases.of("icmp_bad_checksum", Cases.with(good, 3, 0x5B), WireError.BAD_CHECKSUM),
                Cases.of("icmp_payload_bit_flip", Cases.with(good, 39, 0x68), WireError.BAD_CHECKSUM),
                Cases.of("icmp_checksum_field_zeroed", Cases.with(Cases.with(good, 2, 0), 3, 0), WireError.BAD_CHECKSUM),
                Cases.of("icmp_last_payload_byte_missing", Arrays.copyOf(good, 39), WireError.BAD_CHECKSUM),
                Cases.of("icmp_trailing_zero_padding_verifies", Arrays.copyOf(good, 42), WireError.OK),
                Cases.of("icmp_golden_request", good, WireError.OK));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformed_icmp_is_rejected_with_the_exact_error(String flaw, byte[] bytes, WireError expected) {
        assertEquals(expected, icmp.wrap(bytes, 0, bytes.length), flaw);
        assertEquals(expected, icmp.wrap(Hex.at(34, bytes, 11), 34, bytes.length), flaw);
    }
}
