package dev.spinet.iface;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.DeviceCapabilities;
import dev.spinet.tcp.scenario.MemoryEthernet;
import dev.spinet.udp.UdpCounter;
import dev.spinet.udp.UdpHandler;
import dev.spinet.wire.Checksum;
import dev.spinet.wire.Ipv4Packet;
import org.junit.jupiter.api.Test;

/**
 * UDP obeys the same {@link DeviceCapabilities} as TCP: an unfragmented datagram leaves with only
 * the pseudo-header sum in its checksum field, a receiver that trusts its device takes it, one
 * that does not drops it; a datagram too long for one frame keeps its full checksum, since no
 * device can finish a checksum whose data spans fragments.
 */
class UdpChecksumOffloadTest {

    static final int A = 0x0A00_0001;
    static final int B = 0x0A00_0002;
    static final int L3 = 14;
    static final int L4 = 34;

    static StackConfig config(int address) {
        return StackConfig.builder().ipAddress(address, 24).udpSockets(2).tcpSecret(address).build();
    }

    int received;

    /** Sends one datagram of {@code length} bytes from a to b and returns b's stack after delivery. */
    Stack sendOne(DeviceCapabilities capabilities, int length, byte[] firstFrame) {
        MemoryEthernet link = new MemoryEthernet(64, 1514, capabilities);
        Stack a = new Stack(config(A), link.a);
        Stack b = new Stack(config(B), link.b);
        UdpHandler counting = (sourceIp, sourcePort, destinationIp, buffer, offset, n, now) -> received++;
        b.udp().open(9, false, counting);
        int handle = a.udp().open(4000, false, (s, p, d, buf, o, n, now) -> { });
        long now = 1_000_000_000L;
        // ARP first: a's first datagram waits for it, then leaves with the reply.
        a.udp().send(handle, B, 9, new byte[length], 0, length, now);
        for (int i = 0; i < 5; i++) {
            a.poll(now);
            int frameLength = link.b.peek(firstFrame);
            if (frameLength > L4 && firstFrame[L3 + 9] == Ipv4Packet.PROTOCOL_UDP) {
                break;
            }
            b.poll(now);
            now += 1_000_000L;
        }
        for (int i = 0; i < 5; i++) {
            a.poll(now);
            b.poll(now);
            now += 1_000_000L;
        }
        return b;
    }

    @Test
    void anOffloadedDatagramCarriesThePseudoHeaderSumAndIsTakenByATrustingReceiver() {
        byte[] frame = new byte[1514];
        Stack b = sendOne(DeviceCapabilities.CHECKSUMS_OFFLOADED, 100, frame);
        assertEquals(1, received);
        assertEquals(0, b.udp().counters().get(UdpCounter.RX_DROP_BAD_CHECKSUM));
        int field = ((frame[L4 + 6] & 0xFF) << 8) | (frame[L4 + 7] & 0xFF);
        assertEquals(Checksum.partial(A, B, Ipv4Packet.PROTOCOL_UDP, 108), field);
    }

    @Test
    void aReceiverWithoutTheCapabilityDropsIt() {
        byte[] frame = new byte[1514];
        Stack b = sendOne(new DeviceCapabilities(false, true, false, false), 100, frame);
        assertEquals(0, received);
        assertTrue(b.udp().counters().get(UdpCounter.RX_DROP_BAD_CHECKSUM) > 0);
    }

    @Test
    void aFragmentedDatagramKeepsItsFullChecksumAndIsCheckedAfterReassembly() {
        byte[] frame = new byte[1514];
        // Sender offloads, receiver trusts its device for unfragmented datagrams only: this one
        // arrives in fragments and is checked after reassembly, so only a full checksum passes.
        Stack b = sendOne(new DeviceCapabilities(false, true, false, true), 3000, frame);
        assertEquals(1, received);
        assertEquals(0, b.udp().counters().get(UdpCounter.RX_DROP_BAD_CHECKSUM));
    }
}
