package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcMountTableTest {

    @TempDir
    Path dir;

    @Test
    void readsMountsMountinfoAndSwaps() throws IOException {
        Path mounts = Files.writeString(dir.resolve("mounts"), """
                /dev/mmcblk0p2 / ext4 rw,noatime 0 0
                /dev/sdb1 /media/me/boot\\040fs vfat rw 0 0
                """);
        Path mountinfo = Files.writeString(dir.resolve("mountinfo"), """
                22 1 179:2 / / rw,noatime shared:1 - ext4 /dev/mmcblk0p2 rw
                36 25 8:17 / /media/me/boot\\040fs rw,nosuid shared:7 master:1 - vfat /dev/sdb1 rw
                """);
        Path swaps = Files.writeString(dir.resolve("swaps"), """
                Filename				Type		Size		Used		Priority
                /dev/sdc2                               partition	1048572		0		-2
                """);
        List<MountEntry> e = new ProcMountTable(mounts, mountinfo, swaps).entries();
        assertTrue(e.contains(new MountEntry("/dev/sdb1", "/media/me/boot fs", null)), e.toString());
        assertTrue(e.contains(new MountEntry("/dev/sdb1", "/media/me/boot fs", "8:17")), e.toString());
        assertTrue(e.contains(new MountEntry("/dev/mmcblk0p2", "/", "179:2")), e.toString());
        assertTrue(e.contains(new MountEntry("/dev/sdc2", "[swap]", null)), e.toString());
        assertEquals(5, e.size());
    }

    @Test
    void systemTableOfThisMachineHasARoot() throws IOException {
        assertTrue(ProcMountTable.system().entries().stream().anyMatch(m -> m.mountPoint().equals("/")));
    }
}
