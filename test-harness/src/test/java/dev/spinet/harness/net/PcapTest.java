package dev.spinet.harness.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.hal.eth.MacAddress;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.testkit.AllocationAssert;
import dev.spinet.testkit.Tshark;
import dev.spinet.wire.Checksum;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapTest {

    private static final long MAC_A = 0x02_00_00_00_00_0AL;
    private static final long MAC_B = 0x02_00_00_00_00_0BL;
    /** 2023-11-14T22:13:20.123456789Z */
    private static final long EPOCH = 1_700_000_000_123_456_789L;

    private final ManualClock clock = new ManualClock();

    /** An ARP request from A (10.0.0.1) for 10.0.0.2: 42 bytes (RFC 826). */
    static byte[] arpRequest() {
        byte[] f = new byte[42];
        MacAddress.write(MacAddress.BROADCAST, f, 0);
        MacAddress.write(MAC_A, f, 6);
        f[12] = 0x08; f[13] = 0x06;
        f[14] = 0; f[15] = 1;            // hardware type Ethernet
        f[16] = 0x08; f[17] = 0x00;      // protocol IPv4
        f[18] = 6; f[19] = 4;            // address lengths
        f[20] = 0; f[21] = 1;            // request
        MacAddress.write(MAC_A, f, 22);
        f[28] = 10; f[29] = 0; f[30] = 0; f[31] = 1;
        f[38] = 10; f[39] = 0; f[40] = 0; f[41] = 2;
        return f;
    }

    /** An ICMP echo request B -> A with 56 data bytes: 98 bytes, checksums valid (RFC 791, RFC 792). */
    static byte[] echoRequest() {
        byte[] f = new byte[98];
        MacAddress.write(MAC_A, f, 0);
        MacAddress.write(MAC_B, f, 6);
        f[12] = 0x08; f[13] = 0x00;
        f[14] = 0x45; f[16] = 0; f[17] = 84;   // IHL 5, total length 84
        f[18] = 0x12; f[19] = 0x34; f[20] = 0x40; // id, DF
        f[22] = 64; f[23] = 1;                 // TTL, ICMP
        f[26] = 10; f[27] = 0; f[28] = 0; f[29] = 2;
        f[30] = 10; f[31] = 0; f[32] = 0; f[33] = 1;
        int ipSum = Checksum.compute(f, 14, 20);
        f[24] = (byte) (ipSum >>> 8); f[25] = (byte) ipSum;
        f[34] = 8;                             // echo request
        f[38] = 0; f[39] = 7; f[40] = 0; f[41] = 1; // identifier, sequence
        for (int i = 42; i < 98; i++) {
            f[i] = (byte) i;
        }
        int icmpSum = Checksum.compute(f, 34, 64);
        f[36] = (byte) (icmpSum >>> 8); f[37] = (byte) icmpSum;
        return f;
    }

    record Record(long seconds, long fraction, int storedLength, int originalLength, byte[] data) { }

    /** A deliberately small reader, independent of the writer: reads a little-endian classic pcap. */
    static List<Record> read(byte[] file, int expectedMagic, int expectedSnaplen) {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(expectedMagic, in.getInt(), "magic");
        assertEquals(2, in.getShort(), "version major");
        assertEquals(4, in.getShort(), "version minor");
        assertEquals(0, in.getInt(), "thiszone");
        assertEquals(0, in.getInt(), "sigfigs");
        assertEquals(expectedSnaplen, in.getInt(), "snaplen");
        assertEquals(1, in.getInt(), "LINKTYPE_ETHERNET");
        List<Record> records = new ArrayList<>();
        while (in.hasRemaining()) {
            long seconds = in.getInt() & 0xFFFF_FFFFL;
            long fraction = in.getInt() & 0xFFFF_FFFFL;
            int stored = in.getInt();
            int original = in.getInt();
            byte[] data = new byte[stored];
            in.get(data);
            records.add(new Record(seconds, fraction, stored, original, data));
        }
        return records;
    }

    @Test
    void globalHeaderIsByteExact() throws IOException {
        ByteArrayOutputStream micro = new ByteArrayOutputStream();
        new PcapWriter(micro, PcapWriter.Precision.MICROSECONDS).close();
        assertArrayEquals(new byte[] {
                (byte) 0xD4, (byte) 0xC3, (byte) 0xB2, (byte) 0xA1, 2, 0, 4, 0,
                0, 0, 0, 0, 0, 0, 0, 0,
                (byte) 0xFF, (byte) 0xFF, 0, 0, 1, 0, 0, 0}, micro.toByteArray());
        ByteArrayOutputStream nano = new ByteArrayOutputStream();
        new PcapWriter(nano, PcapWriter.Precision.NANOSECONDS, 1514, 4096).close();
        assertArrayEquals(new byte[] {
                (byte) 0x4D, (byte) 0x3C, (byte) 0xB2, (byte) 0xA1, 2, 0, 4, 0,
                0, 0, 0, 0, 0, 0, 0, 0,
                (byte) 0xEA, 0x05, 0, 0, 1, 0, 0, 0}, nano.toByteArray());
    }

    /** A and B on a wire; A's side captured. B sends an echo request, A sends an ARP request 1.5 ms later. */
    private byte[] captureExchange(PcapWriter.Precision precision) throws IOException {
        VirtualWire wire = new VirtualWire(clock);
        FrameDevice a = wire.connect("a", MAC_A);
        FrameDevice b = wire.connect("b", MAC_B);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PcapWriter writer = new PcapWriter(out, precision, 1514, 4096);
        try (PcapFrameDevice captured = new PcapFrameDevice(a, writer, clock, EPOCH)) {
            byte[] echo = echoRequest();
            b.transmit(echo, 0, echo.length);
            byte[] buffer = new byte[1514];
            assertEquals(98, captured.receive(buffer, 0, buffer.length));
            assertEquals(FrameDevice.NO_FRAME, captured.receive(buffer, 0, buffer.length), "nothing recorded for no frame");
            clock.advance(1_500_001);
            byte[] arp = arpRequest();
            assertTrue(captured.transmit(arp, 0, arp.length));
        }
        writer.close();
        return out.toByteArray();
    }

    @Test
    void recordsBothDirectionsWithMicrosecondTimestamps() throws IOException {
        List<Record> records = read(captureExchange(PcapWriter.Precision.MICROSECONDS), 0xA1B2_C3D4, 1514);
        assertEquals(2, records.size());
        Record rx = records.get(0);
        assertEquals(1_700_000_000L, rx.seconds());
        assertEquals(123_456, rx.fraction(), "microseconds, truncated");
        assertEquals(98, rx.storedLength());
        assertEquals(98, rx.originalLength());
        assertArrayEquals(echoRequest(), rx.data());
        Record tx = records.get(1);
        assertEquals(1_700_000_000L, tx.seconds());
        assertEquals(124_956, tx.fraction(), "1.500001 ms later");
        assertEquals(42, tx.storedLength(), "recorded as sent, unpadded");
        assertArrayEquals(arpRequest(), tx.data());
    }

    @Test
    void nanosecondTimestampsKeepEveryDigit() throws IOException {
        List<Record> records = read(captureExchange(PcapWriter.Precision.NANOSECONDS), 0xA1B2_3C4D, 1514);
        assertEquals(123_456_789, records.get(0).fraction());
        assertEquals(124_956_790, records.get(1).fraction());
    }

    @Test
    void framesLongerThanTheSnapLengthAreTruncatedWithTheirOriginalLength() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter writer = new PcapWriter(out, PcapWriter.Precision.MICROSECONDS, 64, 1024)) {
            writer.write(EPOCH, echoRequest(), 0, 98);
        }
        Record record = read(out.toByteArray(), 0xA1B2_C3D4, 64).getFirst();
        assertEquals(64, record.storedLength());
        assertEquals(98, record.originalLength());
        assertArrayEquals(Arrays.copyOf(echoRequest(), 64), record.data());
    }

    @Test
    void manyFramesThroughASmallBufferAllArriveInOrder() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] frame = echoRequest();
        try (PcapWriter writer = new PcapWriter(out, PcapWriter.Precision.NANOSECONDS, 1514, 2048)) {
            for (int i = 0; i < 500; i++) {
                frame[50] = (byte) i;
                writer.write(EPOCH + i, frame, 0, frame.length);
            }
            assertEquals(500, writer.records());
        }
        List<Record> records = read(out.toByteArray(), 0xA1B2_3C4D, 1514);
        assertEquals(500, records.size());
        for (int i = 0; i < 500; i++) {
            assertEquals((byte) i, records.get(i).data()[50]);
            assertEquals(123_456_789 + i, records.get(i).fraction());
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
        PcapWriter writer = new PcapWriter(broken, PcapWriter.Precision.MICROSECONDS, 100, 256);
        byte[] frame = echoRequest();
        for (int i = 0; i < 10; i++) {
            writer.write(EPOCH, frame, 0, frame.length); // the third needs a drain, which fails
        }
        assertNotNull(writer.failure());
        assertEquals(8, writer.recordsLost());
        IOException e = assertThrows(IOException.class, writer::flush);
        assertTrue(e.getMessage().contains("disk full"), e.getMessage());
    }

    @Test
    void rejectsAWriterThatCannotHoldOneRecord() {
        assertThrows(IllegalArgumentException.class,
                () -> new PcapWriter(OutputStream.nullOutputStream(), PcapWriter.Precision.MICROSECONDS, 1514, 1000));
    }

    @Test
    void wireTapCapturesEveryFrameOnce(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("wire.pcap");
        VirtualWire wire = new VirtualWire(clock);
        FrameDevice a = wire.connect("a", MAC_A);
        FrameDevice b = wire.connect("b", MAC_B);
        wire.connect("c", 3);
        try (PcapWriter writer = PcapWriter.create(file, PcapWriter.Precision.MICROSECONDS)) {
            wire.tap(new PcapTap(writer, clock, EPOCH));
            byte[] arp = arpRequest();
            a.transmit(arp, 0, arp.length);
            byte[] echo = echoRequest();
            b.transmit(echo, 0, echo.length);
        }
        List<Record> records = read(Files.readAllBytes(file), 0xA1B2_C3D4, PcapWriter.DEFAULT_SNAPLEN);
        assertEquals(2, records.size());
        assertEquals(60, records.get(0).storedLength(), "as on the wire: padded");
        assertEquals(98, records.get(1).storedLength());
    }

    @Test
    void tsharkDecodesOurCapture(@TempDir Path dir) throws Exception {
        Tshark.requireOrSkip();
        for (PcapWriter.Precision precision : PcapWriter.Precision.values()) {
            Path file = dir.resolve(precision + ".pcap");
            Files.write(file, captureExchange(precision));
            String output = Tshark.run("-r", file.toString(), "-T", "fields", "-e", "frame.len", "-e", "eth.type", "-e", "frame.time_epoch");
            String[] lines = output.strip().split("\n");
            assertEquals(2, lines.length, output);
            String[] echo = lines[0].split("\t");
            String[] arp = lines[1].split("\t");
            assertEquals("98", echo[0], output);
            assertEquals("0x0800", echo[1], output);
            assertEquals("42", arp[0], output);
            assertEquals("0x0806", arp[1], output);
            assertTrue(echo[2].startsWith("1700000000.123456"), "timestamp " + echo[2]);
            String expert = Tshark.run("-r", file.toString(), "-o", "ip.check_checksum:TRUE", "-z", "expert,warn", "-q");
            assertFalse(expert.contains("Malformed") || expert.contains("Bad checksum"), expert);
        }
    }

    @Test
    @Tag("allocation")
    void captureAllocatesNothingPerFrame(@TempDir Path dir) throws IOException {
        VirtualWire wire = new VirtualWire(clock, 4, 1514);
        FrameDevice a = wire.connect("a", MAC_A);
        FrameDevice b = wire.connect("b", MAC_B);
        try (PcapFrameDevice captured = PcapFrameDevice.open(a, dir.resolve("alloc.pcap"), clock, PcapWriter.Precision.NANOSECONDS)) {
            byte[] echo = echoRequest();
            byte[] buffer = new byte[1514];
            Runnable exchange = () -> {
                b.transmit(echo, 0, echo.length);
                captured.receive(buffer, 0, buffer.length);
                captured.transmit(echo, 0, echo.length);
                b.receive(buffer, 0, buffer.length);
                clock.advance(1_000);
            };
            // 2 records of 114 bytes per run: the 256 KiB buffer drains to the file every ~1150 runs.
            AllocationAssert.assertZeroAllocation("pcap capture to a FileChannel", 20_000, 5_000, 5, exchange);
        }
    }
}
