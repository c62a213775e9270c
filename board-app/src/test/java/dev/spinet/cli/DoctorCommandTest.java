package dev.spinet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spinet doctor} on a machine that is not a Pi: one line per check, or JSON; exit 1. */
class DoctorCommandTest {

    @TempDir
    Path root;

    private SpinetRun doctor(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "doctor";
        System.arraycopy(args, 0, all, 1, args.length);
        return SpinetRun.spinet(all);
    }

    @Test
    void notAPiPrintsOneLinePerCheckAndSaysWhichDidNotRun() throws Exception {
        Files.createDirectories(root.resolve("proc/device-tree"));
        Files.writeString(root.resolve("proc/device-tree/model"), "QEMU Virtual Machine\0");
        SpinetRun run = doctor("--root", root.toString());
        assertEquals(1, run.status(), run.toString());
        String[] lines = run.out().split("\n");
        assertEquals(11, lines.length, run.out());
        assertTrue(lines[0].startsWith("FAIL raspberry-pi      not a Raspberry Pi (/proc/device-tree/model says 'QEMU Virtual Machine'"), lines[0]);
        assertTrue(lines[1].matches("(PASS|WARN|FAIL) java .*"), lines[1]);
        assertTrue(lines[2].startsWith("SKIP spi-enabled       not run: not a Raspberry Pi"), lines[2]);
        assertTrue(lines[10].startsWith("doctor: this machine is not a Raspberry Pi"), lines[10]);
    }

    @Test
    void jsonSaysTheSame() {
        SpinetRun run = doctor("--json", "--root", root.toString());
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.out().contains("\"raspberryPi\": false,"), run.out());
        assertTrue(run.out().contains("\"notRun\": [\"spi-enabled\", \"spi-kernel-driver\", \"spi-access\", \"gpiochip\","
                + " \"gpio-access\", \"int-line\", \"reset-line\", \"chip-version\"]"), run.out());
    }

    @Test
    void onlyTheWiredChipsAreAcceptedForHal() {
        SpinetRun run = doctor("--hal", "tap");
        assertEquals(RunCommand.EXIT_USAGE, run.status());
        assertTrue(run.err().contains("w5500 or enc28j60"), run.err());
    }

    /** The same wiring checks as run and selftest (one ChipWiring): INT and RESET on one line is refused. */
    @Test
    void wiringIsCheckedAsRunAndSelftestCheckIt() {
        for (String command : new String[] {"doctor", "selftest", "run"}) {
            String[] args = command.equals("doctor")
                    ? new String[] {command, "--root", root.toString(), "--int-pin", "24", "--reset-pin", "24"}
                    : new String[] {command, "--hal", "sim-w5500", "--ip", "10.0.0.2/24", "--int-pin", "24", "--reset-pin", "24"};
            if (command.equals("selftest")) {
                args = new String[] {command, "--hal", "sim-w5500", "--int-pin", "24", "--reset-pin", "24"};
            }
            SpinetRun run = SpinetRun.spinet(args);
            assertEquals(RunCommand.EXIT_USAGE, run.status(), command + ": " + run.err());
            assertTrue(run.err().contains("--int-pin and --reset-pin are both GPIO24; they must be different lines"), command + ": " + run.err());
        }
    }
}
