package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spinet image build} and {@code inspect} without external tools: a boot partition
 * formatted by fat32-lib, the {@code --overlay} folder mode, and the error paths.
 */
class ImageBuildCommandTest {

    @TempDir
    Path dir;

    private final ImageEnvironment env = ImageEnvironment.system(FixedLabNames.firstCatalogue());

    private static String read(BootVolume v, String path) throws IOException {
        return new String(v.read(path).orElseThrow(() -> new AssertionError("missing " + path)), StandardCharsets.UTF_8);
    }

    @Test
    void buildsIntoAFat32LibFormattedImageAndInspectVerifies() throws IOException {
        Path base = TestDisks.withFat32Lib(dir);
        Path jar = TestDisks.fakeJar(dir, 50_000);
        Path out = dir.resolve("lab-flow-control.img");
        CommandRun build = CommandRun.image(env, "build", "--lab", "flow-control", "--chip", "enc28j60",
                "--spi", "0.1", "--int-pin", "22", "--services", "echo,http", "--no-trace",
                "--jar", jar.toString(), "--base", base.toString(), "--out", out.toString());
        assertEquals(0, build.exitCode(), build.toString());
        assertTrue(build.out().contains("next: spinet image flash " + out), build.out());
        try (FatImageBootVolume v = FatImageBootVolume.open(out, true)) {
            assertEquals(1, ConfigTxtEditor.countActiveSpiOn(read(v, "config.txt")));
            String props = read(v, "spinet/spinet.properties");
            assertTrue(props.contains("\nhal=enc28j60\n") && props.contains("\nspi=0.1\n") && props.contains("\nspi-hz=12000000\n")
                    && props.contains("\nint-pin=22\n") && props.contains("\nservices=echo,http\n") && props.contains("\ntrace=false\n")
                    && !props.contains("reset-pin"), props);
            assertTrue(read(v, "spinet/spinet.service").contains("SPI 0.1"));
        }
        CommandRun inspect = CommandRun.image(env, "inspect", out.toString());
        assertEquals(0, inspect.exitCode(), inspect.toString());
        assertTrue(inspect.out().contains("all 9 files verified"), inspect.out());
    }

    @Test
    void overlayWritesTheSameFilesIntoAFolder() throws IOException {
        Path boot = Files.createDirectory(dir.resolve("bootfs"));
        Files.writeString(boot.resolve("config.txt"), TestDisks.STOCK_CONFIG);
        Files.writeString(boot.resolve("user-data"), "#cloud-config\nhostname: pi\n");
        Path jar = TestDisks.fakeJar(dir, 1000);
        for (int i = 0; i < 2; i++) {
            CommandRun build = CommandRun.image(env, "build", "--lab", "syn-sent", "--chip", "w5500", "--peer", "10.0.0.121",
                    "--jar", jar.toString(), "--overlay", boot.toString());
            assertEquals(0, build.exitCode(), build.toString());
        }
        assertEquals(1, ConfigTxtEditor.countActiveSpiOn(Files.readString(boot.resolve("config.txt"))));
        assertEquals(Sha256.hexOfFile(jar), Sha256.hexOfFile(boot.resolve("spinet/spinet.jar")));
        assertEquals("#cloud-config\nhostname: pi\n", Files.readString(boot.resolve("spinet/user-data.orig")));
        for (String f : List.of("user-data", "meta-data", "spinet/spinet.properties", "spinet/spinet.service",
                "spinet/provision.sh", "spinet/README.txt", "spinet/MANIFEST.txt")) {
            assertTrue(Files.isRegularFile(boot.resolve(f)), f);
        }
        try (var files = Files.list(boot.resolve("spinet"))) {
            assertFalse(files.anyMatch(p -> p.toString().endsWith(".spinet-tmp")), "no temporary files left");
        }
        CommandRun inspect = CommandRun.image(env, "inspect", boot.toString());
        assertEquals(0, inspect.exitCode(), inspect.toString());

        Files.writeString(boot.resolve("config.txt"), "dtparam=audio=on\n"); // someone removed SPI by hand
        CommandRun after = CommandRun.image(env, "inspect", boot.toString());
        assertEquals(ImageException.VERIFY_FAILED, after.exitCode(), after.toString());
        assertTrue(after.out().contains("MISMATCH  config.txt") && after.out().contains("0 all-boards"), after.out());
    }

    @Test
    void sshKeyAddsAnInstructorLogin() throws IOException {
        Path boot = Files.createDirectory(dir.resolve("bootfs"));
        Path key = Files.writeString(dir.resolve("id_ed25519.pub"), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample teacher@lab\n");
        CommandRun build = CommandRun.image(env, "build", "--lab", "handshake", "--chip", "w5500", "--ssh-key", key.toString(),
                "--user", "teacher", "--jar", TestDisks.fakeJar(dir, 100).toString(), "--overlay", boot.toString());
        assertEquals(0, build.exitCode(), build.toString());
        String userData = Files.readString(boot.resolve("user-data"));
        assertTrue(userData.contains("  - name: teacher\n") && userData.contains("\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample teacher@lab\"")
                && userData.contains("[systemctl, enable, --now, ssh]"), userData);

        Path privateKey = Files.writeString(dir.resolve("id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        CommandRun wrong = CommandRun.image(env, "build", "--lab", "handshake", "--chip", "w5500", "--ssh-key", privateKey.toString(),
                "--jar", TestDisks.fakeJar(dir, 100).toString(), "--overlay", boot.toString());
        assertEquals(ImageException.BAD_INPUT, wrong.exitCode(), wrong.toString());
        assertTrue(wrong.err().contains("pass the .pub file"), wrong.err());
    }

    @Test
    void errorsAreClearAndLeaveNoHalfWrittenImage() throws IOException {
        Path base = TestDisks.withFat32Lib(dir);
        Path jar = TestDisks.fakeJar(dir, 100);
        Path out = dir.resolve("out.img");

        CommandRun unknownLab = CommandRun.image(env, "build", "--lab", "handshak", "--chip", "w5500",
                "--jar", jar.toString(), "--base", base.toString(), "--out", out.toString());
        assertEquals(ImageException.BAD_INPUT, unknownLab.exitCode());
        assertTrue(unknownLab.err().contains("unknown lab 'handshak'") && unknownLab.err().contains("simultaneous-open"), unknownLab.err());

        CommandRun both = CommandRun.image(env, "build", "--lab", "handshake", "--chip", "w5500", "--jar", jar.toString(),
                "--base", base.toString(), "--out", out.toString(), "--overlay", dir.toString());
        assertTrue(both.err().contains("not both"), both.err());
        CommandRun neither = CommandRun.image(env, "build", "--lab", "handshake", "--chip", "w5500", "--jar", jar.toString());
        assertTrue(neither.err().contains("say where to write"), neither.err());

        Path xz = Files.write(dir.resolve("raspios.img.xz"), new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0, 1, 2});
        CommandRun compressed = CommandRun.image(env, "build", "--lab", "handshake", "--chip", "w5500", "--jar", jar.toString(),
                "--base", xz.toString(), "--out", out.toString());
        assertTrue(compressed.err().contains("xz -dk"), compressed.err());

        // A jar that does not fit the 48 MiB boot partition: refused before writing, output removed.
        Path huge = dir.resolve("huge.jar");
        try (var ch = java.nio.channels.FileChannel.open(huge, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}), (60L << 20) - 1);
        }
        CommandRun tooBig = CommandRun.image(env, "build", "--lab", "handshake", "--chip", "w5500", "--jar", huge.toString(),
                "--base", base.toString(), "--out", out.toString());
        assertEquals(ImageException.BAD_INPUT, tooBig.exitCode(), tooBig.toString());
        assertTrue(tooBig.err().contains("bytes free but the lab files need"), tooBig.err());
        assertFalse(Files.exists(out), "a failed build removes its output");

        CommandRun notAnImage = CommandRun.image(env, "inspect", jar.toString());
        assertEquals(ImageException.BAD_INPUT, notAnImage.exitCode(), notAnImage.toString());
        CommandRun notBuilt = CommandRun.image(env, "inspect", base.toString());
        assertEquals(ImageException.VERIFY_FAILED, notBuilt.exitCode(), notBuilt.toString());
        assertTrue(notBuilt.err().contains("has no spinet/MANIFEST.txt"), notBuilt.err());
    }

    @Test
    void jarDefaultsToTheJarThisCommandRunsFrom() throws IOException {
        Path jar = TestDisks.fakeJar(dir, 10);
        assertEquals(jar, RunningJar.resolve(null, jar));
        ImageException fromClasses = assertThrows(ImageException.class, () -> RunningJar.resolve(null, dir));
        assertTrue(fromClasses.getMessage().contains("Pass --jar board-app/target/spinet.jar"), fromClasses.getMessage());
        ImageException missing = assertThrows(ImageException.class, () -> RunningJar.resolve(dir.resolve("no.jar"), jar));
        assertTrue(missing.getMessage().contains("is not a file"), missing.getMessage());

        Path boot = Files.createDirectory(dir.resolve("bootfs"));
        CommandRun build = CommandRun.image(env.withCodeSource(jar), "build", "--lab", "handshake", "--chip", "w5500",
                "--overlay", boot.toString());
        assertEquals(0, build.exitCode(), build.toString());
        assertEquals(Sha256.hexOfFile(jar), Sha256.hexOfFile(boot.resolve("spinet/spinet.jar")));
        assertTrue(build.err().contains("no config.txt") && build.err().contains("no user-data"), build.err());
        // In the test JVM the code source is target/classes: no default jar.
        CommandRun noJar = CommandRun.image(env, "build", "--lab", "handshake", "--chip", "w5500", "--overlay", boot.toString());
        assertEquals(ImageException.BAD_INPUT, noJar.exitCode(), noJar.toString());
    }

    @Test
    void existingUpperCaseShortNamesAreReusedNotDuplicated() throws IOException {
        Path disk = dir.resolve("upper.img");
        TestDisks.writeMbrAndRoot(disk, TestDisks.BOOT_SIZE);
        try (var ch = java.nio.channels.FileChannel.open(disk, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            var dev = new PartitionBlockDevice(ch, new BootPartition(TestDisks.BOOT_OFFSET, TestDisks.BOOT_SIZE, "t"), false);
            var fs = de.waldheinz.fs.fat.SuperFloppyFormatter.get(dev)
                    .setFatType(de.waldheinz.fs.fat.FatType.FAT32).format();
            fs.getRoot().addFile("CONFIG.TXT").getFile()
                    .write(0, java.nio.ByteBuffer.wrap("#dtparam=spi=on\n".getBytes(StandardCharsets.US_ASCII)));
            fs.getRoot().addDirectory("SPINET");
            fs.close();
        }
        CommandRun build = CommandRun.image(env, "build", "--lab", "handshake", "--chip", "w5500",
                "--jar", TestDisks.fakeJar(dir, 100).toString(), "--base", disk.toString(), "--out", disk.toString());
        assertEquals(0, build.exitCode(), build.toString());
        try (FatImageBootVolume v = FatImageBootVolume.open(disk, true)) {
            assertEquals("dtparam=spi=on\n", read(v, "config.txt"));
        }
        try (var ch = java.nio.channels.FileChannel.open(disk, java.nio.file.StandardOpenOption.READ)) {
            var fs = de.waldheinz.fs.fat.FatFileSystem.read(
                    new PartitionBlockDevice(ch, new BootPartition(TestDisks.BOOT_OFFSET, TestDisks.BOOT_SIZE, "t"), true), true);
            long configs = 0;
            long spinetDirs = 0;
            for (var e : fs.getRoot()) {
                configs += e.getName().equalsIgnoreCase("config.txt") ? 1 : 0;
                spinetDirs += e.getName().equalsIgnoreCase("spinet") ? 1 : 0;
            }
            assertEquals(1, configs, "one config.txt entry");
            assertEquals(1, spinetDirs, "one spinet folder");
        }
    }

    @Test
    void imageAloneShowsUsage() {
        CommandRun run = CommandRun.image(env);
        assertEquals(ImageException.BAD_INPUT, run.exitCode());
        assertTrue(run.err().contains("build") && run.err().contains("flash") && run.err().contains("inspect"), run.err());
    }
}
