package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FlashTargetTest {

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
