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
 * Writes Ethernet frames as pcapng (the IETF opsawg pcapng draft, Wireshark's own format), one
 * section with one Ethernet interface at nanosecond resolution, and lets each frame carry a
 * comment ({@code opt_comment}), which Wireshark shows under the frame and filters as
 * {@code frame.comment}: a lab marks with it the frames it dropped, held back or replayed.
 *
 * <pre>
 * Section Header Block      0x0A0D0D0A, length, byte-order magic 0x1A2B3C4D, version 1.0,
 *                           section length -1 (unknown), shb_userappl, end of options, length
 * Interface Description     1, length, LINKTYPE_ETHERNET, reserved, snaplen,
 *                           if_tsresol = 9 (10^-9 s), end of options, length
 * Enhanced Packet Block     6, length, interface 0, timestamp high, timestamp low (ns since 1970),
 *                           captured length, original length, frame (padded to 32 bits),
 *                           [opt_comment (UTF-8, padded), end of options], length
 * </pre>
 *
 * Every block's length is repeated at its end; the file is little-endian (readers detect the byte
 * order from the magic). Records go into a {@link CaptureBuffer} allocated at construction, and the
 * comment is encoded straight into it, so {@link #write} allocates nothing. I/O errors never
 * escape {@code write}: the first is kept and thrown by {@link #flush()} or {@link #close()}.
 */
public final class PcapngWriter implements Closeable, Flushable {

    public static final int BLOCK_SECTION_HEADER = 0x0A0D_0D0A;
    public static final int BLOCK_INTERFACE_DESCRIPTION = 1;
    public static final int BLOCK_ENHANCED_PACKET = 6;
    public static final int BYTE_ORDER_MAGIC = 0x1A2B_3C4D;
    public static final int OPTION_END = 0;
    public static final int OPTION_COMMENT = 1;
    public static final int OPTION_SHB_USERAPPL = 4;
    public static final int OPTION_IF_TSRESOL = 9;
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int DEFAULT_SNAPLEN = 65_535;
    public static final int DEFAULT_BUFFER_BYTES = 256 * 1024;
    /** Longest comment stored, in UTF-8 bytes; longer ones are cut at a character boundary. */
    public static final int MAX_COMMENT_BYTES = 1024;
    /** Enhanced packet block without frame and options: 7 words of header and the trailing length. */
    static final int PACKET_BLOCK_OVERHEAD = 32;

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] APPLICATION = {'S', 'p', 'i', 'n', 'e', 't'};

    private final CaptureBuffer out;
    private final int snaplen;

    /** A writer to {@code out} with the default snap length and buffer. */
    public PcapngWriter(OutputStream out) {
        this(out, null, DEFAULT_SNAPLEN, DEFAULT_BUFFER_BYTES);
    }

    /** A writer to {@code out} storing at most {@code snaplen} bytes of each frame. */
    public PcapngWriter(OutputStream out, int snaplen, int bufferBytes) {
        this(out, null, snaplen, bufferBytes);
    }

    /** A writer to a channel (a {@link FileChannel}) with the default snap length and buffer. */
    public PcapngWriter(WritableByteChannel channel) {
        this(null, channel, DEFAULT_SNAPLEN, DEFAULT_BUFFER_BYTES);
    }

    /** Creates (or truncates) {@code file} and writes a capture to it. */
    public static PcapngWriter create(Path file) throws IOException {
        return new PcapngWriter(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE));
    }

    private PcapngWriter(OutputStream stream, WritableByteChannel channel, int snaplen, int bufferBytes) {
        if (snaplen < 14 || snaplen > 262_144) {
            throw new IllegalArgumentException("snaplen must be 14..262144 bytes, was " + snaplen);
        }
        int largest = headerLength() + largestPacketBlock(snaplen);
        if (bufferBytes < largest) {
            throw new IllegalArgumentException("bufferBytes must hold the file header and one full record with a comment ("
                    + largest + " bytes for snaplen " + snaplen + "), was " + bufferBytes);
        }
        this.out = new CaptureBuffer(stream, channel, bufferBytes, "PcapngWriter");
        this.snaplen = snaplen;
        writeHeader(out.bytes, snaplen);
        out.position = headerLength();
    }

    private static int sectionHeaderLength() {
        return 28 + 4 + pad4(APPLICATION.length) + 4;
    }

    private static int headerLength() {
        return sectionHeaderLength() + 32;
    }

    private static int largestPacketBlock(int snaplen) {
        return PACKET_BLOCK_OVERHEAD + pad4(snaplen) + 4 + MAX_COMMENT_BYTES + 4;
    }

    private static void writeHeader(byte[] b, int snaplen) {
        int shb = sectionHeaderLength();
        INT_LE.set(b, 0, BLOCK_SECTION_HEADER);
        INT_LE.set(b, 4, shb);
        INT_LE.set(b, 8, BYTE_ORDER_MAGIC);
        SHORT_LE.set(b, 12, (short) 1);
        SHORT_LE.set(b, 14, (short) 0);
        LONG_LE.set(b, 16, -1L);
        SHORT_LE.set(b, 24, (short) OPTION_SHB_USERAPPL);
        SHORT_LE.set(b, 26, (short) APPLICATION.length);
        System.arraycopy(APPLICATION, 0, b, 28, APPLICATION.length);
        int p = 28 + pad4(APPLICATION.length);
        INT_LE.set(b, p, OPTION_END);
        INT_LE.set(b, p + 4, shb);

        int idb = shb;
        INT_LE.set(b, idb, BLOCK_INTERFACE_DESCRIPTION);
        INT_LE.set(b, idb + 4, 32);
        SHORT_LE.set(b, idb + 8, (short) LINKTYPE_ETHERNET);
        SHORT_LE.set(b, idb + 10, (short) 0);
        INT_LE.set(b, idb + 12, snaplen);
        SHORT_LE.set(b, idb + 16, (short) OPTION_IF_TSRESOL);
        SHORT_LE.set(b, idb + 18, (short) 1);
        INT_LE.set(b, idb + 20, 9); // 10^-9 s; the three bytes after the value are padding
        INT_LE.set(b, idb + 24, OPTION_END);
        INT_LE.set(b, idb + 28, 32);
    }

    /** Appends one frame captured at {@code epochNanos} (nanoseconds since 1970-01-01 UTC), without a comment. */
    public void write(long epochNanos, byte[] frame, int offset, int length) {
        write(epochNanos, frame, offset, length, null);
    }

    /**
     * Appends one frame with a comment Wireshark shows with it ({@code null} or empty: none).
     * Frames longer than the snap length are stored truncated with their original length.
     * Never throws for I/O; a write after {@link #close()} is counted as lost.
     */
    public synchronized void write(long epochNanos, byte[] frame, int offset, int length, CharSequence comment) {
        int stored = Math.min(length, snaplen);
        if (!out.reserve(PACKET_BLOCK_OVERHEAD + pad4(stored) + 4 + MAX_COMMENT_BYTES + 4)) {
            return;
        }
        byte[] b = out.bytes;
        int start = out.position;
        INT_LE.set(b, start, BLOCK_ENHANCED_PACKET);
        INT_LE.set(b, start + 8, 0);
        INT_LE.set(b, start + 12, (int) (epochNanos >>> 32));
        INT_LE.set(b, start + 16, (int) epochNanos);
        INT_LE.set(b, start + 20, stored);
        INT_LE.set(b, start + 24, length);
        System.arraycopy(frame, offset, b, start + 28, stored);
        int p = start + 28 + stored;
        while ((p & 3) != (start & 3)) {
            b[p++] = 0;
        }
        if (comment != null && comment.length() > 0) {
            int text = p + 4;
            int end = encodeUtf8(comment, b, text, MAX_COMMENT_BYTES);
            SHORT_LE.set(b, p, (short) OPTION_COMMENT);
            SHORT_LE.set(b, p + 2, (short) (end - text));
            p = end;
            while (((p - start) & 3) != 0) {
                b[p++] = 0;
            }
            INT_LE.set(b, p, OPTION_END);
            p += 4;
        }
        int blockLength = p + 4 - start;
        INT_LE.set(b, start + 4, blockLength);
        INT_LE.set(b, p, blockLength);
        out.committed(p + 4);
    }

    /** UTF-8 of {@code text} into {@code b} from {@code at}, at most {@code max} bytes, whole characters only; returns the end. */
    private static int encodeUtf8(CharSequence text, byte[] b, int at, int max) {
        int p = at;
        int limit = at + max;
        for (int i = 0; i < text.length(); i++) {
            int c = text.charAt(i);
            if (Character.isHighSurrogate((char) c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                c = Character.toCodePoint((char) c, text.charAt(i + 1));
            } else if (Character.isSurrogate((char) c)) {
                c = '?';
            }
            int bytes = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            if (p + bytes > limit) {
                break;
            }
            switch (bytes) {
                case 1 -> b[p] = (byte) c;
                case 2 -> {
                    b[p] = (byte) (0xC0 | c >>> 6);
                    b[p + 1] = (byte) (0x80 | c & 0x3F);
                }
                case 3 -> {
                    b[p] = (byte) (0xE0 | c >>> 12);
                    b[p + 1] = (byte) (0x80 | c >>> 6 & 0x3F);
                    b[p + 2] = (byte) (0x80 | c & 0x3F);
                }
                default -> {
                    b[p] = (byte) (0xF0 | c >>> 18);
                    b[p + 1] = (byte) (0x80 | c >>> 12 & 0x3F);
                    b[p + 2] = (byte) (0x80 | c >>> 6 & 0x3F);
                    b[p + 3] = (byte) (0x80 | c & 0x3F);
                    i++;
                }
            }
            p += bytes;
        }
        return p;
    }

    private static int pad4(int n) {
        return (n + 3) & ~3;
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

    public int snaplen() {
        return snaplen;
    }
}
