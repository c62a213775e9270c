package dev.spinet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.iface.IfaceCounter;
import dev.spinet.iface.Interface;
import dev.spinet.tcp.scenario.BulkTransfer;
import dev.spinet.tcp.scenario.FaultModel;
import dev.spinet.tcp.scenario.TcpLink;
import dev.spinet.testkit.AllocationAssert;
import dev.spinet.testkit.QueueFrameDevice;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.TcpSegment;
import dev.spinet.wire.WireError;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The ICMP-to-TCP path allocates nothing: frames through the interface's checks to a connection
 * (accepted soft errors, every kind of rejection, source quench, a "fragmentation needed" that
 * changes nothing), and path MTU lowering with its immediate resend in a bulk transfer.
 */
@Tag("allocation")
class IcmpErrorAllocationTest {

    static final long US_MAC = 0x02_00_00_00_00_02L;
    static final long PEER_MAC = 0x02_00_00_00_00_01L;
    static final int US = 0x0A_00_00_02;
    static final int PEER = 0x0A_00_00_01;

    /** An ICMP error frame from PEER about a TCP segment we sent to PEER from {@code localPort} to {@code remotePort}. */
    static byte[] icmpError(int type, int code, int mtu, int quotedSource, int localPort, int remotePort, int seq, int quotedTcpOctets) {
        byte[] frame = new byte[14 + 20 + 8 + 20 + quotedTcpOctets];
        int icmp = 34;
        int quote = icmp + 8;
        Ipv4Packet.writeHeader(frame, quote, 1500, 7, true, 64, TcpSegment.PROTOCOL, quotedSource, PEER);
        byte[] tcp = {(byte) (localPort >>> 8), (byte) localPort, (byte) (remotePort >>> 8), (byte) remotePort,
                (byte) (seq >>> 24), (byte) (seq >>> 16), (byte) (seq >>> 8), (byte) seq};
        System.arraycopy(tcp, 0, frame, quote + 20, Math.min(8, quotedTcpOctets));
        IcmpPacket.writeHeader(frame, icmp, type, code, mtu);
        IcmpPacket.writeChecksum(frame, icmp, frame.length - icmp);
        EthernetFrame.writeHeader(frame, 0, US_MAC, PEER_MAC, EthernetFrame.TYPE_IPV4);
        Ipv4Packet.writeHeader(frame, 14, frame.length - 14, 9, false, 64, Ipv4Packet.PROTOCOL_ICMP, PEER, US);
        return frame;
    }

    @Test
    void icmpErrorsThroughTheInterfaceToAConnectionAllocateNothing() {
        QueueFrameDevice device = new QueueFrameDevice(US_MAC);
        StackConfig config = StackConfig.builder().ipAddress(US, 24).tcpSecret(3).build();
        Interface iface = new Interface(config, device);
        TcpLayer tcp = new TcpLayer(config, iface);
        iface.addTransport(tcp);
        long now = 5_000_000_000L;
        iface.neighbors().learn(PEER, PEER_MAC, now, new boolean[1]);
        int c = tcp.connect(PEER, 80, new TcpHandler() { });
        iface.poll(now);
        byte[] syn = device.takeSent();
        TcpSegment view = new TcpSegment();
        assertEquals(WireError.OK, view.wrap(syn, 34, syn.length - 34));
        int port = view.sourcePort();
        int iss = view.sequenceNumber();
        device.discardSent();
        byte[][] frames = {
                icmpError(3, 1, 0, US, port, 80, iss, 8),          // host unreachable: a soft error in SYN-SENT
                icmpError(3, 3, 0, US, port, 80, iss + 7, 8),      // port unreachable outside the flight: invalid
                icmpError(3, 3, 0, US, port + 1, 80, iss, 8),      // no such connection
                icmpError(11, 0, 0, US, port, 80, iss, 8),         // time exceeded: soft
                icmpError(4, 0, 0, US, port, 80, iss, 8),          // source quench: ignored
                icmpError(3, 4, 1400, US, port, 80, iss, 8),       // fragmentation needed: lowers once, then ignored
                icmpError(3, 13, 0, US + 5, port, 80, iss, 8),     // quote from another source: the interface drops it
                icmpError(3, 3, 0, US, port, 80, iss, 4),          // 4 octets of TCP: the interface drops it
        };
        AllocationAssert.assertZeroAllocation("ICMP errors to a connection (soft, invalid, unknown, quench, PMTU, bad quotes)", () -> {
            for (byte[] frame : frames) {
                device.injectWithoutCopy(frame);
            }
            iface.poll(now);
        });
        assertEquals(TcpState.SYN_SENT, tcp.state(c));
        assertEquals(IcmpError.TIME_EXCEEDED, tcp.softError(c));
        assertEquals(1400, tcp.pathMtu(c));
        long rounds = tcp.counters().get(TcpCounter.ICMP_SOURCE_QUENCH_IGNORED);
        assertTrue(rounds > 20_000, "rounds: " + rounds);
        assertEquals(2 * rounds, tcp.counters().get(TcpCounter.ICMP_SOFT_ERRORS));
        assertEquals(rounds, tcp.counters().get(TcpCounter.ICMP_TCP_ERROR_INVALID));
        assertEquals(rounds, tcp.counters().get(TcpCounter.ICMP_TCP_ERROR_NO_CONNECTION));
        assertEquals(rounds - 1, tcp.counters().get(TcpCounter.PMTU_IGNORED));
        assertEquals(2 * rounds, iface.counters().get(IfaceCounter.ICMP_RX_ERROR_BAD_QUOTE));
        assertEquals(0, tcp.counters().get(TcpCounter.INTERNAL_ERROR));
        assertEquals(0, iface.counters().get(IfaceCounter.INTERNAL_ERRORS));
    }

    @Test
    void pathMtuLoweringAndTheImmediateResendAllocateNothing() {
        StackConfig a = TcpAllocationTest.config(TcpLink.ADDRESS_A);
        StackConfig b = TcpAllocationTest.config(TcpLink.ADDRESS_B);
        TcpLink link = TcpAllocationTest.link(a, b, FaultModel.perfect(100_000), FaultModel.perfect(100_000));
        BulkTransfer transfer = new BulkTransfer(link, Long.MAX_VALUE / 4, 16 * 1024);
        transfer.start(7000);
        link.advance(10_000_000L);
        byte[] quote = new byte[8];
        int[] fullMss = {0};
        Runnable step = () -> {
            transfer.pumpApplications();
            link.step(1_000_000L);
            Tcb sender = link.a.tcbs.byHandle(transfer.client.handle);
            if (sender == null || sender.sndMax == sender.sndUna || sender.persistArmed) {
                return;
            }
            if (fullMss[0] == 0) {
                fullMss[0] = sender.sndMss;
            }
            // Every step starts from the interface's MTU again (what a PMTU raise would do), so
            // every report lowers the estimate and sends the flight again in the smaller size.
            sender.pathMtu = 1500;
            sender.sndMss = fullMss[0];
            quote[0] = (byte) (sender.localPort >>> 8);
            quote[1] = (byte) sender.localPort;
            quote[2] = (byte) (sender.remotePort >>> 8);
            quote[3] = (byte) sender.remotePort;
            quote[4] = (byte) (sender.sndUna >>> 24);
            quote[5] = (byte) (sender.sndUna >>> 16);
            quote[6] = (byte) (sender.sndUna >>> 8);
            quote[7] = (byte) sender.sndUna;
            link.a.receiveIcmpError(3, 4, 1400, TcpLink.ADDRESS_B, 1500, quote, 0, 8, link.now());
        };
        AllocationAssert.assertZeroAllocation("path MTU lowered and the flight resent at once", step);
        assertTrue(link.a.counters().get(TcpCounter.PMTU_RETRANSMISSIONS) > 20_000,
                "resends: " + link.a.counters().get(TcpCounter.PMTU_RETRANSMISSIONS));
        assertTrue(transfer.server.read > 1_000_000, "data flowed: " + transfer.server.read);
        assertEquals(0, link.a.counters().get(TcpCounter.INTERNAL_ERROR));
        assertEquals(0, link.a.counters().get(TcpCounter.SEND_RANGE_OUTSIDE_RING));
    }
}
