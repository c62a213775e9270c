package dev.spinet.lab;

import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.TcpSegment;

/**
 * A TCP segment the lab studio puts on the wire in a board's name (a SYN or an RST the student
 * injects): Ethernet, IPv4 and a TCP header without options or data, checksums filled in.
 */
final class InjectedSegment {

    private static final int TTL = 64;

    private InjectedSegment() {
    }

    static byte[] frame(Side from, int sourcePort, int destinationPort, int seq, int ack, int flags, int window) {
        int source = from == Side.A ? LabRun.ADDRESS_A : LabRun.ADDRESS_B;
        int destination = from == Side.A ? LabRun.ADDRESS_B : LabRun.ADDRESS_A;
        int ipLength = Ipv4Packet.MIN_HEADER_LENGTH + TcpSegment.HEADER_LENGTH;
        byte[] frame = new byte[EthernetFrame.HEADER_LENGTH + ipLength];
        int ip = EthernetFrame.writeHeader(frame, 0, LabRun.mac(from.other()), LabRun.mac(from), EthernetFrame.TYPE_IPV4);
        int tcp = ip + Ipv4Packet.writeHeader(frame, ip, ipLength, 0, true, TTL, TcpSegment.PROTOCOL, source, destination);
        TcpSegment.writeHeader(frame, tcp, sourcePort, destinationPort, seq, ack, flags, window);
        TcpSegment.writeChecksum(frame, tcp, TcpSegment.HEADER_LENGTH, source, destination);
        return frame;
    }
}
