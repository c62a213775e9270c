package dev.spinet.app;

import dev.spinet.hal.eth.DeviceCounters;
import dev.spinet.harness.emu.ChipEmulator;

/**
 * The emulated chip's own view of its PHY, on the status page next to the driver's and the SPI
 * bus's counters ({@code sim-*} only): frames the chip stored from the wire, frames it dropped
 * (no room in its buffer, filtered, receiver off) and frames it sent. What a real chip does not
 * tell its driver, and what shows that a transfer lost nothing inside the chip.
 */
final class EmulatedChipCounters implements DeviceCounters {

    private static final String[] NAMES = {"CHIP_FRAMES_RECEIVED", "CHIP_FRAMES_DROPPED", "CHIP_FRAMES_TRANSMITTED"};

    private final ChipEmulator chip;

    EmulatedChipCounters(ChipEmulator chip) {
        this.chip = chip;
    }

    @Override
    public int counterCount() {
        return NAMES.length;
    }

    @Override
    public String counterName(int index) {
        return NAMES[index];
    }

    @Override
    public long counterValue(int index) {
        return switch (index) {
            case 0 -> chip.framesReceived();
            case 1 -> chip.framesDropped();
            case 2 -> chip.framesTransmitted();
            default -> throw new IndexOutOfBoundsException("emulated chip counter " + index + " of " + NAMES.length);
        };
    }
}
