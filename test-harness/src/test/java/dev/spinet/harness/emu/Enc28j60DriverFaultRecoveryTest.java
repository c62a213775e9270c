package dev.spinet.harness.emu;

import static dev.spinet.hal.eth.enc28j60.Enc28j60Registers.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.SelfTestReport;
import dev.spinet.hal.eth.enc28j60.Enc28j60Config;
import dev.spinet.hal.eth.enc28j60.Enc28j60Counter;
import dev.spinet.hal.eth.enc28j60.Enc28j60Driver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ENC28J60 driver against emulated silicon faults from errata DS80349 (items 10, 12, 13). */
class Enc28j60DriverFaultRecoveryTest {

    private static final long PEER = 0x0200_0000_0099L;

    private final SteppingClock clock = new SteppingClock(100_000L);
    private final Enc28j60Emulator chip = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, clock);

    private Enc28j60Driver driver(Enc28j60Config config) {
        return EmulatedDrivers.enc28j60(chip, clock, config);
    }

    @Test
    void aTransmitStuckWithTxrtsSetAndNoTxerifIsAbandonedAfterTheTimeoutAndTheNextFrameLeaves() {
        Enc28j60Config config = Enc28j60Config.defaults(chip.mac());
        Enc28j60Driver driver = driver(config);
        byte[] stuck = Frames.frame(PEER, chip.mac(), 200, 1);
        byte[] next = Frames.frame(PEER, chip.mac(), 300, 2);
        chip.injectStuckTransmits(1);
        assertTrue(driver.transmit(stuck, 0, stuck.length));
        long sentBefore = chip.framesTransmitted();

        assertFalse(driver.transmit(next, 0, next.length), "within the timeout the frame in flight may still leave");
        assertEquals(1, driver.counter(Enc28j60Counter.TX_BUSY));
        assertEquals(0, driver.counter(Enc28j60Counter.TX_TIMEOUTS));

        clock.advance(config.transmitTimeoutNanos());
        assertTrue(driver.transmit(next, 0, next.length), "past the timeout the transmit logic is reset and the next frame sent");
        assertEquals(1, driver.counter(Enc28j60Counter.TX_TIMEOUTS));
        assertEquals(sentBefore + 1, chip.framesTransmitted());
        assertArrayEquals(next, chip.lastTransmitted());
        assertTrue(driver.transmit(stuck, 0, stuck.length), "and the one after that goes normally");
        assertArrayEquals(Frames.padded(stuck), chip.lastTransmitted());
        assertEquals(List.of(), chip.invalidUses(), "TXRST pulsed before TXRTS was set again");
    }

    @Test
    void theTransmitTimeoutIsASettingAndDefaultsToOneSecond() {
        assertEquals(1_000_000_000L, Enc28j60Config.defaults(chip.mac()).transmitTimeoutNanos());
        Enc28j60Config quick = Enc28j60Config.defaults(chip.mac()).withTransmitTimeoutNanos(5_000_000L);
        Enc28j60Driver driver = driver(quick);
        chip.injectStuckTransmits(1);
        byte[] f = Frames.frame(PEER, chip.mac(), 100, 1);
        assertTrue(driver.transmit(f, 0, f.length));
        clock.advance(5_000_000L);
        assertTrue(driver.transmit(f, 0, f.length));
        assertEquals(1, driver.counter(Enc28j60Counter.TX_TIMEOUTS));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void halfDuplexInitSetsTheCollisionWindowTo63AndTheLedsToLinkAndActivity() {
        driver(Enc28j60Config.defaults(chip.mac()));
        assertEquals(63, chip.register(2, MACLCON2), "errata item 13: fewer false late collisions");
        assertEquals(0x3476, chip.phyRegister(PHLCON), "LEDA link, LEDB transmit/receive activity, stretched");
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void fullDuplexInitLeavesTheCollisionWindowAtItsResetValueAndSetsTheLeds() {
        driver(Enc28j60Config.defaults(chip.mac()).withFullDuplex(true));
        assertEquals(0x37, chip.register(2, MACLCON2), "collisions do not exist in full duplex");
        assertEquals(0x3476, chip.phyRegister(PHLCON));
    }

    @Test
    void selfTestPassesOnAWorkingBoardWhosePhyLoopbackLosesTheFrame() {
        Enc28j60Driver driver = driver(Enc28j60Config.defaults(chip.mac()));
        chip.setLoopbackBroken(true);
        SelfTestReport report = driver.selfTest();
        assertTrue(report.passed(), report.toString());
        SelfTestReport.Check loopback = report.find("loopback");
        assertEquals(SelfTestReport.Status.INFO, loopback.status());
        assertTrue(loopback.detail().contains("item 10"), loopback.detail());
        assertEquals(0, chip.phyRegister(PHCON1) & PHCON1_PLOOPBK, "loopback switched off again");
        assertEquals(List.of(), chip.invalidUses());
    }

    // ---- INT lost, EPKTCNT saturated, brown-out ----

    private final byte[] buffer = new byte[1514];

    @Test
    void anIdleWaitNeverOutlastsThePollIntervalAndPacketsFoundAfterItWithIntHighAreCountedOnce() throws InterruptedException {
        Enc28j60Config config = Enc28j60Config.defaults(chip.mac());
        SleepingBoard.Pin pin = new SleepingBoard.Pin(chip.intPin());
        Enc28j60Driver driver = new Enc28j60Driver(chip, pin, chip.resetPin(), clock, config);
        driver.init();
        driver.awaitReceive(3_600_000_000_000L);
        assertEquals(config.pollIntervalNanos(), pin.requestedWaitNanos(), "an hour asked, one poll interval waited");

        chip.holdInterruptDeasserted(true);
        byte[] in = Frames.frame(chip.mac(), PEER, 300, 1);
        assertTrue(chip.injectFrame(in, 0, in.length), "arrives while the board sleeps; INT stays high");
        assertEquals(300, driver.receive(buffer, 0, buffer.length));
        assertEquals(1, driver.counter(Enc28j60Counter.INT_MISSED));
        assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length));
        assertTrue(chip.injectFrame(in, 0, in.length));
        driver.awaitReceive(3_600_000_000_000L);
        assertEquals(300, driver.receive(buffer, 0, buffer.length), "found by the check before the wait");
        driver.awaitReceive(3_600_000_000_000L);
        assertEquals(1_000_000L, pin.requestedWaitNanos(), "while INT is suspect, waits last 1 ms");
        assertEquals(1, driver.counter(Enc28j60Counter.INT_MISSED), "one episode");
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void aSaturatedPacketCountNeverHandsUpAFrameThatWasNotReceived() {
        Enc28j60Driver driver = driver(Enc28j60Config.defaults(chip.mac()));
        // Laps of the FIFO first, so what lies beyond the write pointer is old packets, not zeros.
        java.util.Set<String> sent = new java.util.HashSet<>();
        for (int i = 0; i < 40; i++) {
            byte[] in = Frames.frame(chip.mac(), PEER, 600 + i, i);
            sent.add(java.util.Arrays.toString(in));
            assertTrue(chip.injectFrame(in, 0, in.length));
            assertEquals(in.length, driver.receive(buffer, 0, buffer.length));
        }
        byte[] last = Frames.frame(chip.mac(), PEER, 700, 99);
        assertTrue(chip.injectFrame(last, 0, last.length));
        chip.saturatePacketCount();
        java.util.List<String> handedUp = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = driver.receive(buffer, 0, buffer.length);
            if (n > 0) {
                handedUp.add(java.util.Arrays.toString(java.util.Arrays.copyOf(buffer, n)));
            }
        }
        handedUp.remove(java.util.Arrays.toString(last));
        assertEquals(java.util.List.of(), handedUp, "frames handed up after EPKTCNT read 255 that were not the one waiting");
        assertEquals(0, chip.packetCount());
        byte[] after = Frames.frame(chip.mac(), PEER, 800, 7);
        assertTrue(chip.injectFrame(after, 0, after.length));
        assertEquals(800, driver.receive(buffer, 0, buffer.length));
        assertTrue(driver.counter(Enc28j60Counter.RX_CORRUPT_RESET) >= 1);
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void aChipResetUnderTheDriverIsNoticedAtTheNextPeriodicCheckAndConfiguredAgain() {
        Enc28j60Config config = Enc28j60Config.defaults(chip.mac());
        Enc28j60Driver driver = driver(config);
        long resetsBefore = driver.counter(Enc28j60Counter.CHIP_RESETS);
        chip.brownOut();
        clock.advance(config.pollIntervalNanos());
        assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length));
        assertEquals(1, driver.counter(Enc28j60Counter.REINITS));
        assertEquals(resetsBefore + 1, driver.counter(Enc28j60Counter.CHIP_RESETS));
        assertEquals(EIE_INTIE, chip.register(0, EIE) & EIE_INTIE, "EIE written again");
        byte[] in = Frames.frame(chip.mac(), PEER, 200, 1);
        assertTrue(chip.injectFrame(in, 0, in.length));
        assertEquals(200, driver.receive(buffer, 0, buffer.length));
        byte[] out = Frames.frame(PEER, chip.mac(), 300, 2);
        assertTrue(driver.transmit(out, 0, out.length));
        assertArrayEquals(out, chip.lastTransmitted());
        assertEquals(List.of(), chip.invalidUses());
    }
}
