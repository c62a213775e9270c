package dev.spinet.lab;

import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.TcpSegment;
import dev.spinet.wire.WireError;

/**
 * Which TCP segments a lab rule applies to: flags that must be set, flags that must be clear,
 * and whether the segment carries data. Matches Ethernet frames holding IPv4 + TCP only; ARP and
 * ICMP never match, so a rule dropping "everything TCP" still lets ARP resolve addresses.
 *
 * <pre>{@code
 * TcpMatch.flags(SYN).without(ACK)   // a bare SYN
 * TcpMatch.pureAck()                 // ACK only, no data, no SYN/FIN/RST
 * TcpMatch.anyTcp()                  // every TCP segment
 * }</pre>
 */
public final class TcpMatch {

    private static final int CONTROL = TcpSegment.SYN | TcpSegment.FIN | TcpSegment.RST;

    private final int required;
    private final int forbidden;
    /** -1 any, 0 no payload, 1 payload. */
    private final int payload;
    private final String description;

    private final EthernetFrame ethernet = new EthernetFrame();
    private final Ipv4Packet ip = new Ipv4Packet();
    private final TcpSegment tcp = new TcpSegment();

    private TcpMatch(int required, int forbidden, int payload, String description) {
        this.required = required;
        this.forbidden = forbidden;
        this.payload = payload;
        this.description = description;
    }

    /** Every TCP segment. */
    public static TcpMatch anyTcp() {
        return new TcpMatch(0, 0, -1, "any TCP segment");
    }

    /** Segments with at least these flags set (TcpSegment.SYN, ACK, FIN, RST...). */
    public static TcpMatch flags(int required) {
        return new TcpMatch(required, 0, -1, "[" + flagText(required) + "]");
    }

    /** A pure acknowledgment: ACK set, no SYN, FIN or RST, no data. */
    public static TcpMatch pureAck() {
        return new TcpMatch(TcpSegment.ACK, CONTROL, 0, "pure ACK");
    }

    /** Segments carrying data (with any flags). */
    public static TcpMatch data() {
        return new TcpMatch(0, 0, 1, "data segment");
    }

    /** The same match with these flags required to be clear. */
    public TcpMatch without(int flags) {
        return new TcpMatch(required, forbidden | flags, payload, description + " without [" + flagText(flags) + "]");
    }

    /** The same match restricted to segments without data. */
    public TcpMatch noData() {
        return new TcpMatch(required, forbidden, 0, description + " without data");
    }

    public boolean matches(byte[] frame, int offset, int length) {
        if (ethernet.wrap(frame, offset, length) != WireError.OK || ethernet.etherType() != EthernetFrame.TYPE_IPV4) {
            return false;
        }
        if (ip.wrap(frame, ethernet.payloadOffset(), ethernet.payloadLength()) != WireError.OK
                || ip.protocol() != TcpSegment.PROTOCOL || ip.isFragment()) {
            return false;
        }
        if (tcp.wrap(frame, ip.payloadOffset(), ip.payloadLength()) != WireError.OK) {
            return false;
        }
        int flags = tcp.flags();
        if ((flags & required) != required || (flags & forbidden) != 0) {
            return false;
        }
        return payload < 0 || (payload == 0) == (tcp.payloadLength() == 0);
    }

    private static String flagText(int flags) {
        StringBuilder text = new StringBuilder();
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG"};
        int[] bits = {TcpSegment.FIN, TcpSegment.SYN, TcpSegment.RST, TcpSegment.PSH, TcpSegment.ACK, TcpSegment.URG};
        for (int i = 0; i < bits.length; i++) {
            if ((flags & bits[i]) != 0) {
                text.append(text.length() > 0 ? "," : "").append(names[i]);
            }
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return description;
    }
}
