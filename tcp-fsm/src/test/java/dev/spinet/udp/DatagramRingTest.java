package dev.spinet.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The single-producer single-consumer datagram queue: order, full, empty, wrap-around. */
class DatagramRingTest {

    @Test
    void datagramsComeOutInOrderAcrossTheWrapAndAFullRingRefusesMore() {
        DatagramRing ring = new DatagramRing(4, 16);
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 3; i++) {
                int slot = ring.claim();
                ring.buffer()[ring.offset(slot)] = (byte) next;
                ring.publish(slot, 1 + next % 16, 0x0A000000 + next, next);
                next++;
            }
            for (int i = 0; i < 3; i++) {
                int slot = ring.peek();
                assertEquals((byte) expected, ring.buffer()[ring.offset(slot)]);
                assertEquals(1 + expected % 16, ring.length(slot));
                assertEquals(0x0A000000 + expected, ring.address(slot));
                assertEquals(expected, ring.port(slot));
                ring.release();
                expected++;
            }
        }
        assertEquals(DatagramRing.NONE, ring.peek());
        for (int i = 0; i < 4; i++) {
            ring.publish(ring.claim(), 0, 0, 0);
        }
        assertEquals(DatagramRing.NONE, ring.claim(), "full");
        assertEquals(4, ring.size());
        ring.clear();
        assertEquals(0, ring.size());
        assertThrows(IllegalArgumentException.class, () -> ring.publish(ring.claim(), 17, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new DatagramRing(3, 16));
    }
}
