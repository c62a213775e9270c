package dev.spinet.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.HexFormat;

/**
 * Finds the FAT boot partition of a Raspberry Pi OS disk image: the first FAT partition of the MBR
 * partition table, or of the GPT when the MBR is protective (type 0xEE).
 *
 * <pre>
 * MBR (sector 0, 512 bytes)                  GPT header (LBA 1)
 *   0x1BE  4 x 16-byte partition entries:       0  "EFI PART"
 *          +0 status, +4 type,                 72  partition entry array LBA (u64 LE)
 *          +8 first LBA (u32 LE),              80  number of entries (u32 LE)
 *          +12 sector count (u32 LE)           84  size of one entry (u32 LE)
 *   0x1FE  0x55 0xAA                         GPT entry: +0 type GUID (16), +32 first LBA (u64),
 *                                                       +40 last LBA (u64, inclusive)
 * </pre>
 *
 * Sectors are 512 bytes (SD cards and the images written to them). Extended/logical MBR partitions
 * are not searched: the Pi firmware boots from a primary partition. The chosen partition must also
 * carry a FAT boot sector (0x55AA and "FAT" in the file-system type field), so a mislabelled
 * partition fails here with a clear message and not deep inside the FAT library.
 */
public final class BootPartitionLocator {

    static final int SECTOR = 512;
    private static final int MBR_ENTRIES = 0x1BE;
    private static final int MBR_SIGNATURE = 0x1FE;
    private static final int TYPE_GPT_PROTECTIVE = 0xEE;

    /** Microsoft basic data (EBD0A0A2-B9E5-4433-87C0-68B6B72699C7), as stored on disk (mixed endian). */
    static final byte[] GPT_BASIC_DATA = guidBytes("EBD0A0A2-B9E5-4433-87C0-68B6B72699C7");
    /** EFI system partition (C12A7328-F81F-11D2-BA4B-00A0C93EC93B), as stored on disk. */
    static final byte[] GPT_EFI_SYSTEM = guidBytes("C12A7328-F81F-11D2-BA4B-00A0C93EC93B");

    private BootPartitionLocator() {
    }

    /** MBR partition types that hold FAT: FAT12 01, FAT16 04/06/0E, FAT32 0B/0C (LBA variants 0C/0E). */
    static boolean isFatType(int type) {
        return type == 0x01 || type == 0x04 || type == 0x06 || type == 0x0B || type == 0x0C
                || type == 0x0E;
    }

    public static BootPartition locate(FileChannel image, String imageName) throws IOException {
        long size = image.size();
        if (size < SECTOR) {
            throw new ImageException(ImageException.BAD_INPUT, imageName + " is " + size
                    + " bytes: too small to be a disk image");
        }
        ByteBuffer mbr = readSector(image, 0);
        if ((mbr.get(MBR_SIGNATURE) & 0xFF) != 0x55 || (mbr.get(MBR_SIGNATURE + 1) & 0xFF) != 0xAA) {
            throw new ImageException(ImageException.BAD_INPUT, imageName
                    + " has no partition table (no 0x55AA signature in sector 0). Pass the whole"
                    + " Raspberry Pi OS disk image (.img, decompressed), not a partition or an archive.");
        }
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            int entry = MBR_ENTRIES + 16 * i;
            int type = mbr.get(entry + 4) & 0xFF;
            long first = Integer.toUnsignedLong(mbr.getInt(entry + 8));
            long count = Integer.toUnsignedLong(mbr.getInt(entry + 12));
            if (type == 0 || count == 0) {
                continue;
            }
            if (type == TYPE_GPT_PROTECTIVE) {
                return locateGpt(image, imageName);
            }
            seen.append(String.format(" %d:0x%02X", i + 1, type));
            if (isFatType(type)) {
                BootPartition found = new BootPartition(first * SECTOR, count * SECTOR,
                        String.format("MBR partition %d, type 0x%02X", i + 1, type));
                return checked(image, imageName, found);
            }
        }
        throw new ImageException(ImageException.BAD_INPUT, imageName
                + " has no FAT partition in its MBR (partitions:" + (seen.isEmpty() ? " none" : seen)
                + "). A Raspberry Pi OS image has its boot partition first, type 0x0C.");
    }

    private static BootPartition locateGpt(FileChannel image, String imageName) throws IOException {
        ByteBuffer header = readSector(image, 1);
        byte[] signature = new byte[8];
        header.get(0, signature);
        if (!"EFI PART".equals(new String(signature, java.nio.charset.StandardCharsets.US_ASCII))) {
            throw new ImageException(ImageException.BAD_INPUT, imageName
                    + " has a protective MBR but no GPT header at LBA 1");
        }
        long entriesLba = header.getLong(72);
        long entryCount = Integer.toUnsignedLong(header.getInt(80));
        long entrySize = Integer.toUnsignedLong(header.getInt(84));
        if (entrySize < 128 || entrySize > 4096 || entryCount > 1024) {
            throw new ImageException(ImageException.BAD_INPUT, imageName
                    + " has an implausible GPT header (entry size " + entrySize + ", " + entryCount
                    + " entries)");
        }
        ByteBuffer entries = ByteBuffer.allocate((int) (entrySize * entryCount)).order(ByteOrder.LITTLE_ENDIAN);
        image.read(entries, entriesLba * SECTOR);
        for (int i = 0; i < entryCount; i++) {
            int base = (int) (i * entrySize);
            byte[] type = new byte[16];
            entries.get(base, type);
            boolean basic = java.util.Arrays.equals(type, GPT_BASIC_DATA);
            boolean efi = java.util.Arrays.equals(type, GPT_EFI_SYSTEM);
            if (!basic && !efi) {
                continue;
            }
            long first = entries.getLong(base + 32);
            long last = entries.getLong(base + 40);
            if (first <= 0 || last < first) {
                continue;
            }
            BootPartition candidate = new BootPartition(first * SECTOR, (last - first + 1) * SECTOR,
                    "GPT partition " + (i + 1) + (basic ? " (basic data)" : " (EFI system)"));
            if (hasFatBootSector(image, candidate)) {
                return candidate;
            }
        }
        throw new ImageException(ImageException.BAD_INPUT, imageName
                + " has a GPT but no basic-data or EFI partition holding a FAT file system");
    }

    private static BootPartition checked(FileChannel image, String imageName, BootPartition p)
            throws IOException {
        if (p.offset() + p.length() > image.size()) {
            throw new ImageException(ImageException.BAD_INPUT, imageName + ": " + p.description()
                    + " ends at byte " + (p.offset() + p.length()) + " but the image has only "
                    + image.size() + " bytes (truncated download?)");
        }
        if (!hasFatBootSector(image, p)) {
            throw new ImageException(ImageException.BAD_INPUT, imageName + ": " + p.description()
                    + " does not start with a FAT boot sector (not formatted?)");
        }
        return p;
    }

    /** 0x55AA at 510 and "FAT" in BS_FilSysType (offset 54 for FAT12/16, 82 for FAT32). */
    static boolean hasFatBootSector(FileChannel image, BootPartition p) throws IOException {
        ByteBuffer boot = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        image.read(boot, p.offset());
        if ((boot.get(510) & 0xFF) != 0x55 || (boot.get(511) & 0xFF) != 0xAA) {
            return false;
        }
        return startsWithFat(boot, 54) || startsWithFat(boot, 82);
    }

    private static boolean startsWithFat(ByteBuffer b, int at) {
        return b.get(at) == 'F' && b.get(at + 1) == 'A' && b.get(at + 2) == 'T';
    }

    private static ByteBuffer readSector(FileChannel image, long lba) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        int n = image.read(b, lba * SECTOR);
        if (n < SECTOR) {
            throw new ImageException(ImageException.BAD_INPUT, "short read of sector " + lba);
        }
        return b;
    }

    /**
     * A GUID as GPT stores it: the first three fields little-endian, the last two big-endian
     * (UEFI spec, Appendix A).
     */
    static byte[] guidBytes(String guid) {
        byte[] be = HexFormat.of().parseHex(guid.replace("-", ""));
        byte[] out = be.clone();
        out[0] = be[3]; out[1] = be[2]; out[2] = be[1]; out[3] = be[0];
        out[4] = be[5]; out[5] = be[4];
        out[6] = be[7]; out[7] = be[6];
        return out;
    }
}
