package dev.spinet.harness.emu;

import static dev.spinet.hal.eth.enc28j60.Enc28j60Registers.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.hal.eth.SelfTestReport;
import dev.spinet.hal.eth.enc28j60.Enc28j60Config;
import dev.spinet.hal.eth.enc28j60.Enc28j60Counter;
import dev.spinet.hal.eth.enc28j60.Enc28j60Driver;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ENC28J60 driver against the register-level emulator: frames in and out, errata, no invalid use. */
class Enc28j60DriverOnEmulatorTest {

    private static final long PEER = 0x0200_0000_0099L;

    private final SteppingClock clock = new SteppingClock(100_000L);
    private final Enc28j60Emulator chip = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, clock);
    private final byte[] buffer = new byte[1514];

    private Enc28j60Driver driver(Enc28j60Config config) {
        return EmulatedDrivers.enc28j60(chip, clock, config);
    }

    private Enc28j60Driver driver() {
        return driver(Enc28j60Config.defaults(chip.mac()));
    }

    @Test
    void initProgramsTheReferenceConfigurationWithoutInvalidUse() {
        Enc28j60Driver driver = driver();
        assertEquals(List.of(), chip.invalidUses());
        assertEquals(REVISION_B7, driver.revision());
        assertEquals(ERXFCON_UCEN | ERXFCON_CRCEN | ERXFCON_BCEN, chip.register(1, ERXFCON));
        assertEquals(MACON3_PADCFG0 | MACON3_TXCRCEN | MACON3_FRMLNEN, chip.register(2, MACON3), "half duplex by default");
        assertEquals(MACON4_DEFER, chip.register(2, MACON4));
        assertEquals(PHCON2_HDLDIS, chip.phyRegister(PHCON2));
        assertEquals(0, chip.phyRegister(PHCON1));
        assertEquals(0x05EE, chip.register(2, MAMXFLL) | chip.register(2, MAMXFLH) << 8);
        assertEquals(0x19FF, chip.register(0, ERXRDPTL) | chip.register(0, ERXRDPTH) << 8, "ERXRDPT odd");
        assertEquals(1, chip.register(0, ECON1) & ECON1_BSEL_MASK, "left in bank 1, where the receive poll reads EPKTCNT");
        assertNotEquals(0, chip.register(0, ECON1) & ECON1_RXEN);
        assertTrue(driver.linkUp());
    }

    @Test
    void fullDuplexSetsMacAndPhyTogether() {
        driver(Enc28j60Config.defaults(chip.mac()).withFullDuplex(true));
        assertEquals(MACON3_PADCFG0 | MACON3_TXCRCEN | MACON3_FRMLNEN | MACON3_FULDPX, chip.register(2, MACON3));
        assertEquals(PHCON1_PDPXMD, chip.phyRegister(PHCON1));
        assertEquals(0, chip.phyRegister(PHCON2));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void theFifoWrapsManyTimesWithoutLosingAByte() throws InterruptedException {
        Enc28j60Driver driver = driver();
        int seed = 0;
        for (int round = 0; round < 60; round++) {
            int count = 1 + round % 4;
            byte[][] sent = new byte[count][];
            for (int i = 0; i < count; i++) {
                sent[i] = Frames.frame(i == 1 ? MacAddress.BROADCAST : chip.mac(), PEER, 60 + (seed * 397) % 1455, seed);
                seed++;
                assertTrue(chip.injectFrame(sent[i], 0, sent[i].length), "round " + round);
            }
            for (int i = 0; i < count; i++) {
                int n = driver.receive(buffer, 0, buffer.length);
                assertArrayEquals(sent[i], java.util.Arrays.copyOf(buffer, Math.max(n, 0)), "round " + round + " frame " + i);
            }
            assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length), "drained");
            // An idle stack sleeps: the FIFO space goes back to the chip before it does (a drain
            // alone keeps up to half the FIFO until the next release), so 4 frames fit again.
            driver.awaitReceive(0);
            byte[] out = Frames.frame(PEER, chip.mac(), 14 + (round * 331) % 1501, round);
            assertTrue(driver.transmit(out, 0, out.length));
            assertArrayEquals(Frames.padded(out), chip.lastTransmitted());
        }
        assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void filtersFramesForOtherStationsUnlessPromiscuous() {
        driver();
        byte[] other = Frames.frame(0x0200_0000_0777L, PEER, 100, 1);
        assertFalse(chip.injectFrame(other, 0, other.length));
        Enc28j60Emulator second = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, clock);
        Enc28j60Driver promiscuous = new Enc28j60Driver(second, second.intPin(), second.resetPin(), clock,
                Enc28j60Config.defaults(second.mac()).withPromiscuous(true));
        promiscuous.init();
        assertTrue(second.injectFrame(other, 0, other.length));
        assertEquals(100, promiscuous.receive(buffer, 0, buffer.length));
    }

    @Test
    void aCorruptNextPacketPointerResetsTheReceiveLogicAndReceptionGoesOn() {
        Enc28j60Driver driver = driver();
        byte[] f = Frames.frame(chip.mac(), PEER, 300, 1);
        chip.corruptNextPacketPointer();
        chip.injectFrame(f, 0, f.length);
        chip.injectFrame(f, 0, f.length);
        assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length));
        assertEquals(1, driver.counter(Enc28j60Counter.RX_CORRUPT_RESET));
        assertEquals(0, chip.packetCount());
        byte[] g = Frames.frame(chip.mac(), PEER, 700, 2);
        chip.injectFrame(g, 0, g.length);
        assertEquals(700, driver.receive(buffer, 0, buffer.length));
        assertArrayEquals(g, java.util.Arrays.copyOf(buffer, 700));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void framesWithBadFcsAreSkippedInPromiscuousModeAndFilteredOtherwise() {
        Enc28j60Driver driver = driver(Enc28j60Config.defaults(chip.mac()).withPromiscuous(true));
        byte[] bad = Frames.frame(chip.mac(), PEER, 200, 1);
        byte[] good = Frames.frame(chip.mac(), PEER, 300, 2);
        chip.corruptNextFcs();
        assertTrue(chip.injectFrame(bad, 0, bad.length), "CRCEN off: stored with the CRC error bit");
        chip.injectFrame(good, 0, good.length);
        assertEquals(300, driver.receive(buffer, 0, buffer.length), "the bad frame is skipped in the same call");
        assertEquals(1, driver.counter(Enc28j60Counter.RX_BAD_STATUS));
        assertEquals(List.of(), chip.invalidUses());

        Enc28j60Emulator filtering = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, clock);
        new Enc28j60Driver(filtering, filtering.intPin(), null, clock, Enc28j60Config.defaults(filtering.mac())).init();
        filtering.corruptNextFcs();
        assertFalse(filtering.injectFrame(bad, 0, bad.length), "CRCEN on: dropped by the chip");
    }

    @Test
    void overflowIsCountedAndReceptionRecovers() {
        Enc28j60Driver driver = driver();
        byte[] f = Frames.frame(chip.mac(), PEER, 1514, 1);
        int stored = 0;
        for (int i = 0; i < 8; i++) {
            if (chip.injectFrame(f, 0, f.length)) {
                stored++;
            }
        }
        assertTrue(stored < 8, "6.5 KiB hold four full frames");
        for (int i = 0; i < stored; i++) {
            assertEquals(1514, driver.receive(buffer, 0, buffer.length));
        }
        assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length));
        assertEquals(1, driver.counter(Enc28j60Counter.RX_OVERFLOW));
        assertTrue(chip.injectFrame(f, 0, f.length));
        assertEquals(1514, driver.receive(buffer, 0, buffer.length));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void lateCollisionsAreRetriedAfterATxrstPulse() {
        Enc28j60Driver driver = driver();
        chip.injectLateCollisions(3);
        byte[] f = Frames.frame(PEER, chip.mac(), 200, 1);
        long before = chip.framesTransmitted();
        assertTrue(driver.transmit(f, 0, f.length));
        byte[] g = Frames.frame(PEER, chip.mac(), 300, 2);
        assertTrue(driver.transmit(g, 0, g.length));
        assertEquals(before + 2, chip.framesTransmitted(), "the first frame went out on its fourth attempt");
        assertEquals(3, driver.counter(Enc28j60Counter.TX_LATE_COLLISION_RETRIES));
        assertArrayEquals(g, chip.lastTransmitted());
        assertEquals(List.of(), chip.invalidUses(), "no TXRTS without TXRST after an abort");
    }

    @Test
    void aFrameIsAbandonedAfterTheRetriesRunOut() {
        Enc28j60Driver driver = driver();
        chip.injectLateCollisions(100);
        byte[] f = Frames.frame(PEER, chip.mac(), 200, 1);
        assertTrue(driver.transmit(f, 0, f.length));
        for (int i = 0; i < 20; i++) {
            driver.linkUp(); // each poll services one TXERIF: TXRST pulse, TSV, retry
        }
        assertEquals(1, driver.counter(Enc28j60Counter.TX_ABANDONED));
        assertEquals(16, driver.counter(Enc28j60Counter.TX_LATE_COLLISION_RETRIES));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void aPollerThatNeverSleepsGetsTheFifoBackOnceHalfIsConsumed() {
        Enc28j60Driver driver = driver();
        int frames = 40;
        int injected = 0;
        int received = 0;
        int heldBackMax = 0;
        for (int guard = 0; guard < 1000 && received < frames; guard++) {
            while (injected < frames) {
                byte[] f = Frames.frame(chip.mac(), PEER, 1514, injected);
                if (!chip.hasRoomFor(f.length)) {
                    break;
                }
                assertTrue(chip.injectFrame(f, 0, f.length));
                injected++;
            }
            int n = driver.receive(buffer, 0, buffer.length);
            if (n > 0) {
                assertArrayEquals(Frames.frame(chip.mac(), PEER, 1514, received), java.util.Arrays.copyOf(buffer, n));
                received++;
            }
            int readPointer = chip.register(0, ERXRDPTL) | chip.register(0, ERXRDPTH) << 8;
            int erdpt = chip.register(0, ERDPTL) | chip.register(0, ERDPTH) << 8;
            heldBackMax = Math.max(heldBackMax, Math.floorMod(erdpt - 1 - readPointer, 0x1A00));
        }
        assertEquals(frames, received);
        assertEquals(0, chip.overflows());
        assertTrue(heldBackMax <= 0x1A00 / 2, "consumed but not released after a receive: at most half the FIFO, was " + heldBackMax);
        assertTrue(driver.counter(Enc28j60Counter.RX_READ_POINTER_UPDATES) >= frames * 1524 / (0x1A00 / 2 + 1524));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void transmitWaitsForTheFrameInFlightAndReportsBusyWhenItNeverLeaves() {
        Enc28j60Driver driver = driver();
        chip.setTransmitLatency(3);
        byte[] f = Frames.frame(PEER, chip.mac(), 200, 1);
        assertTrue(driver.transmit(f, 0, f.length));
        assertTrue(driver.transmit(f, 0, f.length));
        chip.setTransmitLatency(1_000_000);
        assertTrue(driver.transmit(f, 0, f.length));
        assertFalse(driver.transmit(f, 0, f.length));
        assertEquals(1, driver.counter(Enc28j60Counter.TX_BUSY));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void linkChangesArriveThroughTheInterruptPin() {
        Enc28j60Driver driver = driver();
        assertTrue(driver.linkUp());
        chip.setLink(false);
        assertFalse(chip.intPin().isHigh(), "LINKIF asserts INT");
        assertFalse(driver.linkUp());
        assertTrue(chip.intPin().isHigh(), "PHIR read cleared LINKIF");
        byte[] f = Frames.frame(PEER, chip.mac(), 100, 1);
        assertFalse(driver.transmit(f, 0, f.length));
        chip.setLink(true);
        assertTrue(driver.linkUp());
        assertEquals(2, driver.counter(Enc28j60Counter.LINK_CHANGES));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void receptionDoesNotDependOnPktif() throws InterruptedException {
        Enc28j60Driver driver = driver();
        chip.setPktifBroken(true);
        byte[] f = Frames.frame(chip.mac(), PEER, 100, 1);
        chip.injectFrame(f, 0, f.length);
        driver.awaitReceive(1_000_000L);
        assertEquals(100, driver.receive(buffer, 0, buffer.length));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void awaitReceiveWakesOnPktifAndTheNextReceiveTurnsPktieOff() throws InterruptedException {
        Enc28j60Driver driver = driver();
        byte[] f = Frames.frame(chip.mac(), PEER, 100, 1);
        chip.injectFrame(f, 0, f.length);
        long start = System.nanoTime();
        driver.awaitReceive(5_000_000_000L);
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "woke on INT, not on the timeout");
        assertEquals(EI_PKT, chip.register(0, EIE) & EI_PKT, "the wait is the last thing awaitReceive does");
        assertEquals(100, driver.receive(buffer, 0, buffer.length));
        assertEquals(0, chip.register(0, EIE) & EI_PKT, "off on the packet path");
    }

    @Test
    void aDriverThatDoesNotWaitAfterResetIsCaught() {
        Enc28j60Emulator strict = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, new SteppingClock(0));
        Enc28j60Driver driver = new Enc28j60Driver(strict, strict.intPin(), null, new SteppingClock(0),
                Enc28j60Config.defaults(strict.mac()));
        assertThrows(IllegalStateException.class, driver::init, "frozen clocks: the chip ignores everything after SRC");
        assertFalse(strict.invalidUses().isEmpty());
        assertTrue(strict.invalidUses().get(0).contains("within 1 ms of reset"), strict.invalidUses().get(0));
    }

    @Test
    void selfTestPassesIncludingPhyLoopbackAndLeavesTheChipUsable() {
        Enc28j60Driver driver = driver();
        SelfTestReport report = driver.selfTest();
        assertTrue(report.passed(), report.toString());
        assertEquals(SelfTestReport.Status.PASS, report.find("loopback").status());
        assertEquals(SelfTestReport.Status.PASS, report.find("register read-back").status());
        assertEquals(0, chip.phyRegister(PHCON1) & PHCON1_PLOOPBK, "loopback switched off again");
        byte[] f = Frames.frame(chip.mac(), PEER, 100, 1);
        chip.injectFrame(f, 0, f.length);
        assertEquals(100, driver.receive(buffer, 0, buffer.length));
        assertEquals(List.of(), chip.invalidUses());
    }
}
