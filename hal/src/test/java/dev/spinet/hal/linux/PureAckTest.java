package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link PureAck} against frames laid out field by field from RFC 791 (IPv4 header: IHL, total
 * length, flags and fragment offset, protocol) and RFC 9293 3.1 (TCP header: data offset, the
 * control bits URG ACK PSH RST SYN FIN in byte 13).
 */
class PureAckTest {

    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int RST = 0x04;
    private static final int SYN = 0x02;
    private static final int FIN = 0x01;

    /** An Ethernet + IPv4 + TCP frame: IPv4 header of {@code ipWords} words, TCP of {@code tcpWords}, {@code payload} bytes. */
    private static byte[] frame(int ipWords, int tcpWords, int payload, int flags) {
        int ipLength = ipWords * 4;
        int tcpLength = tcpWords * 4;
        byte[] frame = new byte[14 + ipLength + tcpLength + payload];
        frame[12] = 0x08; // EtherType IPv4
        frame[14] = (byte) (0x40 | ipWords);
        int total = ipLength + tcpLength + payload;
        frame[16] = (byte) (total >> 8);
        frame[17] = (byte) total;
        frame[20] = 0x40; // DF, offset 0
        frame[22] = 64;
        frame[23] = 6; // TCP
        int tcp = 14 + ipLength;
        frame[tcp + 12] = (byte) (tcpWords << 4);
        frame[tcp + 13] = (byte) flags;
        return frame;
    }

    private static boolean test(byte[] frame) {
        return PureAck.test(frame, 0, frame.length);
    }

    @Test
    void anAckWithoutPayloadIsPure() {
        assertTrue(test(frame(5, 5, 0, ACK)));
        assertTrue(test(frame(5, 5, 0, ACK | PSH)));
        assertTrue(test(frame(5, 8, 0, ACK)), "with SACK or timestamp options");
        assertTrue(test(frame(6, 5, 0, ACK)), "with an IPv4 option");
    }

    @Test
    void aSegmentCarryingDataOrAControlBitIsNot() {
        assertFalse(test(frame(5, 5, 1, ACK)), "one byte of data");
        assertFalse(test(frame(5, 5, 0, ACK | FIN)));
        assertFalse(test(frame(5, 5, 0, ACK | SYN)));
        assertFalse(test(frame(5, 5, 0, ACK | RST)));
        assertFalse(test(frame(5, 5, 0, RST)));
        assertFalse(test(frame(5, 5, 0, 0)), "no ACK bit");
    }

    @Test
    void paddingToTheEthernetMinimumIsNoPayload() {
        byte[] ack = frame(5, 5, 0, ACK);
        byte[] padded = java.util.Arrays.copyOf(ack, 60);
        assertTrue(test(padded), "the IPv4 total length, not the frame length, says how long the segment is");
    }

    @Test
    void otherFramesAreNot() {
        byte[] arp = frame(5, 5, 0, ACK);
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertFalse(test(arp), "ARP");
        byte[] udp = frame(5, 5, 0, ACK);
        udp[23] = 17;
        assertFalse(test(udp), "UDP");
        byte[] fragment = frame(5, 5, 0, ACK);
        fragment[20] = 0x20; // MF
        assertFalse(test(fragment), "a first fragment");
        byte[] ipv6 = frame(5, 5, 0, ACK);
        ipv6[14] = 0x65;
        assertFalse(test(ipv6), "version 6 in an IPv4 EtherType");
        byte[] truncated = java.util.Arrays.copyOf(frame(5, 5, 0, ACK), 50);
        assertFalse(test(truncated), "shorter than the two headers");
    }

    @Test
    void theFrameMayStartInsideTheArray() {
        byte[] ack = frame(5, 5, 0, ACK);
        byte[] shifted = new byte[ack.length + 7];
        System.arraycopy(ack, 0, shifted, 7, ack.length);
        assertTrue(PureAck.test(shifted, 7, ack.length));
    }
}
