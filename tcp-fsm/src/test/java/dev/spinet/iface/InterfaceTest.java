package dev.spinet.iface;

import static dev.spinet.iface.Frames.u16;
import static dev.spinet.iface.Frames.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.testkit.QueueFrameDevice;
import dev.spinet.wire.ArpPacket;
import dev.spinet.wire.Checksum;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Packet;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InterfaceTest {

    static final long US_MAC = 0x02_00_00_00_00_02L;
    static final long PEER_MAC = 0x02_00_00_00_00_01L;
    static final int US = 0x0A_00_00_02;      // 10.0.0.2
    static final int PEER = 0x0A_00_00_01;    // 10.0.0.1
    static final int OTHER = 0x0A_00_00_63;   // 10.0.0.99
    static final long SECOND = 1_000_000_000L;

    final QueueFrameDevice device = new QueueFrameDevice(US_MAC);
    long now = 5 * SECOND;

    Interface stack(StackConfig.Builder builder) {
        return new Interface(builder.ipAddress(US, 24).build(), device);
    }

    Interface stack() {
        return stack(StackConfig.builder());
    }

    @Test
    void answersAnArpRequestForItsAddressWithAReplyFieldByField() {
        Interface iface = stack();
        device.inject(Frames.arp(MacAddress.BROADCAST, PEER_MAC, ArpPacket.OP_REQUEST, PEER_MAC, PEER, 0, US));
        assertEquals(1, iface.poll(now));
        byte[] reply = device.takeSent();
        assertNotNull(reply, "an ARP reply");
        assertEquals(PEER_MAC, MacAddress.read(reply, 0), "unicast back to the asker");
        assertEquals(US_MAC, MacAddress.read(reply, 6));
        assertEquals(0x0806, u16(reply, 12));
        assertEquals(1, u16(reply, 14), "htype Ethernet");
        assertEquals(0x0800, u16(reply, 16), "ptype IPv4");
        assertEquals(6, reply[18]);
        assertEquals(4, reply[19]);
        assertEquals(ArpPacket.OP_REPLY, u16(reply, 20));
        assertEquals(US_MAC, MacAddress.read(reply, 22), "sender = us");
        assertEquals(US, u32(reply, 28));
        assertEquals(PEER_MAC, MacAddress.read(reply, 32), "target = the asker");
        assertEquals(PEER, u32(reply, 38));
        assertEquals(1, iface.counters().get(IfaceCounter.ARP_TX_REPLIES));
        // RFC 826: a request for us teaches us the sender.
        assertEquals(PEER_MAC, iface.neighbors().lookup(PEER, now));
    }

    @Test
    void ignoresArpRequestsForOtherAddressesAndDoesNotCacheStrangers() {
        Interface iface = stack();
        device.inject(Frames.arp(MacAddress.BROADCAST, PEER_MAC, ArpPacket.OP_REQUEST, PEER_MAC, PEER, 0, OTHER));
        iface.poll(now);
        assertNull(device.takeSent());
        assertEquals(-1, iface.neighbors().lookup(PEER, now));
    }

    @Test
    void anUnconfiguredInterfaceDoesNotTakeArpProbesForConflicts() {
        Interface iface = stack();
        iface.configureAddress(0, 0, 0);
        // RFC 5227 probe: sender IP 0.0.0.0 asking who has 10.0.0.7.
        device.inject(Frames.arp(MacAddress.BROADCAST, PEER_MAC, ArpPacket.OP_REQUEST, PEER_MAC, 0, 0, 0x0A_00_00_07));
        iface.poll(now);
        assertEquals(0, iface.counters().get(IfaceCounter.ARP_ADDRESS_CONFLICT));
        assertNull(device.takeSent());
    }

    @Test
    void anAddressSetAtRunTimeIsAnnouncedWithAnArpRequestForItself() {
        Interface iface = stack();
        assertNull(device.takeSent(), "nothing at construction");
        iface.configureAddress(0x0A_00_00_33, 24, 0);
        byte[] announcement = device.takeSent();
        assertNotNull(announcement, "RFC 5227 announcement");
        assertEquals(MacAddress.BROADCAST, MacAddress.read(announcement, 0));
        assertEquals(ArpPacket.OP_REQUEST, u16(announcement, 20));
        assertEquals(0x0A_00_00_33, u32(announcement, 28), "sender IP = the new address");
        assertEquals(0x0A_00_00_33, u32(announcement, 38), "target IP = the new address");
        iface.configureAddress(0, 0, 0);
        assertNull(device.takeSent(), "giving the address up announces nothing");
        assertEquals(1, iface.counters().get(IfaceCounter.ARP_TX_ANNOUNCEMENTS));
    }

    @Test
    void unsolicitedArpRepliesDoNotCreateCacheEntries() {
        Interface iface = stack();
        device.inject(Frames.arp(US_MAC, PEER_MAC, ArpPacket.OP_REPLY, PEER_MAC, PEER, US_MAC, US));
        iface.poll(now);
        assertEquals(-1, iface.neighbors().lookup(PEER, now));
        assertEquals(1, iface.counters().get(IfaceCounter.ARP_RX_REPLIES));
    }

    @Test
    void answersEchoRequestsWithTheSameIdentifierSequenceAndData() {
        Interface iface = stack();
        byte[] request = Frames.echoRequest(0x4242, 7, 56);
        device.inject(Frames.ipv4(US_MAC, PEER_MAC, PEER, US, Ipv4Packet.PROTOCOL_ICMP, request));
        iface.poll(now);
        byte[] reply = device.takeSent();
        assertNotNull(reply, "an echo reply");
        assertEquals(PEER_MAC, MacAddress.read(reply, 0), "answered to the frame's source without ARP");
        assertEquals(0x45, reply[14] & 0xFF);
        assertEquals(20 + 64, u16(reply, 16));
        assertEquals(1, reply[23], "protocol ICMP");
        assertEquals(US, u32(reply, 26));
        assertEquals(PEER, u32(reply, 30));
        assertTrue(Checksum.verifies(Checksum.sum(reply, 14, 20)), "IP header checksum");
        assertEquals(IcmpPacket.TYPE_ECHO_REPLY, reply[34]);
        assertEquals(0, reply[35]);
        assertEquals(0x4242, u16(reply, 38));
        assertEquals(7, u16(reply, 40));
        assertArrayEquals(Arrays.copyOfRange(request, 8, 64), Arrays.copyOfRange(reply, 42, 98));
        assertTrue(Checksum.verifies(Checksum.sum(reply, 34, 64)), "ICMP checksum");
        assertEquals(1, iface.counters().get(IfaceCounter.ICMP_TX_ECHO_REPLIES));
    }

    /**
     * Odd-sized echo data (an odd byte count is where a checksum loop reads past the end or drops
     * the last byte): every size up to the largest unfragmented one is answered with the same
     * bytes and a valid checksum.
     */
    @ParameterizedTest(name = "{0} data bytes")
    @ValueSource(ints = {0, 1, 3, 57, 1471, 1472})
    void echoRequestsOfOddAndExtremeSizesAreAnsweredWithTheSameDataAndAValidChecksum(int dataBytes) {
        Interface iface = stack();
        byte[] request = Frames.echoRequest(0x0DD, 3, dataBytes);
        device.inject(Frames.ipv4(US_MAC, PEER_MAC, PEER, US, Ipv4Packet.PROTOCOL_ICMP, request));
        iface.poll(now);
        byte[] reply = device.takeSent();
        assertNotNull(reply, "an echo reply for " + dataBytes + " data bytes");
        int icmpLength = 8 + dataBytes;
        assertEquals(20 + icmpLength, u16(reply, 16), "IP total length");
        assertEquals(IcmpPacket.TYPE_ECHO_REPLY, reply[34]);
        assertArrayEquals(Arrays.copyOfRange(request, 8, icmpLength), Arrays.copyOfRange(reply, 42, 34 + icmpLength));
        assertTrue(Checksum.verifies(Checksum.sum(reply, 34, icmpLength)), "ICMP checksum over an odd length");
        assertEquals(0, iface.counters().get(IfaceCounter.ICMP_RX_BAD_CHECKSUM));
    }

    @Test
    void identificationWrapsAfter65536DatagramsInsteadOfFailing() {
        Interface iface = stack();
        byte[] request = Frames.ipv4(US_MAC, PEER_MAC, PEER, US, Ipv4Packet.PROTOCOL_ICMP, Frames.echoRequest(1, 1, 8));
        for (int i = 0; i < 70_000; i++) {
            device.inject(request);
            iface.poll(now);
            device.sent().clear();
        }
        assertEquals(70_000, iface.counters().get(IfaceCounter.ICMP_TX_ECHO_REPLIES), String.valueOf(iface.lastInternalError()));
        assertEquals(0, iface.counters().get(IfaceCounter.INTERNAL_ERRORS));
    }

    @Test
    void echoRequestsToBroadcastAreIgnored() {
        Interface iface = stack();
        device.inject(Frames.ipv4(MacAddress.BROADCAST, PEER_MAC, PEER, 0x0A_00_00_FF, Ipv4Packet.PROTOCOL_ICMP, Frames.echoRequest(1, 1, 8)));
        iface.poll(now);
        assertNull(device.takeSent());
        assertEquals(1, iface.counters().get(IfaceCounter.ICMP_RX_ECHO_BROADCAST_IGNORED));
    }

    @Test
    void echoRepliesAreRateLimitedWhenConfigured() {
        Interface iface = stack(StackConfig.builder().icmpEchoRepliesPerSecond(2));
        for (int i = 0; i < 5; i++) {
            device.inject(Frames.ipv4(US_MAC, PEER_MAC, PEER, US, Ipv4Packet.PROTOCOL_ICMP, Frames.echoRequest(1, i, 8)));
        }
        iface.poll(now);
        assertEquals(2, device.sent().size());
        assertEquals(3, iface.counters().get(IfaceCounter.ICMP_ECHO_RATE_LIMITED));
        device.sent().clear();
        device.inject(Frames.ipv4(US_MAC, PEER_MAC, PEER, US, Ipv4Packet.PROTOCOL_ICMP, Frames.echoRequest(1, 9, 8)));
        iface.poll(now + SECOND);
        assertEquals(1, device.sent().size(), "tokens refill after a second");
    }

    @Test
    void sendingToAnUnresolvedNeighborQueuesTheFrameAsksArpAndFlushesOnReply() {
        Interface iface = stack();
        assertTrue(iface.ping(PEER, 1, 1, 16, now));
        byte[] request = device.takeSent();
        assertNotNull(request);
        assertEquals(MacAddress.BROADCAST, MacAddress.read(request, 0));
        assertEquals(ArpPacket.OP_REQUEST, u16(request, 20));
        assertEquals(PEER, u32(request, 38));
        assertNull(device.takeSent(), "the echo waits for ARP");
        assertEquals(1, iface.pendingFrames().count());

        device.inject(Frames.arp(US_MAC, PEER_MAC, ArpPacket.OP_REPLY, PEER_MAC, PEER, US_MAC, US));
        iface.poll(now + 1000);
        byte[] echo = device.takeSent();
        assertNotNull(echo, "queued echo sent once resolved");
        assertEquals(PEER_MAC, MacAddress.read(echo, 0));
        assertEquals(IcmpPacket.TYPE_ECHO_REQUEST, echo[34]);
        assertEquals(0, iface.pendingFrames().count());
        assertEquals(1, iface.counters().get(IfaceCounter.ARP_PENDING_SENT));
    }

    @Test
    void unansweredArpIsRetriedThenTheWaitingFramesAreDroppedAndCounted() {
        Interface iface = stack(StackConfig.builder().arpRequests(SECOND, 3));
        iface.ping(PEER, 1, 1, 16, now);
        assertEquals(now + SECOND, iface.nextDeadline(now), "next ARP retry is the next deadline");
        iface.poll(now + SECOND);
        iface.poll(now + 2 * SECOND);
        assertEquals(3, iface.counters().get(IfaceCounter.ARP_TX_REQUESTS));
        iface.poll(now + 3 * SECOND);
        assertEquals(1, iface.counters().get(IfaceCounter.ARP_RESOLUTION_FAILED));
        assertEquals(1, iface.counters().get(IfaceCounter.ARP_PENDING_DROPPED));
        assertEquals(0, iface.pendingFrames().count());
        assertEquals(0, iface.neighbors().used());
    }

    @Test
    void pendingQueueOverflowIsCountedNotGrown() {
        Interface iface = stack(StackConfig.builder().arpPendingFrames(2));
        assertTrue(iface.ping(PEER, 1, 1, 16, now));
        assertTrue(iface.ping(PEER, 1, 2, 16, now));
        assertFalse(iface.ping(PEER, 1, 3, 16, now));
        assertEquals(1, iface.counters().get(IfaceCounter.ARP_PENDING_FULL));
    }

    @Test
    void offSubnetWithoutGatewayHasNoRoute() {
        Interface iface = stack();
        assertFalse(iface.ping(0xC0_A8_01_01, 1, 1, 16, now));
        assertEquals(1, iface.counters().get(IfaceCounter.IP_TX_NO_ROUTE));
    }

    @Test
    void offSubnetTrafficIsResolvedThroughTheGateway() {
        Interface iface = stack(StackConfig.builder().gateway(PEER));
        iface.ping(0xC0_A8_01_01, 1, 1, 16, now);
        byte[] request = device.takeSent();
        assertEquals(PEER, u32(request, 38), "ARP asks for the gateway, not the far host");
    }

    @Test
    void unknownProtocolGetsProtocolUnreachable() {
        Interface iface = stack();
        device.inject(Frames.ipv4(US_MAC, PEER_MAC, PEER, US, 253, new byte[12]));
        iface.neighbors().learn(PEER, PEER_MAC, now, new boolean[1]);
        iface.poll(now);
        byte[] reply = device.takeSent();
        assertNotNull(reply);
        assertEquals(IcmpPacket.TYPE_DEST_UNREACHABLE, reply[34]);
        assertEquals(2, reply[35], "code 2 = protocol unreachable");
        assertEquals(0x45, reply[42] & 0xFF, "quotes the offending IP header");
        assertEquals(1, iface.counters().get(IfaceCounter.IP_RX_UNKNOWN_PROTOCOL));
    }

    @Test
    void transportsGetTheirDatagramsWithAddresses() {
        Interface iface = stack();
        int[] seen = new int[4];
        iface.addTransport(new TransportLayer() {
            public int protocol() {
                return 17;
            }

            public void receive(int source, int destination, boolean broadcast, byte[] b, int off, int len, long t) {
                seen[0] = source;
                seen[1] = destination;
                seen[2] = len;
                seen[3] = b[off] & 0xFF;
            }

            public int poll(long t) {
                return 0;
            }

            public long nextDeadline(long t) {
                return t + Long.MAX_VALUE / 4;
            }
        });
        byte[] udp = {(byte) 0x99, 1, 2, 3, 4, 5, 6, 7, 8};
        device.inject(Frames.ipv4(US_MAC, PEER_MAC, PEER, US, 17, udp));
        iface.poll(now);
        assertArrayEquals(new int[] {PEER, US, 9, 0x99}, seen);
        assertThrows(IllegalStateException.class, () -> iface.addTransport(new TransportLayer() {
            public int protocol() {
                return 17;
            }

            public void receive(int s, int d, boolean b, byte[] x, int o, int l, long t) {
            }

            public int poll(long t) {
                return 0;
            }

            public long nextDeadline(long t) {
                return t;
            }
        }));
    }

    @Test
    void aFrameTooLongForTheBufferIsCounted() {
        Interface iface = stack();
        device.inject(new byte[4000]);
        iface.poll(now);
        assertEquals(1, iface.counters().get(IfaceCounter.RX_FRAME_TOO_LONG));
    }

    @Test
    void deviceRefusingATransmitIsCounted() {
        Interface iface = stack();
        device.refuseTransmit(true);
        device.inject(Frames.arp(MacAddress.BROADCAST, PEER_MAC, ArpPacket.OP_REQUEST, PEER_MAC, PEER, 0, US));
        iface.poll(now);
        assertEquals(1, iface.counters().get(IfaceCounter.TX_DEVICE_BUSY));
    }

    @Test
    void pingRejectsDataTooShortForItsTimestamp() {
        Interface iface = stack();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> iface.ping(PEER, 1, 1, 4, now));
        assertTrue(e.getMessage().contains("8-byte send time"));
    }
}
