package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images checked by tools Spinet did not write: a disk image made with dosfstools and mtools (MBR +
 * FAT32 boot partition), {@code spinet image build} run on it twice, and the result checked with
 * the same independent tools: mdir/mtype list and read the files, fsck.fat -n finds no error.
 */
class ImageBuildToolsTest {

    static final String OFFSET = "@@" + TestDisks.BOOT_OFFSET;

    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        ExternalTools.require("mkfs.fat", "dosfstools");
        ExternalTools.require("fsck.fat", "dosfstools");
        ExternalTools.require("mcopy", "mtools");
        ExternalTools.require("mdir", "mtools");
        ExternalTools.require("mtype", "mtools");
    }

    private ImageEnvironment env() {
        return ImageEnvironment.system(FixedLabNames.firstCatalogue())
                .withClock(Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC));
    }

    /** {@code spinet image build} of {@code lab} for {@code chip}, {@code base} to {@code out}: must succeed. */
    private CommandRun build(String lab, String chip, Path jar, Path base, Path out, String... options) {
        List<String> args = new ArrayList<>(List.of("build", "--lab", lab, "--chip", chip));
        args.addAll(List.of(options));
        args.addAll(List.of("--jar", jar.toString(), "--base", base.toString(), "--out", out.toString()));
        CommandRun run = CommandRun.image(env(), args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.toString());
        return run;
    }

    /** {@code mdir -b} of {@code folder} in the image's boot partition: one path per line. */
    private static String mdir(Path image, String folder) throws Exception {
        ExternalTools.Result r = ExternalTools.run("mdir", "-i", image + OFFSET, "-b", folder);
        assertEquals(0, r.exitCode(), "mdir " + folder + ": " + r.stderr());
        return r.stdout();
    }

    private String mtype(Path image, String path) throws Exception {
        ExternalTools.Result r = ExternalTools.run("mtype", "-i", image + OFFSET, "::/" + path);
        assertEquals(0, r.exitCode(), "mtype " + path + ": " + r.stderr());
        return r.stdout();
    }

    @Test
    void buildTwiceThenMtoolsAndFsckAgree() throws Exception {
        Path base = TestDisks.withMkfsFat(dir, true);
        Path jar = TestDisks.fakeJar(dir, 300_000);
        Path out = dir.resolve("lab-handshake.img");

        String[] board = {"--int-pin", "25", "--reset-pin", "24", "--ip", "10.0.0.21/24", "--gateway", "10.0.0.1"};
        build("handshake", "w5500", jar, base, out, board);
        // Second build on its own output, in place: nothing may be duplicated.
        CommandRun second = build("handshake", "w5500", jar, out, out, board);
        assertFalse(second.err().contains("user-data.orig"), "a rebuild must not back up its own user-data: " + second);

        // mdir sees the files at the root and in spinet/.
        String root = mdir(out, "::/");
        for (String name : List.of("::/config.txt", "::/cmdline.txt", "::/user-data", "::/meta-data", "::/spinet/")) {
            assertTrue(root.contains(name), "mdir ::/ lacks " + name + ":\n" + root);
        }
        String spinet = mdir(out, "::/spinet");
        for (String name : List.of("spinet.jar", "spinet.properties", "spinet.service", "provision.sh",
                "README.txt", "MANIFEST.txt", "user-data.orig")) {
            assertTrue(spinet.contains("::/spinet/" + name), "mdir ::/spinet lacks " + name + ":\n" + spinet);
        }

        // config.txt: exactly one all-boards dtparam=spi=on, other lines kept.
        String config = mtype(out, "config.txt");
        assertEquals(1, config.lines().filter(l -> l.strip().equals("dtparam=spi=on")).count(), config);
        assertEquals(0, config.lines().filter(l -> l.strip().equals("#dtparam=spi=on")).count(), config);
        assertTrue(config.contains("dtparam=audio=on") && config.contains("[cm5]") && config.contains("otg_mode=1"), config);
        assertTrue(config.indexOf("dtparam=spi=on") < config.indexOf("[cm4]"), "must be in the all-boards part:\n" + config);

        // The manifest's hashes match the files as mtype reads them back.
        String manifestText = mtype(out, "spinet/MANIFEST.txt");
        ImageManifest manifest = ImageManifest.parse(manifestText);
        assertEquals("handshake", manifest.facts().get("lab"));
        assertEquals("w5500", manifest.facts().get("chip"));
        assertEquals("2026-01-02T03:04:05Z", manifest.facts().get("built"));
        assertTrue(manifest.facts().containsKey("spinet-version"));
        List<String> listed = manifest.files().stream().map(ImageManifest.Entry::path).toList();
        assertTrue(listed.containsAll(List.of("config.txt", "user-data", "meta-data", "spinet/spinet.jar",
                "spinet/spinet.properties", "spinet/spinet.service", "spinet/provision.sh", "spinet/README.txt")), listed.toString());
        for (ImageManifest.Entry f : manifest.files()) {
            byte[] readBack = ExternalTools.runBytes("mtype", "-i", out + OFFSET, "::/" + f.path());
            assertEquals(f.sha256(), Sha256.hex(readBack), "hash of " + f.path() + " read back with mtype");
        }
        assertEquals(Sha256.hexOfFile(jar), manifest.files().stream()
                .filter(f -> f.path().equals("spinet/spinet.jar")).findFirst().orElseThrow().sha256());

        // Provisioning: cloud-init runs provision.sh; the unit runs the jar with the properties.
        String userData = mtype(out, "user-data");
        assertTrue(userData.startsWith("#cloud-config\n"), userData);
        assertTrue(userData.contains("/boot/firmware/spinet/provision.sh"), userData);
        assertTrue(mtype(out, "meta-data").matches("(?s).*instance-id: spinet-handshake-[0-9a-f]{12}\n"));
        String unit = mtype(out, "spinet/spinet.service");
        assertTrue(unit.contains("ExecStart=/opt/spinet/java") && unit.contains("run --config /opt/spinet/spinet.properties"), unit);
        assertTrue(unit.contains("WantedBy=multi-user.target"), unit);
        String script = mtype(out, "spinet/provision.sh");
        assertTrue(script.contains("openjdk-25-jre-headless") && script.contains("systemctl enable spinet.service"), script);
        String props = mtype(out, "spinet/spinet.properties");
        for (String line : List.of("lab=handshake", "hal=w5500", "spi=0.0", "spi-hz=20000000", "int-pin=25",
                "reset-pin=24", "gpiochip=auto", "ip=10.0.0.21/24", "gateway=10.0.0.1", "services=echo,discard,chargen,http", "trace=true")) {
            assertTrue(props.lines().anyMatch(line::equals), "spinet.properties lacks " + line + ":\n" + props);
        }
        assertTrue(mtype(out, "spinet/user-data.orig").contains("stock user-data"));

        // fsck.fat -n on the extracted boot partition: no errors.
        assertFsckClean(out, TestDisks.BOOT_SIZE);

        // Nothing outside the boot partition changed: the MBR and the root partition are as before.
        assertRegionEqual(base, out, 0, 512);
        assertRegionEqual(base, out, TestDisks.BOOT_OFFSET + TestDisks.BOOT_SIZE, TestDisks.ROOT_SIZE);
        assertEquals(Files.size(base), Files.size(out));

        // inspect agrees.
        CommandRun inspect = CommandRun.image(env(), "inspect", out.toString());
        assertEquals(0, inspect.exitCode(), inspect.toString());
        assertTrue(inspect.out().contains("lab: handshake"), inspect.out());
        Matcher ok = Pattern.compile("(?m)^OK +").matcher(inspect.out());
        assertEquals(manifest.files().size(), ok.results().count(), inspect.out());
    }

    @Test
    void inspectFailsWhenAFileWasChangedBehindItsBack() throws Exception {
        Path base = TestDisks.withMkfsFat(dir, true);
        Path jar = TestDisks.fakeJar(dir, 10_000);
        Path out = dir.resolve("lab.img");
        build("reset", "enc28j60", jar, base, out);

        Path tampered = dir.resolve("tampered.properties");
        Files.writeString(tampered, "lab=handshake\nhal=enc28j60\n");
        ExternalTools.Result r = ExternalTools.run("mcopy", "-o", "-i", out + OFFSET, tampered.toString(), "::/spinet/spinet.properties");
        assertEquals(0, r.exitCode(), r.stderr());

        CommandRun inspect = CommandRun.image(env(), "inspect", out.toString());
        assertEquals(ImageException.VERIFY_FAILED, inspect.exitCode(), inspect.toString());
        assertTrue(inspect.out().contains("MISMATCH  spinet/spinet.properties"), inspect.out());
        assertTrue(inspect.out().contains("OK        spinet/spinet.jar"), inspect.out());
    }

    @Test
    void baseWithoutCloudInitSeedGetsAWarningAndAConfigTxtIsKept() throws Exception {
        Path base = TestDisks.withMkfsFat(dir, false);
        Path jar = TestDisks.fakeJar(dir, 10_000);
        Path out = dir.resolve("lab.img");
        CommandRun build = build("close", "w5500", jar, base, out);
        assertTrue(build.err().contains("no user-data") && build.err().contains("docs/labs-images.md"), build.err());
        assertTrue(mtype(out, "user-data").startsWith("#cloud-config"));
        String spinet = mdir(out, "::/spinet");
        assertFalse(spinet.contains("user-data.orig"), spinet);
    }

    /**
     * A boot partition the size of Raspberry Pi OS's older 256 MiB one, formatted with mkfs.fat's
     * defaults (4 KiB clusters), so fat32-lib is checked on the cluster size real images use.
     */
    @Test
    void defaultMkfsGeometryWithFourKilobyteClusters() throws Exception {
        TestDisks.Disk base = TestDisks.withMkfsFat(dir, true, 264L << 20);
        Path jar = TestDisks.fakeJar(dir, 2_000_000);
        Path out = dir.resolve("lab.img");
        CommandRun build = build("retransmission", "w5500", jar, base.path(), out);
        assertTrue(build.out().contains("FAT32"), build.out());
        byte[] jarBack = ExternalTools.runBytes("mtype", "-i", out + OFFSET, "::/spinet/spinet.jar");
        assertEquals(Sha256.hexOfFile(jar), Sha256.hex(jarBack));
        assertEquals(1, ConfigTxtEditor.countActiveSpiOn(mtype(out, "config.txt")));
        ExternalTools.Result info = assertFsckClean(out, base.bootSize());
        assertTrue(info.stdout().contains("4096 bytes per cluster"), info.stdout());
        assertEquals(0, CommandRun.image(env(), "inspect", out.toString()).exitCode());
    }

    /** fsck.fat -n -v on the boot partition, extracted to its own (sparse) file. */
    private ExternalTools.Result assertFsckClean(Path image, long bootSize) throws Exception {
        Path part = dir.resolve("extracted-boot.img");
        Files.deleteIfExists(part);
        TestDisks.copySparse(image, TestDisks.BOOT_OFFSET, part, 0, bootSize);
        ExternalTools.Result fsck = ExternalTools.run("fsck.fat", "-n", "-v", part.toString());
        assertEquals(0, fsck.exitCode(), "fsck.fat -n:\n" + fsck.stdout() + fsck.stderr());
        String lower = fsck.stdout().toLowerCase();
        assertFalse(lower.contains("dirty") || lower.contains("wrong") || lower.contains("lost"), fsck.stdout());
        return fsck;
    }

    private static void assertRegionEqual(Path a, Path b, long offset, long length) throws Exception {
        try (FileChannel ca = FileChannel.open(a, StandardOpenOption.READ);
                FileChannel cb = FileChannel.open(b, StandardOpenOption.READ)) {
            ByteBuffer ba = ByteBuffer.allocate((int) length);
            ByteBuffer bb = ByteBuffer.allocate((int) length);
            ca.read(ba, offset);
            cb.read(bb, offset);
            assertEquals(ba.flip(), bb.flip(), "bytes [" + offset + ", " + (offset + length) + ") differ");
        }
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
