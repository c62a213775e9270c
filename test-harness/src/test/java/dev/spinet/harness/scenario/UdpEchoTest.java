package dev.spinet.harness.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.iface.IfaceCounter;
import dev.spinet.iface.Interface;
import dev.spinet.testkit.AllocationAssert;
import dev.spinet.udp.UdpCounter;
import dev.spinet.udp.UdpEchoService;
import dev.spinet.udp.UdpHandler;
import dev.spinet.udp.UdpLayer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** UDP end to end: a client board sends to the RFC 862 echo service on another board. */
class UdpEchoTest {

    static final int A = 0x0A_00_00_01;
    static final int B = 0x0A_00_00_02;
    static final int CLIENT_PORT = 40_000;

    final ManualClock clock = new ManualClock();
    final VirtualWire wire = new VirtualWire(clock);
    final Interface a = new Interface(StackConfig.builder().ipAddress(A, 24).build(), wire.connect("A", 0x02_00_00_00_00_01L));
    final Interface b = new Interface(StackConfig.builder().ipAddress(B, 24).build(), wire.connect("B", 0x02_00_00_00_00_02L));
    final UdpLayer udpA = new UdpLayer(2, a);
    final UdpLayer udpB = new UdpLayer(2, b);
    final UdpEchoService echo;
    final Received received = new Received();
    final int handle;
    final Simulator sim = new Simulator(clock, wire).add(a).add(b);

    /** Keeps the last echo (copied into a fixed array) and counts them; no allocation. */
    static final class Received implements UdpHandler {
        final byte[] data = new byte[1500];
        int length;
        int count;
        int sourceIp;
        int sourcePort;

        @Override
        public void onDatagram(int sourceIp, int sourcePort, int destinationIp, byte[] buffer, int offset, int length, long nowNanos) {
            System.arraycopy(buffer, offset, data, 0, length);
            this.length = length;
            this.sourceIp = sourceIp;
            this.sourcePort = sourcePort;
            count++;
        }
    }

    UdpEchoTest() {
        a.addTransport(udpA);
        b.addTransport(udpB);
        echo = new UdpEchoService(udpB, UdpEchoService.PORT);
        handle = udpA.open(CLIENT_PORT, false, received);
    }

    @Test
    void everySizeFromEmptyToTheMtuComesBackByteForByte() {
        SplittableRandom random = new SplittableRandom(862);
        int[] sizes = {0, 1, 2, 3, 17, 64, 512, 1000, 1471, udpA.maxPayloadLength()};
        for (int size : sizes) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            int before = received.count;
            assertTrue(udpA.send(handle, B, UdpEchoService.PORT, data, 0, size, clock.nanoTime()));
            assertTrue(sim.runUntil(() -> received.count == before + 1, 1_000_000_000L), "echo of " + size + " bytes");
            assertArrayEquals(data, Arrays.copyOf(received.data, received.length), size + " bytes");
            assertEquals(B, received.sourceIp);
            assertEquals(UdpEchoService.PORT, received.sourcePort);
        }
        assertEquals(sizes.length, echo.echoed());
        assertEquals(0, udpA.counters().get(UdpCounter.RX_DROP_BAD_CHECKSUM) + udpB.counters().get(UdpCounter.RX_DROP_BAD_CHECKSUM));
    }

    @Test
    void aBroadcastToTheEchoPortIsNotAnswered() {
        udpA.send(handle, 0xFFFF_FFFF, UdpEchoService.PORT, new byte[8], 0, 8, clock.nanoTime());
        sim.runFor(1_000_000_000L);
        assertEquals(0, echo.echoed());
        assertEquals(1, udpB.counters().get(UdpCounter.RX_DROP_BROADCAST_NOT_ACCEPTED));
    }

    @Test
    void aDatagramToAClosedPortIsCountedOnTheReceiver() {
        udpA.send(handle, B, 9, new byte[4], 0, 4, clock.nanoTime());
        sim.runFor(1_000_000_000L);
        assertEquals(1, udpB.counters().get(UdpCounter.RX_DROP_NO_LISTENER));
        assertEquals(0, b.counters().get(IfaceCounter.INTERNAL_ERRORS));
    }

    @Test
    @Tag("allocation")
    void anEchoRoundTripAllocatesNothing() {
        byte[] data = new byte[64];
        Arrays.fill(data, (byte) 0x5A);
        Runnable oneEcho = () -> {
            long now = clock.nanoTime();
            udpA.send(handle, B, UdpEchoService.PORT, data, 0, data.length, now);
            while (a.poll(now) + b.poll(now) > 0) {
                // until both are idle
            }
            clock.advance(1_000_000L);
        };
        AllocationAssert.assertZeroAllocation("one UDP echo between two stacks", oneEcho);
        assertTrue(received.count > 20_000, "the loop really echoed: " + received.count);
        assertEquals(received.count, echo.echoed());
    }
}
