package dev.spinet.harness.net;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * The buffer and sink a capture writer ({@link PcapWriter}, {@link PcapngWriter}) fills: records
 * are written into one array allocated at construction and reach the stream or channel only when
 * it is full or on {@link #flush()}, so appending a record allocates nothing and makes a system
 * call only every few hundred frames.
 *
 * <p>I/O errors never escape {@link #reserve}: the first error is kept, later records are
 * counted as lost, and {@link #flush()} or {@link #close()} throws it. Not thread-safe on its
 * own: each writer synchronizes on itself around every call.
 */
final class CaptureBuffer {

    private final OutputStream stream;
    private final WritableByteChannel channel;
    final byte[] bytes;
    private final ByteBuffer view;
    /** Where the next record starts in {@link #bytes}. */
    int position;
    private long records;
    private long recordsLost;
    private IOException failure;
    private boolean closed;

    CaptureBuffer(OutputStream stream, WritableByteChannel channel, int capacity, String writerName) {
        if (stream == null && channel == null) {
            throw new IllegalArgumentException(writerName + " needs an OutputStream or a WritableByteChannel to write to");
        }
        this.stream = stream;
        this.channel = channel;
        this.bytes = new byte[capacity];
        this.view = ByteBuffer.wrap(bytes);
    }

    /**
     * Makes room for a record of {@code length} bytes at {@link #position}; false (and the record
     * counted as lost) after an I/O error or {@link #close()}.
     */
    boolean reserve(int length) {
        if (closed || failure != null) {
            recordsLost++;
            return false;
        }
        if (position + length > bytes.length) {
            drain();
            if (failure != null) {
                recordsLost++;
                return false;
            }
        }
        return true;
    }

    /** The record reserved last now ends at {@code end}. */
    void committed(int end) {
        position = end;
        records++;
    }

    /** Writes the buffer out; remembers the first failure instead of throwing. */
    private void drain() {
        try {
            if (stream != null) {
                stream.write(bytes, 0, position);
            } else {
                view.clear().limit(position);
                while (view.hasRemaining()) {
                    channel.write(view);
                }
            }
            position = 0;
        } catch (IOException e) {
            failure = e;
        }
    }

    void flush() throws IOException {
        if (!closed) {
            if (failure == null && position > 0) {
                drain();
            }
            if (failure == null && stream != null) {
                try {
                    stream.flush();
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
        throwIfFailed();
    }

    void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            try {
                if (stream != null) {
                    stream.close();
                } else {
                    channel.close();
                }
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        throwIfFailed();
    }

    private void throwIfFailed() throws IOException {
        if (failure != null) {
            throw new IOException("capture failed after " + records + " records (" + recordsLost + " lost): " + failure.getMessage(), failure);
        }
    }

    long records() {
        return records;
    }

    long recordsLost() {
        return recordsLost;
    }

    IOException failure() {
        return failure;
    }
}
