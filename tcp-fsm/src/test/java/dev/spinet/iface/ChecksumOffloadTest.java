package dev.spinet.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.DeviceCapabilities;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.FrameDeviceDecorator;
import dev.spinet.tcp.TcpCounter;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.scenario.MemoryEthernet;
import dev.spinet.wire.Checksum;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.TcpSegment;
import org.junit.jupiter.api.Test;

/**
 * Checksum offload is a device capability ({@link DeviceCapabilities}) the stack obeys: what it
 * leaves out on transmit (the IPv4 header checksum, all of the TCP checksum but the pseudo-header
 * sum, Linux's CHECKSUM_PARTIAL) and what it stops checking on receive, and that a stack on a
 * device without the capability still checks both.
 */
class ChecksumOffloadTest {

    static final int CLIENT = 0x0A00_0001;
    static final int SERVER = 0x0A00_0002;
    static final int L3 = 14;
    static final int L4 = 34;

    static StackConfig config(int address) {
        return StackConfig.builder().ipAddress(address, 24).tcpSecret(address).build();
    }

    /** The client's device declares {@code capabilities}; the rest of the link is as built. */
    static FrameDevice declaring(FrameDevice device, DeviceCapabilities capabilities) {
        return new FrameDeviceDecorator(device) {
            @Override
            public DeviceCapabilities capabilities() {
                return capabilities;
            }
        };
    }

    /** Polls both until the client's first TCP frame (the SYN, after ARP) waits at the server's end. */
    static byte[] firstTcpFrame(Stack client, Stack server, MemoryEthernet link) {
        byte[] frame = new byte[1514];
        long now = 1_000_000_000L;
        for (int i = 0; i < 10; i++) {
            client.poll(now);
            int length = link.b.peek(frame);
            if (length > L4 && frame[12] == 0x08 && frame[13] == 0 && frame[L3 + 9] == TcpSegment.PROTOCOL) {
                return java.util.Arrays.copyOf(frame, length);
            }
            server.poll(now); // answers the ARP request
            now += 1_000_000L;
        }
        throw new AssertionError("the client sent no TCP frame");
    }

    @Test
    void offloadedTransmitLeavesTheIpv4ChecksumZeroAndTheTcpChecksumAsThePseudoHeaderSum() {
        MemoryEthernet link = new MemoryEthernet(16, 1514, DeviceCapabilities.CHECKSUMS_OFFLOADED);
        Stack client = new Stack(config(CLIENT), link.a);
        Stack server = new Stack(config(SERVER), link.b);
        client.tcp().connect(SERVER, 80, new TcpHandler() {
        });
        byte[] syn = firstTcpFrame(client, server, link);
        int tcpLength = syn.length - L4;

        assertEquals(0, ((syn[L3 + 10] & 0xFF) << 8) | (syn[L3 + 11] & 0xFF), "IPv4 header checksum left to the device");
        int field = ((syn[L4 + 16] & 0xFF) << 8) | (syn[L4 + 17] & 0xFF);
        assertEquals(Checksum.partial(CLIENT, SERVER, TcpSegment.PROTOCOL, tcpLength), field,
                "the TCP checksum field holds the folded pseudo-header sum (CHECKSUM_PARTIAL)");

        // What a device does with it: sum from the TCP header on, seed included, and complement.
        int completed = Checksum.finish(Checksum.sum(syn, L4, tcpLength));
        syn[L4 + 16] = (byte) (completed >>> 8);
        syn[L4 + 17] = (byte) completed;
        Ipv4Packet.writeHeaderChecksum(syn, L3);
        TcpSegment segment = new TcpSegment();
        segment.wrap(syn, L4, tcpLength);
        assertTrue(segment.checksumValid(CLIENT, SERVER), "the completed checksum is RFC 9293's");
        assertNotEquals(field, completed);
    }

    @Test
    void aReceiverThatTrustsItsDeviceAcceptsSegmentsWhoseChecksumsWereLeftToTheDevice() {
        MemoryEthernet link = new MemoryEthernet(16, 1514, DeviceCapabilities.CHECKSUMS_OFFLOADED);
        Stack client = new Stack(config(CLIENT), link.a);
        Stack server = new Stack(config(SERVER), link.b);
        int[] accepted = {-1};
        server.tcp().listen(80, 1, new TcpHandler() {
            @Override
            public void onAccepted(int listener, int connection) {
                accepted[0] = connection;
            }
        });
        int connection = client.tcp().connect(SERVER, 80, new TcpHandler() {
        });
        long now = 1_000_000_000L;
        for (int i = 0; i < 20; i++) {
            client.poll(now);
            server.poll(now);
            now += 1_000_000L;
        }
        assertEquals(TcpState.ESTABLISHED, client.tcp().state(connection));
        assertTrue(accepted[0] >= 0);
        assertEquals(0, server.tcp().counters().get(TcpCounter.DROP_BAD_CHECKSUM));
    }

    @Test
    void aReceiverWithoutTheCapabilityDropsADatagramWhoseIpv4ChecksumWasLeftToTheDevice() {
        MemoryEthernet link = new MemoryEthernet(16, 1514, DeviceCapabilities.NONE);
        Stack client = new Stack(config(CLIENT), declaring(link.a, new DeviceCapabilities(true, false, false, false)));
        Stack server = new Stack(config(SERVER), link.b);
        server.tcp().listen(80, 1, new TcpHandler() {
        });
        int connection = client.tcp().connect(SERVER, 80, new TcpHandler() {
        });
        runBoth(client, server);
        assertTrue(server.iface().counters().get(IfaceCounter.IP_RX_BAD_CHECKSUM) > 0);
        assertEquals(TcpState.SYN_SENT, client.tcp().state(connection));
    }

    @Test
    void aReceiverWithoutTheCapabilityDropsASegmentWhoseTcpChecksumWasLeftToTheDevice() {
        MemoryEthernet link = new MemoryEthernet(16, 1514, DeviceCapabilities.NONE);
        Stack client = new Stack(config(CLIENT), declaring(link.a, new DeviceCapabilities(false, true, false, false)));
        Stack server = new Stack(config(SERVER), link.b);
        server.tcp().listen(80, 1, new TcpHandler() {
        });
        int connection = client.tcp().connect(SERVER, 80, new TcpHandler() {
        });
        runBoth(client, server);
        assertTrue(server.tcp().counters().get(TcpCounter.DROP_BAD_CHECKSUM) > 0);
        assertEquals(0, server.iface().counters().get(IfaceCounter.IP_RX_BAD_CHECKSUM));
        assertEquals(TcpState.SYN_SENT, client.tcp().state(connection));
    }

    @Test
    void aFrameItsDeviceVerifiedIsAcceptedWithThePseudoHeaderSumAlone() {
        // A Linux TAP hands a NEEDS_CSUM segment over as verified, frame by frame, without
        // declaring the capability for every frame (FrameDevice.receivedTransportChecksumVerified).
        MemoryEthernet link = new MemoryEthernet(16, 1514, DeviceCapabilities.NONE);
        Stack client = new Stack(config(CLIENT), declaring(link.a, new DeviceCapabilities(false, true, false, false)));
        Stack server = new Stack(config(SERVER), new FrameDeviceDecorator(link.b) {
            private boolean tcp;

            @Override
            public int receive(byte[] buffer, int offset, int capacity) {
                int length = inner().receive(buffer, offset, capacity);
                tcp = length > L4 && buffer[offset + 12] == 0x08 && buffer[offset + 13] == 0
                        && buffer[offset + L3 + 9] == TcpSegment.PROTOCOL;
                return length;
            }

            @Override
            public boolean receivedTransportChecksumVerified() {
                return tcp;
            }
        });
        int[] accepted = {-1};
        server.tcp().listen(80, 1, new TcpHandler() {
            @Override
            public void onAccepted(int listener, int connection) {
                accepted[0] = connection;
            }
        });
        int connection = client.tcp().connect(SERVER, 80, new TcpHandler() {
        });
        runBoth(client, server);
        assertEquals(TcpState.ESTABLISHED, client.tcp().state(connection));
        assertTrue(accepted[0] >= 0);
        assertEquals(0, server.tcp().counters().get(TcpCounter.DROP_BAD_CHECKSUM));
    }

    private static void runBoth(Stack client, Stack server) {
        long now = 1_000_000_000L;
        for (int i = 0; i < 20; i++) {
            client.poll(now);
            server.poll(now);
            now += 1_000_000L;
        }
    }
}
