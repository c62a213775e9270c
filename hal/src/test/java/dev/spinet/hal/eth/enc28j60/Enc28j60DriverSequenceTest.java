package dev.spinet.hal.eth.enc28j60;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.ScriptedSpi;
import dev.spinet.hal.gpio.InputPin;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ENC28J60 driver's exact SPI bytes (Mockito over SpiBus), checked against the ENC28J60 data sheet (docs/drivers.md):
 * RCR 000aaaaa, WCR 010aaaaa, BFS 100aaaaa, BFC 101aaaaa, RBM 3A, WBM 7A, SRC FF; MAC/MII reads
 * are 3 bytes (dummy first); the Linux init order; the packet path in bank 1 (EPKTCNT 19h, read
 * once per batch of packets), bank 0 only for ERXRDPT and transmit.
 */
class Enc28j60DriverSequenceTest {

    private static final long MAC = 0x0200_0000_2860L;
    private long now = 1_000_000_000L;
    private final NanoClock clock = () -> now += 100_000L;
    /** EPKTCNT (bank 1), decremented by PKTDEC like the chip. */
    private int epktcnt = 0;
    /** Where the next RBM status vector is read from (the driver's ERDPT runs on). */
    private int packetStart = 0x0000;

    private byte[] chip(byte[] tx) {
        byte[] rx = new byte[tx.length];
        int op = tx[0] & 0xFF;
        if (op == 0x12 && tx.length == 2) {
            rx[1] = 0x06;                      // EREVID (bank 3) = B7
        } else if (op == 0x19 && tx.length == 3) {
            rx[2] = 0x04;                      // MIRDH: PHSTAT2.LSTAT (bit 10)
        } else if (op == 0x19 && tx.length == 2) {
            rx[1] = (byte) epktcnt;            // EPKTCNT (bank 1: an ETH register, no dummy byte)
        } else if (op == 0x9E && tx[1] == 0x40) {
            epktcnt--;                         // ECON2.PKTDEC
        } else if (op == 0x3A && tx.length == 71) {
            // RSV: next = start + 46h (6 + 64, even), count 0040 (60 + FCS), status bit 23
            // received OK; then the frame
            packetStart += 0x46;
            rx[1] = (byte) packetStart;
            rx[2] = (byte) (packetStart >>> 8);
            rx[3] = 0x40;
            rx[5] = (byte) 0x80;
            for (int i = 7; i < tx.length; i++) {
                rx[i] = (byte) (i - 7);
            }
        }
        return rx;
    }

    private final ScriptedSpi spi = new ScriptedSpi(this::chip);

    private Enc28j60Driver initialised() {
        InputPin interrupt = mock(InputPin.class);
        when(interrupt.isHigh()).thenReturn(true);
        Enc28j60Driver driver = new Enc28j60Driver(spi.bus, interrupt, null, clock, Enc28j60Config.defaults(MAC));
        driver.init();
        return driver;
    }

    @Test
    void identificationAndInitFollowTheReferenceOrder() {
        initialised();
        assertEquals(List.of(
                "FF",                          // SRC, then 2 ms (errata: not CLKRDY)
                "5F 00",                       // ECON1 = 0 (bank 0)
                "5E 88",                       // ECON2 = AUTOINC | VRPS
                "48 00", "49 00",              // ERXST = 0000 (errata: RX buffer at 0)
                "4C FF", "4D 19",              // ERXRDPT = 19FF (odd), low byte first
                "4A FF", "4B 19",              // ERXND = 19FF
                "40 00", "41 00",              // ERDPT = 0000 (reset value is 05FA)
                "44 00", "45 1A",              // ETXST = 1A00
                "46 FF", "47 1F",              // ETXND = 1FFF
                "9F 03", "12 00", "BF 03",     // bank 3, EREVID = 06, bank 0
                "9F 01", "58 A1",              // bank 1, ERXFCON = UCEN | CRCEN | BCEN
                "BF 01", "9F 02",              // bank 2
                "40 0D",                       // MACON1 = MARXEN | TXPAUS | RXPAUS
                "42 32",                       // MACON3 = PADCFG0 | TXCRCEN | FRMLNEN (half duplex)
                "43 40",                       // MACON4 = DEFER
                "49 3F",                       // MACLCON2 = 63 (errata item 13)
                "44 12", "46 12", "47 0C",     // MABBIPG 12, MAIPG 0C12
                "4A EE", "4B 05",              // MAMXFL = 1518
                "9F 01",                       // bank 3
                "44 02", "45 00", "42 00", "43 00", "40 28", "41 60", // MAADR1..6
                "BF 01", "54 00", "56 00", "57 00", "9F 01", "0A 00 00",  // PHCON1 = 0000, MISTAT
                "BF 01", "54 10", "56 00", "57 01", "9F 01", "0A 00 00",  // PHCON2 = HDLDIS
                "BF 01", "54 12", "56 12", "57 00", "9F 01", "0A 00 00",  // PHIE = PGEIE | PLNKIE
                "BF 01", "54 14", "56 76", "57 34", "9F 01", "0A 00 00",  // PHLCON = 3476 (LEDs as Linux)
                "BF 03",                       // bank 0
                "BC 2B",                       // EIR: clear DMAIF TXIF TXERIF RXERIF
                "5B 93",                       // EIE = INTIE | LINKIE | TXERIE | RXERIE
                "9F 04",                       // ECON1.RXEN
                "9F 02", "54 13", "52 01", "9F 01", "0A 00 00", "BF 01", "52 00", "18 00 00", "19 00 00", // PHIR
                "54 11", "52 01", "9F 01", "0A 00 00", "BF 01", "52 00", "18 00 00", "19 00 00",         // PHSTAT2
                "BF 02", "9F 01"),             // bank 1 (EPKTCNT) for the packet path
                spi.take());
    }

    @Test
    void oneReceiveIsOneCountReadTwoTransactionsAndTheCountReadThatFindsNothing() throws InterruptedException {
        Enc28j60Driver driver = initialised();
        spi.take();
        epktcnt = 1;
        byte[] frame = new byte[1514];
        assertEquals(60, driver.receive(frame, 0, frame.length));
        for (int i = 0; i < 60; i++) {
            assertEquals((byte) i, frame[i]);
        }
        assertEquals(List.of(
                "19 00",                       // EPKTCNT = 1 (bank 1; errata: not PKTIF)
                "3A | read 70",                // RBM: status vector + 64 bytes (60 + FCS)
                "9E 40"),                      // ECON2.PKTDEC (ECON2 is in every bank)
                spi.take());
        assertEquals(FrameDevice.NO_FRAME, driver.receive(frame, 0, frame.length));
        assertEquals(List.of(
                "19 00"),                      // EPKTCNT = 0: nothing (70 bytes consumed: ERXRDPT later)
                spi.take());
        driver.awaitReceive(0);
        assertEquals(List.of(
                "BF 01",                       // bank 0 for ERXRDPT
                "4C 45", "4D 00",              // before sleeping: ERXRDPT = next - 1 = 0045 (odd), low byte first
                "9F 01",                       // bank 1 again: the wake-up reads EPKTCNT
                "9B 40",                       // EIE.PKTIE on while waiting on INT
                "1C 00", "19 00"),             // INT high: EIR and EPKTCNT confirm nothing waits (a lost edge would hide it)
                spi.take());
        assertEquals(FrameDevice.NO_FRAME, driver.receive(frame, 0, frame.length));
        assertEquals(List.of(
                "19 00",                       // EPKTCNT while PKTIE is still on (INT high with packets counted: a missed INT)
                "BB 40"),                      // EIE.PKTIE off again: on the packet path INT means errors
                spi.take());
    }

    @Test
    void packetsTheCountAnnouncedAreReadWithoutAskingAgain() {
        Enc28j60Driver driver = initialised();
        spi.take();
        epktcnt = 3;
        byte[] frame = new byte[1514];
        for (int i = 0; i < 3; i++) {
            assertEquals(60, driver.receive(frame, 0, frame.length));
        }
        assertEquals(FrameDevice.NO_FRAME, driver.receive(frame, 0, frame.length));
        assertEquals(List.of(
                "19 00",                       // EPKTCNT = 3
                "3A | read 70", "9E 40",       // packet at 0000, next 0046
                "3A | read 70", "9E 40",       // packet at 0046, next 008C: no register read between
                "3A | read 70", "9E 40",       // packet at 008C, next 00D2
                "19 00"),                      // EPKTCNT = 0
                spi.take());
    }

    @Test
    void aTransmitAfterAReceivePollReturnsToBankOneWithTxrts() {
        Enc28j60Driver driver = initialised();
        byte[] buffer = new byte[1514];
        assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length));
        spi.take();
        byte[] frame = new byte[60];
        String payload = ScriptedSpi.hex(frame);
        assertTrue(driver.transmit(frame, 0, 60));
        assertEquals(List.of(
                "BF 01",                       // bank 0 (EWRPT, ETXND)
                "42 00", "43 1A",              // EWRPT = 1A00
                "7A 00 | " + payload,
                "46 3C", "47 1A",              // ETXND = 1A3C
                "9F 09"),                      // ECON1: TXRTS | BSEL0 = bank 1, one transaction
                spi.take());
        assertEquals(FrameDevice.NO_FRAME, driver.receive(buffer, 0, buffer.length));
        assertEquals(List.of("19 00"), spi.take());  // EPKTCNT with no bank switch
    }

    @Test
    void oneTransmitThenASecondOfTheSameSize() {
        Enc28j60Driver driver = initialised();
        spi.take();
        byte[] frame = new byte[60];
        frame[0] = (byte) 0xAA;
        String payload = ScriptedSpi.hex(frame);
        assertTrue(driver.transmit(frame, 0, 60));
        assertEquals(List.of(
                "BF 01",                       // bank 0 (init left bank 1); stays there: no receive polled
                "42 00", "43 1A",              // EWRPT = 1A00 (ETXST)
                "7A 00 | " + payload,          // WBM: control byte 00, then the frame, one CS
                "46 3C", "47 1A",              // ETXND = 1A3C
                "9F 08"),                      // ECON1.TXRTS
                spi.take());
        assertTrue(driver.transmit(frame, 0, 60));
        assertEquals(List.of(
                "1F 00",                       // ECON1: TXRTS clear, the first frame left
                "42 00",                       // EWRPTL back to 00 (EWRPTH still 1A)
                "7A 00 | " + payload,          // ETXND unchanged: not rewritten
                "9F 08"),
                spi.take());
    }
}
