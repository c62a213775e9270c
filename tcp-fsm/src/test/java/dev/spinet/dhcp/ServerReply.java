package dev.spinet.dhcp;

import dev.spinet.hal.eth.MacAddress;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.UdpDatagram;
import java.util.Arrays;

/** Builds a server's reply frame for client unit tests (header, options, then UDP/IPv4/Ethernet). */
final class ServerReply {

    static final long SERVER_MAC = 0x02_00_00_00_00_01L;

    private final byte[] dhcp = new byte[600];
    private int at;
    private int sourcePort = DhcpMessage.SERVER_PORT;

    ServerReply(int type, int xid, int yiaddr, long chaddr) {
        at = DhcpMessage.writeHeader(dhcp, 0, DhcpMessage.OP_BOOTREPLY, xid, 0, DhcpMessage.FLAG_BROADCAST, 0, yiaddr, 0, chaddr);
        at = DhcpMessage.putByteOption(dhcp, at, DhcpMessage.OPTION_MESSAGE_TYPE, type);
    }

    ServerReply option(int code, int value) {
        at = DhcpMessage.putIntOption(dhcp, at, code, value);
        return this;
    }

    ServerReply bytes(int code, byte... value) {
        at = DhcpMessage.putBytesOption(dhcp, at, code, value, 0, value.length);
        return this;
    }

    ServerReply header(int index, int value) {
        dhcp[index] = (byte) value;
        return this;
    }

    ServerReply sourcePort(int port) {
        this.sourcePort = port;
        return this;
    }

    /** The whole frame, broadcast from {@code serverIp}. */
    byte[] frame(int serverIp) {
        return frame(serverIp, 0xFFFF_FFFF, MacAddress.BROADCAST);
    }

    byte[] frame(int serverIp, int destinationIp, long destinationMac) {
        int length = DhcpMessage.putEndAndPad(dhcp, 0, at);
        byte[] f = new byte[42 + length];
        EthernetFrame.writeHeader(f, 0, destinationMac, SERVER_MAC, EthernetFrame.TYPE_IPV4);
        Ipv4Packet.writeHeader(f, 14, 28 + length, 1, false, 64, Ipv4Packet.PROTOCOL_UDP, serverIp, destinationIp);
        UdpDatagram.writeHeader(f, 34, sourcePort, DhcpMessage.CLIENT_PORT, length);
        System.arraycopy(dhcp, 0, f, 42, length);
        UdpDatagram.writeChecksum(f, 34, 8 + length, serverIp, destinationIp);
        return f;
    }

    byte[] dhcpBytes() {
        return Arrays.copyOf(dhcp, DhcpMessage.putEndAndPad(dhcp.clone(), 0, at));
    }
}
