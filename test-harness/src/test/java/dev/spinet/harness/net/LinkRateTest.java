package dev.spinet.harness.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.testkit.QueueFrameDevice;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A {@link VirtualWire} with a {@link LinkRate}: a frame occupies the wire for its bytes plus FCS,
 * preamble and inter-frame gap (IEEE 802.3: 1538 byte times for a 1514-byte frame), frames queue
 * behind each other on a sender's pair (full duplex) or on the one medium (half duplex), and a
 * {@link WireBridge} moves frames between the wire and an outside device.
 */
class LinkRateTest {

    private static final long A = 0x0200_0000_000AL;
    private static final long B = 0x0200_0000_000BL;

    private final ManualClock clock = new ManualClock();
    private final byte[] buffer = new byte[1514];

    @Test
    void aFrameTakesItsBytesPlusFramingAtTheLineRate() {
        assertEquals(1_230_400L, LinkRate.TEN_BASE_T_HALF.frameNanos(1514), "1538 bytes at 10 Mbit/s");
        assertEquals(123_040L, LinkRate.HUNDRED_BASE_TX_FULL.frameNanos(1514));
        assertEquals(67_200L, LinkRate.TEN_BASE_T_HALF.frameNanos(54), "padded to 60, + 24: 84 byte times");
    }

    @Test
    void aBurstArrivesOneFrameTimeApartAndTheSenderKnowsWhenItLeft() {
        VirtualWire wire = new VirtualWire(clock);
        wire.linkRate(LinkRate.TEN_BASE_T_HALF);
        VirtualWire.Port a = wire.connect("a", A);
        VirtualWire.Port b = wire.connect("b", B);
        long start = clock.nanoTime();
        byte[] frame = VirtualWireTest.frame(B, A, 7, 1514);
        a.transmit(frame, 0, frame.length);
        a.transmit(frame, 0, frame.length);
        assertEquals(start + 2 * 1_230_400L, a.transmitDoneAt());
        clock.set(start + 1_230_399L);
        assertEquals(FrameDevice.NO_FRAME, b.receive(buffer, 0, buffer.length), "the last bit is not in yet");
        clock.set(start + 1_230_400L);
        assertEquals(1514, b.receive(buffer, 0, buffer.length));
        assertEquals(FrameDevice.NO_FRAME, b.receive(buffer, 0, buffer.length));
        assertEquals(start + 2 * 1_230_400L, wire.nextDeliveryTime(clock.nanoTime()));
    }

    @Test
    void halfDuplexDirectionsTakeTurnsFullDuplexDoNot() {
        for (LinkRate rate : new LinkRate[] {LinkRate.TEN_BASE_T_HALF, new LinkRate(10_000_000L, false)}) {
            ManualClock time = new ManualClock();
            VirtualWire wire = new VirtualWire(time);
            wire.linkRate(rate);
            VirtualWire.Port a = wire.connect("a", A);
            VirtualWire.Port b = wire.connect("b", B);
            byte[] big = VirtualWireTest.frame(B, A, 1, 1514);
            byte[] ack = VirtualWireTest.frame(A, B, 2, 60);
            a.transmit(big, 0, big.length);
            b.transmit(ack, 0, ack.length);
            long expected = rate.halfDuplex() ? 1_230_400L + 67_200L : 67_200L;
            assertEquals(time.nanoTime() + expected, b.transmitDoneAt(), rate.toString());
        }
    }

    @Test
    void aBridgeMovesFramesBothWaysAndWaitsOnlyUntilTheNextDelivery() throws InterruptedException {
        VirtualWire wire = new VirtualWire(clock);
        wire.linkRate(LinkRate.HUNDRED_BASE_TX_FULL);
        VirtualWire.Port chip = wire.connect("chip", A);
        QueueFrameDevice tap = new QueueFrameDevice(B);
        WireBridge bridge = new WireBridge(wire, wire.connect("tap", B), tap);
        byte[] fromKernel = VirtualWireTest.frame(A, B, 3, 200);
        tap.inject(fromKernel);
        assertEquals(1, bridge.pump());
        assertEquals(FrameDevice.NO_FRAME, chip.receive(buffer, 0, buffer.length), "still on the wire");
        // The wait ends when the frame is in, long before the 10 s asked for (simulated time
        // stands still here, so a wait that did not end at the delivery would spin to its cap).
        clock.set(wire.nextDeliveryTime(clock.nanoTime()));
        bridge.awaitTraffic(10_000_000_000L);
        assertEquals(200, chip.receive(buffer, 0, buffer.length));
        assertArrayEquals(fromKernel, Arrays.copyOf(buffer, 200));
        byte[] toKernel = VirtualWireTest.frame(B, A, 4, 100);
        chip.transmit(toKernel, 0, toKernel.length);
        clock.set(chip.transmitDoneAt());
        assertEquals(1, bridge.pump());
        assertArrayEquals(toKernel, tap.takeSent());
        assertEquals(1, bridge.toWire());
        assertEquals(1, bridge.toOutside());
    }
}
