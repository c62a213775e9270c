package dev.spinet.harness.emu;

import static dev.spinet.hal.eth.enc28j60.Enc28j60Registers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ENC28J60 emulator driven by datasheet sequences only (no driver). */
class Enc28j60EmulatorTest {

    private final SteppingClock clock = new SteppingClock(0);
    private final Enc28j60Emulator chip = new Enc28j60Emulator(Enc28j60Emulator.DEFAULT_MAC, clock);

    private byte[] xfer(int... bytes) {
        return DatasheetSpi.exchange(chip, bytes);
    }

    private int rcr(int address) {
        return xfer(OP_RCR | address, 0)[1] & 0xFF;
    }

    private void wcr(int address, int value) {
        xfer(OP_WCR | address, value);
    }

    private void bfs(int address, int mask) {
        xfer(OP_BFS | address, mask);
    }

    private void bfc(int address, int mask) {
        xfer(OP_BFC | address, mask);
    }

    /** The datasheet's receive set-up: FIFO 0000..19FF, ERXRDPT odd, MAADR, filter, RXEN. */
    private void enableReceive(int filter) {
        wcr(ERXSTL, 0);
        wcr(ERXSTH, 0);
        wcr(ERXRDPTL, 0xFF);
        wcr(ERXRDPTH, 0x19);
        wcr(ERXNDL, 0xFF);
        wcr(ERXNDH, 0x19);
        wcr(ERDPTL, 0);
        wcr(ERDPTH, 0);
        bfs(ECON1, 3);
        wcr(MAADR1, 0x02);
        wcr(MAADR2, 0);
        wcr(MAADR3, 0);
        wcr(MAADR4, 0);
        wcr(MAADR5, 0x28);
        wcr(MAADR6, 0x60);
        bfc(ECON1, 2);
        wcr(ERXFCON, filter);
        bfc(ECON1, 1);
        bfs(ECON1, ECON1_RXEN);
    }

    @Test
    void erevidReadsB7InBankThreeAfterBfsAndBfcOnEcon1() {
        bfs(ECON1, 0x03);
        assertEquals(0x06, rcr(EREVID));
        bfc(ECON1, 0x03);
        assertEquals(0x05FA, rcr(ERDPTL) | rcr(ERDPTH) << 8, "bank 0 again: ERDPT reset value");
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void macAndMiiRegistersShiftOutADummyByteFirst() {
        bfs(ECON1, 0x02);
        byte[] rx = xfer(OP_RCR | MAMXFLH, 0, 0);
        assertEquals(0x06, rx[2], "MAMXFL reset 0600: value after the dummy byte");
        xfer(OP_RCR | MAMXFLH, 0);
        assertEquals(1, chip.invalidUses().size(), "a 2-byte RCR of a MAC register");
    }

    @Test
    void bitFieldOperationsOnMacRegistersAreRecorded() {
        bfs(ECON1, 0x02);
        bfs(MACON1, MACON1_MARXEN);
        assertTrue(chip.invalidUses().get(0).contains("ETH registers"), chip.invalidUses().toString());
    }

    @Test
    void statusVectorByteCountIncludesTheFcsAndNextPointerIsEven() {
        enableReceive(0);
        byte[] frame = Frames.frame(0x0200_0000_2860L, 0x0200_0000_0099L, 61, 1);
        assertTrue(chip.injectFrame(frame, 0, 61));
        bfs(ECON1, 1);
        assertEquals(1, rcr(EPKTCNT));
        bfc(ECON1, 1);
        byte[] rx = new byte[6 + 65];
        chip.transfer(new byte[] {(byte) OP_RBM}, 0, 1, null, 0, rx, 0, rx.length);
        int next = (rx[0] & 0xFF) | (rx[1] & 0xFF) << 8;
        int count = (rx[2] & 0xFF) | (rx[3] & 0xFF) << 8;
        assertEquals(65, count, "61 bytes + 4-byte FCS");
        assertEquals(72, next, "6 + 65 rounded up to even");
        assertEquals(0x80, rx[4] & 0x80, "status bit 23: received OK");
        assertArrayEquals(frame, java.util.Arrays.copyOfRange(rx, 6, 67));
        assertEquals(72, rcr(ERXWRPTL));
        bfs(ECON2, ECON2_PKTDEC);
        bfs(ECON1, 1);
        assertEquals(0, rcr(EPKTCNT));
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void erdptWrapsFromErxndToErxstInsideARead() {
        enableReceive(0);
        wcr(ERDPTL, 0xFE);
        wcr(ERDPTH, 0x19);
        xfer(OP_RBM, 0, 0, 0);
        assertEquals(0x0001, rcr(ERDPTL) | rcr(ERDPTH) << 8);
    }

    @Test
    void erxrdptLowByteIsLatchedUntilTheHighByteAndEvenValuesAreRecorded() {
        wcr(ERXRDPTL, 0x00);
        assertEquals(0xFA, rcr(ERXRDPTL), "not yet taken");
        wcr(ERXRDPTH, 0x06);
        assertEquals(0x00, rcr(ERXRDPTL));
        assertEquals(1, chip.invalidUses().size());
        assertTrue(chip.invalidUses().get(0).contains("even"));
    }

    @Test
    void hardwareNeverWritesOverErxrdptAndOverflowSetsRxerif() {
        enableReceive(0);
        byte[] frame = Frames.frame(0x0200_0000_2860L, 0x0200_0000_0099L, 1514, 1);
        int stored = 0;
        while (chip.injectFrame(frame, 0, 1514)) {
            stored++;
        }
        assertEquals(4, stored, "6.5 KiB: four 1524-byte packets");
        assertEquals(EI_RXER, rcr(EIR) & EI_RXER);
        bfc(EIR, EI_RXER);
        assertEquals(0, rcr(EIR) & EI_RXER);
    }

    @Test
    void transmitWritesTheTsvAfterEtxndAndSetsTxif() {
        wcr(EWRPTL, 0x00);
        wcr(EWRPTH, 0x1A);
        byte[] frame = Frames.frame(0x0200_0000_0099L, 0x0200_0000_2860L, 42, 1);
        chip.transfer(new byte[] {(byte) OP_WBM, 0}, 0, 2, frame, 0, null, 0, 42);
        wcr(ETXSTL, 0x00);
        wcr(ETXSTH, 0x1A);
        wcr(ETXNDL, 42);
        wcr(ETXNDH, 0x1A);
        bfs(ECON1, 0x02);
        wcr(MACON3, MACON3_PADCFG0 | MACON3_TXCRCEN);
        bfc(ECON1, 0x02);
        bfs(ECON1, ECON1_TXRTS);
        assertEquals(0, rcr(ECON1) & ECON1_TXRTS, "TXRTS cleared when done");
        assertEquals(EI_TX, rcr(EIR) & EI_TX);
        assertArrayEquals(Frames.padded(frame), chip.lastTransmitted(), "control byte 0: MACON3.PADCFG pads to 60");
    }

    @Test
    void afterALateCollisionTxrtsStallsUntilTxrst() {
        chip.injectLateCollisions(1);
        byte[] frame = Frames.frame(0x0200_0000_0099L, 0x0200_0000_2860L, 100, 1);
        wcr(EWRPTL, 0x00);
        wcr(EWRPTH, 0x1A);
        chip.transfer(new byte[] {(byte) OP_WBM, 0}, 0, 2, frame, 0, null, 0, 100);
        wcr(ETXSTL, 0x00);
        wcr(ETXSTH, 0x1A);
        wcr(ETXNDL, 100);
        wcr(ETXNDH, 0x1A);
        bfs(ECON1, ECON1_TXRTS);
        assertEquals(EI_TXER, rcr(EIR) & EI_TXER);
        wcr(ERDPTL, 101);
        wcr(ERDPTH, 0x1A);
        byte[] tsv = new byte[7];
        chip.transfer(new byte[] {(byte) OP_RBM}, 0, 1, null, 0, tsv, 0, 7);
        assertEquals(0x20, tsv[3] & 0x20, "TSV bit 29: late collision");
        bfs(ECON1, ECON1_TXRTS);
        assertEquals(ECON1_TXRTS, rcr(ECON1) & ECON1_TXRTS, "stalled");
        assertTrue(chip.invalidUses().get(0).contains("TXRST"));
        bfs(ECON1, ECON1_TXRST);
        bfc(ECON1, ECON1_TXRST);
        bfs(ECON1, ECON1_TXRTS);
        assertArrayEquals(frame, chip.lastTransmitted());
    }

    @Test
    void linkChangeSetsLinkifThroughPhieAndReadingPhirClearsIt() {
        bfs(ECON1, 2);
        wcr(MIREGADR, PHIE);
        wcr(MIWRL, PHIE_PGEIE | PHIE_PLNKIE);
        wcr(MIWRH, 0);
        bfc(ECON1, 2);
        wcr(EIE, EIE_INTIE | EI_LINK);
        bfs(ECON1, 3);
        xfer(OP_RCR | MISTAT, 0, 0);
        bfc(ECON1, 3);
        chip.setLink(false);
        assertEquals(EI_LINK, rcr(EIR) & EI_LINK);
        assertFalse(chip.intPin().isHigh());
        bfs(ECON1, 2);
        wcr(MIREGADR, PHIR);
        wcr(MICMD, MICMD_MIIRD);
        bfs(ECON1, 1);
        xfer(OP_RCR | MISTAT, 0, 0);
        bfc(ECON1, 1);
        wcr(MICMD, 0);
        assertEquals(PHIR_PLNKIF, xfer(OP_RCR | MIRDL, 0, 0)[2] & PHIR_PLNKIF);
        bfc(ECON1, 2);
        assertEquals(0, rcr(EIR) & EI_LINK);
        assertTrue(chip.intPin().isHigh());
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void filterAcceptsUnicastAndBroadcastAndDropsOthers() {
        enableReceive(ERXFCON_UCEN | ERXFCON_CRCEN | ERXFCON_BCEN);
        assertTrue(chip.injectFrame(Frames.frame(0x0200_0000_2860L, 1, 60, 1), 0, 60));
        assertTrue(chip.injectFrame(Frames.frame(0xFFFF_FFFF_FFFFL, 1, 60, 1), 0, 60));
        assertFalse(chip.injectFrame(Frames.frame(0x0200_0000_0777L, 1, 60, 1), 0, 60));
        assertFalse(chip.injectFrame(Frames.frame(0x0100_5E00_0001L, 1, 60, 1), 0, 60), "multicast without MCEN");
    }

    @Test
    void accessWithinOneMillisecondOfSrcIsIgnoredAndRecorded() {
        xfer(OP_SRC);
        wcr(ECON1, 0);
        assertTrue(chip.invalidUses().get(0).contains("within 1 ms"));
        clock.advance(1_000_000L);
        chip.clearInvalidUses();
        wcr(ECON1, 0);
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void rxStartOtherThanZeroIsRecordedWhenReceiveIsEnabled() {
        wcr(ERXSTL, 0x00);
        wcr(ERXSTH, 0x01);
        bfs(ECON1, ECON1_RXEN);
        assertTrue(chip.invalidUses().get(0).contains("must start at 0"));
    }

    // ---- fault primitives ----

    @Test
    void aCorruptedStatusVectorIsAMisoGlitchOnTheNextReadAtAPacketStartOnly() {
        enableReceive(0);
        byte[] frame = Frames.frame(0x0200_0000_2860L, 0x0200_0000_0099L, 100, 1);
        assertTrue(chip.injectFrame(frame, 0, 100));
        chip.corruptNextStatusVector(3, 0x40);
        wcr(ERDPTL, 2);
        byte[] rx = new byte[4];
        chip.transfer(new byte[] {(byte) OP_RBM}, 0, 1, null, 0, rx, 0, rx.length);
        assertEquals(chip.memory(5), rx[3] & 0xFF, "a read that does not start at a packet is left alone");
        wcr(ERDPTL, 0);
        rx = new byte[6];
        chip.transfer(new byte[] {(byte) OP_RBM}, 0, 1, null, 0, rx, 0, rx.length);
        assertEquals(0x40, rx[3] & 0xFF, "count 104 = 0x0068: its high byte XOR 0x40");
        wcr(ERDPTL, 0);
        chip.transfer(new byte[] {(byte) OP_RBM}, 0, 1, null, 0, rx, 0, rx.length);
        assertEquals(104, (rx[2] & 0xFF) | (rx[3] & 0xFF) << 8, "memory intact, one glitch only");
        assertEquals(List.of(), chip.invalidUses());
    }

    @Test
    void aSaturatedPacketCountDropsEveryFrameWithRxerifUntilItComesDown() {
        enableReceive(0);
        chip.saturatePacketCount();
        bfs(ECON1, 1);
        assertEquals(255, rcr(EPKTCNT));
        byte[] frame = Frames.frame(0x0200_0000_2860L, 0x0200_0000_0099L, 100, 1);
        assertFalse(chip.injectFrame(frame, 0, 100));
        assertEquals(EI_RXER, rcr(EIR) & EI_RXER);
        bfs(ECON1, ECON1_RXRST);
        bfc(ECON1, ECON1_RXRST);
        assertEquals(0, rcr(EPKTCNT), "RXRST clears the count");
    }

    @Test
    void aBrownOutPutsTheRegistersBackToTheirResetValues() {
        enableReceive(ERXFCON_UCEN);
        wcr(EIE, EIE_INTIE | EI_RXER);
        chip.brownOut();
        assertEquals(0, rcr(EIE), "EIE reset");
        assertEquals(0, rcr(ECON1) & ECON1_RXEN, "receive disabled");
        assertEquals(0x05FA, rcr(ERXSTL) | rcr(ERXSTH) << 8, "ERXST reset value");
        bfs(ECON1, 3);
        assertEquals(0, xfer(OP_RCR | MAADR1, 0, 0)[2], "MAADR reset (a MAC register: dummy byte first)");
    }
}
