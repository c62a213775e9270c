package dev.spinet.harness.emu;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.hal.eth.enc28j60.Enc28j60Config;
import dev.spinet.hal.eth.enc28j60.Enc28j60Driver;
import dev.spinet.hal.eth.w5500.W5500Config;
import dev.spinet.hal.eth.w5500.W5500Driver;

/**
 * A driver on an emulator's own SPI bus, INT and RESET pins, already through {@code init()}
 * (hardware reset, registers programmed): how every driver-over-emulator test starts.
 */
final class EmulatedDrivers {

    private EmulatedDrivers() {
    }

    static W5500Driver w5500(W5500Emulator chip, NanoClock clock, W5500Config config) {
        W5500Driver driver = new W5500Driver(chip, chip.intPin(), chip.resetPin(), clock, config);
        driver.init();
        return driver;
    }

    static Enc28j60Driver enc28j60(Enc28j60Emulator chip, NanoClock clock, Enc28j60Config config) {
        Enc28j60Driver driver = new Enc28j60Driver(chip, chip.intPin(), chip.resetPin(), clock, config);
        driver.init();
        return driver;
    }
}
