package dev.spinet.harness.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.harness.mock.ManualClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualWireTest {

    private final ManualClock clock = new ManualClock();

    /** A 100-byte frame from {@code src} to {@code dst} whose payload bytes are all {@code marker}. */
    static byte[] frame(long dst, long src, int marker, int length) {
        byte[] frame = new byte[length];
        MacAddress.write(dst, frame, 0);
        MacAddress.write(src, frame, 6);
        frame[12] = 0x08;
        frame[13] = 0x00;
        Arrays.fill(frame, 14, length, (byte) marker);
        return frame;
    }

    @Test
    void hubCopiesEveryFrameToEveryOtherPortButNotBackToTheSender() {
        VirtualWire wire = new VirtualWire(clock);
        FrameDevice a = wire.connect("a", 0x02_00_00_00_00_01L);
        FrameDevice b = wire.connect("b", 0x02_00_00_00_00_02L);
        FrameDevice c = wire.connect("c", 0x02_00_00_00_00_03L);
        byte[] sent = frame(0x02_00_00_00_00_02L, a.macAddress(), 0x5A, 100);
        assertTrue(a.transmit(sent, 0, sent.length));

        byte[] buffer = new byte[1514];
        assertEquals(100, b.receive(buffer, 0, buffer.length));
        assertArrayEquals(sent, Arrays.copyOf(buffer, 100));
        assertEquals(100, c.receive(buffer, 0, buffer.length), "a hub: c sees a frame addressed to b");
        assertEquals(FrameDevice.NO_FRAME, a.receive(buffer, 0, buffer.length), "no echo to the sender");
        assertEquals(FrameDevice.NO_FRAME, b.receive(buffer, 0, buffer.length), "each copy received once");
        assertEquals(1, wire.transmitted());
        assertEquals(2, wire.delivered());
    }

    @Test
    void framesKeepTheirOrderAndOffsetsAreHonoured() {
        VirtualWire wire = new VirtualWire(clock);
        FrameDevice a = wire.connect("a", 1);
        FrameDevice b = wire.connect("b", 2);
        for (int i = 0; i < 10; i++) {
            byte[] padded = new byte[200];
            byte[] f = frame(2, 1, i, 80 + i);
            System.arraycopy(f, 0, padded, 7, f.length);
            assertTrue(a.transmit(padded, 7, f.length));
        }
        byte[] buffer = new byte[1600];
        for (int i = 0; i < 10; i++) {
            assertEquals(80 + i, b.receive(buffer, 3, 1514));
            assertEquals(i, buffer[3 + 20]);
        }
    }

    @Test
    void shortFramesArePaddedTo60WithZeros() {
        VirtualWire wire = new VirtualWire(clock);
        FrameDevice a = wire.connect("a", 1);
        FrameDevice b = wire.connect("b", 2);
        byte[] arp = frame(MacAddress.BROADCAST, 1, 0x11, 42);
        byte[] buffer = new byte[1514];
        Arrays.fill(buffer, (byte) 0xEE);
        a.transmit(arp, 0, arp.length);
        assertEquals(60, b.receive(buffer, 0, buffer.length));
        assertArrayEquals(arp, Arrays.copyOf(buffer, 42));
        assertArrayEquals(new byte[18], Arrays.copyOfRange(buffer, 42, 60));
    }

    @Test
    void latencyIsHonouredWithAManualClock() {
        VirtualWire wire = new VirtualWire(clock);
        wire.latencyNanos(1_000);
        FrameDevice a = wire.connect("a", 1);
        FrameDevice b = wire.connect("b", 2);
        byte[] f = frame(2, 1, 1, 64);
        a.transmit(f, 0, f.length);
        clock.advance(500);
        a.transmit(f, 0, f.length); // sent at +500, ready at +1500
        byte[] buffer = new byte[1514];
        assertEquals(FrameDevice.NO_FRAME, b.receive(buffer, 0, buffer.length));
        clock.advance(499);
        assertEquals(FrameDevice.NO_FRAME, b.receive(buffer, 0, buffer.length), "1 ns early");
        clock.advance(1);
        assertEquals(64, b.receive(buffer, 0, buffer.length), "exactly at send time + latency");
        assertEquals(FrameDevice.NO_FRAME, b.receive(buffer, 0, buffer.length), "second frame not due");
        clock.advance(500);
        assertEquals(64, b.receive(buffer, 0, buffer.length));
    }

    @Test
    void queueOverflowIsDroppedAndCountedPerPort() {
        VirtualWire wire = new VirtualWire(clock, 4, 1514);
        FrameDevice a = wire.connect("a", 1);
        FrameDevice b = wire.connect("b", 2);
        FrameDevice c = wire.connect("c", 3);
        byte[] buffer = new byte[1514];
        byte[] f = frame(2, 1, 0, 64);
        for (int i = 0; i < 7; i++) {
            f[20] = (byte) i;
            assertTrue(a.transmit(f, 0, f.length), "the sender cannot tell a hub dropped a copy");
            if (i < 2) {
                assertTrue(c.receive(buffer, 0, buffer.length) > 0); // c drains its first two
            }
        }
        assertEquals(3, wire.dropped(b));
        assertEquals(1, wire.dropped(c));
        assertEquals(4, wire.dropped());
        for (int i = 0; i < 4; i++) {
            assertEquals(64, b.receive(buffer, 0, buffer.length));
            assertEquals(i, buffer[20], "the oldest frames are kept, the newest dropped");
        }
        assertEquals(FrameDevice.NO_FRAME, b.receive(buffer, 0, buffer.length));
        assertEquals(4, ((VirtualWire.Port) b).received());
    }

    @Test
    void tooLongForTheCallerIsConsumedAndReported() {
        VirtualWire wire = new VirtualWire(clock);
        FrameDevice a = wire.connect("a", 1);
        VirtualWire.Port b = wire.connect("b", 2);
        byte[] big = frame(2, 1, 3, 1000);
        byte[] small = frame(2, 1, 4, 100);
        a.transmit(big, 0, big.length);
        a.transmit(small, 0, small.length);
        byte[] buffer = new byte[200];
        assertEquals(FrameDevice.FRAME_TOO_LONG, b.receive(buffer, 0, buffer.length));
        assertEquals(100, b.receive(buffer, 0, buffer.length), "the long frame did not block the queue");
        assertEquals(1, b.tooLong());
    }

    @Test
    void misuseIsRejectedWithAClearMessage() {
        VirtualWire wire = new VirtualWire(clock);
        FrameDevice a = wire.connect("a", 1);
        assertThrows(IllegalArgumentException.class, () -> wire.connect("a", 5));
        assertThrows(IllegalArgumentException.class, () -> a.transmit(new byte[10], 0, 10));
        assertThrows(IllegalArgumentException.class, () -> a.transmit(new byte[1515], 0, 1515));
        FrameDevice foreign = new VirtualWire(clock).connect("x", 9);
        assertThrows(IllegalArgumentException.class, () -> wire.setLinkUp(foreign, false));
        assertEquals(1500, a.mtu());
        assertEquals(1514, a.maxFrameLength());
        assertSame(a, wire.port("a"));
    }

    @Test
    void linkDownRefusesTransmitAndLosesIncomingFrames() {
        VirtualWire wire = new VirtualWire(clock);
        VirtualWire.Port a = wire.connect("a", 1);
        VirtualWire.Port b = wire.connect("b", 2);
        byte[] f = frame(2, 1, 0, 64);
        wire.setLinkUp(b, false);
        assertFalse(b.linkUp());
        assertTrue(a.transmit(f, 0, f.length));
        assertFalse(b.transmit(f, 0, f.length));
        assertEquals(1, b.lostLinkDown());
        assertEquals(1, b.rejectedLinkDown());
        wire.setLinkUp(b, true);
        byte[] buffer = new byte[1514];
        assertEquals(FrameDevice.NO_FRAME, b.receive(buffer, 0, buffer.length));
        assertTrue(a.transmit(f, 0, f.length));
        assertEquals(64, b.receive(buffer, 0, buffer.length));
    }

    @Test
    void tapSeesEachFrameOnceWithSenderAndTime() {
        VirtualWire wire = new VirtualWire(clock);
        FrameDevice a = wire.connect("a", 1);
        wire.connect("b", 2);
        wire.connect("c", 3);
        List<String> seen = new ArrayList<>();
        wire.tap((port, bytes, off, len, now) -> seen.add(port + ":" + len + ":" + now + ":" + bytes[off + 14]));
        byte[] f = frame(2, 1, 77, 50);
        a.transmit(f, 0, f.length);
        clock.advance(10);
        FrameDevice b = wire.port("b");
        b.transmit(f, 0, f.length);
        long t0 = ManualClock.DEFAULT_START_NANOS;
        assertEquals(List.of("a:60:" + t0 + ":77", "b:60:" + (t0 + 10) + ":77"), seen);
    }

    @Test
    void tapSeesFramesEvenWithNoReceiver() {
        VirtualWire wire = new VirtualWire(clock);
        FrameDevice a = wire.connect("a", 1);
        int[] lengths = new int[1];
        wire.tap((port, bytes, off, len, now) -> lengths[0] = len);
        byte[] f = frame(2, 1, 1, 20);
        a.transmit(f, 0, f.length);
        assertEquals(60, lengths[0]);
    }
}
