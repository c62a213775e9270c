package dev.spinet.hal.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.FakeGpioChips;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 40-pin header's GPIO chip is found by its label, whatever its number (fake /dev, fake ioctls). */
class HeaderGpioChipTest {

    @TempDir
    Path root;

    private FakeGpioChips chips() {
        return new FakeGpioChips(root.resolve("dev"));
    }

    @Test
    void pi5WithAKernelBefore6_6_45UsesGpiochip4NotTheBluetoothChipAt0() {
        // gpiochip0 is the SoC's gpio-brcmstb@107d508500, where offsets 24 and 25 are BT_RTS and BT_CTS.
        FakeGpioChips chips = chips().chip(0, "gpio-brcmstb@107d508500", 32).chip(1, "gpio-brcmstb@107d508520", 4)
                .chip(2, "gpio-brcmstb@107d517c00", 17).chip(3, "gpio-brcmstb@107d517c20", 6)
                .chip(4, "pinctrl-rp1", 54);
        try (GpioChip chip = HeaderGpioChip.open(chips.syscalls(), chips.dev(), HeaderGpioChip.AUTOMATIC)) {
            assertEquals(4, chip.chipNumber());
            assertEquals("pinctrl-rp1", chip.label());
            assertEquals(chips.dev().resolve("gpiochip4").toString(), chip.path());
        }
    }

    @Test
    void pi5WithoutAnyGpiochip0FindsRp1AmongTheHigherNumbers() {
        FakeGpioChips chips = chips().chip(11, "gpio-brcmstb@107d508500", 32).chip(12, "gpio-brcmstb@107d517c00", 17)
                .chip(13, "pinctrl-rp1", 54).chip(14, "rp1-firmware-gpio", 2).chip(15, "raspberrypi-exp-gpio", 8);
        try (GpioChip chip = HeaderGpioChip.open(chips.syscalls(), chips.dev(), HeaderGpioChip.AUTOMATIC)) {
            assertEquals(13, chip.chipNumber());
        }
    }

    @Test
    void pi4AndOlderBoardsUseTheirPinctrlChip() {
        FakeGpioChips pi4 = new FakeGpioChips(root.resolve("pi4")).chip(0, "pinctrl-bcm2711", 58).chip(1, "raspberrypi-exp-gpio", 8);
        try (GpioChip chip = HeaderGpioChip.open(pi4.syscalls(), pi4.dev(), HeaderGpioChip.AUTOMATIC)) {
            assertEquals(0, chip.chipNumber());
        }
        FakeGpioChips pi3 = new FakeGpioChips(root.resolve("pi3")).chip(1, "raspberrypi-exp-gpio", 8).chip(2, "pinctrl-bcm2835", 54);
        try (GpioChip chip = HeaderGpioChip.open(pi3.syscalls(), pi3.dev(), HeaderGpioChip.AUTOMATIC)) {
            assertEquals(2, chip.chipNumber());
        }
    }

    @Test
    void noChipWithAHeaderLabelIsRefusedWithOneLineSayingWhatToDo() {
        FakeGpioChips chips = chips().chip(0, "gpio-brcmstb@107d508500", 32).chip(10, "gpio-mockup-A", 8);
        LinuxDeviceException e = assertThrows(LinuxDeviceException.class,
                () -> HeaderGpioChip.open(chips.syscalls(), chips.dev(), HeaderGpioChip.AUTOMATIC));
        String message = e.getMessage();
        assertFalse(message.contains("\n"), message);
        assertTrue(message.contains("gpiochip0 [gpio-brcmstb@107d508500, 32 lines]"), message);
        assertTrue(message.contains("gpiochip10 [gpio-mockup-A, 8 lines]"), message);
        assertTrue(message.contains("pinctrl-rp1") && message.contains("pinctrl-bcm2711") && message.contains("pinctrl-bcm2835"), message);
        assertTrue(message.contains("--gpiochip N"), message);
    }

    @Test
    void chipsThatCannotBeOpenedForPermissionAreNamedWithTheGroupToJoin() {
        FakeGpioChips chips = chips().unopenableChip(0, Errno.EACCES).unopenableChip(4, Errno.EACCES);
        LinuxDeviceException e = assertThrows(LinuxDeviceException.class,
                () -> HeaderGpioChip.open(chips.syscalls(), chips.dev(), HeaderGpioChip.AUTOMATIC));
        assertTrue(e.getMessage().contains("gpiochip0 [permission denied]"), e.getMessage());
        assertTrue(e.getMessage().contains("usermod -aG gpio"), e.getMessage());
        assertEquals(Errno.EACCES, e.errno());
    }

    @Test
    void noGpioCharacterDevicesAtAllIsSaidSo() {
        LinuxDeviceException e = assertThrows(LinuxDeviceException.class,
                () -> HeaderGpioChip.open(chips().syscalls(), root.resolve("dev"), HeaderGpioChip.AUTOMATIC));
        assertTrue(e.getMessage().contains("no " + root.resolve("dev").resolve("gpiochip") + "* devices"), e.getMessage());
    }

    @Test
    void anExplicitChipNumberIsUsedAsGiven() {
        FakeGpioChips chips = chips().chip(0, "gpio-brcmstb@107d508500", 32).chip(4, "pinctrl-rp1", 54);
        try (GpioChip chip = HeaderGpioChip.open(chips.syscalls(), chips.dev(), 0)) {
            assertEquals(0, chip.chipNumber());
            assertEquals("gpio-brcmstb@107d508500", chip.label());
        }
    }

    @Test
    void lineInfoReportsTheConsumerOfAHeldLine() {
        FakeGpioChips chips = chips().chip(0, "pinctrl-bcm2711", 58).lineUsedBy(25, "spi0.0");
        try (GpioChip chip = HeaderGpioChip.open(chips.syscalls(), chips.dev(), HeaderGpioChip.AUTOMATIC)) {
            assertEquals(0xC100B405L, GpioV2.GET_LINEINFO_IOCTL, "_IOWR(0xB4, 0x05, 256 bytes)");
            GpioLineInfo held = chip.lineInfo(25);
            assertTrue(held.used());
            assertEquals("spi0.0", held.consumer());
            assertEquals("GPIO25", held.name());
            assertFalse(chip.lineInfo(24).used());
            assertEquals(24, chip.lineInfo(24).offset());
        }
    }
}
