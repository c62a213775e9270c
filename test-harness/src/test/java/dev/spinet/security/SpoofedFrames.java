package dev.spinet.security;

import dev.spinet.hal.eth.MacAddress;
import dev.spinet.wire.ArpPacket;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.TcpSegment;

/**
 * Frames an attacker sends the device, each kept in one preallocated array that every call
 * rewrites in place: handed to a {@code QueueFrameDevice} without copying, a flood of them
 * allocates nothing, so the allocation tests measure only the device's stack.
 */
final class SpoofedFrames {

    private static final int IP = EthernetFrame.HEADER_LENGTH;
    private static final int TCP = IP + 20;
    /** TCP header with the MSS option: a SYN as every real client sends it (RFC 9293 3.7.1). */
    private static final int TCP_HEADER_WITH_MSS = 24;

    private final byte[] syn = new byte[TCP + TCP_HEADER_WITH_MSS];
    private final byte[] arp = new byte[EthernetFrame.HEADER_LENGTH + ArpPacket.LENGTH];

    /** A SYN from {@code source:sourcePort} with ISN {@code isn} to the device's port 80, MSS 1460. */
    byte[] syn(int source, int sourcePort, int isn) {
        EthernetFrame.writeHeader(syn, 0, HostileLan.DUT_MAC, HostileLan.ATTACKER_MAC, EthernetFrame.TYPE_IPV4);
        Ipv4Packet.writeHeader(syn, IP, 20 + TCP_HEADER_WITH_MSS, 1, true, 64, Ipv4Packet.PROTOCOL_TCP, source, HostileLan.DUT_IP);
        TcpSegment.writeHeader(syn, TCP, sourcePort, 80, isn, 0, TcpSegment.SYN, 65535);
        TcpSegment.writeMssOption(syn, TCP + 20, 1460);
        TcpSegment.setDataOffset(syn, TCP, TCP_HEADER_WITH_MSS);
        TcpSegment.writeChecksum(syn, TCP, TCP_HEADER_WITH_MSS, source, HostileLan.DUT_IP);
        return syn;
    }

    /** A broadcast ARP request from {@code source} at {@code mac} asking for the device's address. */
    byte[] arpRequest(int source, long mac) {
        EthernetFrame.writeHeader(arp, 0, MacAddress.BROADCAST, mac, EthernetFrame.TYPE_ARP);
        ArpPacket.write(arp, IP, ArpPacket.OP_REQUEST, mac, source, 0, HostileLan.DUT_IP);
        return arp;
    }

    /** An ARP reply to the device: {@code source} is at {@code mac}. */
    byte[] arpReply(int source, long mac) {
        EthernetFrame.writeHeader(arp, 0, HostileLan.DUT_MAC, mac, EthernetFrame.TYPE_ARP);
        ArpPacket.write(arp, IP, ArpPacket.OP_REPLY, mac, source, HostileLan.DUT_MAC, HostileLan.DUT_IP);
        return arp;
    }
}
