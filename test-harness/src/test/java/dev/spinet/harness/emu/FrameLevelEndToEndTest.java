package dev.spinet.harness.emu;

import static org.junit.jupiter.api.Assertions.*;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.enc28j60.Enc28j60Config;
import dev.spinet.hal.eth.enc28j60.Enc28j60Driver;
import dev.spinet.hal.eth.w5500.W5500Config;
import dev.spinet.hal.eth.w5500.W5500Driver;
import dev.spinet.harness.net.Fault;
import dev.spinet.harness.net.FaultInjector;
import dev.spinet.harness.net.SeedReporter;
import dev.spinet.harness.net.VirtualWire;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Frame level end to end: a W5500 driver on the W5500 emulator and an ENC28J60 driver on the
 * ENC28J60 emulator, both on one VirtualWire, each chip's transmissions passing a seeded
 * FaultInjector. Frames of every size from 14 to 1514 bytes cross both ways at once; every frame
 * that arrives must be intact and in order, every frame not lost must arrive, and neither
 * emulator may record an invalid use.
 *
 * <p>The TCP-level acceptance (two stacks, 5 MB each way, 2% loss, SHA-256, close) needs the TCP
 * engine (branch {@code tcp}); it will reuse exactly this wiring with stacks instead of the loop.
 */
@ExtendWith(SeedReporter.class)
class FrameLevelEndToEndTest {

    private static final int MAGIC = 0x5EED;

    private final SteppingClock clock = new SteppingClock(100_000L);

    /** Frame i: header, then sequence number, then a pattern derived from it; length cycles 14..1514. */
    private static int lengthOf(int sequence) {
        return 14 + (sequence * 113) % 1501;
    }

    private static byte[] frame(long destination, long source, int sequence) {
        int length = Math.max(lengthOf(sequence), 20);
        byte[] f = Frames.frame(destination, source, length, sequence);
        f[14] = (byte) (MAGIC >>> 8);
        f[15] = (byte) MAGIC;
        f[16] = (byte) (sequence >>> 24);
        f[17] = (byte) (sequence >>> 16);
        f[18] = (byte) (sequence >>> 8);
        f[19] = (byte) sequence;
        return f;
    }

    private static int sequenceOf(byte[] f) {
        return ((f[16] & 0xFF) << 24) | ((f[17] & 0xFF) << 16) | ((f[18] & 0xFF) << 8) | (f[19] & 0xFF);
    }

    /** Receives what is waiting and checks each frame against what its sequence number says was sent. */
    private static int drain(FrameDevice device, long self, long peer, int[] nextExpected, byte[] buffer) {
        int got = 0;
        int n;
        while ((n = device.receive(buffer, 0, buffer.length)) > 0) {
            int sequence = sequenceOf(buffer);
            assertTrue(sequence >= nextExpected[0], "frame " + sequence + " out of order (expected at least " + nextExpected[0] + ")");
            byte[] expected = Frames.padded(frame(self, peer, sequence));
            assertArrayEquals(expected, java.util.Arrays.copyOf(buffer, n), "frame " + sequence + " damaged");
            nextExpected[0] = sequence + 1;
            got++;
        }
        return got;
    }

    @Test
    void framesOfEverySizeCrossBothWaysIntactWithSeededLoss() {
        long seed = 0x5EED_2026L;
        VirtualWire wire = new VirtualWire(clock, 256, 1514);
        W5500Emulator w = new W5500Emulator();
        Enc28j60Emulator e = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, clock);
        FaultInjector wLoss = new FaultInjector(wire.connect("w5500", w.mac()), clock, seed).loss(0.02);
        FaultInjector eLoss = new FaultInjector(wire.connect("enc28j60", e.mac()), clock, seed + 1).loss(0.02);
        w.attach(wLoss);
        e.attach(eLoss);
        W5500Driver a = new W5500Driver(w, w.intPin(), w.resetPin(), clock, W5500Config.defaults(w.mac()));
        Enc28j60Driver b = new Enc28j60Driver(e, e.intPin(), e.resetPin(), clock, Enc28j60Config.defaults(e.mac()));
        a.init();
        b.init();
        clock.step(0);

        int frames = 3000;
        byte[] buffer = new byte[1514];
        int[] aExpects = {0};
        int[] bExpects = {0};
        int aReceived = 0;
        int bReceived = 0;
        int aSent = 0;
        int bSent = 0;
        for (int guard = 0; guard < 20 * frames && (aSent < frames || bSent < frames); guard++) {
            if (aSent < frames) {
                byte[] f = frame(e.mac(), w.mac(), aSent);
                if (a.transmit(f, 0, f.length)) {
                    aSent++;
                }
            }
            if (bSent < frames) {
                byte[] f = frame(w.mac(), e.mac(), bSent);
                if (b.transmit(f, 0, f.length)) {
                    bSent++;
                }
            }
            bReceived += drain(b, e.mac(), w.mac(), bExpects, buffer);
            aReceived += drain(a, w.mac(), e.mac(), aExpects, buffer);
        }
        for (int i = 0; i < 10; i++) {
            bReceived += drain(b, e.mac(), w.mac(), bExpects, buffer);
            aReceived += drain(a, w.mac(), e.mac(), aExpects, buffer);
        }
        assertEquals(frames, aSent);
        assertEquals(frames, bSent);
        long lostAtoB = wLoss.count(Fault.LOST);
        long lostBtoA = eLoss.count(Fault.LOST);
        assertTrue(lostAtoB > 0 && lostBtoA > 0, "the 2% loss did happen");
        assertEquals(frames - lostAtoB, bReceived, "every W5500 frame not lost reached the ENC28J60");
        assertEquals(frames - lostBtoA, aReceived, "every ENC28J60 frame not lost reached the W5500");
        assertEquals(List.of(), w.invalidUses());
        assertEquals(List.of(), e.invalidUses());
    }
}
