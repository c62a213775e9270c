package dev.spinet.lab;

import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.TcpSegment;
import dev.spinet.wire.WireError;
import java.util.StringJoiner;

/**
 * The TCP header of one frame of a lab, read once so the report's drawings (ladder, plots) need
 * not parse bytes again. Sequence numbers are the raw 32-bit values on the wire.
 *
 * @param mss the MSS option's value, or -1 without one
 */
public record LabSegment(int source, int destination, int sourcePort, int destinationPort, int seq, int ack, int flags,
                         int window, int payloadLength, int mss) {

    /** The TCP segment in an Ethernet frame, or null when the frame is not IPv4 + TCP. */
    static LabSegment parse(byte[] frame, int offset, int length) {
        EthernetFrame ethernet = new EthernetFrame();
        Ipv4Packet ip = new Ipv4Packet();
        TcpSegment tcp = new TcpSegment();
        if (ethernet.wrap(frame, offset, length) != WireError.OK || ethernet.etherType() != EthernetFrame.TYPE_IPV4
                || ip.wrap(ethernet.buffer(), ethernet.payloadOffset(), ethernet.payloadLength()) != WireError.OK
                || ip.protocol() != TcpSegment.PROTOCOL || ip.isFragment()
                || tcp.wrap(ip.buffer(), ip.payloadOffset(), ip.payloadLength()) != WireError.OK) {
            return null;
        }
        return new LabSegment(ip.source(), ip.destination(), tcp.sourcePort(), tcp.destinationPort(), tcp.sequenceNumber(),
                tcp.acknowledgmentNumber(), tcp.flags(), tcp.window(), tcp.payloadLength(), tcp.mss() > 0 ? tcp.mss() : -1);
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Sequence space the segment occupies: its data, plus one for SYN and one for FIN. */
    public int sequenceLength() {
        return payloadLength + (has(TcpSegment.SYN) ? 1 : 0) + (has(TcpSegment.FIN) ? 1 : 0);
    }

    /** The flags as Wireshark names them, e.g. "SYN, ACK". */
    public String flagNames() {
        StringJoiner names = new StringJoiner(", ");
        if (has(TcpSegment.FIN)) {
            names.add("FIN");
        }
        if (has(TcpSegment.SYN)) {
            names.add("SYN");
        }
        if (has(TcpSegment.RST)) {
            names.add("RST");
        }
        if (has(TcpSegment.PSH)) {
            names.add("PSH");
        }
        if (has(TcpSegment.ACK)) {
            names.add("ACK");
        }
        return names.toString();
    }

    /** The connection this segment belongs to, the same key in both directions. */
    public String connectionKey() {
        long a = (source & 0xFFFF_FFFFL) << 16 | sourcePort;
        long b = (destination & 0xFFFF_FFFFL) << 16 | destinationPort;
        return Math.min(a, b) + "-" + Math.max(a, b);
    }
}
