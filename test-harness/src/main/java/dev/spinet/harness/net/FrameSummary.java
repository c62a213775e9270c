package dev.spinet.harness.net;

import dev.spinet.hal.eth.MacAddress;
import dev.spinet.wire.ArpPacket;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.UdpDatagram;
import dev.spinet.wire.WireError;

/**
 * One-line, tcpdump-like descriptions of frames for timelines, traces and the demo. Allocates
 * (it builds strings): for people, never for the packet path. Transport layers beyond ICMP and
 * UDP are described by a {@link TransportDescriber} plugged in by whoever knows them (TCP).
 */
public final class FrameSummary {

    /** Describes one transport protocol's payload: return null to fall back to a generic line. */
    @FunctionalInterface
    public interface TransportDescriber {
        String describe(int source, int destination, byte[] buffer, int offset, int length);
    }

    private final EthernetFrame ethernet = new EthernetFrame();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final IcmpPacket icmp = new IcmpPacket();
    private final UdpDatagram udp = new UdpDatagram();
    private final TransportDescriber[] describers = new TransportDescriber[256];

    /** Uses {@code describer} for IPv4 protocol {@code protocol} (e.g. 6 for TCP). */
    public FrameSummary with(int protocol, TransportDescriber describer) {
        describers[protocol] = describer;
        return this;
    }

    public String describe(byte[] frame, int offset, int length) {
        if (ethernet.wrap(frame, offset, length) != WireError.OK) {
            return "runt frame, " + length + " bytes";
        }
        int type = ethernet.etherType();
        if (type == EthernetFrame.TYPE_ARP) {
            return describeArp();
        }
        if (type == EthernetFrame.TYPE_IPV4) {
            return describeIpv4();
        }
        return String.format("%s > %s ethertype 0x%04x, length %d", MacAddress.format(ethernet.source()),
                MacAddress.format(ethernet.destination()), type, length);
    }

    private String describeArp() {
        WireError error = arp.wrap(ethernet.buffer(), ethernet.payloadOffset(), ethernet.payloadLength());
        if (error != WireError.OK) {
            return "ARP, malformed (" + error + ")";
        }
        if (arp.operation() == ArpPacket.OP_REQUEST) {
            return "ARP, Request who-has " + Ipv4Packet.formatAddress(arp.targetIp()) + " tell "
                    + Ipv4Packet.formatAddress(arp.senderIp());
        }
        if (arp.operation() == ArpPacket.OP_REPLY) {
            return "ARP, Reply " + Ipv4Packet.formatAddress(arp.senderIp()) + " is-at " + MacAddress.format(arp.senderMac());
        }
        return "ARP, operation " + arp.operation();
    }

    private String describeIpv4() {
        WireError error = ip.wrap(ethernet.buffer(), ethernet.payloadOffset(), ethernet.payloadLength());
        if (error != WireError.OK) {
            return "IP, malformed (" + error + ")";
        }
        String route = "IP " + Ipv4Packet.formatAddress(ip.source()) + " > " + Ipv4Packet.formatAddress(ip.destination());
        if (ip.isFragment()) {
            return route + ": fragment offset " + ip.fragmentOffset() + (ip.moreFragments() ? " +" : "");
        }
        int protocol = ip.protocol();
        if (protocol == Ipv4Packet.PROTOCOL_ICMP) {
            return route + ": " + describeIcmp();
        }
        if (protocol == Ipv4Packet.PROTOCOL_UDP && udp.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength()) == WireError.OK) {
            return "IP " + Ipv4Packet.formatAddress(ip.source()) + "." + udp.sourcePort() + " > "
                    + Ipv4Packet.formatAddress(ip.destination()) + "." + udp.destinationPort() + ": UDP, length " + udp.payloadLength();
        }
        TransportDescriber describer = describers[protocol];
        if (describer != null) {
            String text = describer.describe(ip.source(), ip.destination(), ip.buffer(), ip.payloadOffset(), ip.payloadLength());
            if (text != null) {
                return text;
            }
        }
        return route + ": protocol " + protocol + ", length " + ip.payloadLength();
    }

    private String describeIcmp() {
        WireError error = icmp.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength());
        if (error != WireError.OK) {
            return "ICMP, malformed (" + error + ")";
        }
        return switch (icmp.type()) {
            case IcmpPacket.TYPE_ECHO_REQUEST -> "ICMP echo request, id " + icmp.identifier() + ", seq " + icmp.sequence()
                    + ", length " + ip.payloadLength();
            case IcmpPacket.TYPE_ECHO_REPLY -> "ICMP echo reply, id " + icmp.identifier() + ", seq " + icmp.sequence()
                    + ", length " + ip.payloadLength();
            case IcmpPacket.TYPE_DEST_UNREACHABLE -> "ICMP destination unreachable, code " + icmp.code();
            default -> "ICMP type " + icmp.type() + ", code " + icmp.code();
        };
    }
}
