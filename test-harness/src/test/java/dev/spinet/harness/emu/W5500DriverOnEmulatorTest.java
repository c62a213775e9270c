package dev.spinet.harness.emu;

import static org.junit.jupiter.api.Assertions.*;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.hal.eth.SelfTestReport;
import dev.spinet.hal.eth.w5500.W5500Config;
import dev.spinet.hal.eth.w5500.W5500Counter;
import dev.spinet.hal.eth.w5500.W5500Driver;
import dev.spinet.hal.eth.w5500.W5500Registers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The W5500 driver against the register-level emulator: frames in and out, no invalid use. */
class W5500DriverOnEmulatorTest {

    private static final long PEER = 0x0200_0000_0099L;

    private final W5500Emulator chip = new W5500Emulator();
    private final SteppingClock clock = new SteppingClock(100_000L);
    private final byte[] buffer = new byte[1514];

    private W5500Driver driver(W5500Config config) {
        return EmulatedDrivers.w5500(chip, clock, config);
    }

    private W5500Driver driver() {
        return driver(W5500Config.defaults(chip.mac()));
    }

    @Test
    void initConfiguresSocketZeroMacrawWithFilteringAndRecordsNoInvalidUse() {
        driver();
        assertEquals(List.of(), chip.invalidUses());
        assertEquals(chip.mac(), chip.stationAddress());
        assertEquals(W5500Registers.SN_SR_MACRAW, chip.socketStatus(0));
        assertEquals(W5500Registers.SN_MR_MACRAW | W5500Registers.SN_MR_MFEN, chip.socketMode());
        assertEquals(1, chip.resetPin().fallingEdges(), "RESET pulsed once");
    }

    @Test
    void receivesABurstAsOneBatchAndFramesOnlyForUsOrBroadcast() {
        W5500Driver driver = driver();
        for (int i = 0; i < 8; i++) {
            byte[] f = Frames.frame(i % 2 == 0 ? chip.mac() : MacAddress.BROADCAST, PEER, 100 + i, i);
            assertTrue(chip.injectFrame(f, 0, f.length));
        }
        byte[] other = Frames.frame(0x0200_0000_0777L, PEER, 100, 9);
        assertFalse(chip.injectFrame(other, 0, other.length), "MFEN drops frames for other stations");
        for (int i = 0; i < 8; i++) {
            assertEquals(100 + i, driver.receive(buffer, 0, buffer.length));
        }
        assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length));
        assertEquals(1, driver.counter(W5500Counter.RX_BATCHES));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void promiscuousReceivesFramesForOtherStations() {
        W5500Driver driver = driver(W5500Config.defaults(chip.mac()).withPromiscuous(true));
        byte[] other = Frames.frame(0x0200_0000_0777L, PEER, 200, 3);
        assertTrue(chip.injectFrame(other, 0, other.length));
        assertEquals(200, driver.receive(buffer, 0, buffer.length));
        assertEquals(W5500Registers.SN_MR_MACRAW, chip.socketMode());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void pointersWrapRoundTheSixteenKibBufferInBothPointerStyles(boolean split) {
        W5500Driver driver = driver(W5500Config.defaults(chip.mac()).withSplitAtWrap(split));
        int seed = 0;
        for (int round = 0; round < 40; round++) {
            int count = 1 + round % 5;
            byte[][] sent = new byte[count][];
            for (int i = 0; i < count; i++) {
                sent[i] = Frames.frame(chip.mac(), PEER, 60 + (seed * 397) % 1455, seed);
                seed++;
                assertTrue(chip.injectFrame(sent[i], 0, sent[i].length));
            }
            for (int i = 0; i < count; i++) {
                int n = driver.receive(buffer, 0, buffer.length);
                assertArrayEquals(sent[i], java.util.Arrays.copyOf(buffer, Math.max(n, 0)), "round " + round + " frame " + i);
            }
            byte[] out = Frames.frame(PEER, chip.mac(), 60 + (round * 331) % 1455, round);
            assertTrue(driver.transmit(out, 0, out.length));
            assertArrayEquals(out, chip.lastTransmitted());
        }
        assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void aFrameArrivingBetweenTheTwoRsrBytesIsNotLostOrSplit() {
        W5500Driver driver = driver();
        byte[] first = Frames.frame(chip.mac(), PEER, 250, 1);
        byte[] second = Frames.frame(chip.mac(), PEER, 300, 2);
        chip.injectFrame(first, 0, first.length);
        chip.deliverBetweenRsrBytes(second, 0, second.length);
        assertEquals(250, driver.receive(buffer, 0, buffer.length));
        assertEquals(300, driver.receive(buffer, 0, buffer.length));
        assertArrayEquals(second, java.util.Arrays.copyOf(buffer, 300));
        assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length));
        assertEquals(List.of(), chip.invalidUses());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void recvAndSendTakingEffectLateLoseNothing(int latency) {
        W5500Driver driver = driver();
        chip.setCommandLatency(latency);
        int seed = 0;
        for (int round = 0; round < 30; round++) {
            int count = 1 + round % 3;
            byte[][] sent = new byte[count][];
            for (int i = 0; i < count; i++) {
                sent[i] = Frames.frame(chip.mac(), PEER, 60 + (seed * 211) % 1455, seed++);
                chip.injectFrame(sent[i], 0, sent[i].length);
            }
            for (int i = 0; i < count; i++) {
                int n = driver.receive(buffer, 0, buffer.length);
                assertArrayEquals(sent[i], java.util.Arrays.copyOf(buffer, Math.max(n, 0)), "round " + round + " frame " + i);
            }
            // Straight after RECV: the chip has not taken it yet, RSR still counts the old records.
            assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length));
            byte[] out = Frames.frame(PEER, chip.mac(), 100 + round, round);
            assertTrue(driver.transmit(out, 0, out.length));
        }
        assertEquals(List.of(), chip.invalidUses());
        assertTrue(driver.counter(W5500Counter.RX_POINTER_DISAGREEMENT) > 0, "RSR was read before RECV took effect");
    }

    @Test
    void transmitPadsShortFramesAndWaitsForThePreviousSend() {
        W5500Driver driver = driver();
        chip.setSendLatency(3);
        byte[] small = Frames.frame(PEER, chip.mac(), 42, 1);
        assertTrue(driver.transmit(small, 0, small.length));
        byte[] big = Frames.frame(PEER, chip.mac(), 1514, 2);
        assertTrue(driver.transmit(big, 0, big.length));
        assertArrayEquals(Frames.padded(small), chip.lastTransmitted(), "first frame left, padded to 60");
        assertTrue(driver.transmit(small, 0, small.length));
        assertArrayEquals(big, chip.lastTransmitted());
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void transmitReportsBusyWhenTheChipNeverFinishesSending() {
        W5500Driver driver = driver();
        chip.setSendLatency(1_000_000);
        byte[] f = Frames.frame(PEER, chip.mac(), 100, 1);
        assertTrue(driver.transmit(f, 0, f.length));
        assertFalse(driver.transmit(f, 0, f.length));
        assertEquals(1, driver.counter(W5500Counter.TX_BUSY));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void awaitReceiveClearsRecvAndIntGoesHigh() throws InterruptedException {
        W5500Driver driver = driver();
        byte[] f = Frames.frame(chip.mac(), PEER, 100, 1);
        chip.injectFrame(f, 0, f.length);
        assertFalse(chip.intPin().isHigh(), "RECV asserts INT");
        assertEquals(100, driver.receive(buffer, 0, buffer.length));
        driver.awaitReceive(1_000_000L);
        assertTrue(chip.intPin().isHigh(), "Sn_IR.RECV cleared");
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void selfTestPassesOnAWorkingChipAndLeavesItUsable() {
        W5500Driver driver = driver();
        SelfTestReport report = driver.selfTest();
        assertTrue(report.passed(), report.toString());
        assertEquals(SelfTestReport.Status.PASS, report.find("identity").status());
        assertEquals(SelfTestReport.Status.PASS, report.find("register read-back").status());
        assertEquals(SelfTestReport.Status.PASS, report.find("link").status());
        byte[] f = Frames.frame(chip.mac(), PEER, 100, 1);
        chip.injectFrame(f, 0, f.length);
        assertEquals(100, driver.receive(buffer, 0, buffer.length));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void selfTestReportsLinkDown() {
        W5500Driver driver = driver();
        chip.setLink(false);
        SelfTestReport report = driver.selfTest();
        assertFalse(report.passed());
        assertEquals(SelfTestReport.Status.FAIL, report.find("link").status());
    }
}
