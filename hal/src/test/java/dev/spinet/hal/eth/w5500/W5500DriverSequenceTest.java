package dev.spinet.hal.eth.w5500;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.ScriptedSpi;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The W5500 driver's exact SPI bytes (Mockito over SpiBus), checked against the W5500 data sheet (docs/drivers.md):
 * frame = offset hi, offset lo, control (BSB&lt;&lt;3 | RWB&lt;&lt;2 | OM), data; socket 0
 * registers BSB 1 (08 read / 0C write), TX buffer BSB 2 (14 write), RX buffer BSB 3 (18 read).
 */
class W5500DriverSequenceTest {

    private static final long MAC = 0x0200_0000_5500L;
    private long now = 1_000_000_000L;
    private final NanoClock clock = () -> now += 100_000L;

    /** A W5500 answering the registers the driver reads during init, one frame record at 0000. */
    private static byte[] chip(byte[] tx) {
        byte[] rx = new byte[tx.length];
        if (tx.length >= 3) {
            rx[0] = 1;
            rx[1] = 2;
            rx[2] = 3;
        }
        int address = ((tx[0] & 0xFF) << 8) | (tx[1] & 0xFF);
        int control = tx.length > 2 ? tx[2] & 0xFF : 0;
        if (control == 0x00 && address == 0x0039) {
            rx[3] = 0x04;
        } else if (control == 0x00 && address == 0x0019) {
            rx[3] = 0x07;
            rx[4] = (byte) 0xD0;
        } else if (control == 0x08 && address == 0x0003) {
            rx[3] = 0x42;
        } else if (control == 0x00 && address == 0x002E) {
            rx[3] = (byte) 0xBF;
        } else if (control == 0x08 && address == 0x0026) {
            rx[4] = 0x3E; // RSR 003E: one record of 2 + 60 bytes
            rx[8] = 0x3E; // RX_RD 0000, RX_WR 003E
        } else if (control == 0x18 && address == 0x0000) {
            rx[4] = 0x3E;
            for (int i = 5; i < tx.length; i++) {
                rx[i] = (byte) (i - 5);
            }
        } else if (control == 0x08 && address == 0x0020) {
            rx[3] = 0x40; // FSR 4000 (16 KiB free), TX_RD 003C
            rx[6] = 0x3C;
        } else if (control == 0x08 && address == 0x0001 && tx.length == 3 + 0x23) {
            rx[3] = 0x00; // Sn_CR 00 (SEND accepted) .. FSR 4000, TX_RD 003C in one burst
            rx[3 + 0x20 - 1] = 0x40;
            rx[3 + 0x23 - 1] = 0x3C;
        }
        return rx;
    }

    private final ScriptedSpi spi = new ScriptedSpi(W5500DriverSequenceTest::chip);

    private W5500Driver initialised() {
        W5500Driver driver = new W5500Driver(spi.bus, null, null, clock, W5500Config.defaults(MAC));
        driver.init();
        return driver;
    }

    @Test
    void identificationAndInit() {
        initialised();
        assertEquals(List.of(
                "00 00 04 80",                 // MR = RST
                "00 00 00 00",                 // MR read: RST self-cleared
                "00 39 00 00",                 // VERSIONR = 04
                "00 19 00 00 00",              // RTR = 07D0 (2000)
                "00 09 04 02 00 00 00 55 00",  // SHAR
                "00 1E EC 00 00",              // socket 7 RX/TX buffers 0 KiB (BSB 29, write)
                "00 1E CC 00 00",
                "00 1E AC 00 00",
                "00 1E 8C 00 00",
                "00 1E 6C 00 00",
                "00 1E 4C 00 00",
                "00 1E 2C 00 00",              // socket 1
                "00 1E 0C 10 10",              // socket 0: 16 KiB each way
                "00 00 0C 84",                 // S0_MR = MACRAW | MFEN
                "00 01 0C 01",                 // S0_CR = OPEN
                "00 01 08 00",                 // S0_CR read: accepted
                "00 03 08 00",                 // S0_SR = 42 SOCK_MACRAW
                "00 20 08 00 00 00 00 00 00 00 00 00 00 00 00", // FSR, TX_RD, TX_WR, RSR, RX_RD, RX_WR
                "00 2C 0C 04",                 // S0_IMR = RECV
                "00 18 04 01",                 // SIMR = socket 0
                "00 2E 00 00"),                // PHYCFGR: link
                spi.take());
    }

    @Test
    void oneReceive() {
        W5500Driver driver = initialised();
        spi.take();
        byte[] frame = new byte[1514];
        assertEquals(60, driver.receive(frame, 0, frame.length));
        for (int i = 0; i < 60; i++) {
            assertEquals((byte) i, frame[i]);
        }
        assertEquals(List.of(
                "00 26 08 00 00 00 00 00 00",  // RSR 003E, RX_RD 0000, RX_WR 003E in one burst
                "00 00 18 | read 62",          // the whole record from RX_RD (raw pointer)
                "00 28 0C 00 3E",              // RX_RD += 62
                "00 01 0C 40"),                // CR = RECV
                spi.take());
    }

    @Test
    void oneTransmitAndTheNextWaitsForTheFirst() {
        W5500Driver driver = initialised();
        spi.take();
        byte[] frame = new byte[60];
        frame[0] = (byte) 0xAA;
        assertTrue(driver.transmit(frame, 0, 60));
        String payload = ScriptedSpi.hex(frame);
        assertEquals(List.of(
                "00 00 14 | " + payload,       // frame at TX_WR 0000 (header + payload, one CS)
                "00 24 0C 00 3C",              // TX_WR = 003C
                "00 01 0C 20"),                // CR = SEND
                spi.take());
        assertTrue(driver.transmit(frame, 0, 60));
        assertEquals(List.of(
                "00 3C 14 | " + payload,
                "00 01 08" + " 00".repeat(0x23), // Sn_CR 00 .. FSR 4000 + TX_RD 003C: SEND accepted and done
                "00 24 0C 00 78",
                "00 01 0C 20"),
                spi.take());
    }

    @Test
    void aCorruptRecordLengthDiscardsEverythingAnnouncedAndCounts() {
        ScriptedSpi corrupt = new ScriptedSpi(tx -> {
            byte[] rx = chip(tx);
            int control = tx[2] & 0xFF;
            if (control == 0x18 && tx[1] == 0) {
                java.util.Arrays.fill(rx, 3, rx.length, (byte) 0);
                rx[4] = 0x05; // record length 0005: below 2 + 14, framing is lost
            }
            return rx;
        });
        W5500Driver driver = new W5500Driver(corrupt.bus, null, null, clock, W5500Config.defaults(MAC));
        driver.init();
        corrupt.take();
        assertEquals(FrameDevice.NO_FRAME, driver.receive(new byte[1514], 0, 1514));
        assertEquals(List.of(
                "00 26 08 00 00 00 00 00 00",
                "00 00 18 | read 62",
                "00 28 0C 00 3E",              // RX_RD past everything RSR announced
                "00 01 0C 40"),                // RECV
                corrupt.take().subList(0, 4));
        assertEquals(1, driver.counter(W5500Counter.RX_RECORD_CORRUPT));
    }

    @Test
    void nothingWaitingCostsOneTransaction() {
        ScriptedSpi empty = new ScriptedSpi(tx -> {
            byte[] rx = chip(tx);
            if ((tx[2] & 0xFF) == 0x08 && tx[1] == 0x26) {
                return new byte[tx.length];
            }
            return rx;
        });
        W5500Driver driver = new W5500Driver(empty.bus, null, null, clock, W5500Config.defaults(MAC));
        driver.init();
        empty.take();
        assertEquals(FrameDevice.NO_FRAME, driver.receive(new byte[1514], 0, 1514));
        assertEquals(List.of("00 26 08 00 00 00 00 00 00"), empty.take());
    }
}
