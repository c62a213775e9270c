package dev.spinet.doctor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.app.HalKind;
import dev.spinet.hal.linux.HeaderGpioChip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** spinet doctor against fake /proc, /sys, /dev and /etc trees: each failure docs/raspberry-pi.md names. */
class DoctorTest {

    @TempDir
    Path root;

    private FakePi pi;

    @BeforeEach
    void healthyPi() throws IOException {
        pi = new FakePi(root);
    }

    private static DoctorOptions options(HalKind hal) {
        return new DoctorOptions(hal, "0.0", 25, 24, HeaderGpioChip.AUTOMATIC);
    }

    private DoctorResult run() {
        return pi.doctor().run(options(null));
    }

    private static DoctorCheck check(DoctorResult result, String name) {
        return result.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + result.checks()));
    }

    private static void assertFails(DoctorResult result, String name, String detail, String fix) {
        DoctorCheck c = check(result, name);
        assertEquals(DoctorStatus.FAIL, c.status(), c.toString());
        assertTrue(c.detail().contains(detail), c.toString());
        assertNotNull(c.fix(), c.toString());
        assertTrue(c.fix().contains(fix), c.toString());
        assertTrue(result.failed());
    }

    @Test
    void aHealthyPi5WithAW5500PassesEveryCheckAndReadsVersionr() {
        pi.spiAnswers.add(0x04);
        DoctorResult result = pi.doctor().run(options(HalKind.W5500));
        for (DoctorCheck c : result.checks()) {
            assertEquals(DoctorStatus.PASS, c.status(), c.toString());
        }
        assertTrue(check(result, "gpiochip").detail().startsWith("/dev/gpiochip4 [pinctrl-rp1, 54 lines]"),
                check(result, "gpiochip").detail());
        assertEquals(List.of("spi0.0 -> spidev, spi0.1 -> spidev"), List.of(check(result, "spi-kernel-driver").detail()));
        assertEquals(1, pi.spiSent.size());
        assertArrayEquals(new byte[] {0x00, 0x39, 0x00}, pi.spiSent.getFirst(), "VERSIONR, common block, read, variable length");
        assertFalse(result.failed());
    }

    @Test
    void notARaspberryPiSaysSoAndListsTheChecksItDidNotRun() throws IOException {
        Files.delete(root.resolve("proc/device-tree/model"));
        DoctorResult result = run();
        assertFails(result, "raspberry-pi", "not a Raspberry Pi (no /proc/device-tree/model or /sys/firmware/devicetree/base/model",
                "--hal tap");
        assertEquals(List.of("spi-enabled", "spi-kernel-driver", "spi-access", "gpiochip", "gpio-access", "int-line",
                "reset-line", "chip-version"), result.notRun());
        String json = DoctorReport.json(result, "test");
        assertTrue(json.contains("\"raspberryPi\": false"), json);
        assertTrue(json.contains("\"notAPi\": \"this machine is not a Raspberry Pi: no /proc/device-tree/model"), json);
        assertTrue(json.contains("\"notRun\": [\"spi-enabled\", \"spi-kernel-driver\", \"spi-access\", \"gpiochip\""), json);
        assertTrue(DoctorReport.text(result).contains("doctor: this machine is not a Raspberry Pi"), DoctorReport.text(result));
    }

    @Test
    void theDeviceTreeModelUnderSysIsReadToo() throws IOException {
        Files.delete(root.resolve("proc/device-tree/model"));
        pi.write("sys/firmware/devicetree/base/model", "Raspberry Pi 4 Model B Rev 1.5\0");
        assertEquals("Raspberry Pi 4 Model B Rev 1.5", check(run(), "raspberry-pi").detail());
    }

    @Test
    void spiNotEnabled() throws IOException {
        Files.delete(root.resolve("dev/spidev0.0"));
        Files.delete(root.resolve("sys/bus/spi/devices/spi0.0"));
        Files.delete(root.resolve("sys/bus/spi/devices/spi0.1"));
        DoctorResult result = run();
        assertFails(result, "spi-enabled", "no /dev/spidev0.0", "dtparam=spi=on");
        assertEquals(DoctorStatus.SKIP, check(result, "spi-access").status());
    }

    @Test
    void anEnc28j60OverlayThatTookTheChipSelect() throws IOException {
        Files.delete(root.resolve("dev/spidev0.0"));
        pi.spiDevice("spi0.0", "enc28j60");
        DoctorResult result = run();
        assertFails(result, "spi-enabled", "spi0.0 is bound to the kernel's enc28j60 driver", "dtoverlay=enc28j60");
        assertFails(result, "spi-kernel-driver", "spi0.0 is bound to the kernel's enc28j60 driver", "dtoverlay=enc28j60");
    }

    @Test
    void aW5500OverlayOnTheOtherChipSelectIsFoundByItsCompatible() throws IOException {
        Path device = Files.createDirectories(root.resolve("sys/devices/platform/soc/spi@7e204000/spi0.1"));
        Files.delete(device.resolve("driver"));
        pi.write("sys/devices/platform/soc/spi@7e204000/spi0.1/modalias", "spi:w5500\n");
        pi.write("sys/devices/platform/soc/spi@7e204000/spi0.1/of_node/compatible", "wiznet,w5500\0");
        assertFails(run(), "spi-kernel-driver", "spi0.1 is bound to the kernel's w5500 (unbound, wiznet,w5500) driver",
                "dtoverlay=w5500");
    }

    @Test
    void theInterruptLineHeldByAKernelDriverAndResetByARunningSpinet() {
        pi.chips.lineUsedBy(25, "interrupt").lineUsedBy(24, "spinet-reset");
        DoctorResult result = run();
        assertFails(result, "int-line", "GPIO25 (INT) on /dev/gpiochip4 is in use by 'interrupt'", "dtoverlay=enc28j60");
        assertFails(result, "reset-line", "GPIO24 (RESET) on /dev/gpiochip4 is in use by 'spinet-reset'", "systemctl stop spinet");
    }

    @Test
    void noGpioChipWithTheHeaderLabel() throws IOException {
        Files.delete(root.resolve("dev/gpiochip4"));
        DoctorResult result = run();
        assertFails(result, "gpiochip", "no chip labelled pinctrl-rp1, pinctrl-bcm2711, pinctrl-bcm2835 among"
                + " /dev/gpiochip0 [gpio-brcmstb@107d508500, 32 lines]", "--gpiochip N");
        assertEquals(DoctorStatus.SKIP, check(result, "int-line").status());
    }

    @Test
    void aChipNamedByHandThatIsNotTheHeaderIsAWarning() {
        DoctorResult result = pi.doctor().run(new DoctorOptions(null, "0.0", 25, 24, 0));
        DoctorCheck c = check(result, "gpiochip");
        assertEquals(DoctorStatus.WARN, c.status(), c.toString());
        assertTrue(c.detail().contains("gpio-brcmstb@107d508500"), c.toString());
        assertTrue(c.fix().contains("leave --gpiochip out"), c.toString());
        assertFalse(result.failed(), "the user's choice is respected");
    }

    @Test
    void aLineNumberPastTheChipIsTheHeaderPinNumberMistake() {
        assertFails(pi.doctor().run(new DoctorOptions(null, "0.0", 55, 24, HeaderGpioChip.AUTOMATIC)), "int-line",
                "GPIO55 (INT) on /dev/gpiochip4: the chip has only 54 lines", "BCM GPIO number");
    }

    @Test
    void userNotInTheSpiGroup() throws IOException {
        pi.userInGroups(FakePi.USER_GID);
        assertFails(run(), "spi-access", "pi is not in group spi", "sudo usermod -aG spi");
    }

    @Test
    void userAddedToTheGroupAfterLoggingIn() throws IOException {
        pi.userInGroups(FakePi.USER_GID);
        pi.write("etc/group", "spi:x:" + pi.nodeGid + ":pi\n");
        assertFails(run(), "gpio-access", "pi was added to group spi after this login started", "log out and in again");
    }

    @Test
    void trixiesEarlyAccessJdkIsAWarning() {
        DoctorResult result = pi.doctor(new JavaRuntime("25-ea+32-Debian-1", 25, true, "Debian", "aarch64", 64)).run(options(null));
        DoctorCheck c = check(result, "java");
        assertEquals(DoctorStatus.WARN, c.status(), c.toString());
        assertTrue(c.detail().contains("Trixie's openjdk-25 package is 25~32ea"), c.toString());
        assertFalse(result.failed());
    }

    @Test
    void bookwormsJava17And32BitJvmsFail() throws IOException {
        pi.write("etc/os-release", "VERSION_CODENAME=bookworm\n");
        assertFails(pi.doctor(new JavaRuntime("17.0.16+8-Debian", 17, false, "Debian", "aarch64", 64)).run(options(null)),
                "java", "Spinet needs Java 25", "Bookworm's own packages stop at openjdk-17");
        assertFails(pi.doctor(new JavaRuntime("25+36", 25, false, "Eclipse Adoptium", "arm", 32)).run(options(null)),
                "java", "need a 64-bit JVM", "64-bit");
    }

    @Test
    void aW5500ThatDoesNotAnswer() {
        DoctorResult result = pi.doctor().run(options(HalKind.W5500));
        assertFails(result, "chip-version", "VERSIONR reads 0x00, expected 0x04", "MISO/MOSI");
        assertEquals(3, pi.spiSent.size(), "VERSIONR may read 0 right after reset: read three times");
    }

    @Test
    void anEnc28j60AnswersWithItsRevisionAndKeepsItsBank() {
        pi.spiAnswers.addAll(List.of(0x02, 0x06)); // ECON1 in bank 2, then EREVID of rev B7
        DoctorResult result = pi.doctor().run(options(HalKind.ENC28J60));
        DoctorCheck c = check(result, "chip-version");
        assertEquals(DoctorStatus.PASS, c.status(), c.toString());
        assertEquals("ENC28J60 on /dev/spidev0.0 answers: EREVID = 0x06 (rev B7)", c.detail());
        assertEquals(5, pi.spiSent.size());
        assertArrayEquals(new byte[] {0x1F}, pi.spiSent.get(0), "RCR ECON1");
        assertArrayEquals(new byte[] {(byte) 0x9F, 0x03}, pi.spiSent.get(1), "BFS ECON1 BSEL: bank 3");
        assertArrayEquals(new byte[] {0x12}, pi.spiSent.get(2), "RCR EREVID");
        assertArrayEquals(new byte[] {(byte) 0xBF, 0x03}, pi.spiSent.get(3), "BFC ECON1 BSEL");
        assertArrayEquals(new byte[] {(byte) 0x9F, 0x02}, pi.spiSent.get(4), "BFS ECON1: bank 2 again");
    }
}
