package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How flash decides a block device is in use, against a fake /sys/class/block. */
class FlashTargetTest {

    @TempDir
    Path dir;

    Path sys;
    FlashTarget sdb;

    /**
     * Lays out sysfs like the kernel: /sys/devices/.../block/sdb/{dev,size,sdb1/{partition,dev},...}
     * with /sys/class/block/NAME symlinks, and a dm-0 built on sdb2.
     */
    @BeforeEach
    void fakeSysfs() throws IOException {
        Path devices = Files.createDirectories(dir.resolve("devices/block"));
        sys = Files.createDirectories(dir.resolve("class/block"));
        disk(devices, "sdb", "8:16", "8:17", "8:18");
        disk(devices, "sda", "8:0", "8:1");
        Path dm = Files.createDirectories(devices.resolve("dm-0"));
        Files.writeString(dm.resolve("dev"), "254:0\n");
        Files.createDirectories(dm.resolve("slaves"));
        Files.createSymbolicLink(dm.resolve("slaves/sdb2"), devices.resolve("sdb/sdb2"));
        Files.createSymbolicLink(sys.resolve("dm-0"), dm);
        sdb = new FlashTarget(Path.of("/dev/sdb"), Path.of("/dev/sdb"), true, sys);
    }

    private void disk(Path devices, String name, String dev, String... partitions) throws IOException {
        Path d = Files.createDirectories(devices.resolve(name));
        Files.writeString(d.resolve("dev"), dev + "\n");
        Files.writeString(d.resolve("size"), "62333952\n");
        Files.createSymbolicLink(sys.resolve(name), d);
        for (int i = 0; i < partitions.length; i++) {
            Path p = Files.createDirectories(d.resolve(name + (i + 1)));
            Files.writeString(p.resolve("partition"), (i + 1) + "\n");
            Files.writeString(p.resolve("dev"), partitions[i] + "\n");
            Files.createSymbolicLink(sys.resolve(name + (i + 1)), p);
        }
    }

    @Test
    void partitionMountedByPathCounts() throws IOException {
        List<MountEntry> users = sdb.usersAmong(List.of(
                new MountEntry("/dev/sda1", "/", null),
                new MountEntry("/dev/sdb1", "/media/me/bootfs", null)));
        assertEquals(List.of(new MountEntry("/dev/sdb1", "/media/me/bootfs", null)), users);
    }

    @Test
    void deviceNumbersCatchASourceWithAnotherName() throws IOException {
        List<MountEntry> users = sdb.usersAmong(List.of(new MountEntry("/dev/root", "/", "8:18")));
        assertEquals(1, users.size());
    }

    @Test
    void mapperDeviceOnAPartitionCounts() throws IOException {
        List<MountEntry> users = sdb.usersAmong(List.of(new MountEntry("/dev/dm-0", "/home", null)));
        assertEquals(1, users.size());
    }

    @Test
    void otherDisksAndPseudoFileSystemsDoNotCount() throws IOException {
        assertEquals(List.of(), sdb.usersAmong(List.of(
                new MountEntry("/dev/sda1", "/", "8:1"),
                new MountEntry("proc", "/proc", "0:22"),
                new MountEntry("/dev/sdbb1", "/mnt", null))));
    }

    @Test
    void sizeFromSysfsSectors() throws IOException {
        assertEquals(62333952L * 512, sdb.size());
    }

    @Test
    void partitionNamesMapToTheirDisk() {
        assertEquals("sdb", FlashTarget.heuristicParent("sdb1"));
        assertEquals("sdaa", FlashTarget.heuristicParent("sdaa12"));
        assertEquals("mmcblk0", FlashTarget.heuristicParent("mmcblk0p2"));
        assertEquals("nvme0n1", FlashTarget.heuristicParent("nvme0n1p3"));
        assertEquals("loop7", FlashTarget.heuristicParent("loop7p1"));
        assertEquals("mmcblk0", FlashTarget.heuristicParent("mmcblk0"));
        assertEquals("sdb", FlashTarget.heuristicParent("sdb"));
        assertEquals("dm-0", FlashTarget.heuristicParent("dm-0"));
    }
}
