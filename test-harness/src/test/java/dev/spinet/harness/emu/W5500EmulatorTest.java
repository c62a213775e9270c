package dev.spinet.harness.emu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The W5500 emulator driven by datasheet sequences only (no driver). */
class W5500EmulatorTest {

    private final W5500Emulator chip = new W5500Emulator();

    private byte[] xfer(int... bytes) {
        return DatasheetSpi.exchange(chip, bytes);
    }

    private int read8(int address, int bsb) {
        return xfer(address >> 8, address & 0xFF, bsb << 3, 0)[3] & 0xFF;
    }

    private int read16(int address, int bsb) {
        byte[] rx = xfer(address >> 8, address & 0xFF, bsb << 3, 0, 0);
        return ((rx[3] & 0xFF) << 8) | (rx[4] & 0xFF);
    }

    private void write(int address, int bsb, int... data) {
        int[] all = new int[3 + data.length];
        all[0] = address >> 8;
        all[1] = address & 0xFF;
        all[2] = (bsb << 3) | 0x04;
        System.arraycopy(data, 0, all, 3, data.length);
        xfer(all);
    }

    private void openMacraw(int mode) {
        write(0x0009, 0, 0x02, 0, 0, 0, 0x55, 0x00);
        for (int n = 7; n >= 1; n--) {
            write(0x001E, 4 * n + 1, 0, 0);
        }
        write(0x001E, 1, 16, 16);
        write(0x0000, 1, mode);
        write(0x0001, 1, 0x01);
    }

    @Test
    void versionrReadsZeroOnceAfterResetThen04AfterTheThreeHeaderBytes() {
        assertEquals(0, read8(0x0039, 0), "first read after reset: 0 (retry)");
        byte[] rx = xfer(0x00, 0x39, 0x00, 0x00);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, rx, "MISO 01 02 03 during the header, then VERSIONR");
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void resetValues() {
        assertEquals(0x07D0, read16(0x0019, 0), "RTR");
        assertEquals(0x08, read8(0x001B, 0), "RCR");
        assertEquals(0xB8 | 0x07, read8(0x002E, 0), "PHYCFGR with link up, 100 full");
        assertEquals(2, read8(0x001E, 1), "S0_RXBUF_SIZE");
        assertEquals(2048, read16(0x0020, 1), "S0_TX_FSR");
        assertEquals(0x80, read8(0x0016, 1), "S0_TTL");
    }

    @Test
    void fixedLengthModesCarryExactlyTheirLength() {
        byte[] rx = xfer(0x00, 0x19, 0x02, 0, 0);
        assertEquals(0x07, rx[3]);
        assertEquals((byte) 0xD0, rx[4]);
        assertEquals(List.of(), chip.invalidUses());
        xfer(0x00, 0x19, 0x03, 0, 0);
        assertEquals(1, chip.invalidUses().size());
        assertTrue(chip.invalidUses().get(0).contains("fixed-length mode (4 bytes)"), chip.invalidUses().get(0));
    }

    @Test
    void readOnlyAndReservedWritesAndReservedBlocksAreRecorded() {
        write(0x0039, 0, 0x05);
        write(0x0003, 1, 0x42);
        xfer(0x00, 0x00, 0x20, 0);
        assertEquals(3, chip.invalidUses().size(), chip.invalidUses().toString());
        assertEquals(0x04, read8(0x0039, 0) | read8(0x0039, 0));
    }

    @Test
    void macrawRecordLengthIncludesItsOwnTwoBytesAndRecvFreesThem() {
        openMacraw(0x84);
        assertEquals(0x42, read8(0x0003, 1), "SOCK_MACRAW");
        byte[] frame = Frames.frame(0x0200_0000_5500L, 0x0200_0000_0099L, 100, 1);
        assertTrue(chip.injectFrame(frame, 0, 100));
        assertEquals(102, read16(0x0026, 1), "RSR counts the 2-byte length");
        byte[] record = new byte[102];
        chip.transfer(new byte[] {0, 0, 0x18}, 0, 3, null, 0, record, 0, 102);
        assertEquals(102, ((record[0] & 0xFF) << 8) | (record[1] & 0xFF));
        assertArrayEquals(frame, java.util.Arrays.copyOfRange(record, 2, 102));
        assertEquals(0x04, read8(0x0002, 1) & 0x04, "Sn_IR.RECV");
        write(0x0028, 1, 0x00, 102);
        assertEquals(102, read16(0x0026, 1), "RX_RD takes effect only at RECV");
        write(0x0001, 1, 0x40);
        assertEquals(0, read16(0x0026, 1));
        assertEquals(0, read8(0x0001, 1), "CR self-clears");
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void macFilterDropsOtherStationsUnlessPromiscuous() {
        openMacraw(0x84);
        byte[] other = Frames.frame(0x0200_0000_0777L, 0x0200_0000_0099L, 80, 1);
        assertFalse(chip.injectFrame(other, 0, 80));
        write(0x0001, 1, 0x10);
        write(0x0000, 1, 0x04);
        write(0x0001, 1, 0x01);
        assertTrue(chip.injectFrame(other, 0, 80));
    }

    @Test
    void bothPointerStylesReadTheSameBytesAcrossTheWrap() {
        openMacraw(0x04);
        byte[] frame = Frames.frame(0x0200_0000_5500L, 0x0200_0000_0099L, 1000, 1);
        int read = 0;
        for (int i = 0; i < 16; i++) {
            chip.injectFrame(frame, 0, 1000);
            read = (read + 1002) & 0xFFFF;
            write(0x0028, 1, read >> 8, read & 0xFF);
            write(0x0001, 1, 0x40);
        }
        byte[] wrapping = Frames.frame(0x0200_0000_5500L, 0x0200_0000_0099L, 1400, 2);
        chip.injectFrame(wrapping, 0, 1400);
        assertTrue((read & 0x3FFF) + 1402 > 0x4000, "the record crosses the end of the 16 KiB block");
        byte[] raw = new byte[1402];
        chip.transfer(new byte[] {(byte) (read >> 8), (byte) read, 0x18}, 0, 3, null, 0, raw, 0, 1402);
        byte[] split = new byte[1402];
        int start = read & 0x3FFF;
        int first = 0x4000 - start;
        chip.transfer(new byte[] {(byte) (start >> 8), (byte) start, 0x18}, 0, 3, null, 0, split, 0, first);
        chip.transfer(new byte[] {0, 0, 0x18}, 0, 3, null, 0, split, first, 1402 - first);
        assertArrayEquals(raw, split);
        assertArrayEquals(wrapping, java.util.Arrays.copyOfRange(raw, 2, 1402));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void sendTransmitsTxRdToTxWrAndSetsSendOk() {
        openMacraw(0x04);
        byte[] frame = Frames.frame(0x0200_0000_0099L, 0x0200_0000_5500L, 64, 3);
        chip.transfer(new byte[] {0, 0, 0x14}, 0, 3, frame, 0, null, 0, 64);
        write(0x0024, 1, 0, 64);
        assertEquals(16384, read16(0x0020, 1), "TX_WR takes effect only at SEND");
        write(0x0001, 1, 0x20);
        assertArrayEquals(frame, chip.lastTransmitted());
        assertEquals(64, read16(0x0022, 1), "TX_RD advanced");
        assertEquals(0x10, read8(0x0002, 1) & 0x10, "SEND_OK");
        write(0x0002, 1, 0x10);
        assertEquals(0, read8(0x0002, 1) & 0x10, "write 1 to clear");
    }

    @Test
    void recvOffARecordBoundaryIsRecorded() {
        openMacraw(0x04);
        byte[] frame = Frames.frame(0x0200_0000_5500L, 0x0200_0000_0099L, 100, 1);
        chip.injectFrame(frame, 0, 100);
        chip.injectFrame(frame, 0, 100);
        write(0x0028, 1, 0, 50);
        write(0x0001, 1, 0x40);
        assertEquals(1, chip.invalidUses().size());
        assertTrue(chip.invalidUses().get(0).contains("record boundary"));
    }

    @Test
    void intPinFollowsSimrAndSocketInterrupts() {
        openMacraw(0x04);
        write(0x002C, 1, 0x04);
        write(0x0018, 0, 0x01);
        assertTrue(chip.intPin().isHigh());
        byte[] frame = Frames.frame(0x0200_0000_5500L, 0x0200_0000_0099L, 100, 1);
        chip.injectFrame(frame, 0, 100);
        assertFalse(chip.intPin().isHigh(), "RECV asserts INT (active low)");
        assertEquals(0x01, read8(0x0017, 0), "SIR");
        write(0x0002, 1, 0x04);
        assertTrue(chip.intPin().isHigh());
    }

    @Test
    void mrRstRestoresResetValues() {
        write(0x0019, 0, 0x12, 0x34);
        write(0x0000, 0, 0x80);
        assertEquals(0, read8(0x0000, 0), "RST self-clears");
        assertEquals(0x07D0, read16(0x0019, 0));
    }

    // ---- fault primitives ----

    @Test
    void aCorruptedRecordLengthIsAMisoGlitchOnTheFirstReadOfTheOldestRecordOnly() {
        openMacraw(0x84);
        byte[] frame = Frames.frame(0x0200_0000_5500L, 0x0200_0000_0099L, 100, 1);
        assertTrue(chip.injectFrame(frame, 0, 100));
        chip.corruptNextRecordLength();
        byte[] record = new byte[102];
        chip.transfer(new byte[] {0, 0, 0x18}, 0, 3, null, 0, record, 0, 102);
        assertEquals(0x80 | 0x00, record[0] & 0xFF, "bit 7 of the length's high byte");
        chip.transfer(new byte[] {0, 0, 0x18}, 0, 3, null, 0, record, 0, 102);
        assertEquals(102, ((record[0] & 0xFF) << 8) | (record[1] & 0xFF), "the buffer itself is intact");
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void aCorruptedLinkStatusReadShowsTheLinkDownOnce() {
        chip.corruptNextLinkStatusRead();
        assertEquals(0, read8(0x002E, 0) & 0x01, "LNK reads 0");
        assertEquals(1, read8(0x002E, 0) & 0x01, "then the link as it is");
    }

    @Test
    void aBrownOutPutsEveryRegisterBackToItsResetValue() {
        openMacraw(0x84);
        write(0x0018, 0, 0x01);
        assertEquals(0x42, read8(0x0003, 1));
        chip.brownOut();
        assertEquals(0x00, read8(0x0003, 1), "socket 0 closed");
        assertEquals(0x00, read8(0x0000, 1), "Sn_MR reset");
        assertEquals(0x00, read8(0x0018, 0), "SIMR reset");
        assertEquals(2, read8(0x001E, 1), "buffer size back to 2 KiB");
        assertEquals(0, read8(0x000E, 0), "SHAR reset");
        assertEquals(0x07D0, read16(0x0019, 0), "RTR");
    }

    @Test
    void anUnpluggedCableTakesTheLinkDownAndDropsWhatArrivesUntilPluggedBack() {
        dev.spinet.harness.net.VirtualWire wire = new dev.spinet.harness.net.VirtualWire(new dev.spinet.harness.mock.ManualClock());
        chip.attach(wire.connect("chip", W5500Emulator.DEFAULT_MAC));
        dev.spinet.harness.net.VirtualWire.Port peer = wire.connect("peer", 0x0200_0000_0099L);
        openMacraw(0x84);
        byte[] frame = Frames.frame(0x0200_0000_5500L, 0x0200_0000_0099L, 100, 1);
        chip.setCablePlugged(false);
        assertEquals(0, read8(0x002E, 0) & 0x01, "PHYCFGR.LNK down");
        peer.transmit(frame, 0, 100);
        chip.pump();
        assertEquals(0, read16(0x0026, 1), "nothing reached the MAC");
        chip.setCablePlugged(true);
        assertEquals(1, read8(0x002E, 0) & 0x01);
        peer.transmit(frame, 0, 100);
        chip.pump();
        assertEquals(102, read16(0x0026, 1));
    }

    @Test
    void aHeldInterruptLineStaysHighWhileDataWaitsAndFallsWhenReleased() {
        openMacraw(0x84);
        write(0x0018, 0, 0x01);
        write(0x002C, 1, 0x04);
        chip.holdInterruptDeasserted(true);
        byte[] frame = Frames.frame(0x0200_0000_5500L, 0x0200_0000_0099L, 100, 1);
        assertTrue(chip.injectFrame(frame, 0, 100));
        assertTrue(chip.intPin().isHigh(), "the edge never comes");
        assertEquals(0x04, read8(0x0002, 1) & 0x04, "although Sn_IR.RECV is set");
        chip.holdInterruptDeasserted(false);
        assertFalse(chip.intPin().isHigh());
    }
}
