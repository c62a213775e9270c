package dev.spinet.doctor;

import dev.spinet.app.HalKind;

/**
 * What {@code spinet doctor} checks against: the same wiring options as {@code spinet run}.
 *
 * @param hal      {@link HalKind#W5500} or {@link HalKind#ENC28J60} to read the chip's version
 *                 register, or null to leave the chip alone
 * @param spi      {@code BUS.CS}
 * @param intPin   BCM GPIO of INT
 * @param resetPin BCM GPIO of RESET
 * @param gpiochip a chip number, or {@link dev.spinet.hal.linux.HeaderGpioChip#AUTOMATIC}
 */
public record DoctorOptions(HalKind hal, String spi, int intPin, int resetPin, int gpiochip) {
}
