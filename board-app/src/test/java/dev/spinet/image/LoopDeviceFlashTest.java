package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spinet image flash} onto a real block device: a loop device over a temporary file (root
 * only). Exercises what a regular file cannot: the sysfs size, the O_DIRECT read-back, and a
 * refusal driven by the kernel's own mount table. Loop devices and mounts are undone afterwards.
 */
class LoopDeviceFlashTest {

    @TempDir
    Path dir;

    String loop;
    Path mountPoint;

    @BeforeEach
    void requireRootAndLoopDevices() {
        String problem = null;
        if (!"root".equals(System.getProperty("user.name"))) {
            problem = "not root";
        } else if (!Files.exists(Path.of("/dev/loop-control"))) {
            problem = "no /dev/loop-control";
        }
        if (problem != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true: loop-device flash test needs root and loop devices: " + problem);
            }
            Assumptions.abort("loop-device flash test skipped: " + problem);
        }
        ExternalTools.require("losetup", "mount");
    }

    @AfterEach
    void undo() throws Exception {
        if (mountPoint != null) {
            ExternalTools.run("umount", mountPoint.toString());
        }
        if (loop != null) {
            ExternalTools.Result r = ExternalTools.run("losetup", "-d", loop);
            assertEquals(0, r.exitCode(), "losetup -d " + loop + ": " + r.stderr());
        }
    }

    private String attach(Path backing) throws Exception {
        ExternalTools.Result r = ExternalTools.run("losetup", "-f", "--show", backing.toString());
        if (r.exitCode() != 0) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true: losetup failed: " + r.stderr());
            }
            Assumptions.abort("losetup failed (container without loop devices?): " + r.stderr());
        }
        loop = r.stdout().strip();
        return loop;
    }

    @Test
    void writesAndVerifiesThroughTheBlockDevice() throws Exception {
        byte[] image = new byte[5 * 1024 * 1024 + 4096 + 512];
        new Random(11).nextBytes(image);
        Path imageFile = Files.write(dir.resolve("lab.img"), image);
        Path backing = Files.write(dir.resolve("card.bin"), new byte[8 * 1024 * 1024]);
        String device = attach(backing);

        CommandRun run = CommandRun.image(ImageEnvironment.system(FixedLabNames.firstCatalogue()),
                "flash", imageFile.toString(), "--device", device);
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains(device + " (block device)") && run.out().contains("verified"), run.out());
        assertFalse(run.err().contains("O_DIRECT"), "read-back should bypass the page cache: " + run.err());
        assertArrayEquals(image, Arrays.copyOf(Files.readAllBytes(backing), image.length));
    }

    @Test
    void refusesADeviceTheKernelHasMounted() throws Exception {
        ExternalTools.require("mkfs.ext4", "e2fsprogs");
        Path backing = dir.resolve("card.bin");
        Files.write(backing, new byte[8 * 1024 * 1024]);
        ExternalTools.Result mkfs = ExternalTools.run("mkfs.ext4", "-q", "-F", backing.toString());
        assertEquals(0, mkfs.exitCode(), mkfs.stderr());
        String device = attach(backing);
        Path mnt = Files.createDirectory(dir.resolve("mnt"));
        ExternalTools.Result mount = ExternalTools.run("mount", device, mnt.toString());
        if (mount.exitCode() != 0) {
            Assumptions.abort("cannot mount in this environment: " + mount.stderr());
        }
        mountPoint = mnt;
        Path imageFile = Files.write(dir.resolve("lab.img"), new byte[1024 * 1024]);

        CommandRun run = CommandRun.image(ImageEnvironment.system(FixedLabNames.firstCatalogue()),
                "flash", imageFile.toString(), "--device", device, "--dry-run");
        assertEquals(ImageException.REFUSED, run.exitCode(), run.toString());
        assertTrue(run.err().contains("is in use") && run.err().contains(mnt.toString()), run.err());
    }
}
