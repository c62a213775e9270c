package dev.spinet.wire;

import static dev.spinet.wire.GoldenFrames.IP_A;
import static dev.spinet.wire.GoldenFrames.IP_B;
import static dev.spinet.wire.GoldenFrames.MAC_A;
import static dev.spinet.wire.GoldenFrames.MAC_B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spinet.hal.eth.MacAddress;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ArpPacketTest {

    private final EthernetFrame frame = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();

    @Test
    void golden_request_field_by_field() {
        byte[] bytes = Hex.bytes(GoldenFrames.ARP_REQUEST_FRAME);
        assertEquals(WireError.OK, frame.wrap(bytes, 0, bytes.length));

        // The Ethernet payload includes 18 bytes of padding; ARP ignores them.
        assertEquals(WireError.OK, arp.wrap(frame.buffer(), frame.payloadOffset(), frame.payloadLength()));

        assertEquals(14, arp.offset());
        assertEquals(ArpPacket.HARDWARE_TYPE_ETHERNET, arp.hardwareType());
        assertEquals(ArpPacket.PROTOCOL_TYPE_IPV4, arp.protocolType());
        assertEquals(ArpPacket.OP_REQUEST, arp.operation());
        assertEquals(MAC_A, arp.senderMac());
        assertEquals(IP_A, arp.senderIp());
        assertEquals(0L, arp.targetMac());
        assertEquals(IP_B, arp.targetIp());
    }

    @Test
    void golden_reply_field_by_field() {
        byte[] bytes = Hex.bytes(GoldenFrames.ARP_REPLY_FRAME);
        assertEquals(WireError.OK, frame.wrap(bytes, 0, bytes.length));
        assertEquals(MAC_A, frame.destination());

        assertEquals(WireError.OK, arp.wrap(bytes, 14, 46));

        assertEquals(ArpPacket.OP_REPLY, arp.operation());
        assertEquals(MAC_B, arp.senderMac());
        assertEquals(0x0A000002, arp.senderIp());
        assertEquals(MAC_A, arp.targetMac());
        assertEquals(0x0A000001, arp.targetIp());
    }

    @Test
    void writers_reproduce_the_golden_request_frame() {
        byte[] golden = Hex.bytes(GoldenFrames.ARP_REQUEST_FRAME);
        byte[] buffer = new byte[60];
        Arrays.fill(buffer, (byte) 0x77);

        int length = EthernetFrame.writeHeader(buffer, 0, MacAddress.BROADCAST, MAC_A, EthernetFrame.TYPE_ARP);
        length += ArpPacket.write(buffer, length, ArpPacket.OP_REQUEST, MAC_A, IP_A, 0L, IP_B);
        assertEquals(42, length);
        length = EthernetFrame.padToMinimum(buffer, 0, length);

        assertArrayEquals(golden, Arrays.copyOf(buffer, length));
    }

    @Test
    void round_trip_with_high_bits_set() {
        byte[] buffer = new byte[40];
        int written = ArpPacket.write(buffer, 7, 0xFFFF, 0xFF_EE_DD_CC_BB_AAL, 0xC0A80001, 0x80_00_00_00_00_01L, 0xFFFFFFFF);

        assertEquals(ArpPacket.LENGTH, written);
        assertEquals(WireError.OK, arp.wrap(buffer, 7, 28));
        assertEquals(0xFFFF, arp.operation());
        assertEquals(0xFF_EE_DD_CC_BB_AAL, arp.senderMac());
        assertEquals(0xC0A80001, arp.senderIp());
        assertEquals(0x80_00_00_00_00_01L, arp.targetMac());
        assertEquals(0xFFFFFFFF, arp.targetIp());
    }

    @Test
    void writing_past_the_buffer_or_a_wide_operation_is_misuse() {
        assertThrows(IllegalArgumentException.class, () -> ArpPacket.write(new byte[27], 0, 1, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ArpPacket.write(new byte[28], 0, 0x10001, 0, 0, 0, 0));
    }

    static Stream<Arguments> malformed() {
        byte[] good = Arrays.copyOfRange(Hex.bytes(GoldenFrames.ARP_REQUEST_FRAME), 14, 42);
        return Stream.of(
                Cases.of("arp_truncated_27_bytes", Arrays.copyOf(good, 27), WireError.TRUNCATED),
                Cases.of("arp_empty", new byte[0], WireError.TRUNCATED),
                Cases.of("arp_htype_6_ieee802", Cases.with(good, 1, 6), WireError.BAD_ARP_FORMAT),
                Cases.of("arp_htype_high_byte_set", Cases.with(good, 0, 1), WireError.BAD_ARP_FORMAT),
                Cases.of("arp_ptype_ipv6", Cases.with(Cases.with(good, 2, 0x86), 3, 0xDD), WireError.BAD_ARP_FORMAT),
                Cases.of("arp_hlen_not_6", Cases.with(good, 4, 8), WireError.BAD_ARP_FORMAT),
                Cases.of("arp_hlen_0", Cases.with(good, 4, 0), WireError.BAD_ARP_FORMAT),
                Cases.of("arp_plen_not_4", Cases.with(good, 5, 16), WireError.BAD_ARP_FORMAT),
                Cases.of("arp_unknown_operation_is_left_to_the_caller", Cases.with(good, 7, 9), WireError.OK),
                Cases.of("arp_exactly_28_bytes", good, WireError.OK));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformed_arp_is_rejected_with_the_exact_error(String flaw, byte[] bytes, WireError expected) {
        assertEquals(expected, arp.wrap(bytes, 0, bytes.length), flaw);
        assertEquals(expected, arp.wrap(Hex.at(3, bytes, 30), 3, bytes.length), flaw);
    }
}
