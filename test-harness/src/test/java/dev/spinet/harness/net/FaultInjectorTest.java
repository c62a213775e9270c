package dev.spinet.harness.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.harness.mock.ManualClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SeedReporter.class)
class FaultInjectorTest {

    private final ManualClock clock = new ManualClock();
    private final VirtualWire wire = new VirtualWire(clock, 4096, 1514);
    private final VirtualWire.Port a = wire.connect("a", 1);
    private final VirtualWire.Port b = wire.connect("b", 2);
    private final byte[] buffer = new byte[1514];

    /** Frame number {@code n}: a 64-byte frame carrying {@code n} as a big-endian int at offset 20. */
    private static byte[] numbered(int n) {
        byte[] frame = VirtualWireTest.frame(2, 1, 0, 64);
        frame[20] = (byte) (n >>> 24);
        frame[21] = (byte) (n >>> 16);
        frame[22] = (byte) (n >>> 8);
        frame[23] = (byte) n;
        return frame;
    }

    private static int number(byte[] frame) {
        return ((frame[20] & 0xFF) << 24) | ((frame[21] & 0xFF) << 16) | ((frame[22] & 0xFF) << 8) | (frame[23] & 0xFF);
    }

    /** Everything b can receive now, as copies. */
    private List<byte[]> drain() {
        List<byte[]> frames = new ArrayList<>();
        int length;
        while ((length = b.receive(buffer, 0, buffer.length)) > 0) {
            frames.add(Arrays.copyOf(buffer, length));
        }
        return frames;
    }

    /** Frame number {@code n} into {@code faults}. */
    private static void transmitNumbered(FrameDevice faults, int n) {
        byte[] frame = numbered(n);
        faults.transmit(frame, 0, frame.length);
    }

    /**
     * For {@code nanos} less one, nothing leaves {@code faults}, not even on a receive (which
     * releases what is due); then the clock reaches {@code nanos}.
     */
    private void assertHeldFor(FaultInjector faults, long nanos) {
        clock.advance(nanos - 1);
        assertEquals(FrameDevice.NO_FRAME, faults.receive(buffer, 0, buffer.length));
        assertTrue(drain().isEmpty());
        clock.advance(1);
    }

    /** Sends {@code count} numbered frames through a fully faulty injector, 10 us apart, and returns what arrived. */
    private List<byte[]> run(long seed, int count) {
        FaultInjector faults = new FaultInjector(a, clock, seed)
                .loss(0.1).duplication(0.1).reordering(0.1).corruption(0.1).delay(5_000, 20_000);
        List<byte[]> arrived = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            transmitNumbered(faults, i);
            clock.advance(10_000);
            faults.flush(clock.nanoTime());
            arrived.addAll(drain());
        }
        clock.advance(1_000_000_000L);
        faults.flush(clock.nanoTime());
        arrived.addAll(drain());
        assertEquals(0, faults.held());
        return arrived;
    }

    private static String describe(List<byte[]> frames) {
        StringBuilder text = new StringBuilder();
        for (byte[] frame : frames) {
            text.append(number(frame)).append(':').append(Arrays.hashCode(frame)).append(' ');
        }
        return text.toString();
    }

    @Test
    void sameSeedGivesTheSameFaultsFrameByFrame() {
        long seed = Seeds.seed();
        String first = describe(run(seed, 500));
        String second = describe(run(seed, 500));
        assertEquals(first, second);
    }

    @Test
    void differentSeedsGiveDifferentFaults() {
        long seed = Seeds.seed();
        assertNotEquals(describe(run(seed, 500)), describe(run(seed + 1, 500)));
    }

    @Test
    void lossRateIsWithinFiveSigmaOver10000Frames() {
        FaultInjector faults = new FaultInjector(a, clock, Seeds.seed()).loss(0.2);
        byte[] frame = numbered(0);
        int arrived = 0;
        for (int i = 0; i < 10_000; i++) {
            assertTrue(faults.transmit(frame, 0, frame.length));
            if (b.receive(buffer, 0, buffer.length) > 0) {
                arrived++;
            }
        }
        // Binomial(10000, 0.2): mean 2000, sigma 40. A 5-sigma band fails by chance about once in 1.7 million runs.
        long lost = faults.count(Fault.LOST);
        assertEquals(10_000 - arrived, lost);
        assertTrue(lost > 1800 && lost < 2200, "lost " + lost + " of 10000 at p=0.2, " + faults);
        assertEquals(10_000, faults.count(Fault.OFFERED));
        assertEquals(arrived, faults.count(Fault.FORWARDED));
    }

    @Test
    void duplicationSendsTwoIdenticalCopies() {
        FaultInjector faults = new FaultInjector(a, clock, Seeds.seed()).duplication(1.0);
        byte[] frame = numbered(7);
        faults.transmit(frame, 0, frame.length);
        List<byte[]> arrived = drain();
        assertEquals(2, arrived.size());
        assertArrayEquals(frame, arrived.get(0));
        assertArrayEquals(frame, arrived.get(1));
        assertEquals(1, faults.count(Fault.DUPLICATED));
        assertEquals(2, faults.count(Fault.FORWARDED));
    }

    @Test
    void corruptionFlipsExactlyOneBitAfterTheEthernetHeaderAndLeavesTheCallersArrayAlone() {
        FaultInjector faults = new FaultInjector(a, clock, Seeds.seed()).corruption(1.0);
        for (int i = 0; i < 200; i++) {
            byte[] frame = numbered(i);
            byte[] original = frame.clone();
            faults.transmit(frame, 0, frame.length);
            assertArrayEquals(original, frame, "the caller's frame is not modified");
            byte[] arrived = drain().get(0);
            int differingBits = 0;
            for (int j = 0; j < frame.length; j++) {
                int diff = (arrived[j] ^ frame[j]) & 0xFF;
                if (diff != 0) {
                    assertTrue(j >= 14, "bit flipped in the Ethernet header at byte " + j);
                }
                differingBits += Integer.bitCount(diff);
            }
            assertEquals(1, differingBits);
        }
        assertEquals(200, faults.count(Fault.CORRUPTED));
    }

    @Test
    void reorderedFrameLeavesRightAfterTheNextOne() {
        FaultInjector faults = new FaultInjector(a, clock, Seeds.seed()).reordering(1.0);
        transmitNumbered(faults, 1);
        assertTrue(drain().isEmpty(), "held back");
        assertEquals(1, faults.held());
        faults.reordering(0.0);
        transmitNumbered(faults, 2);
        List<byte[]> arrived = drain();
        assertEquals(2, arrived.size());
        assertEquals(2, number(arrived.get(0)));
        assertEquals(1, number(arrived.get(1)));
    }

    @Test
    void reorderedFrameIsReleasedByTimeWhenNothingOvertakesIt() {
        FaultInjector faults = new FaultInjector(a, clock, Seeds.seed()).reordering(1.0, 1_000);
        transmitNumbered(faults, 1);
        assertHeldFor(faults, 1_000);
        faults.receive(buffer, 0, buffer.length); // a polling stack releases it
        assertEquals(1, drain().size());
        assertEquals(1, faults.count(Fault.REORDERED));
    }

    @Test
    void reorderingUnderLoadPermutesButLosesNothing() {
        FaultInjector faults = new FaultInjector(a, clock, Seeds.seed()).reordering(0.3);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            transmitNumbered(faults, i);
            for (byte[] arrived : drain()) {
                order.add(number(arrived));
            }
        }
        // The clock has not moved, so every held frame so far left because a later one overtook it.
        int displaced = 0;
        int highest = -1;
        for (int n : order) {
            if (n < highest) {
                displaced++;
            }
            highest = Math.max(highest, n);
        }
        int stillHeld = faults.held();
        assertEquals(faults.count(Fault.REORDERED), displaced + stillHeld,
                "every reordered frame arrives after a later one, except those nothing has overtaken yet");
        assertTrue(displaced > 200, "displaced " + displaced);

        faults.flush(clock.nanoTime() + FaultInjector.DEFAULT_REORDER_HOLD_NANOS);
        for (byte[] arrived : drain()) {
            order.add(number(arrived));
        }
        List<Integer> sorted = new ArrayList<>(order);
        sorted.sort(null);
        assertEquals(1000, sorted.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, sorted.get(i), "a permutation: nothing lost, nothing duplicated");
        }
    }

    @Test
    void delayHoldsFramesUntilDueAndReceiveReleasesThem() {
        FaultInjector faults = new FaultInjector(a, clock, Seeds.seed()).delay(10_000, 0);
        transmitNumbered(faults, 3);
        assertHeldFor(faults, 10_000);
        assertEquals(FrameDevice.NO_FRAME, faults.receive(buffer, 0, buffer.length), "faults are on transmit only");
        assertEquals(3, number(drain().get(0)));
        assertEquals(1, faults.count(Fault.DELAYED));
    }

    @Test
    void jitterStaysWithinItsBound() {
        FaultInjector faults = new FaultInjector(a, clock, Seeds.seed()).delay(1_000, 500);
        for (int i = 0; i < 100; i++) {
            transmitNumbered(faults, i);
        }
        assertEquals(0, faults.flush(clock.nanoTime() + 999));
        assertEquals(100, faults.flush(clock.nanoTime() + 1_500));
        assertEquals(100, drain().size());
    }

    @Test
    void partitionDropsEverythingUntilHealed() {
        FaultInjector faults = new FaultInjector(a, clock, Seeds.seed()).partition(true);
        byte[] frame = numbered(1);
        for (int i = 0; i < 5; i++) {
            assertTrue(faults.transmit(frame, 0, frame.length));
        }
        assertTrue(drain().isEmpty());
        faults.partition(false);
        faults.transmit(frame, 0, frame.length);
        assertEquals(1, drain().size());
        assertEquals(5, faults.count(Fault.PARTITIONED));
    }

    @Test
    void fullHoldRingRefusesAndCounts() {
        FaultInjector faults = new FaultInjector(a, clock, Seeds.seed(), 2).delay(1_000, 0);
        byte[] frame = numbered(1);
        assertTrue(faults.transmit(frame, 0, frame.length));
        assertTrue(faults.transmit(frame, 0, frame.length));
        assertFalse(faults.transmit(frame, 0, frame.length));
        assertEquals(1, faults.count(Fault.HOLD_RING_FULL));
        clock.advance(1_000);
        assertTrue(faults.transmit(frame, 0, frame.length), "due frames left first, making room");
        assertEquals(2, drain().size());
    }

    @Test
    void seedIsReportedAndSettingsAreChecked() {
        FaultInjector faults = new FaultInjector(a, clock, 12345L);
        assertEquals(12345L, faults.seed());
        assertTrue(faults.toString().contains("seed=12345"), faults.toString());
        assertThrows(IllegalArgumentException.class, () -> faults.loss(1.5));
        assertThrows(IllegalArgumentException.class, () -> faults.loss(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> faults.delay(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> faults.transmit(new byte[10], 0, 10));
        assertEquals(a.macAddress(), faults.macAddress());
        assertEquals(a.mtu(), faults.mtu());
    }
}
