package dev.spinet.iface;

import dev.spinet.wire.ArpPacket;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Packet;

/** Builds test frames with the wire writers (whose own golden-byte tests live in wire). */
final class Frames {

    private Frames() {
    }

    static byte[] arp(long ethDst, long ethSrc, int op, long senderMac, int senderIp, long targetMac, int targetIp) {
        byte[] f = new byte[60];
        EthernetFrame.writeHeader(f, 0, ethDst, ethSrc, EthernetFrame.TYPE_ARP);
        ArpPacket.write(f, 14, op, senderMac, senderIp, targetMac, targetIp);
        return f;
    }

    /** An IPv4 datagram with the given transport bytes, correct header checksum. */
    static byte[] ipv4(long ethDst, long ethSrc, int src, int dst, int protocol, byte[] transport) {
        byte[] f = new byte[14 + 20 + transport.length];
        EthernetFrame.writeHeader(f, 0, ethDst, ethSrc, EthernetFrame.TYPE_IPV4);
        Ipv4Packet.writeHeader(f, 14, 20 + transport.length, 0x1234, false, 64, protocol, src, dst);
        System.arraycopy(transport, 0, f, 34, transport.length);
        return f;
    }

    static byte[] echoRequest(int id, int seq, int dataBytes) {
        byte[] icmp = new byte[8 + dataBytes];
        IcmpPacket.writeEcho(icmp, 0, IcmpPacket.TYPE_ECHO_REQUEST, id, seq);
        for (int i = 0; i < dataBytes; i++) {
            icmp[8 + i] = (byte) (0xA0 + i);
        }
        IcmpPacket.writeChecksum(icmp, 0, icmp.length);
        return icmp;
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    static int u32(byte[] b, int off) {
        return u16(b, off) << 16 | u16(b, off + 2);
    }
}
