package dev.spinet.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * The layout numbers of a FAT file system from its boot sector (BIOS parameter block), enough to
 * count free clusters.
 *
 * <pre>
 *  11 u16 bytes per sector        13 u8  sectors per cluster    14 u16 reserved sectors
 *  16 u8  number of FATs          17 u16 root entries (0 = FAT32)
 *  19 u16 total sectors (16-bit)  22 u16 sectors per FAT (FAT12/16)
 *  32 u32 total sectors (32-bit)  36 u32 sectors per FAT (FAT32)
 * </pre>
 *
 * The FAT type follows from the cluster count (Microsoft FAT spec, "FAT Type Determination"):
 * fewer than 4085 clusters is FAT12, fewer than 65525 FAT16, otherwise FAT32.
 */
record FatGeometry(int bytesPerSector, int sectorsPerCluster, long fatOffset, long clusterCount,
        int fatBits) {

    static FatGeometry read(FileChannel channel, BootPartition partition) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(b, partition.offset());
        int bytesPerSector = b.getShort(11) & 0xFFFF;
        int sectorsPerCluster = b.get(13) & 0xFF;
        int reserved = b.getShort(14) & 0xFFFF;
        int fats = b.get(16) & 0xFF;
        int rootEntries = b.getShort(17) & 0xFFFF;
        long total = b.getShort(19) & 0xFFFF;
        if (total == 0) {
            total = Integer.toUnsignedLong(b.getInt(32));
        }
        long fatSectors = b.getShort(22) & 0xFFFF;
        if (fatSectors == 0) {
            fatSectors = Integer.toUnsignedLong(b.getInt(36));
        }
        if (bytesPerSector == 0 || sectorsPerCluster == 0) {
            throw new ImageException(ImageException.BAD_INPUT, partition.description()
                    + ": boot sector has zero bytes per sector or sectors per cluster");
        }
        long rootDirSectors = (rootEntries * 32L + bytesPerSector - 1) / bytesPerSector;
        long dataSectors = total - reserved - fats * fatSectors - rootDirSectors;
        long clusters = dataSectors / sectorsPerCluster;
        int bits = clusters < 4085 ? 12 : clusters < 65525 ? 16 : 32;
        return new FatGeometry(bytesPerSector, sectorsPerCluster,
                partition.offset() + (long) reserved * bytesPerSector, clusters, bits);
    }

    long clusterBytes() {
        return (long) bytesPerSector * sectorsPerCluster;
    }

    /** Counts FAT entries 2..clusterCount+1 that are 0 (free). */
    long countFreeClusters(FileChannel channel, BootPartition partition) throws IOException {
        long entries = clusterCount + 2;
        long fatBytes = fatBits == 12 ? (entries * 3 + 1) / 2 : entries * (fatBits / 8);
        ByteBuffer fat = ByteBuffer.allocate((int) fatBytes).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(fat, fatOffset);
        long free = 0;
        for (long n = 2; n < entries; n++) {
            long value;
            if (fatBits == 32) {
                value = fat.getInt((int) (n * 4)) & 0x0FFFFFFFL;
            } else if (fatBits == 16) {
                value = fat.getShort((int) (n * 2)) & 0xFFFF;
            } else {
                int at = (int) (n * 3 / 2);
                int pair = (fat.get(at) & 0xFF) | ((fat.get(at + 1) & 0xFF) << 8);
                value = (n & 1) == 0 ? pair & 0xFFF : pair >>> 4;
            }
            if (value == 0) {
                free++;
            }
        }
        return free;
    }
}
