package dev.spinet.iface;

import static dev.spinet.iface.Frames.u16;
import static dev.spinet.iface.Frames.u32;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.testkit.QueueFrameDevice;
import dev.spinet.udp.UdpLayer;
import dev.spinet.wire.ArpPacket;
import dev.spinet.wire.Checksum;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.UdpDatagram;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * IPv4 reassembly (RFC 791, RFC 815, RFC 5722's overlap rule) through a whole {@link Interface}
 * with a UDP layer: each test injects fragments built byte by byte and checks what is delivered,
 * what goes back on the wire and which counter moved.
 */
class ReassemblyTest {

    static final long US_MAC = 0x02_00_00_00_00_02L;
    static final long PEER_MAC = 0x02_00_00_00_00_01L;
    static final int US = 0x0A_00_00_02;
    static final int PEER = 0x0A_00_00_01;
    static final int PORT = 5000;
    static final long SECOND = 1_000_000_000L;

    final QueueFrameDevice device = new QueueFrameDevice(US_MAC);
    final List<byte[]> delivered = new ArrayList<>();
    long now = 5 * SECOND;
    Interface iface;
    UdpLayer udp;

    void start(StackConfig.Builder config) {
        iface = new Interface(config.ipAddress(US, 24).build(), device);
        udp = new UdpLayer(iface.config(), iface);
        iface.addTransport(udp);
        udp.open(PORT, false, (sourceIp, sourcePort, destinationIp, buffer, offset, length, nowNanos) ->
                delivered.add(Arrays.copyOfRange(buffer, offset, offset + length)));
        // The peer's MAC is known, so replies leave at once instead of waiting on ARP.
        device.inject(Frames.arp(MacAddress.BROADCAST, PEER_MAC, ArpPacket.OP_REQUEST, PEER_MAC, PEER, 0, US));
        iface.poll(now);
        device.sent().clear();
    }

    void start() {
        start(StackConfig.builder());
    }

    /** A UDP datagram (header with a valid checksum, then {@code dataLength} patterned bytes). */
    static byte[] udpDatagram(int dataLength, int seed) {
        byte[] datagram = new byte[UdpDatagram.HEADER_LENGTH + dataLength];
        for (int i = 0; i < dataLength; i++) {
            datagram[UdpDatagram.HEADER_LENGTH + i] = (byte) (i * 7 + seed);
        }
        UdpDatagram.writeHeader(datagram, 0, 4444, PORT, dataLength);
        UdpDatagram.writeChecksum(datagram, 0, datagram.length, PEER, US);
        return datagram;
    }

    /** One fragment frame: bytes [offset, offset + length) of {@code payload}, MF as given. */
    static byte[] fragment(int identification, byte[] payload, int offset, int length, boolean more) {
        return fragment(identification, Ipv4Packet.PROTOCOL_UDP, payload, offset, length, more);
    }

    static byte[] fragment(int identification, int protocol, byte[] payload, int offset, int length, boolean more) {
        byte[] frame = new byte[14 + 20 + length];
        EthernetFrame.writeHeader(frame, 0, US_MAC, PEER_MAC, EthernetFrame.TYPE_IPV4);
        int flags = (more ? Ipv4Packet.FLAG_MORE_FRAGMENTS : 0) | (offset / 8);
        Ipv4Packet.writeHeader(frame, 14, 20 + length, identification, flags, 64, protocol, PEER, US);
        System.arraycopy(payload, offset, frame, 34, length);
        return frame;
    }

    void inject(byte[] frame) {
        device.inject(frame);
        iface.poll(now);
    }

    long count(IfaceCounter counter) {
        return iface.counters().get(counter);
    }

    byte[] data(byte[] datagram) {
        return Arrays.copyOfRange(datagram, UdpDatagram.HEADER_LENGTH, datagram.length);
    }

    // ---- complete datagrams ----

    @Test
    void threeFragmentsInOrderAreDeliveredOnceAsOneDatagram() {
        start();
        byte[] datagram = udpDatagram(3000, 1);
        inject(fragment(77, datagram, 0, 1480, true));
        inject(fragment(77, datagram, 1480, 1480, true));
        assertEquals(0, delivered.size(), "not before the last fragment");
        inject(fragment(77, datagram, 2960, datagram.length - 2960, false));
        assertEquals(1, delivered.size());
        assertArrayEquals(data(datagram), delivered.get(0));
        assertEquals(3, count(IfaceCounter.IP_RX_FRAGMENTS));
        assertEquals(1, count(IfaceCounter.IP_REASM_COMPLETED));
        assertEquals(0, iface.reassembly().slotsInUse(), "the slot is free again");
        assertEquals(0, count(IfaceCounter.INTERNAL_ERRORS));
    }

    @Test
    void fragmentsInAnyOrderAreReassembled() {
        start();
        byte[] datagram = udpDatagram(100, 2); // 108 bytes: 0..48, 48..96, 96..108
        inject(fragment(1, datagram, 96, 12, false));
        inject(fragment(1, datagram, 0, 48, true));
        inject(fragment(1, datagram, 48, 48, true));
        assertEquals(1, delivered.size());
        assertArrayEquals(data(datagram), delivered.get(0));
    }

    @Test
    void twoDatagramsInterleavedAreKeptApartByIdentification() {
        start();
        byte[] a = udpDatagram(40, 3);
        byte[] b = udpDatagram(40, 9);
        inject(fragment(10, a, 0, 24, true));
        inject(fragment(11, b, 0, 24, true));
        inject(fragment(11, b, 24, 24, false));
        inject(fragment(10, a, 24, 24, false));
        assertEquals(2, delivered.size());
        assertArrayEquals(data(b), delivered.get(0));
        assertArrayEquals(data(a), delivered.get(1));
    }

    @Test
    void anExactDuplicateIsDroppedAloneAndTheDatagramCompletes() {
        start();
        byte[] datagram = udpDatagram(40, 4);
        inject(fragment(5, datagram, 0, 24, true));
        inject(fragment(5, datagram, 0, 24, true));
        assertEquals(1, count(IfaceCounter.IP_REASM_DUPLICATES));
        inject(fragment(5, datagram, 24, 24, false));
        inject(fragment(5, datagram, 24, 24, false)); // after completion: the start of a new datagram, which times out
        assertEquals(1, delivered.size());
        assertArrayEquals(data(datagram), delivered.get(0));
        assertEquals(0, count(IfaceCounter.IP_REASM_ABANDONED));
    }

    // ---- overlaps (RFC 5722) ----

    @Test
    void anOverlapWithOtherBytesDropsTheWholeDatagramAndItsLaterFragments() {
        start();
        byte[] datagram = udpDatagram(40, 5); // 48 bytes
        inject(fragment(6, datagram, 0, 24, true));
        byte[] forged = datagram.clone();
        forged[20] ^= 0x55; // second fragment starts at 16, over bytes 16..23 already held, with other data
        inject(fragment(6, forged, 16, 32, false));
        assertEquals(1, count(IfaceCounter.IP_REASM_DROP_OVERLAP));
        assertEquals(1, count(IfaceCounter.IP_REASM_ABANDONED));
        inject(fragment(6, datagram, 24, 24, false)); // the genuine rest can no longer complete it
        assertEquals(1, count(IfaceCounter.IP_REASM_DROP_ABANDONED));
        assertEquals(0, delivered.size());
        assertEquals(0, count(IfaceCounter.IP_REASM_COMPLETED));
    }

    @Test
    void anOverlapWithTheSameBytesButOtherBoundsIsStillAnOverlap() {
        start();
        byte[] datagram = udpDatagram(40, 6);
        inject(fragment(7, datagram, 0, 24, true));
        inject(fragment(7, datagram, 16, 32, false)); // same bytes, but reaches past what was held
        assertEquals(1, count(IfaceCounter.IP_REASM_DROP_OVERLAP));
        assertEquals(0, delivered.size());
    }

    @Test
    void anAbandonedDatagramsSlotIsFreedAtItsTimeoutAndTheIdentificationWorksAgain() {
        start(StackConfig.builder().ipReassembly(4, 8192, 2 * SECOND));
        byte[] datagram = udpDatagram(40, 7);
        inject(fragment(8, datagram, 0, 24, true));
        inject(fragment(8, datagram, 8, 8, true));
        assertEquals(1, iface.reassembly().slotsInUse(), "kept as a tombstone");
        now += 2 * SECOND;
        iface.poll(now);
        assertEquals(0, iface.reassembly().slotsInUse());
        assertEquals(0, count(IfaceCounter.IP_REASM_TIMEOUTS), "an abandoned datagram is not a timeout");
        assertNull(device.takeSent(), "no time exceeded for an abandoned datagram");
        inject(fragment(8, datagram, 0, 24, true));
        inject(fragment(8, datagram, 24, 24, false));
        assertEquals(1, delivered.size());
    }

    // ---- holes and timeouts ----

    @Test
    void aHoleTimesOutWithAnIcmpTimeExceededQuotingTheFirstFragment() {
        start(StackConfig.builder().ipReassembly(4, 8192, 3 * SECOND));
        byte[] datagram = udpDatagram(60, 8); // 68 bytes: 0..24 and 48..68 arrive, 24..48 never does
        byte[] first = fragment(9, datagram, 0, 24, true);
        inject(first);
        inject(fragment(9, datagram, 48, 20, false));
        assertEquals(now + 3 * SECOND, iface.nextDeadline(now), "the reassembly timeout is the next deadline");
        now += 3 * SECOND - 1;
        iface.poll(now);
        assertNull(device.takeSent(), "not yet");
        now += 1;
        iface.poll(now);
        assertEquals(1, count(IfaceCounter.IP_REASM_TIMEOUTS));
        assertEquals(0, delivered.size());
        byte[] reply = device.takeSent();
        assertNotNull(reply, "RFC 792 time exceeded");
        assertEquals(PEER_MAC, MacAddress.read(reply, 0));
        assertEquals(Ipv4Packet.PROTOCOL_ICMP, reply[14 + 9]);
        assertEquals(PEER, u32(reply, 14 + 16));
        int icmp = 34;
        assertEquals(IcmpPacket.TYPE_TIME_EXCEEDED, reply[icmp]);
        assertEquals(1, reply[icmp + 1], "code 1: fragment reassembly time exceeded");
        assertEquals(0, u32(reply, icmp + 4), "unused");
        assertArrayEquals(Arrays.copyOfRange(first, 14, 14 + 28), Arrays.copyOfRange(reply, icmp + 8, icmp + 36),
                "the first fragment's header and 8 bytes of its data");
        assertEquals(20 + 8 + 28, u16(reply, 16));
        assertTrue(Checksum.verifies(Checksum.sum(reply, icmp, 36)));
        assertEquals(1, count(IfaceCounter.ICMP_TX_TIME_EXCEEDED));
        assertEquals(0, iface.reassembly().slotsInUse());
    }

    @Test
    void aTimeoutWithoutTheFirstFragmentSendsNothing() {
        start(StackConfig.builder().ipReassembly(4, 8192, SECOND));
        byte[] datagram = udpDatagram(60, 9);
        inject(fragment(12, datagram, 24, 24, true));
        now += SECOND;
        iface.poll(now);
        assertEquals(1, count(IfaceCounter.IP_REASM_TIMEOUTS));
        assertNull(device.takeSent());
    }

    // ---- exhaustion and limits ----

    @Test
    void whenEverySlotIsBusyTheDatagramThatStartedFirstIsEvicted() {
        start(StackConfig.builder().ipReassembly(2, 8192, 30 * SECOND));
        byte[] a = udpDatagram(40, 10);
        byte[] b = udpDatagram(40, 11);
        byte[] c = udpDatagram(40, 12);
        inject(fragment(1, a, 0, 24, true));
        now += 1;
        inject(fragment(2, b, 0, 24, true));
        now += 1;
        inject(fragment(3, c, 0, 24, true)); // no slot free: a (the oldest) goes
        assertEquals(1, count(IfaceCounter.IP_REASM_EVICTED));
        assertEquals(2, iface.reassembly().slotsInUse());
        inject(fragment(1, a, 24, 24, false)); // starts a again, without its first half
        assertEquals(2, count(IfaceCounter.IP_REASM_EVICTED), "and evicts b, now the oldest");
        inject(fragment(3, c, 24, 24, false));
        assertEquals(1, delivered.size());
        assertArrayEquals(data(c), delivered.get(0));
    }

    @Test
    void aFragmentReachingPast65535BytesIsDroppedAndAbandonsItsDatagram() {
        start(StackConfig.builder().ipReassembly(4, StackConfig.MAX_IP_PAYLOAD, 30 * SECOND));
        byte[] datagram = udpDatagram(40, 13);
        inject(fragment(20, datagram, 0, 24, true));
        byte[] big = new byte[65520 + 32];
        // 65512 + 32 = 65544 payload bytes: 20 + 65544 is past the 16-bit total length.
        inject(fragment(20, big, 8189 * 8, 32, false));
        assertEquals(1, count(IfaceCounter.IP_REASM_DROP_OVERSIZE));
        assertEquals(1, count(IfaceCounter.IP_REASM_ABANDONED));
        assertEquals(0, delivered.size());
    }

    @Test
    void theLargestLegalDatagramStillFitsAtTheLimit() {
        start(StackConfig.builder().ipReassembly(1, StackConfig.MAX_IP_PAYLOAD, 30 * SECOND).udpSockets(2));
        byte[] datagram = udpDatagram(StackConfig.MAX_UDP_DATA, 14); // 65515 payload bytes: total length 65535
        for (int at = 0; at < datagram.length; at += 1480) {
            int size = Math.min(1480, datagram.length - at);
            inject(fragment(21, datagram, at, size, at + size < datagram.length));
        }
        assertEquals(0, count(IfaceCounter.IP_REASM_DROP_OVERSIZE));
        assertEquals(1, delivered.size());
        assertArrayEquals(data(datagram), delivered.get(0));
    }

    @Test
    void aFragmentBeyondTheSlotCapacityIsDroppedAndItsDatagramAbandoned() {
        start(StackConfig.builder().ipReassembly(4, 1024, 30 * SECOND));
        byte[] datagram = udpDatagram(2000, 15);
        inject(fragment(22, datagram, 0, 1000, true));
        inject(fragment(22, datagram, 1000, 1008, false));
        assertEquals(1, count(IfaceCounter.IP_REASM_DROP_TOO_BIG));
        inject(fragment(22, datagram, 0, 1000, true));
        assertEquals(1, count(IfaceCounter.IP_REASM_DROP_ABANDONED));
        assertEquals(0, delivered.size());
    }

    @Test
    void malformedFragmentsAreCountedAndDropped() {
        start();
        byte[] datagram = udpDatagram(40, 16);
        inject(fragment(23, datagram, 0, 20, true)); // not a multiple of 8 with MF set
        inject(fragment(23, datagram, 8, 0, true)); // empty
        assertEquals(2, count(IfaceCounter.IP_REASM_DROP_BAD_FRAGMENT));
        assertEquals(0, iface.reassembly().slotsInUse());
    }

    @Test
    void aLastFragmentThatDisagreesWithAnotherAbandonsTheDatagram() {
        start();
        byte[] datagram = udpDatagram(60, 17);
        inject(fragment(24, datagram, 32, 24, true)); // data up to 56
        inject(fragment(24, datagram, 8, 8, false)); // "ends at 16"
        assertEquals(1, count(IfaceCounter.IP_REASM_DROP_INCONSISTENT));
        byte[] longer = Arrays.copyOf(datagram, 80);
        inject(fragment(25, longer, 40, 28, false)); // another datagram ends at 68
        inject(fragment(25, longer, 64, 8, true)); // MF data at 64..72, past that end
        assertEquals(2, count(IfaceCounter.IP_REASM_DROP_INCONSISTENT));
        assertEquals(2, count(IfaceCounter.IP_REASM_ABANDONED));
    }

    @Test
    void reassemblyOffDropsEveryFragment() {
        start(StackConfig.builder().ipReassembly(0, 8192, 30 * SECOND));
        byte[] datagram = udpDatagram(40, 18);
        inject(fragment(26, datagram, 0, 24, true));
        inject(fragment(26, datagram, 24, 24, false));
        assertEquals(2, count(IfaceCounter.IP_REASM_DROP_DISABLED));
        assertEquals(0, delivered.size());
    }

    @Test
    void aFragmentForAProtocolNobodyHandlesIsDroppedBeforeTakingASlot() {
        start();
        inject(fragment(27, 99, new byte[48], 0, 24, true));
        assertEquals(1, count(IfaceCounter.IP_RX_UNKNOWN_PROTOCOL));
        assertEquals(0, iface.reassembly().slotsInUse());
        assertNull(device.takeSent(), "no protocol unreachable for a fragment");
    }

    @Test
    void theConfigurationRefusesOutOfRangeReassemblySizesWithAMessage() {
        IllegalArgumentException slots = assertThrows(IllegalArgumentException.class,
                () -> StackConfig.builder().ipReassembly(65, 8192, SECOND).build());
        assertTrue(slots.getMessage().contains("ipReassembly slots must be 0..64"), slots.getMessage());
        IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class,
                () -> StackConfig.builder().ipReassembly(4, 575, SECOND).build());
        assertTrue(bytes.getMessage().contains("576"), bytes.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> StackConfig.builder().ipReassembly(4, 8192, 0).build());
        assertTrue(timeout.getMessage().contains("timeout"), timeout.getMessage());
    }

    // ---- sending in fragments ----

    @Test
    void aFragmentedEchoRequestIsAnsweredInFragmentsWithTheSameData() {
        start();
        byte[] request = Frames.echoRequest(0x4242, 3, 3000 - 8);
        inject(fragment(30, Ipv4Packet.PROTOCOL_ICMP, request, 0, 1480, true));
        inject(fragment(30, Ipv4Packet.PROTOCOL_ICMP, request, 1480, 1480, true));
        inject(fragment(30, Ipv4Packet.PROTOCOL_ICMP, request, 2960, 40, false));
        byte[] reply = reassembleSent(3);
        assertEquals(3000, reply.length);
        assertEquals(IcmpPacket.TYPE_ECHO_REPLY, reply[0]);
        assertEquals(0x4242, u16(reply, 4));
        assertEquals(3, u16(reply, 6));
        assertArrayEquals(Arrays.copyOfRange(request, 8, 3000), Arrays.copyOfRange(reply, 8, 3000));
        assertTrue(Checksum.verifies(Checksum.sum(reply, 0, reply.length)), "ICMP checksum over the whole reply");
        assertEquals(1, count(IfaceCounter.ICMP_TX_ECHO_REPLIES));
    }

    @Test
    void aUdpDatagramLongerThanAFrameLeavesInFragmentsOf1480Bytes() {
        start();
        int handle = udp.open(6000, false, (a, b, c, d, e, f, g) -> { });
        byte[] data = new byte[4000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 13);
        }
        assertTrue(udp.send(handle, PEER, 7, data, 0, data.length, now));
        List<byte[]> frames = new ArrayList<>(device.sent());
        assertEquals(3, frames.size());
        int identification = u16(frames.get(0), 18);
        int[] totalLengths = {1500, 1500, 20 + 4008 - 2960};
        for (int i = 0; i < 3; i++) {
            byte[] frame = frames.get(i);
            assertEquals(totalLengths[i], u16(frame, 16), "total length of fragment " + i);
            assertEquals(identification, u16(frame, 18), "one identification for all fragments");
            int flags = u16(frame, 20);
            assertEquals(i < 2 ? Ipv4Packet.FLAG_MORE_FRAGMENTS : 0, flags & 0xE000, "MF on all but the last");
            assertEquals(i * 1480 / 8, flags & 0x1FFF, "offset in 8-byte units");
            assertTrue(Checksum.verifies(Checksum.sum(frame, 14, 20)), "header checksum");
        }
        byte[] datagram = reassembleSent(3);
        assertEquals(4008, datagram.length);
        assertEquals(6000, u16(datagram, 0));
        assertEquals(7, u16(datagram, 2));
        assertEquals(4008, u16(datagram, 4));
        assertArrayEquals(data, Arrays.copyOfRange(datagram, 8, datagram.length));
        long sum = Checksum.pseudoHeaderSum(US, PEER, Ipv4Packet.PROTOCOL_UDP, datagram.length) + Checksum.sum(datagram, 0, datagram.length);
        assertTrue(Checksum.verifies(sum), "UDP checksum over the whole datagram");
        assertEquals(3, count(IfaceCounter.IP_TX_FRAGMENTS));
        assertEquals(1, count(IfaceCounter.IP_TX_FRAGMENTED_DATAGRAMS));
    }

    @Test
    void aFragmentedDatagramWaitsForArpWholeOrIsDroppedWhole() {
        iface = new Interface(StackConfig.builder().ipAddress(US, 24).arpPendingFrames(4).build(), device);
        udp = new UdpLayer(iface.config(), iface);
        iface.addTransport(udp);
        int handle = udp.open(6000, false, (a, b, c, d, e, f, g) -> { });
        assertTrue(udp.send(handle, PEER, 7, new byte[4000], 0, 4000, now), "3 fragments fit the 4 pending frames");
        assertEquals(3, iface.pendingFrames().count());
        assertEquals(false, udp.send(handle, PEER, 7, new byte[4000], 0, 4000, now), "3 more do not fit the 1 left");
        assertEquals(3, iface.pendingFrames().count(), "none of the second datagram's fragments was queued");
        assertEquals(1, count(IfaceCounter.ARP_PENDING_FULL));
    }

    /** Puts the payloads of the last {@code fragments} frames sent back together by their offsets. */
    private byte[] reassembleSent(int fragments) {
        List<byte[]> frames = new ArrayList<>(device.sent());
        assertEquals(fragments, frames.size(), "fragments sent");
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            int offset = (u16(frame, 20) & 0x1FFF) * 8;
            assertEquals(whole.size(), offset, "fragments leave in order");
            whole.write(frame, 34, u16(frame, 16) - 20);
        }
        device.sent().clear();
        return whole.toByteArray();
    }
}
