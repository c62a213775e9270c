package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LegacyFirstBootTest {

    private static final String CMDLINE = "console=serial0,115200 console=tty1 root=PARTUUID=5350494e-02 rootfstype=ext4 rootwait\n";

    @TempDir
    Path dir;

    @Test
    void cmdlineGetsSystemdRunOnceAndStaysOneLine() {
        String once = LegacyFirstBoot.addTo(CMDLINE, "/boot/firmware");
        assertEquals(CMDLINE.strip() + " systemd.run=/boot/firmware/firstrun.sh systemd.run_success_action=reboot"
                + " systemd.unit=kernel-command-line.target\n", once);
        assertEquals(once, LegacyFirstBoot.addTo(once, "/boot/firmware"));
        assertEquals(1, once.lines().count());
    }

    @Test
    void anotherFirstRunScriptIsNotOverridden() {
        ImageException e = assertThrows(ImageException.class, () -> LegacyFirstBoot.addTo(
                CMDLINE.strip() + " systemd.run=/boot/firstrun.sh systemd.unit=kernel-command-line.target", "/boot"));
        assertTrue(e.getMessage().contains("Imager") && e.getMessage().contains("systemd.run=/boot/firstrun.sh"), e.getMessage());
        assertThrows(ImageException.class, () -> LegacyFirstBoot.addTo("", "/boot"));
    }

    @Test
    void firstrunOptionWritesTheScriptAndNoCloudInitWarning() throws Exception {
        Path boot = Files.createDirectory(dir.resolve("bootfs"));
        Files.writeString(boot.resolve("config.txt"), TestDisks.STOCK_CONFIG);
        Files.writeString(boot.resolve("cmdline.txt"), CMDLINE);
        ImageEnvironment env = ImageEnvironment.system(FixedLabNames.firstCatalogue());
        for (int i = 0; i < 2; i++) {
            CommandRun run = CommandRun.image(env, "build", "--lab", "handshake", "--chip", "w5500", "--firstrun=/boot",
                    "--jar", TestDisks.fakeJar(dir, 100).toString(), "--overlay", boot.toString());
            assertEquals(0, run.exitCode(), run.toString());
            assertFalse(run.err().contains("no user-data"), run.err());
        }
        assertTrue(Files.readString(boot.resolve("cmdline.txt")).endsWith(" systemd.run=/boot/firstrun.sh"
                + " systemd.run_success_action=reboot systemd.unit=kernel-command-line.target\n"));
        String script = Files.readString(boot.resolve("firstrun.sh"));
        assertTrue(script.contains("ExecStart=/bin/sh /boot/spinet/provision.sh") && script.contains("After=network-online.target")
                && script.contains("rm -f /boot/firstrun.sh"), script);
        // Both scripts are valid shell (sh -n parses without running).
        for (Path shellFile : java.util.List.of(boot.resolve("firstrun.sh"), boot.resolve("spinet/provision.sh"))) {
            ExternalTools.Result parse = ExternalTools.run("sh", "-n", shellFile.toString());
            assertEquals(0, parse.exitCode(), shellFile + ": " + parse.stderr());
        }
        String manifest = Files.readString(boot.resolve("spinet/MANIFEST.txt"));
        assertTrue(manifest.contains("  firstrun.sh\n") && manifest.contains("  cmdline.txt\n"), manifest);

        CommandRun bad = CommandRun.image(env, "build", "--lab", "handshake", "--chip", "w5500", "--firstrun=/mnt",
                "--jar", TestDisks.fakeJar(dir, 100).toString(), "--overlay", boot.toString());
        assertEquals(ImageException.BAD_INPUT, bad.exitCode(), bad.toString());
    }
}
