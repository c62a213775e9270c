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
    /** 48 MiB: with 512-byte clusters just over the 65525 clusters FAT32 needs. */
    static final long BOOT_SIZE = 48L << 20;
    static final long ROOT_SIZE = 1L << 20;

    /** Where the partitions of a test disk are. */
    record Disk(Path path, long bootSize) {
        long bootOffset() {
            return BOOT_OFFSET;
        }

        long rootOffset() {
            return BOOT_OFFSET + bootSize;
        }
    }

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
    static void writeMbrAndRoot(Path disk, long bootSize) throws IOException {
        long rootOffset = BOOT_OFFSET + bootSize;
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ)) {
            ByteBuffer mbr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
            mbr.putInt(440, 0x5350494E); // disk identifier
            putPartition(mbr, 0, 0x0C, BOOT_OFFSET / 512, bootSize / 512);
            putPartition(mbr, 1, 0x83, rootOffset / 512, ROOT_SIZE / 512);
            mbr.put(510, (byte) 0x55).put(511, (byte) 0xAA);
            ch.write(mbr, 0);
            ByteBuffer root = ByteBuffer.allocate((int) ROOT_SIZE);
            for (int i = 0; i < ROOT_SIZE; i++) {
                root.put(i, rootPattern(rootOffset + i));
            }
            ch.write(root, rootOffset);
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
        return withMkfsFat(dir, withUserData, BOOT_SIZE, "-s", "1").path();
    }

    /** As above with a given partition size and extra mkfs.fat options (sparse files: cheap). */
    static Disk withMkfsFat(Path dir, boolean withUserData, long bootSize, String... mkfsOptions) throws Exception {
        Path part = dir.resolve("boot-part.img");
        Files.deleteIfExists(part);
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("mkfs.fat", "-F", "32"));
        cmd.addAll(java.util.List.of(mkfsOptions));
        cmd.addAll(java.util.List.of("-n", "BOOTFS", "-C", part.toString(), Long.toString(bootSize / 1024)));
        ExternalTools.Result mkfs = ExternalTools.run(cmd.toArray(String[]::new));
        assertEquals(0, mkfs.exitCode(), "mkfs.fat: " + mkfs.stderr());
        put(dir, part, "config.txt", STOCK_CONFIG);
        put(dir, part, "cmdline.txt", "console=serial0,115200 console=tty1 root=PARTUUID=5350494e-02 rootfstype=ext4 fsck.repair=yes rootwait\n");
        if (withUserData) {
            put(dir, part, "user-data", "#cloud-config\n# stock user-data of the base image\nhostname: raspberrypi\n");
            put(dir, part, "meta-data", "instance-id: rpios-image\n");
        }
        Path disk = dir.resolve("raspios.img");
        writeMbrAndRoot(disk, bootSize);
        copySparse(part, 0, disk, BOOT_OFFSET, bootSize);
        Files.delete(part);
        return new Disk(disk, bootSize);
    }

    /** A disk whose boot partition is formatted by fat32-lib itself (no external tools needed). */
    static Path withFat32Lib(Path dir) throws IOException {
        Path disk = dir.resolve("raspios-fat32lib.img");
        writeMbrAndRoot(disk, BOOT_SIZE);
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

    /** Copies a byte range, leaving holes where the source is all zeros (keeps big test disks sparse). */
    static void copySparse(Path from, long fromOffset, Path to, long toOffset, long length) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
            for (long done = 0; done < length; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), length - done));
                int n = in.read(chunk, fromOffset + done);
                if (n <= 0) {
                    break;
                }
                chunk.flip();
                boolean zero = true;
                for (int i = 0; i < n && zero; i++) {
                    zero = chunk.get(i) == 0;
                }
                if (!zero) {
                    out.write(chunk, toOffset + done);
                }
                done += n;
            }
            if (out.size() < toOffset + length) {
                out.write(ByteBuffer.allocate(1), toOffset + length - 1);
            }
        }
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
