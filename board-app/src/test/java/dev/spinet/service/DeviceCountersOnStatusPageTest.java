package dev.spinet.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.harness.emu.Enc28j60Emulator;
import dev.spinet.harness.emu.W5500Emulator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The status page of a board on an emulated chip shows the driver's counters and the SPI bus's,
 * and they move when the emulator injects a fault: a SEND wedged by a link flap the W5500 driver
 * did not see, an ENC28J60 transmit stuck with TXRTS set (errata DS80349 item 12), a link flap
 * on the wire.
 */
class DeviceCountersOnStatusPageTest {

    private static final long TEN_MS = 10_000_000L;

    private static long value(Map<?, ?> counters, String name) {
        Object value = counters.get(name);
        assertTrue(value instanceof Long, () -> name + " missing from device.counters: " + counters.keySet());
        return (Long) value;
    }

    @Test
    void statusJsonListsTheW5500DriverAndSpiCountersInDeclarationOrder() {
        EmulatedChipBoard board = new EmulatedChipBoard(true);
        Map<?, ?> counters = board.deviceCounters();
        assertEquals(List.of("RX_FRAMES", "RX_BATCHES", "RX_TOO_LONG", "RX_RECORD_CORRUPT", "RX_PARTIAL_RECORD",
                "RX_POINTER_DISAGREEMENT", "RX_STATUS_IMPOSSIBLE", "TX_FRAMES", "TX_BUSY", "TX_TIMEOUTS", "TX_LINK_DOWN",
                "COMMAND_TIMEOUT", "LINK_CHANGES", "SOCKET_REOPENED", "CHIP_RESETS", "INT_MISSED", "RX_BUFFER_FULL", "REINITS",
                "SPI_TRANSACTIONS", "SPI_BYTES"),
                List.copyOf(counters.keySet()));
        assertTrue(value(counters, "RX_FRAMES") >= 3, "ARP request, SYN, ACK and the request came in: " + counters);
        assertTrue(value(counters, "TX_FRAMES") >= 2, "ARP reply and SYN,ACK went out: " + counters);
        assertEquals(1, value(counters, "CHIP_RESETS"), "init resets the chip once");
        assertEquals(0, value(counters, "TX_TIMEOUTS"));
        assertTrue(value(counters, "SPI_BYTES") > value(counters, "SPI_TRANSACTIONS") && value(counters, "SPI_TRANSACTIONS") > 0,
                counters::toString);
    }

    @Test
    void aWedgedW5500SendShowsAsATransmitTimeoutAndASocketReopenOnTheStatusPage() {
        EmulatedChipBoard board = new EmulatedChipBoard(true);
        Map<?, ?> before = board.deviceCounters();
        W5500Emulator chip = (W5500Emulator) board.chip;
        chip.setSendStuckAfterLinkFlap(true);
        chip.setLink(false);
        chip.setLink(true); // shorter than the driver's link poll: only the wedged SEND shows it
        Map<?, ?> after = board.deviceCounters();
        assertEquals(value(before, "TX_TIMEOUTS") + 1, value(after, "TX_TIMEOUTS"), after::toString);
        assertEquals(value(before, "SOCKET_REOPENED") + 1, value(after, "SOCKET_REOPENED"), after::toString);
        assertTrue(value(after, "SPI_TRANSACTIONS") > value(before, "SPI_TRANSACTIONS"));
        assertEquals(List.of(), board.chip.invalidUses());
    }

    @Test
    void statusJsonListsTheEnc28j60DriverAndSpiCounters() {
        EmulatedChipBoard board = new EmulatedChipBoard(false);
        Map<?, ?> counters = board.deviceCounters();
        assertEquals(List.of("RX_FRAMES", "RX_TOO_LONG", "RX_BAD_STATUS", "RX_CORRUPT_RESET", "RX_OVERFLOW", "RX_SHORT_REWIND",
                "RX_READ_POINTER_UPDATES", "TX_FRAMES", "TX_BUSY", "TX_LINK_DOWN", "TX_ERRORS", "TX_LATE_COLLISION_RETRIES",
                "TX_ABANDONED", "TX_TIMEOUTS", "LINK_CHANGES", "PHY_TIMEOUT", "INTERRUPTS_SERVICED", "CHIP_RESETS",
                "INT_MISSED", "REINITS", "SPI_TRANSACTIONS", "SPI_BYTES"), List.copyOf(counters.keySet()));
        assertTrue(value(counters, "RX_FRAMES") >= 3, counters::toString);
        assertTrue(value(counters, "TX_FRAMES") >= 2, counters::toString);
        assertEquals(1, value(counters, "CHIP_RESETS"));
        assertTrue(value(counters, "SPI_BYTES") > value(counters, "SPI_TRANSACTIONS") && value(counters, "SPI_TRANSACTIONS") > 0,
                counters::toString);
    }

    @Test
    void aStuckEnc28j60TransmitShowsAsATransmitTimeoutOnTheStatusPage() {
        EmulatedChipBoard board = new EmulatedChipBoard(false);
        Map<?, ?> before = board.deviceCounters();
        ((Enc28j60Emulator) board.chip).injectStuckTransmits(1);
        Map<?, ?> after = board.deviceCounters();
        assertEquals(value(before, "TX_TIMEOUTS") + 1, value(after, "TX_TIMEOUTS"), after::toString);
        assertEquals(List.of(), board.chip.invalidUses());
    }

    @Test
    void aLinkFlapOnTheWireShowsAsTwoEnc28j60LinkChangesOnTheStatusPage() {
        EmulatedChipBoard board = new EmulatedChipBoard(false);
        Map<?, ?> before = board.deviceCounters();
        board.wire.setLinkUp(board.chipPort, false);
        board.sim.runFor(TEN_MS);
        board.wire.setLinkUp(board.chipPort, true);
        board.sim.runFor(TEN_MS);
        Map<?, ?> after = board.deviceCounters();
        assertEquals(value(before, "LINK_CHANGES") + 2, value(after, "LINK_CHANGES"), after::toString);
        assertEquals(List.of(), board.chip.invalidUses());
    }

    @Test
    void theStatusPageHasADeviceCounterTableWithZerosShown() {
        EmulatedChipBoard board = new EmulatedChipBoard(true);
        String page = board.get("/");
        assertTrue(page.contains("<h2>Device counters (sim-w5500)</h2>"), page);
        assertTrue(page.contains("<tr><td>TX_TIMEOUTS</td><td class=\"n\">0</td></tr>"), "a fault that never happened reads 0");
        assertTrue(page.contains("<tr><td>SPI_TRANSACTIONS</td>"), page);
    }
}
