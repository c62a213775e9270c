package dev.spinet.hal.linux;

/**
 * Recognises a pure TCP acknowledgment in an Ethernet frame: an unfragmented IPv4 datagram
 * carrying a TCP segment with no payload and none of SYN, FIN or RST (RFC 9293 3.1: the data
 * offset gives the header length; the IPv4 total length minus both headers is the payload).
 * Such a frame carries nothing an application waits for; only the peer's sender does, so it may
 * leave through the TAP's transmit thread ({@link TapDevice}) without lengthening a round trip.
 * Reads the caller's array only; allocates nothing.
 */
final class PureAck {

    private static final int ETHERNET_HEADER_LENGTH = 14;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int IP_PROTOCOL_TCP = 6;
    /** TCP flags FIN, SYN and RST (RFC 9293 3.1, the low three bits of byte 13). */
    private static final int FIN_SYN_RST = 0x07;
    private static final int ACK = 0x10;

    private PureAck() {
    }

    /** Whether {@code frame[offset, offset + length)} is a pure TCP/IPv4 acknowledgment. */
    static boolean test(byte[] frame, int offset, int length) {
        if (length < ETHERNET_HEADER_LENGTH + 40
                || (((frame[offset + 12] & 0xFF) << 8) | (frame[offset + 13] & 0xFF)) != ETHERTYPE_IPV4) {
            return false;
        }
        int ip = offset + ETHERNET_HEADER_LENGTH;
        int versionAndLength = frame[ip] & 0xFF;
        int ipHeader = (versionAndLength & 0x0F) * 4;
        int fragment = ((frame[ip + 6] & 0x3F) << 8) | (frame[ip + 7] & 0xFF); // MF and the offset
        if ((versionAndLength >> 4) != 4 || ipHeader < 20 || fragment != 0 || (frame[ip + 9] & 0xFF) != IP_PROTOCOL_TCP
                || ETHERNET_HEADER_LENGTH + ipHeader + 20 > length) {
            return false;
        }
        int tcp = ip + ipHeader;
        int totalLength = ((frame[ip + 2] & 0xFF) << 8) | (frame[ip + 3] & 0xFF);
        int tcpHeader = ((frame[tcp + 12] & 0xFF) >> 4) * 4;
        int flags = frame[tcp + 13] & 0xFF;
        return totalLength - ipHeader - tcpHeader == 0 && (flags & FIN_SYN_RST) == 0 && (flags & ACK) != 0;
    }
}
