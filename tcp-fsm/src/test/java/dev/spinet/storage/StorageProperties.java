package dev.spinet.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class StorageProperties {

    /** ByteRing behaves like an unbounded FIFO cut at its capacity. */
    @Property(tries = 200)
    void ringIsAFifo(@ForAll @Size(max = 60) List<@IntRange(min = -300, max = 300) Integer> operations) {
        ByteRing ring = new ByteRing(256);
        ArrayDeque<Byte> model = new ArrayDeque<>();
        byte next = 0;
        for (int op : operations) {
            if (op >= 0) {
                byte[] data = new byte[op];
                for (int i = 0; i < op; i++) {
                    data[i] = next++;
                }
                int accepted = ring.write(data, 0, op);
                assertEquals(Math.min(op, 256 - model.size()), accepted);
                for (int i = 0; i < accepted; i++) {
                    model.add(data[i]);
                }
                next = (byte) (next - (op - accepted));
            } else {
                byte[] out = new byte[-op];
                int n = ring.read(out, 0, -op);
                assertEquals(Math.min(-op, model.size()), n);
                for (int i = 0; i < n; i++) {
                    assertEquals((byte) model.poll(), out[i]);
                }
            }
            assertEquals(model.size(), ring.size());
        }
    }

    @Property(tries = 200)
    void peekAtOffsetSeesTheSameBytesAsRead(@ForAll @IntRange(min = 0, max = 255) int skip, @ForAll @IntRange(min = 1, max = 200) int length) {
        ByteRing ring = new ByteRing(256);
        byte[] filler = new byte[skip];
        ring.write(filler, 0, skip);
        ring.skip(skip); // move the head so data wraps
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i + 1);
        }
        ring.write(data, 0, length);
        int from = length / 3;
        byte[] peeked = new byte[length - from];
        assertEquals(length - from, ring.peek(from, peeked, 0, peeked.length));
        byte[] read = new byte[length];
        ring.read(read, 0, length);
        assertArrayEquals(java.util.Arrays.copyOfRange(read, from, length), peeked);
    }

    @Test
    void parkedBytesSurviveTheRingEmptying() {
        ByteRing ring = new ByteRing(256);
        ring.write(new byte[10], 0, 10);
        ring.writeAt(5, new byte[]{42, 43}, 0, 2);
        ring.read(new byte[10], 0, 10); // empties the ring
        ring.writeAt(0, new byte[]{1, 2, 3, 4, 5}, 0, 5);
        ring.commit(7);
        byte[] out = new byte[7];
        ring.read(out, 0, 7);
        assertArrayEquals(new byte[]{1, 2, 3, 4, 5, 42, 43}, out);
    }

    @Test
    void ringRejectsBadCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new ByteRing(100));
    }

    /** The Assembler agrees with a bitmap of received bytes, within its range budget. */
    @Property(tries = 300)
    void assemblerMatchesABitmap(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 200) Integer> starts,
                                 @ForAll @Size(max = 40) List<@IntRange(min = 1, max = 30) Integer> lengths) {
        Assembler assembler = new Assembler(4);
        BitSet model = new BitSet();
        int origin = 0;
        int delivered = 0;
        for (int i = 0; i < Math.min(starts.size(), lengths.size()); i++) {
            int start = starts.get(i);
            int length = lengths.get(i);
            BitSet before = (BitSet) model.clone();
            boolean accepted = assembler.add(start, length);
            if (accepted) {
                model.set(origin + start, origin + start + length);
            } else {
                assertEquals(before, model);
            }
            int front = assembler.removeFront();
            if (front > 0) {
                assertTrue(model.get(origin, origin + front).cardinality() == front);
                assertFalse(model.get(origin + front));
                origin += front;
                delivered += front;
            } else {
                assertFalse(model.get(origin), "data at the origin must be delivered");
            }
            assertTrue(assembler.rangeCount() <= 4);
            // the ranges describe exactly the held bytes past the origin
            BitSet held = new BitSet();
            for (int r = 0; r < assembler.rangeCount(); r++) {
                held.set(origin + assembler.rangeStart(r), origin + assembler.rangeEnd(r));
            }
            BitSet expected = model.get(origin, Math.max(origin, model.length()));
            BitSet shifted = new BitSet();
            for (int b = expected.nextSetBit(0); b >= 0; b = expected.nextSetBit(b + 1)) {
                shifted.set(origin + b);
            }
            assertEquals(shifted, held);
        }
        assertTrue(delivered >= 0);
    }

    @Test
    void assemblerRefusesWhenAllHolesAreTaken() {
        Assembler assembler = new Assembler(2);
        assertTrue(assembler.add(10, 5));
        assertTrue(assembler.add(20, 5));
        assertFalse(assembler.add(30, 5), "a third range needs a third slot");
        assertTrue(assembler.add(15, 5), "merging needs no slot");
        assertEquals(1, assembler.rangeCount());
        assertTrue(assembler.add(0, 10));
        assertEquals(25, assembler.removeFront());
        assertTrue(assembler.isEmpty());
    }

    @Property(tries = 200)
    void indexPoolHandsOutEachIndexOnce(@ForAll @Size(max = 100) List<Boolean> acquireOrRelease) {
        IndexPool pool = new IndexPool(8);
        Set<Integer> held = new HashSet<>();
        for (boolean acquire : acquireOrRelease) {
            if (acquire) {
                int index = pool.acquire();
                if (held.size() == 8) {
                    assertEquals(IndexPool.NONE, index);
                } else {
                    assertTrue(index >= 0 && index < 8 && held.add(index));
                }
            } else if (!held.isEmpty()) {
                int index = held.iterator().next();
                held.remove(index);
                pool.release(index);
            }
            assertEquals(held.size(), pool.inUseCount());
            assertEquals(8 - held.size(), pool.available());
        }
    }

    @Test
    void indexPoolRejectsDoubleRelease() {
        IndexPool pool = new IndexPool(2);
        int index = pool.acquire();
        pool.release(index);
        assertThrows(IllegalStateException.class, () -> pool.release(index));
    }
}
