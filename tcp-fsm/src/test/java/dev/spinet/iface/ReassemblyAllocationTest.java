package dev.spinet.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.testkit.AllocationAssert;
import dev.spinet.testkit.QueueFrameDevice;
import dev.spinet.udp.UdpEchoService;
import dev.spinet.udp.UdpLayer;
import dev.spinet.wire.ArpPacket;
import dev.spinet.wire.Ipv4Packet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The reassembly paths allocate nothing: fragments in, the datagram delivered and echoed back in
 * fragments; an overlap abandoning a datagram; a hole timing out with its ICMP time exceeded.
 */
@Tag("allocation")
class ReassemblyAllocationTest {

    static final long SECOND = 1_000_000_000L;

    final QueueFrameDevice device = new QueueFrameDevice(ReassemblyTest.US_MAC).discardSent();
    final Interface iface = new Interface(StackConfig.builder().ipAddress(ReassemblyTest.US, 24)
            .ipReassembly(4, 8192, SECOND).build(), device);
    final UdpLayer udp = new UdpLayer(iface.config(), iface);
    long now = 5 * SECOND;

    ReassemblyAllocationTest() {
        iface.addTransport(udp);
        device.inject(Frames.arp(MacAddress.BROADCAST, ReassemblyTest.PEER_MAC, ArpPacket.OP_REQUEST, ReassemblyTest.PEER_MAC,
                ReassemblyTest.PEER, 0, ReassemblyTest.US));
        iface.poll(now);
    }

    private void injectAndPoll(byte[] frame) {
        device.injectWithoutCopy(frame);
        iface.poll(now);
    }

    @Test
    void aDatagramInThreeFragmentsEchoedBackInFragmentsAllocatesNothing() {
        UdpEchoService echo = new UdpEchoService(udp, ReassemblyTest.PORT);
        byte[] datagram = ReassemblyTest.udpDatagram(3000, 1);
        byte[] first = ReassemblyTest.fragment(1, datagram, 0, 1480, true);
        byte[] second = ReassemblyTest.fragment(1, datagram, 1480, 1480, true);
        byte[] last = ReassemblyTest.fragment(1, datagram, 2960, datagram.length - 2960, false);
        AllocationAssert.assertZeroAllocation("reassembly of three fragments and a fragmented echo", () -> {
            injectAndPoll(last);
            injectAndPoll(first);
            injectAndPoll(second);
        });
        assertTrue(echo.echoed() > 20_000, "echoed " + echo.echoed());
        assertEquals(3 * echo.echoed(), iface.counters().get(IfaceCounter.IP_TX_FRAGMENTS));
        assertEquals(0, iface.counters().get(IfaceCounter.INTERNAL_ERRORS));
    }

    @Test
    void aFragmentedPingAnsweredInFragmentsAllocatesNothing() {
        byte[] request = Frames.echoRequest(7, 1, 2000 - 8);
        byte[] first = ReassemblyTest.fragment(2, Ipv4Packet.PROTOCOL_ICMP, request, 0, 1480, true);
        byte[] last = ReassemblyTest.fragment(2, Ipv4Packet.PROTOCOL_ICMP, request, 1480, 520, false);
        AllocationAssert.assertZeroAllocation("fragmented echo request and reply", () -> {
            injectAndPoll(first);
            injectAndPoll(last);
        });
        assertTrue(iface.counters().get(IfaceCounter.ICMP_TX_ECHO_REPLIES) > 20_000);
    }

    @Test
    void overlapsAndTimeoutsAllocateNothing() {
        byte[] datagram = ReassemblyTest.udpDatagram(40, 2);
        byte[] forged = datagram.clone();
        forged[20] ^= 1;
        byte[] first = ReassemblyTest.fragment(3, datagram, 0, 24, true);
        byte[] overlapping = ReassemblyTest.fragment(3, forged, 16, 32, false);
        byte[] otherFirst = ReassemblyTest.fragment(4, datagram, 0, 24, true);
        AllocationAssert.assertZeroAllocation("overlap, abandoned slot, timeout with time exceeded", () -> {
            injectAndPoll(first);
            injectAndPoll(overlapping);
            injectAndPoll(otherFirst);
            now += SECOND;
            iface.poll(now);
        });
        long rounds = iface.counters().get(IfaceCounter.IP_REASM_DROP_OVERLAP);
        assertTrue(rounds > 20_000);
        assertEquals(rounds, iface.counters().get(IfaceCounter.ICMP_TX_TIME_EXCEEDED));
        assertEquals(0, iface.reassembly().slotsInUse());
    }
}
