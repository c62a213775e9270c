package dev.spinet.harness.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.AllocationAssert;
import dev.spinet.testkit.Tshark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pcapng with per-frame comments, read back by a small reader written from the format and by tshark. */
class PcapngWriterTest {

    /** 2025-01-01T00:00:00.000000001Z */
    private static final long EPOCH = 1_735_689_600_000_000_001L;

    record Packet(long timestamp, int captured, int original, byte[] data, String comment) { }

    /** Reads the blocks of a little-endian pcapng section: checks every block's two length fields and returns the packets. */
    static List<Packet> read(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<Packet> packets = new ArrayList<>();
        boolean sawSection = false;
        boolean sawInterface = false;
        while (in.hasRemaining()) {
            int start = in.position();
            int type = in.getInt();
            int length = in.getInt();
            assertEquals(0, length % 4, "block lengths are multiples of 4");
            assertEquals(length, in.getInt(start + length - 4), "trailing block length at " + start);
            switch (type) {
                case 0x0A0D0D0A -> {
                    assertEquals(0x1A2B3C4D, in.getInt(), "byte-order magic");
                    assertEquals(1, in.getShort(), "major version");
                    assertEquals(0, in.getShort(), "minor version");
                    assertEquals(-1L, in.getLong(), "section length unknown");
                    sawSection = true;
                }
                case 1 -> {
                    assertTrue(sawSection);
                    assertEquals(1, in.getShort(), "LINKTYPE_ETHERNET");
                    in.getShort();
                    in.getInt();
                    assertEquals(9, in.getShort(), "if_tsresol");
                    assertEquals(1, in.getShort());
                    assertEquals(9, in.get(), "nanoseconds");
                    sawInterface = true;
                }
                case 6 -> {
                    assertTrue(sawInterface);
                    assertEquals(0, in.getInt(), "interface 0");
                    long timestamp = (in.getInt() & 0xFFFF_FFFFL) << 32 | in.getInt() & 0xFFFF_FFFFL;
                    int captured = in.getInt();
                    int original = in.getInt();
                    byte[] data = new byte[captured];
                    in.get(data);
                    in.position(in.position() + (4 - captured % 4) % 4);
                    String comment = null;
                    while (in.position() < start + length - 4) {
                        int code = in.getShort();
                        int optionLength = in.getShort();
                        if (code == 0) {
                            break;
                        }
                        byte[] value = new byte[optionLength];
                        in.get(value);
                        in.position(in.position() + (4 - optionLength % 4) % 4);
                        if (code == 1) {
                            comment = new String(value, StandardCharsets.UTF_8);
                        }
                    }
                    packets.add(new Packet(timestamp, captured, original, data, comment));
                }
                default -> throw new AssertionError("unexpected block type " + type);
            }
            in.position(start + length);
        }
        return packets;
    }

    private static byte[] frame(int length, int seed) {
        byte[] frame = new byte[length];
        for (int i = 0; i < length; i++) {
            frame[i] = (byte) (seed + i);
        }
        return frame;
    }

    @Test
    void framesAndCommentsComeBackExactly() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapngWriter writer = new PcapngWriter(bytes)) {
            writer.write(EPOCH, frame(60, 1), 0, 60);
            writer.write(EPOCH + 1_000_000, frame(63, 2), 0, 63, "dropped by the lab: B never sees it");
            writer.write(EPOCH + 2_000_000, frame(61, 3), 0, 61, "ü → ✓");
        }
        List<Packet> packets = read(bytes.toByteArray());
        assertEquals(3, packets.size());
        assertEquals(EPOCH, packets.get(0).timestamp());
        assertArrayEquals(frame(60, 1), packets.get(0).data());
        assertNull(packets.get(0).comment());
        assertEquals(EPOCH + 1_000_000, packets.get(1).timestamp());
        assertArrayEquals(frame(63, 2), packets.get(1).data());
        assertEquals("dropped by the lab: B never sees it", packets.get(1).comment());
        assertEquals("ü → ✓", packets.get(2).comment(), "UTF-8");
    }

    @Test
    void longFramesAreTruncatedAndLongCommentsCutAtACharacterBoundary() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String longComment = "é".repeat(PcapngWriter.MAX_COMMENT_BYTES);
        try (PcapngWriter writer = new PcapngWriter(bytes, 100, 8192)) {
            writer.write(EPOCH, frame(300, 4), 0, 300, longComment);
        }
        Packet packet = read(bytes.toByteArray()).get(0);
        assertEquals(100, packet.captured());
        assertEquals(300, packet.original());
        assertArrayEquals(Arrays.copyOf(frame(300, 4), 100), packet.data());
        assertEquals(PcapngWriter.MAX_COMMENT_BYTES / 2, packet.comment().length(), "two bytes a character, whole characters");
    }

    @Test
    void manyFramesThroughASmallBufferArriveInOrder() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapngWriter writer = new PcapngWriter(bytes, 1514, 4 * 1024)) {
            for (int i = 0; i < 500; i++) {
                writer.write(EPOCH + i, frame(60 + i % 40, i), 0, 60 + i % 40, i % 3 == 0 ? "frame " + i : null);
            }
        }
        List<Packet> packets = read(bytes.toByteArray());
        assertEquals(500, packets.size());
        for (int i = 0; i < 500; i++) {
            assertEquals(EPOCH + i, packets.get(i).timestamp());
            assertEquals(i % 3 == 0 ? "frame " + i : null, packets.get(i).comment());
        }
    }

    @Test
    void anIoErrorNeverEscapesWriteAndSurfacesOnFlush() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }
        };
        PcapngWriter writer = new PcapngWriter(broken, 1514, 4096);
        for (int i = 0; i < 10; i++) {
            writer.write(EPOCH, frame(1514, i), 0, 1514, "x");
        }
        assertNotNull(writer.failure());
        assertTrue(writer.recordsLost() > 0);
        assertThrows(IOException.class, writer::flush);
        assertThrows(IllegalArgumentException.class, () -> new PcapngWriter(new ByteArrayOutputStream(), 1514, 1024));
    }

    @Test
    void tsharkReadsTimestampsAndComments(@TempDir Path dir) throws Exception {
        Tshark.requireOrSkip();
        Path file = dir.resolve("comments.pcapng");
        byte[] arp = PcapTest.arpRequest();
        byte[] echo = PcapTest.echoRequest();
        try (PcapngWriter writer = PcapngWriter.create(file)) {
            writer.write(EPOCH, arp, 0, arp.length);
            writer.write(EPOCH + 1_500_000, echo, 0, echo.length, "held back by the lab for 200 ms");
        }
        String fields = Tshark.run("-r", file.toString(), "-T", "fields", "-E", "separator=|", "-e", "frame.time_epoch",
                "-e", "eth.type", "-e", "frame.comment");
        List<String> lines = fields.lines().toList();
        assertEquals(2, lines.size(), fields);
        assertTrue(lines.get(0).startsWith("1735689600.000000001|0x0806|"), lines.get(0));
        assertEquals("1735689600.001500001|0x0800|held back by the lab for 200 ms", lines.get(1));
        String expert = Tshark.run("-r", file.toString(), "-q", "-z", "expert,warn");
        assertTrue(!expert.contains("Malformed") && !expert.contains("Error"), expert);
    }

    @Test
    @Tag("allocation")
    void writingACommentedFrameAllocatesNothing() {
        PcapngWriter writer = new PcapngWriter(OutputStream.nullOutputStream(), 1514, 64 * 1024);
        byte[] frame = frame(98, 5);
        StringBuilder comment = new StringBuilder("dropped by the lab");
        long[] time = {EPOCH};
        AllocationAssert.assertZeroAllocation("PcapngWriter.write with a comment",
                () -> writer.write(time[0]++, frame, 0, frame.length, comment));
        assertTrue(writer.records() > 0);
    }

    @Test
    void aCaptureOnDiskIsTheSameAsInMemory(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("same.pcapng");
        ByteArrayOutputStream memory = new ByteArrayOutputStream();
        try (PcapngWriter onDisk = PcapngWriter.create(file); PcapngWriter inMemory = new PcapngWriter(memory)) {
            onDisk.write(EPOCH, frame(70, 9), 0, 70, "c");
            inMemory.write(EPOCH, frame(70, 9), 0, 70, "c");
        }
        assertArrayEquals(memory.toByteArray(), Files.readAllBytes(file));
    }
}
