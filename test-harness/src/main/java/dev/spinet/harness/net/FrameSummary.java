package dev.spinet.harness.net;

import dev.spinet.hal.eth.MacAddress;
import dev.spinet.wire.ArpPacket;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.TcpSegment;
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
    private final TcpSegment tcp = new TcpSegment();
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
        if (protocol == TcpSegment.PROTOCOL && describers[protocol] == null) {
            return describeTcp();
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

    /** tcpdump's format: {@code IP a.p > b.q: Flags [S.], seq 1, ack 2, win 512, options [...], length 0}. */
    private String describeTcp() {
        String route = "IP " + Ipv4Packet.formatAddress(ip.source());
        WireError error = tcp.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength());
        if (error != WireError.OK) {
            return route + " > " + Ipv4Packet.formatAddress(ip.destination()) + ": TCP, malformed (" + error + ")";
        }
        StringBuilder text = new StringBuilder(96).append(route).append('.').append(tcp.sourcePort()).append(" > ")
                .append(Ipv4Packet.formatAddress(ip.destination())).append('.').append(tcp.destinationPort())
                .append(": Flags [").append(tcpFlags(tcp.flags())).append("], seq ");
        int length = tcp.payloadLength();
        long seq = tcp.sequenceNumber() & 0xFFFF_FFFFL;
        text.append(seq);
        if (length > 0) {
            text.append(':').append((seq + length) & 0xFFFF_FFFFL);
        }
        if (tcp.hasFlag(TcpSegment.ACK)) {
            text.append(", ack ").append(tcp.acknowledgmentNumber() & 0xFFFF_FFFFL);
        }
        text.append(", win ").append(tcp.window());
        StringBuilder options = new StringBuilder();
        if (tcp.mss() > 0) {
            options.append("mss ").append(tcp.mss());
        }
        if (tcp.windowScale() >= 0) {
            options.append(options.length() > 0 ? "," : "").append("wscale ").append(tcp.windowScale());
        }
        if (tcp.sackPermitted()) {
            options.append(options.length() > 0 ? "," : "").append("sackOK");
        }
        if (tcp.hasTimestamps()) {
            options.append(options.length() > 0 ? "," : "").append("TS val ").append(tcp.timestampValue() & 0xFFFF_FFFFL)
                    .append(" ecr ").append(tcp.timestampEcho() & 0xFFFF_FFFFL);
        }
        if (options.length() > 0) {
            text.append(", options [").append(options).append(']');
        }
        return text.append(", length ").append(length).toString();
    }

    /** tcpdump's flag letters: S F R P U, '.' for ACK, E W for ECN. */
    public static String tcpFlags(int flags) {
        StringBuilder text = new StringBuilder(8);
        if ((flags & TcpSegment.SYN) != 0) {
            text.append('S');
        }
        if ((flags & TcpSegment.FIN) != 0) {
            text.append('F');
        }
        if ((flags & TcpSegment.RST) != 0) {
            text.append('R');
        }
        if ((flags & TcpSegment.PSH) != 0) {
            text.append('P');
        }
        if ((flags & TcpSegment.URG) != 0) {
            text.append('U');
        }
        if ((flags & TcpSegment.ECE) != 0) {
            text.append('E');
        }
        if ((flags & TcpSegment.CWR) != 0) {
            text.append('W');
        }
        if ((flags & TcpSegment.ACK) != 0) {
            text.append('.');
        }
        return text.length() == 0 ? "none" : text.toString();
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
