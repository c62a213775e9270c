package dev.spinet.harness.emu;

import static org.junit.jupiter.api.Assertions.*;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.w5500.W5500Config;
import dev.spinet.hal.eth.w5500.W5500Counter;
import dev.spinet.hal.eth.w5500.W5500Driver;
import dev.spinet.hal.eth.w5500.W5500Registers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The W5500 driver against emulated chip faults: a transmitter wedged by a link flap, a slow Sn_CR, a corrupt RSR. */
class W5500DriverFaultRecoveryTest {

    private static final long PEER = 0x0200_0000_0099L;

    private final W5500Emulator chip = new W5500Emulator();
    private final SteppingClock clock = new SteppingClock(100_000L);
    private final byte[] buffer = new byte[1514];
    private final W5500Config config = W5500Config.defaults(chip.mac());

    private W5500Driver driver() {
        return EmulatedDrivers.w5500(chip, clock, config);
    }

    @Test
    void aSendWedgedByALinkFlapTheDriverDidNotSeeIsAbandonedAfterTheTimeoutAndTransmissionResumes() {
        W5500Driver driver = driver();
        chip.setSendStuckAfterLinkFlap(true);
        byte[] first = Frames.frame(PEER, chip.mac(), 100, 1);
        byte[] lost = Frames.frame(PEER, chip.mac(), 200, 2);
        byte[] next = Frames.frame(PEER, chip.mac(), 300, 3);
        assertTrue(driver.transmit(first, 0, first.length));
        chip.setLink(false);
        chip.setLink(true);                      // shorter than the link poll interval: not seen
        assertTrue(driver.transmit(lost, 0, lost.length), "SEND written; the chip never finishes it");
        assertFalse(driver.transmit(next, 0, next.length), "within the timeout the SEND may still finish");
        assertEquals(0, driver.counter(W5500Counter.TX_TIMEOUTS));

        clock.advance(config.transmitTimeoutNanos());
        assertTrue(driver.transmit(next, 0, next.length), "past the timeout socket 0 is reopened and the frame sent");
        assertArrayEquals(next, chip.lastTransmitted());
        assertEquals(1, driver.counter(W5500Counter.TX_TIMEOUTS));
        assertEquals(1, driver.counter(W5500Counter.SOCKET_REOPENED));
        assertTrue(driver.transmit(first, 0, first.length), "and the next SEND completes normally");
        assertArrayEquals(first, chip.lastTransmitted());
        assertTrue(driver.transmit(next, 0, next.length));
        assertArrayEquals(next, chip.lastTransmitted());
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void aLinkFlapTheDriverSeesClosesSocketZeroAndReopensItOnLinkUpWithoutATimeout() {
        W5500Driver driver = driver();
        long linkChangesAtStart = driver.counter(W5500Counter.LINK_CHANGES);
        chip.setSendStuckAfterLinkFlap(true);
        byte[] f = Frames.frame(PEER, chip.mac(), 100, 1);
        assertTrue(driver.transmit(f, 0, f.length));
        chip.setLink(false);
        clock.advance(config.linkPollIntervalNanos());
        assertFalse(driver.linkUp());
        assertEquals(W5500Registers.SN_SR_CLOSED, chip.socketStatus(0), "socket 0 closed while the link is down");
        assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length));

        chip.setLink(true);
        clock.advance(config.linkPollIntervalNanos());
        assertTrue(driver.linkUp());
        assertEquals(W5500Registers.SN_SR_MACRAW, chip.socketStatus(0), "opened again on link up");
        for (int i = 0; i < 3; i++) {
            byte[] out = Frames.frame(PEER, chip.mac(), 100 + i, i);
            assertTrue(driver.transmit(out, 0, out.length), "frame " + i);
            assertArrayEquals(out, chip.lastTransmitted());
        }
        byte[] in = Frames.frame(chip.mac(), PEER, 400, 9);
        assertTrue(chip.injectFrame(in, 0, in.length));
        assertEquals(400, driver.receive(buffer, 0, buffer.length));
        assertEquals(linkChangesAtStart + 2, driver.counter(W5500Counter.LINK_CHANGES));
        assertEquals(1, driver.counter(W5500Counter.SOCKET_REOPENED));
        assertEquals(0, driver.counter(W5500Counter.TX_TIMEOUTS));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void aLinkThatComesBackBetweenReceivesReopensSocketZeroForReceptionToo() {
        W5500Driver driver = driver();
        chip.setLink(false);
        clock.advance(config.linkPollIntervalNanos());
        assertFalse(driver.linkUp());
        chip.setLink(true);
        clock.advance(config.linkPollIntervalNanos());
        assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length), "receive polls the link while the socket is closed");
        byte[] in = Frames.frame(chip.mac(), PEER, 120, 4);
        assertTrue(chip.injectFrame(in, 0, in.length));
        assertEquals(120, driver.receive(buffer, 0, buffer.length));
        assertEquals(List.of(), chip.invalidUses());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5})
    void noSocketCommandIsWrittenBeforeTheChipClearedSnCrForThePreviousOne(int busyReads) {
        chip.setCommandBusyReads(busyReads);
        W5500Driver driver = driver();
        int seed = 0;
        for (int round = 0; round < 20; round++) {
            int count = 1 + round % 3;
            byte[][] sent = new byte[count][];
            for (int i = 0; i < count; i++) {
                sent[i] = Frames.frame(chip.mac(), PEER, 60 + (seed * 211) % 1455, seed++);
                assertTrue(chip.injectFrame(sent[i], 0, sent[i].length));
            }
            for (int i = 0; i < count; i++) {
                int n = driver.receive(buffer, 0, buffer.length);
                assertArrayEquals(sent[i], java.util.Arrays.copyOf(buffer, Math.max(n, 0)), "round " + round + " frame " + i);
            }
            byte[] out = Frames.frame(PEER, chip.mac(), 100 + round, round);
            assertTrue(driver.transmit(out, 0, out.length), "round " + round);
            byte[] again = Frames.frame(PEER, chip.mac(), 200 + round, round);
            assertTrue(driver.transmit(again, 0, again.length), "round " + round);
        }
        assertEquals(0, driver.counter(W5500Counter.COMMAND_TIMEOUT));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void anImpossibleReceivedSizeIsReadAgainInsteadOfClampedToTheBuffer() {
        W5500Driver driver = driver();
        byte[] a = Frames.frame(chip.mac(), PEER, 300, 1);
        byte[] b = Frames.frame(chip.mac(), PEER, 500, 2);
        assertTrue(chip.injectFrame(a, 0, a.length));
        assertTrue(chip.injectFrame(b, 0, b.length));
        chip.corruptNextRxStatusRead();
        assertEquals(300, driver.receive(buffer, 0, buffer.length));
        assertArrayEquals(a, java.util.Arrays.copyOf(buffer, 300));
        assertEquals(500, driver.receive(buffer, 0, buffer.length));
        assertArrayEquals(b, java.util.Arrays.copyOf(buffer, 500));
        assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length));
        assertEquals(1, driver.counter(W5500Counter.RX_STATUS_IMPOSSIBLE));
        assertEquals(0, driver.counter(W5500Counter.RX_RECORD_CORRUPT));
        assertEquals(List.of(), chip.invalidUses());
    }

    // ---- INT lost, receive buffer full, brown-out ----

    @Test
    void anIdleWaitNeverOutlastsTheLinkPollIntervalSoALostInterruptDelaysFramesAtMostThat() throws InterruptedException {
        SleepingBoard.Pin pin = new SleepingBoard.Pin(chip.intPin());
        W5500Driver driver = new W5500Driver(chip, pin, chip.resetPin(), clock, config);
        driver.init();
        driver.awaitReceive(3_600_000_000_000L);
        assertEquals(config.linkPollIntervalNanos(), pin.requestedWaitNanos(), "an hour asked, one poll interval waited");
        assertEquals(0, driver.counter(W5500Counter.INT_MISSED));
    }

    @Test
    void framesWaitingWhileIntStaysHighAreFoundBeforeTheWaitCountedOnceAndWaitsShortenUntilIntIsSeenAgain()
            throws InterruptedException {
        SleepingBoard.Pin pin = new SleepingBoard.Pin(chip.intPin());
        W5500Driver driver = new W5500Driver(chip, pin, chip.resetPin(), clock, config);
        driver.init();
        chip.holdInterruptDeasserted(true);
        byte[] in = Frames.frame(chip.mac(), PEER, 300, 1);
        for (int round = 0; round < 3; round++) {
            assertTrue(chip.injectFrame(in, 0, in.length));
            driver.awaitReceive(3_600_000_000_000L);
            assertEquals(round == 0 ? -1 : 1_000_000L, pin.requestedWaitNanos(), "round " + round + ": Sn_IR.RECV set, no wait");
            assertEquals(300, driver.receive(buffer, 0, buffer.length));
            assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length));
            driver.awaitReceive(3_600_000_000_000L);
            assertEquals(1_000_000L, pin.requestedWaitNanos(), "while INT is suspect, waits last 1 ms");
        }
        assertEquals(1, driver.counter(W5500Counter.INT_MISSED), "one episode");
        chip.holdInterruptDeasserted(false);
        assertTrue(chip.injectFrame(in, 0, in.length));
        driver.awaitReceive(3_600_000_000_000L);
        assertEquals(300, driver.receive(buffer, 0, buffer.length));
        chip.intPin().awaitEdge(0); // the edges INT just made would end the next wait at once
        driver.awaitReceive(3_600_000_000_000L);
        assertEquals(config.linkPollIntervalNanos(), pin.requestedWaitNanos(), "INT seen asserted: back to the poll interval");
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void aReceiveBufferWithoutRoomForAFullSizeRecordIsCounted() {
        W5500Driver driver = driver();
        byte[] big = Frames.frame(chip.mac(), PEER, 1514, 1);
        for (int i = 0; i < 9; i++) {
            assertTrue(chip.injectFrame(big, 0, big.length));
        }
        assertEquals(1514, driver.receive(buffer, 0, buffer.length));
        assertEquals(0, driver.counter(W5500Counter.RX_BUFFER_FULL), "9 x 1516 bytes leave room for one more");
        while (driver.receive(buffer, 0, buffer.length) > 0) {
            // drain
        }
        for (int i = 0; i < 10; i++) {
            assertTrue(chip.injectFrame(big, 0, big.length));
        }
        assertEquals(1514, driver.receive(buffer, 0, buffer.length));
        assertEquals(1, driver.counter(W5500Counter.RX_BUFFER_FULL), "10 x 1516: less than a full record free");
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void aChipResetUnderTheDriverIsNoticedAtTheNextLinkPollAndConfiguredAgain() {
        W5500Driver driver = driver();
        long resetsBefore = driver.counter(W5500Counter.CHIP_RESETS);
        chip.brownOut();
        clock.advance(config.linkPollIntervalNanos());
        assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length));
        assertEquals(1, driver.counter(W5500Counter.REINITS));
        assertEquals(resetsBefore + 1, driver.counter(W5500Counter.CHIP_RESETS));
        assertEquals(W5500Registers.SN_SR_MACRAW, chip.socketStatus(0));
        assertEquals(chip.mac(), chip.stationAddress(), "SHAR written again");
        byte[] in = Frames.frame(chip.mac(), PEER, 200, 1);
        assertTrue(chip.injectFrame(in, 0, in.length));
        assertEquals(200, driver.receive(buffer, 0, buffer.length));
        byte[] out = Frames.frame(PEER, chip.mac(), 300, 2);
        assertTrue(driver.transmit(out, 0, out.length));
        assertArrayEquals(out, chip.lastTransmitted());
        assertEquals(List.of(), chip.invalidUses());
    }
}
