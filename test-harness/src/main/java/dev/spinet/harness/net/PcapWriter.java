package dev.spinet.harness.net;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes Ethernet frames in the classic libpcap file format, which Wireshark, tshark and
 * tcpdump read. The file is little-endian (readers detect the byte order from the magic number).
 *
 * <pre>
 * Global header (24 bytes, once)            Record header (16 bytes, before each frame)
 *  0  magic        a1b2c3d4 (us) / a1b23c4d (ns)    0  ts_sec    seconds since 1970 (unsigned)
 *  4  version      2 . 4 (u16 major, u16 minor)     4  ts_frac   microseconds or nanoseconds
 *  8  thiszone     0 (timestamps are UTC)           8  incl_len  bytes stored (&lt;= snaplen)
 * 12  sigfigs      0                               12  orig_len  frame length on the wire
 * 16  snaplen      longest record stored           16  frame bytes (incl_len of them)
 * 20  network      1 = LINKTYPE_ETHERNET
 * </pre>
 *
 * <p>Frames are stored without FCS, as FrameDevices pass them. Records go into a
 * {@link CaptureBuffer} allocated at construction, so {@link #write} allocates nothing.
 *
 * <p>I/O errors never escape {@link #write} (it sits on a stack's packet path): the first error
 * is kept, later records are counted in {@link #recordsLost()}, and {@link #flush()} or
 * {@link #close()} throws it. Methods synchronize on the writer, so several devices (two
 * simulated boards) may share one capture file. {@link PcapngWriter} writes the newer format,
 * with a comment per frame.
 */
public final class PcapWriter implements Closeable, Flushable {

    /** Timestamp resolution of a capture; each has its own magic number. */
    public enum Precision {
        MICROSECONDS(0xA1B2_C3D4),
        NANOSECONDS(0xA1B2_3C4D);

        private final int magic;

        Precision(int magic) {
            this.magic = magic;
        }

        /** The magic number that opens a file with this precision. */
        public int magic() {
            return magic;
        }
    }

    /** The link type for Ethernet II frames (tcpdump.org link-layer header types). */
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int GLOBAL_HEADER_LENGTH = 24;
    public static final int RECORD_HEADER_LENGTH = 16;
    public static final int DEFAULT_SNAPLEN = 65_535;
    public static final int DEFAULT_BUFFER_BYTES = 256 * 1024;

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final CaptureBuffer out;
    private final Precision precision;
    private final int snaplen;

    /** A writer to {@code out} with the default snap length and buffer. */
    public PcapWriter(OutputStream out, Precision precision) {
        this(out, null, precision, DEFAULT_SNAPLEN, DEFAULT_BUFFER_BYTES);
    }

    /** A writer to {@code out} storing at most {@code snaplen} bytes of each frame. */
    public PcapWriter(OutputStream out, Precision precision, int snaplen, int bufferBytes) {
        this(out, null, precision, snaplen, bufferBytes);
    }

    /** A writer to a channel (a {@link FileChannel}) with the default snap length and buffer. */
    public PcapWriter(WritableByteChannel channel, Precision precision) {
        this(null, channel, precision, DEFAULT_SNAPLEN, DEFAULT_BUFFER_BYTES);
    }

    /** A writer to a channel storing at most {@code snaplen} bytes of each frame. */
    public PcapWriter(WritableByteChannel channel, Precision precision, int snaplen, int bufferBytes) {
        this(null, channel, precision, snaplen, bufferBytes);
    }

    /** Creates (or truncates) {@code file} and writes a capture to it. */
    public static PcapWriter create(Path file, Precision precision) throws IOException {
        return new PcapWriter(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE), precision);
    }

    private PcapWriter(OutputStream stream, WritableByteChannel channel, Precision precision, int snaplen, int bufferBytes) {
        if (precision == null) {
            throw new IllegalArgumentException("choose a timestamp precision: Precision.MICROSECONDS or NANOSECONDS");
        }
        if (snaplen < 14 || snaplen > 262_144) {
            throw new IllegalArgumentException("snaplen must be 14..262144 bytes (libpcap's limit), was " + snaplen);
        }
        if (bufferBytes < GLOBAL_HEADER_LENGTH + RECORD_HEADER_LENGTH + snaplen) {
            throw new IllegalArgumentException("bufferBytes must hold the file header and one full record ("
                    + (GLOBAL_HEADER_LENGTH + RECORD_HEADER_LENGTH + snaplen) + " bytes for snaplen " + snaplen + "), was " + bufferBytes);
        }
        this.out = new CaptureBuffer(stream, channel, bufferBytes, "PcapWriter");
        this.precision = precision;
        this.snaplen = snaplen;
        byte[] buffer = out.bytes;
        INT_LE.set(buffer, 0, precision.magic);
        SHORT_LE.set(buffer, 4, (short) 2);
        SHORT_LE.set(buffer, 6, (short) 4);
        INT_LE.set(buffer, 8, 0);
        INT_LE.set(buffer, 12, 0);
        INT_LE.set(buffer, 16, snaplen);
        INT_LE.set(buffer, 20, LINKTYPE_ETHERNET);
        out.position = GLOBAL_HEADER_LENGTH;
    }

    /**
     * Appends one frame captured at {@code epochNanos} (nanoseconds since 1970-01-01 UTC). Frames
     * longer than the snap length are stored truncated with their original length. Never throws
     * for I/O (see the class comment); a write after {@link #close()} is counted as lost.
     */
    public synchronized void write(long epochNanos, byte[] frame, int offset, int length) {
        int stored = Math.min(length, snaplen);
        if (!out.reserve(RECORD_HEADER_LENGTH + stored)) {
            return;
        }
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
        byte[] buffer = out.bytes;
        int p = out.position;
        INT_LE.set(buffer, p, (int) seconds);
        INT_LE.set(buffer, p + 4, (int) (precision == Precision.NANOSECONDS ? nanos : nanos / 1_000));
        INT_LE.set(buffer, p + 8, stored);
        INT_LE.set(buffer, p + 12, length);
        System.arraycopy(frame, offset, buffer, p + RECORD_HEADER_LENGTH, stored);
        out.committed(p + RECORD_HEADER_LENGTH + stored);
    }

    /** Writes buffered records to the sink and flushes it. */
    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    /** Flushes and closes the sink; later writes are counted as lost. */
    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    /** Records accepted (buffered or written). */
    public synchronized long records() {
        return out.records();
    }

    /** Records not written because of an earlier I/O error or because the writer was closed. */
    public synchronized long recordsLost() {
        return out.recordsLost();
    }

    /** The first I/O error, or {@code null}. */
    public synchronized IOException failure() {
        return out.failure();
    }

    public Precision precision() {
        return precision;
    }

    public int snaplen() {
        return snaplen;
    }
}
