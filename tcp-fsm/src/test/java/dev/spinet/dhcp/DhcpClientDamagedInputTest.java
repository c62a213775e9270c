package dev.spinet.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.iface.IfaceCounter;
import dev.spinet.iface.Interface;
import dev.spinet.testkit.QueueFrameDevice;
import dev.spinet.udp.UdpCounter;
import dev.spinet.udp.UdpLayer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Seeded random damage to the options of server replies (with a valid UDP checksum, so they reach
 * the client): whatever arrives, in every state, nothing throws and every message is counted.
 */
class DhcpClientDamagedInputTest {

    static final long MAC = 0x02_AA_BB_CC_DD_EEL;
    static final int SERVER = 0x0A_00_00_01;
    static final long SECOND = 1_000_000_000L;

    @Test
    void randomlyDamagedRepliesNeverThrowAndAreAllCounted() {
        SplittableRandom random = new SplittableRandom(2131);
        QueueFrameDevice device = new QueueFrameDevice(MAC);
        Interface iface = new Interface(StackConfig.builder().build(), device);
        UdpLayer udp = new UdpLayer(2, iface);
        iface.addTransport(udp);
        DhcpClient client = new DhcpClient(iface, udp, 5);
        long now = SECOND;
        int injected = 0;
        int[] types = {DhcpMessage.DHCPOFFER, DhcpMessage.DHCPACK, DhcpMessage.DHCPNAK, 0, 9, DhcpMessage.DHCPDISCOVER};
        for (int round = 0; round < 5_000; round++) {
            iface.poll(now);
            device.sent().clear();
            int type = types[random.nextInt(types.length)];
            ServerReply reply = new ServerReply(type, client.xid(), 0x0A_00_00_00 | random.nextInt(256), MAC);
            int options = random.nextInt(6);
            for (int i = 0; i < options; i++) {
                byte[] value = new byte[random.nextInt(9)];
                random.nextBytes(value);
                int[] codes = {1, 3, 6, 50, 51, 52, 53, 54, 58, 59, random.nextInt(256)};
                reply.bytes(codes[random.nextInt(codes.length)], value);
            }
            byte[] frame = reply.frame(SERVER);
            int flips = random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                // Damage after the UDP header, then recompute the UDP checksum so it is delivered.
                int at = 42 + 236 + random.nextInt(frame.length - 42 - 236);
                frame[at] = (byte) random.nextInt(256);
            }
            dev.spinet.wire.UdpDatagram.writeChecksum(frame, 34, frame.length - 34, SERVER, 0xFFFF_FFFF);
            device.inject(frame);
            injected++;
            iface.poll(now);
            now += random.nextInt(120) * SECOND;
        }
        assertEquals(0, iface.counters().get(IfaceCounter.INTERNAL_ERRORS), String.valueOf(iface.lastInternalError()));
        assertEquals(0, udp.counters().get(UdpCounter.RX_HANDLER_ERRORS));
        assertEquals(injected, client.counters().get(DhcpCounter.RX_MESSAGES));
        long outcomes = 0;
        for (DhcpCounter counter : DhcpCounter.values()) {
            if (counter.name().startsWith("RX_DROP_") || counter == DhcpCounter.RX_OFFER || counter == DhcpCounter.RX_ACK
                    || counter == DhcpCounter.RX_NAK) {
                outcomes += client.counters().get(counter);
            }
        }
        assertEquals(injected, outcomes, "every message ends in exactly one counter:\n" + client.counters());
        assertTrue(client.counters().get(DhcpCounter.RX_OFFER) + client.counters().get(DhcpCounter.RX_ACK) > 0,
                "some replies were acceptable, so the state machine moved too");
    }
}
