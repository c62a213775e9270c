package dev.spinet.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.testkit.QueueFrameDevice;
import dev.spinet.wire.ArpPacket;
import dev.spinet.wire.Ipv4Packet;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each hostile or broken frame, named after its flaw, must be dropped with exactly the expected
 * counter raised, no reply sent, and no neighbor learned.
 */
class MalformedInputTest {

    static final long US_MAC = InterfaceTest.US_MAC;
    static final long PEER_MAC = InterfaceTest.PEER_MAC;
    static final int US = InterfaceTest.US;
    static final int PEER = InterfaceTest.PEER;

    static byte[] echoFrame() {
        return Frames.ipv4(US_MAC, PEER_MAC, PEER, US, Ipv4Packet.PROTOCOL_ICMP, Frames.echoRequest(1, 1, 16));
    }

    /** Rewrites the IPv4 header checksum after a test changed a header field on purpose. */
    static byte[] rechecksum(byte[] frame) {
        Ipv4Packet.writeHeaderChecksum(frame, 14);
        return frame;
    }

    /**
     * The echo frame with the bytes from frame offset {@code at} replaced by {@code values} and
     * the IPv4 header checksum made right again, so the header is wrong in that field only.
     */
    static byte[] echoWithHeaderBytes(int at, int... values) {
        byte[] f = echoFrame();
        for (int i = 0; i < values.length; i++) {
            f[at + i] = (byte) values[i];
        }
        return rechecksum(f);
    }

    static Arguments flaw(String name, IfaceCounter counter, Supplier<byte[]> frame) {
        return Arguments.of(Named.of(name, frame), counter);
    }

    static Stream<Arguments> flaws() {
        return Stream.of(
                flaw("runt_ethernet_frame_13_bytes", IfaceCounter.RX_RUNT, () -> Arrays.copyOf(echoFrame(), 13)),
                flaw("unicast_to_another_mac", IfaceCounter.RX_NOT_FOR_US, () -> {
                    byte[] f = echoFrame();
                    MacAddress.write(0x02_00_00_00_00_77L, f, 0);
                    return f;
                }),
                flaw("multicast_mac", IfaceCounter.RX_NOT_FOR_US, () -> {
                    byte[] f = echoFrame();
                    MacAddress.write(0x01_00_5E_00_00_01L, f, 0);
                    return f;
                }),
                flaw("ipv6_ethertype", IfaceCounter.RX_UNKNOWN_ETHERTYPE, () -> {
                    byte[] f = echoFrame();
                    f[12] = (byte) 0x86;
                    f[13] = (byte) 0xDD;
                    return f;
                }),
                flaw("vlan_tagged_frame", IfaceCounter.RX_UNKNOWN_ETHERTYPE, () -> {
                    byte[] f = echoFrame();
                    f[12] = (byte) 0x81;
                    f[13] = 0;
                    return f;
                }),
                flaw("arp_truncated_to_20_bytes", IfaceCounter.ARP_RX_TRUNCATED, () -> Arrays.copyOf(
                        Frames.arp(MacAddress.BROADCAST, PEER_MAC, ArpPacket.OP_REQUEST, PEER_MAC, PEER, 0, US), 34)),
                flaw("arp_hardware_length_not_6", IfaceCounter.ARP_RX_BAD_FORMAT, () -> {
                    byte[] f = Frames.arp(MacAddress.BROADCAST, PEER_MAC, ArpPacket.OP_REQUEST, PEER_MAC, PEER, 0, US);
                    f[18] = 8;
                    return f;
                }),
                flaw("arp_protocol_length_not_4", IfaceCounter.ARP_RX_BAD_FORMAT, () -> {
                    byte[] f = Frames.arp(MacAddress.BROADCAST, PEER_MAC, ArpPacket.OP_REQUEST, PEER_MAC, PEER, 0, US);
                    f[19] = 16;
                    return f;
                }),
                flaw("arp_protocol_type_not_ipv4", IfaceCounter.ARP_RX_BAD_FORMAT, () -> {
                    byte[] f = Frames.arp(MacAddress.BROADCAST, PEER_MAC, ArpPacket.OP_REQUEST, PEER_MAC, PEER, 0, US);
                    f[16] = (byte) 0x86;
                    f[17] = (byte) 0xDD;
                    return f;
                }),
                flaw("arp_operation_3", IfaceCounter.ARP_RX_BAD_OPERATION,
                        () -> Frames.arp(MacAddress.BROADCAST, PEER_MAC, 3, PEER_MAC, PEER, 0, US)),
                flaw("arp_sender_mac_broadcast", IfaceCounter.ARP_RX_BOGUS_SENDER,
                        () -> Frames.arp(MacAddress.BROADCAST, PEER_MAC, ArpPacket.OP_REQUEST, MacAddress.BROADCAST, PEER, 0, US)),
                flaw("arp_sender_ip_is_ours", IfaceCounter.ARP_ADDRESS_CONFLICT,
                        () -> Frames.arp(MacAddress.BROADCAST, PEER_MAC, ArpPacket.OP_REQUEST, PEER_MAC, US, 0, US)),
                flaw("ip_truncated_header_19_bytes", IfaceCounter.IP_RX_TRUNCATED, () -> Arrays.copyOf(echoFrame(), 14 + 19)),
                flaw("ip_version_6_in_ipv4_ethertype", IfaceCounter.IP_RX_BAD_VERSION, () -> echoWithHeaderBytes(14, 0x65)),
                flaw("ihl_below_5", IfaceCounter.IP_RX_BAD_HEADER_LENGTH, () -> {
                    byte[] f = echoFrame();
                    f[14] = 0x44;
                    return f;
                }),
                flaw("ihl_past_frame", IfaceCounter.IP_RX_BAD_HEADER_LENGTH, () -> {
                    byte[] f = Arrays.copyOf(echoFrame(), 14 + 40);
                    f[14] = 0x4F;
                    return f;
                }),
                flaw("total_length_past_frame", IfaceCounter.IP_RX_BAD_TOTAL_LENGTH, () -> echoWithHeaderBytes(16, 0x05, 0xDC)),
                flaw("total_length_below_header", IfaceCounter.IP_RX_BAD_TOTAL_LENGTH, () -> echoWithHeaderBytes(16, 0, 19)),
                flaw("ip_header_checksum_wrong", IfaceCounter.IP_RX_BAD_CHECKSUM, () -> {
                    byte[] f = echoFrame();
                    f[24] ^= 0x01;
                    return f;
                }),
                flaw("ip_to_another_host", IfaceCounter.IP_RX_NOT_FOR_US, () -> Frames.ipv4(US_MAC, PEER_MAC, PEER,
                        0x0A_00_00_63, Ipv4Packet.PROTOCOL_ICMP, Frames.echoRequest(1, 1, 16))),
                flaw("ip_source_broadcast", IfaceCounter.IP_RX_BAD_SOURCE, () -> Frames.ipv4(US_MAC, PEER_MAC, 0xFFFF_FFFF,
                        US, Ipv4Packet.PROTOCOL_ICMP, Frames.echoRequest(1, 1, 16))),
                flaw("ip_source_loopback", IfaceCounter.IP_RX_BAD_SOURCE, () -> Frames.ipv4(US_MAC, PEER_MAC, 0x7F_00_00_01,
                        US, Ipv4Packet.PROTOCOL_ICMP, Frames.echoRequest(1, 1, 16))),
                flaw("ip_source_multicast", IfaceCounter.IP_RX_BAD_SOURCE, () -> Frames.ipv4(US_MAC, PEER_MAC, 0xE0_00_00_01,
                        US, Ipv4Packet.PROTOCOL_ICMP, Frames.echoRequest(1, 1, 16))),
                flaw("ip_source_is_our_address", IfaceCounter.IP_RX_BAD_SOURCE, () -> Frames.ipv4(US_MAC, PEER_MAC, US,
                        US, Ipv4Packet.PROTOCOL_ICMP, Frames.echoRequest(1, 1, 16))),
                flaw("ip_fragment_more_fragments", IfaceCounter.IP_RX_FRAGMENTS, () -> echoWithHeaderBytes(20, 0x20)),
                flaw("ip_fragment_nonzero_offset", IfaceCounter.IP_RX_FRAGMENTS, () -> echoWithHeaderBytes(21, 0x10)),
                flaw("icmp_truncated_7_bytes", IfaceCounter.ICMP_RX_TRUNCATED, () -> Frames.ipv4(US_MAC, PEER_MAC, PEER, US,
                        Ipv4Packet.PROTOCOL_ICMP, new byte[7])),
                flaw("icmp_bad_checksum", IfaceCounter.ICMP_RX_BAD_CHECKSUM, () -> {
                    byte[] icmp = Frames.echoRequest(1, 1, 16);
                    icmp[10] ^= 0x40;
                    return Frames.ipv4(US_MAC, PEER_MAC, PEER, US, Ipv4Packet.PROTOCOL_ICMP, icmp);
                }),
                flaw("icmp_odd_size_bad_checksum", IfaceCounter.ICMP_RX_BAD_CHECKSUM, () -> {
                    byte[] icmp = Frames.echoRequest(1, 1, 17);
                    icmp[8 + 16] ^= 0x01;
                    return Frames.ipv4(US_MAC, PEER_MAC, PEER, US, Ipv4Packet.PROTOCOL_ICMP, icmp);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flaws")
    void droppedAndCountedWithNoReplyAndNoStateChange(Supplier<byte[]> frame, IfaceCounter expected) {
        QueueFrameDevice device = new QueueFrameDevice(US_MAC);
        Interface iface = new Interface(StackConfig.builder().ipAddress(US, 24).build(), device);
        device.inject(frame.get());
        iface.poll(1_000_000_000L);
        assertEquals(1, iface.counters().get(expected), expected + " counted once");
        assertNull(device.takeSent(), "no reply to a malformed frame");
        assertEquals(0, iface.neighbors().used(), "nothing learned");
        assertEquals(0, iface.counters().get(IfaceCounter.INTERNAL_ERRORS));
        assertEquals(0, iface.counters().get(IfaceCounter.ICMP_TX_ECHO_REPLIES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flaws")
    void everyTruncationOfEveryFlawedFrameIsHandledWithoutInternalErrors(Supplier<byte[]> frame, IfaceCounter ignored) {
        QueueFrameDevice device = new QueueFrameDevice(US_MAC);
        Interface iface = new Interface(StackConfig.builder().ipAddress(US, 24).build(), device);
        byte[] full = frame.get();
        for (int length = 1; length <= full.length; length++) {
            device.inject(Arrays.copyOf(full, length));
            iface.poll(1_000_000_000L);
        }
        assertEquals(0, iface.counters().get(IfaceCounter.INTERNAL_ERRORS), String.valueOf(iface.lastInternalError()));
    }

}
