package dev.spinet.iface;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.testkit.QueueFrameDevice;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Packet;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * ICMP errors (RFC 792, RFC 1122 3.2.2) reach the transport whose datagram they quote, and only
 * when the quote is a datagram this host sent; and the DF flag a transport asks for is the one sent.
 */
class IcmpErrorDispatchTest {

    static final long US_MAC = 0x02_00_00_00_00_02L;
    static final long ROUTER_MAC = 0x02_00_00_00_00_01L;
    static final int US = 0x0A_00_00_02;       // 10.0.0.2
    static final int ROUTER = 0x0A_00_00_01;   // 10.0.0.1
    static final int FAR = 0xC0_A8_07_09;      // 192.168.7.9

    final QueueFrameDevice device = new QueueFrameDevice(US_MAC);
    final Interface iface = new Interface(StackConfig.builder().ipAddress(US, 24).gateway(ROUTER).build(), device);
    final Recorder tcp = new Recorder(6);
    final long now = 5_000_000_000L;

    IcmpErrorDispatchTest() {
        iface.addTransport(tcp);
    }

    /** What a TCP layer would be handed. */
    static final class Recorder implements TransportLayer {
        final int protocol;
        int calls;
        int type;
        int code;
        int restOfHeader;
        int quotedDestination;
        int quotedTotalLength;
        byte[] quote;

        Recorder(int protocol) {
            this.protocol = protocol;
        }

        @Override
        public int protocol() {
            return protocol;
        }

        @Override
        public void receive(int source, int destination, boolean broadcast, byte[] buffer, int offset, int length, long nowNanos) {
        }

        @Override
        public void receiveIcmpError(int type, int code, int restOfHeader, int quotedDestination, int quotedTotalLength,
                                     byte[] buffer, int offset, int length, long nowNanos) {
            calls++;
            this.type = type;
            this.code = code;
            this.restOfHeader = restOfHeader;
            this.quotedDestination = quotedDestination;
            this.quotedTotalLength = quotedTotalLength;
            this.quote = Arrays.copyOfRange(buffer, offset, offset + length);
        }

        @Override
        public int poll(long nowNanos) {
            return 0;
        }

        @Override
        public long nextDeadline(long nowNanos) {
            return nowNanos + Long.MAX_VALUE / 4;
        }
    }

    /** The IPv4 header of a 1500-byte TCP datagram we sent to FAR, and the first 8 octets of its TCP header. */
    static byte[] quotedDatagram() {
        byte[] quote = new byte[28];
        Ipv4Packet.writeHeader(quote, 0, 1500, 0x4242, true, 63, 6, US, FAR);
        byte[] tcp = {(byte) 0xC0, 0x01, 0x00, 0x50, 0x12, 0x34, 0x56, 0x78};
        System.arraycopy(tcp, 0, quote, 20, 8);
        return quote;
    }

    /** An ICMP error from the router to {@code destination} quoting {@code quote}, checksum correct. */
    static byte[] icmpError(int destination, int type, int code, int restOfHeader, byte[] quote) {
        byte[] icmp = new byte[8 + quote.length];
        IcmpPacket.writeHeader(icmp, 0, type, code, restOfHeader);
        System.arraycopy(quote, 0, icmp, 8, quote.length);
        IcmpPacket.writeChecksum(icmp, 0, icmp.length);
        return Frames.ipv4(destination == -1 ? MacAddress.BROADCAST : US_MAC, ROUTER_MAC, ROUTER, destination, 1, icmp);
    }

    @Test
    void fragmentationNeededReachesTheTransportWithTheQuotedDatagramAndTheMtu() {
        device.inject(icmpError(US, 3, 4, 1280, quotedDatagram()));
        iface.poll(now);
        assertEquals(1, tcp.calls);
        assertEquals(3, tcp.type);
        assertEquals(4, tcp.code);
        assertEquals(1280, tcp.restOfHeader & 0xFFFF);
        assertEquals(FAR, tcp.quotedDestination);
        assertEquals(1500, tcp.quotedTotalLength);
        assertArrayEquals(Arrays.copyOfRange(quotedDatagram(), 20, 28), tcp.quote);
        assertEquals(1, iface.counters().get(IfaceCounter.ICMP_RX_ERRORS));
        assertNull(device.takeSent(), "no ICMP about an ICMP error (RFC 1122 3.2.2)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorTypes")
    void everyErrorTypeIsHandedOn(String name, int type, int code) {
        device.inject(icmpError(US, type, code, 0, quotedDatagram()));
        iface.poll(now);
        assertEquals(1, tcp.calls);
        assertEquals(type, tcp.type);
        assertEquals(code, tcp.code);
    }

    static Stream<Arguments> errorTypes() {
        return Stream.of(Arguments.of("host unreachable", 3, 1), Arguments.of("port unreachable", 3, 3),
                Arguments.of("administratively prohibited", 3, 13), Arguments.of("source quench", 4, 0),
                Arguments.of("time exceeded", 11, 0), Arguments.of("parameter problem", 12, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badQuotes")
    void anErrorWhoseQuoteIsNoDatagramOfOursIsDroppedAndCounted(String name, Consumer<byte[]> flaw, int keep, IfaceCounter counter) {
        byte[] quote = Arrays.copyOf(quotedDatagram(), keep);
        flaw.accept(quote);
        device.inject(icmpError(US, 3, 3, 0, quote));
        iface.poll(now);
        assertEquals(0, tcp.calls);
        assertEquals(1, iface.counters().get(counter));
        assertEquals(0, iface.counters().get(IfaceCounter.ICMP_RX_ERRORS));
        assertNull(device.takeSent());
    }

    static Stream<Arguments> badQuotes() {
        Consumer<byte[]> none = q -> { };
        return Stream.of(
                Arguments.of("7 octets of TCP", none, 27, IfaceCounter.ICMP_RX_ERROR_BAD_QUOTE),
                Arguments.of("IP header only", none, 20, IfaceCounter.ICMP_RX_ERROR_BAD_QUOTE),
                Arguments.of("nothing quoted", none, 0, IfaceCounter.ICMP_RX_ERROR_BAD_QUOTE),
                Arguments.of("IPv6 version", (Consumer<byte[]>) q -> q[0] = 0x65, 28, IfaceCounter.ICMP_RX_ERROR_BAD_QUOTE),
                Arguments.of("IHL 4", (Consumer<byte[]>) q -> q[0] = 0x44, 28, IfaceCounter.ICMP_RX_ERROR_BAD_QUOTE),
                Arguments.of("IHL 6, no room for 8 octets after it", (Consumer<byte[]>) q -> q[0] = 0x46, 28,
                        IfaceCounter.ICMP_RX_ERROR_BAD_QUOTE),
                Arguments.of("another source", (Consumer<byte[]>) q -> q[15] = 3, 28, IfaceCounter.ICMP_RX_ERROR_BAD_QUOTE),
                Arguments.of("a later fragment", (Consumer<byte[]>) q -> q[7] = (byte) 185, 28, IfaceCounter.ICMP_RX_ERROR_BAD_QUOTE),
                Arguments.of("UDP, no UDP here", (Consumer<byte[]>) q -> q[9] = 17, 28, IfaceCounter.ICMP_RX_ERROR_NO_TRANSPORT));
    }

    @Test
    void anErrorSentToBroadcastIsDroppedAndCounted() {
        device.inject(icmpError(-1, 3, 3, 0, quotedDatagram()));
        iface.poll(now);
        assertEquals(0, tcp.calls);
        assertEquals(1, iface.counters().get(IfaceCounter.ICMP_RX_ERROR_BROADCAST));
    }

    @Test
    void anErrorWithABadChecksumNeverReachesTheTransport() {
        byte[] frame = icmpError(US, 3, 3, 0, quotedDatagram());
        frame[34 + 2] ^= 1;
        device.inject(frame);
        iface.poll(now);
        assertEquals(0, tcp.calls);
        assertEquals(1, iface.counters().get(IfaceCounter.ICMP_RX_BAD_CHECKSUM));
    }

    @Test
    void theDontFragmentFlagIsTheTransportsChoice() {
        iface.neighbors().learn(ROUTER, ROUTER_MAC, now, new boolean[1]);
        byte[] buffer = iface.transmitBuffer();
        Arrays.fill(buffer, iface.transportOffset(), iface.transportOffset() + 20, (byte) 0);
        assertTrue(iface.send(FAR, 6, 20, true, now));
        byte[] withDf = device.takeSent();
        assertTrue(iface.send(FAR, 6, 20, false, now));
        byte[] withoutDf = device.takeSent();
        assertTrue(iface.send(FAR, 17, 20, now));
        byte[] plain = device.takeSent();
        assertNotNull(plain);
        assertEquals(0x40, withDf[20] & 0xE0, "DF set (RFC 791 flags, bit 1)");
        assertEquals(0, withoutDf[20] & 0xE0);
        assertEquals(0, plain[20] & 0xE0);
    }
}
