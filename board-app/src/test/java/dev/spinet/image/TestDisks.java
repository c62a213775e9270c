package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import de.waldheinz.fs.fat.FatType;
import de.waldheinz.fs.fat.SuperFloppyFormatter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Builds small disk images shaped like a Raspberry Pi OS image: an MBR with a FAT32 boot partition
 * (type 0x0C) at 1 MiB and a Linux partition (0x83) after it, filled with a pattern so a test can
 * prove nothing outside the boot partition changed.
 */
final class TestDisks {

    static final long BOOT_OFFSET = 1L << 20;
    static final long BOOT_SIZE = 48L << 20;
    static final long ROOT_OFFSET = BOOT_OFFSET + BOOT_SIZE;
    static final long ROOT_SIZE = 1L << 20;
    static final long DISK_SIZE = ROOT_OFFSET + ROOT_SIZE;

    /** A stock-looking config.txt: SPI commented out globally, then board filters, ending in [all]. */
    static final String STOCK_CONFIG = """
            # For more options and information see
            # http://rptl.io/configtxt
            # Some settings may impact device functionality. See link above for details

            # Uncomment some or all of these to enable the optional hardware interfaces
            #dtparam=i2c_arm=on
            #dtparam=i2s=on
            #dtparam=spi=on

            # Enable audio (loads snd_bcm2835)
            dtparam=audio=on

            [cm4]
            otg_mode=1

            [cm5]
            dtoverlay=dwc2,dr_mode=host

            [all]
            """;

    private TestDisks() {
    }

    /** The Linux partition's pattern byte at absolute offset {@code at}. */
    static byte rootPattern(long at) {
        return (byte) (at * 31 + 7);
    }

    /** MBR with boot (0x0C) and root (0x83) partitions; the partitions' contents are left to the caller. */
    static void writeMbrAndRoot(Path disk) throws IOException {
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            ByteBuffer mbr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
            mbr.putInt(440, 0x5350494E); // disk identifier
            putPartition(mbr, 0, 0x0C, BOOT_OFFSET / 512, BOOT_SIZE / 512);
            putPartition(mbr, 1, 0x83, ROOT_OFFSET / 512, ROOT_SIZE / 512);
            mbr.put(510, (byte) 0x55).put(511, (byte) 0xAA);
            ch.write(mbr, 0);
            ByteBuffer root = ByteBuffer.allocate((int) ROOT_SIZE);
            for (int i = 0; i < ROOT_SIZE; i++) {
                root.put(i, rootPattern(ROOT_OFFSET + i));
            }
            ch.write(root, ROOT_OFFSET);
        }
    }

    static void putPartition(ByteBuffer mbr, int index, int type, long firstLba, long sectors) {
        int e = 0x1BE + 16 * index;
        mbr.put(e, (byte) 0x00);
        mbr.put(e + 4, (byte) type);
        mbr.putInt(e + 8, (int) firstLba);
        mbr.putInt(e + 12, (int) sectors);
    }

    /**
     * A disk whose boot partition is formatted by dosfstools' mkfs.fat (FAT32, 512-byte clusters so
     * 48 MiB gives more than the 65525 clusters FAT32 needs) and filled with mtools, like a real
     * image made by Linux tools. Requires mkfs.fat and mcopy.
     */
    static Path withMkfsFat(Path dir, boolean withUserData) throws Exception {
        Path part = dir.resolve("boot-part.img");
        Files.deleteIfExists(part);
        ExternalTools.Result mkfs = ExternalTools.run("mkfs.fat", "-F", "32", "-s", "1", "-n", "BOOTFS",
                "-C", part.toString(), Long.toString(BOOT_SIZE / 1024));
        assertEquals(0, mkfs.exitCode(), "mkfs.fat: " + mkfs.stderr());
        put(dir, part, "config.txt", STOCK_CONFIG);
        put(dir, part, "cmdline.txt", "console=serial0,115200 console=tty1 root=PARTUUID=5350494e-02 rootfstype=ext4 fsck.repair=yes rootwait\n");
        if (withUserData) {
            put(dir, part, "user-data", "#cloud-config\n# stock user-data of the base image\nhostname: raspberrypi\n");
            put(dir, part, "meta-data", "instance-id: rpios-image\n");
        }
        Path disk = dir.resolve("raspios.img");
        writeMbrAndRoot(disk);
        try (FileChannel in = FileChannel.open(part, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(disk, StandardOpenOption.WRITE)) {
            long done = 0;
            while (done < BOOT_SIZE) {
                done += in.transferTo(done, BOOT_SIZE - done, out.position(BOOT_OFFSET + done));
            }
        }
        Files.delete(part);
        return disk;
    }

    /** A disk whose boot partition is formatted by fat32-lib itself (no external tools needed). */
    static Path withFat32Lib(Path dir) throws IOException {
        Path disk = dir.resolve("raspios-fat32lib.img");
        writeMbrAndRoot(disk);
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            var dev = new PartitionBlockDevice(ch, new BootPartition(BOOT_OFFSET, BOOT_SIZE, "test"), false);
            var fs = SuperFloppyFormatter.get(dev).setFatType(FatType.FAT32).setVolumeLabel("BOOTFS").format();
            var file = fs.getRoot().addFile("config.txt").getFile();
            file.write(0, ByteBuffer.wrap(STOCK_CONFIG.getBytes(StandardCharsets.US_ASCII)));
            fs.getRoot().addFile("user-data").getFile()
                    .write(0, ByteBuffer.wrap("#cloud-config\n".getBytes(StandardCharsets.US_ASCII)));
            fs.close();
        }
        return disk;
    }

    private static void put(Path dir, Path part, String name, String content) throws Exception {
        Path src = dir.resolve("src-" + name);
        Files.writeString(src, content, StandardCharsets.US_ASCII);
        ExternalTools.Result r = ExternalTools.run("mcopy", "-i", part.toString(), src.toString(), "::/" + name);
        assertEquals(0, r.exitCode(), "mcopy " + name + ": " + r.stderr());
        Files.delete(src);
    }

    /** A fake jar (any bytes will do: the image only carries it). */
    static Path fakeJar(Path dir, int size) throws IOException {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 131 + (i >>> 9));
        }
        b[0] = 'P';
        b[1] = 'K';
        Path jar = dir.resolve("spinet.jar");
        Files.write(jar, b);
        return jar;
    }
}
