package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootPartitionLocatorTest {

    @TempDir
    Path dir;

    /** Writes a minimal FAT32 boot sector (signature and "FAT32" type field) at the given offset. */
    private static void fatBootSector(FileChannel ch, long offset) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(512);
        b.put(82, "FAT32   ".getBytes(StandardCharsets.US_ASCII), 0, 8);
        b.put(510, (byte) 0x55).put(511, (byte) 0xAA);
        ch.write(b, offset);
    }

    private FileChannel disk(String name) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        ch.write(ByteBuffer.allocate(1), 4L << 20); // 4 MiB, sparse
        return ch;
    }

    @Test
    void firstFatPartitionOfTheMbr() throws IOException {
        try (FileChannel ch = disk("mbr.img")) {
            ByteBuffer mbr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
            TestDisks.putPartition(mbr, 0, 0x83, 2048, 2048); // Linux first
            TestDisks.putPartition(mbr, 1, 0x0C, 4096, 2048); // then FAT32 LBA
            mbr.put(510, (byte) 0x55).put(511, (byte) 0xAA);
            ch.write(mbr, 0);
            fatBootSector(ch, 4096L * 512);
            BootPartition p = BootPartitionLocator.locate(ch, "mbr.img");
            assertEquals(4096L * 512, p.offset());
            assertEquals(2048L * 512, p.length());
            assertEquals("MBR partition 2, type 0x0C", p.description());
        }
    }

    @Test
    void gptBasicDataPartition() throws IOException {
        try (FileChannel ch = disk("gpt.img")) {
            ByteBuffer mbr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
            TestDisks.putPartition(mbr, 0, 0xEE, 1, 8191);
            mbr.put(510, (byte) 0x55).put(511, (byte) 0xAA);
            ch.write(mbr, 0);
            ByteBuffer header = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
            header.put(0, "EFI PART".getBytes(StandardCharsets.US_ASCII));
            header.putLong(72, 2).putInt(80, 128).putInt(84, 128);
            ch.write(header, 512);
            ByteBuffer entries = ByteBuffer.allocate(128 * 4).order(ByteOrder.LITTLE_ENDIAN);
            // Entry 1: a Linux filesystem partition (skipped), entry 2: basic data with FAT.
            entries.put(0, BootPartitionLocator.guidBytes("0FC63DAF-8483-4772-8E79-3D69D8477DE4"));
            entries.putLong(32, 2048).putLong(40, 4095);
            entries.put(128, BootPartitionLocator.GPT_BASIC_DATA);
            entries.putLong(128 + 32, 4096).putLong(128 + 40, 6143);
            ch.write(entries, 1024);
            fatBootSector(ch, 4096L * 512);
            BootPartition p = BootPartitionLocator.locate(ch, "gpt.img");
            assertEquals(4096L * 512, p.offset());
            assertEquals(2048L * 512, p.length());
            assertTrue(p.description().startsWith("GPT partition 2"), p.description());
        }
    }

    @Test
    void guidBytesAreMixedEndian() {
        // UEFI spec: EFI system partition C12A7328-F81F-11D2-BA4B-00A0C93EC93B is stored as
        // 28 73 2A C1 1F F8 D2 11 BA 4B 00 A0 C9 3E C9 3B.
        assertEquals("28732ac11ff8d211ba4b00a0c93ec93b",
                java.util.HexFormat.of().formatHex(BootPartitionLocator.GPT_EFI_SYSTEM));
    }

    @Test
    void noSignatureNoFatPartitionAndUnformattedAreClearErrors() throws IOException {
        try (FileChannel ch = disk("none.img")) {
            ImageException e = assertThrows(ImageException.class, () -> BootPartitionLocator.locate(ch, "none.img"));
            assertTrue(e.getMessage().contains("no partition table"), e.getMessage());

            ByteBuffer mbr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
            TestDisks.putPartition(mbr, 0, 0x83, 2048, 2048);
            mbr.put(510, (byte) 0x55).put(511, (byte) 0xAA);
            ch.write(mbr, 0);
            e = assertThrows(ImageException.class, () -> BootPartitionLocator.locate(ch, "none.img"));
            assertTrue(e.getMessage().contains("no FAT partition") && e.getMessage().contains("1:0x83"), e.getMessage());

            TestDisks.putPartition(mbr, 0, 0x0C, 2048, 2048);
            ch.write(mbr.clear(), 0);
            e = assertThrows(ImageException.class, () -> BootPartitionLocator.locate(ch, "none.img"));
            assertTrue(e.getMessage().contains("does not start with a FAT boot sector"), e.getMessage());

            TestDisks.putPartition(mbr, 0, 0x0C, 2048, 1 << 20);
            ch.write(mbr.clear(), 0);
            e = assertThrows(ImageException.class, () -> BootPartitionLocator.locate(ch, "none.img"));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }
}
