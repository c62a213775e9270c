package dev.spinet.storage;

/**
 * A byte FIFO over one array allocated at construction, whose capacity is a power of two so
 * positions wrap with a mask instead of a division.
 *
 * <pre>
 *   head (read position)          head + size (write position)       capacity
 *   |<------ readable: size ------>|<------------ free --------------->|
 *   [..........DDDDDDDDDDDDDDDDDDDD...................................]  (wraps around)
 * </pre>
 *
 * Besides plain FIFO use, two operations serve TCP: {@link #peek} reads at an offset past the
 * head without consuming (the send side retransmits from there until the bytes are
 * acknowledged), and {@link #writeAt}/{@link #commit} store bytes past the write position
 * without making them readable (the receive side parks out-of-order data there until the
 * {@link Assembler} says the gap before it is filled).
 */
public final class ByteRing {

    private final byte[] bytes;
    private final int mask;
    private long head;
    private int size;

    public ByteRing(int capacity) {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0) {
            throw new IllegalArgumentException("ring capacity must be a power of two, was " + capacity);
        }
        this.bytes = new byte[capacity];
        this.mask = capacity - 1;
    }

    public int capacity() {
        return bytes.length;
    }

    /** Readable bytes. */
    public int size() {
        return size;
    }

    /** Bytes that can still be written. */
    public int free() {
        return bytes.length - size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Appends up to {@code length} bytes; returns how many fit. */
    public int write(byte[] source, int offset, int length) {
        int n = Math.min(length, free());
        copyIn(size, source, offset, n);
        size += n;
        return n;
    }

    /**
     * Stores bytes {@code distance} bytes past the write position without making them readable.
     * Returns how many fit (the bytes past {@link #free()} are dropped).
     */
    public int writeAt(int distance, byte[] source, int offset, int length) {
        if (distance < 0) {
            throw new IllegalArgumentException("distance must be >= 0, was " + distance);
        }
        int n = Math.min(length, free() - distance);
        if (n <= 0) {
            return 0;
        }
        copyIn(size + distance, source, offset, n);
        return n;
    }

    /** Makes {@code count} bytes already stored by {@link #writeAt} at distance 0.. readable. */
    public void commit(int count) {
        if (count < 0 || count > free()) {
            throw new IllegalArgumentException("cannot commit " + count + " bytes with " + free() + " free");
        }
        size += count;
    }

    /** Copies up to {@code length} bytes from the head out and consumes them; returns the count. */
    public int read(byte[] target, int offset, int length) {
        int n = peek(0, target, offset, length);
        skip(n);
        return n;
    }

    /** Copies up to {@code length} bytes starting {@code from} bytes past the head, consuming nothing. */
    public int peek(int from, byte[] target, int offset, int length) {
        int n = Math.min(length, size - from);
        if (n <= 0) {
            return 0;
        }
        int start = (int) ((head + from) & mask);
        int first = Math.min(n, bytes.length - start);
        System.arraycopy(bytes, start, target, offset, first);
        if (first < n) {
            System.arraycopy(bytes, 0, target, offset + first, n - first);
        }
        return n;
    }

    /** Discards {@code count} readable bytes from the head. */
    public void skip(int count) {
        if (count < 0 || count > size) {
            throw new IllegalArgumentException("cannot skip " + count + " of " + size + " bytes");
        }
        // The head never jumps back to 0 when the ring empties: bytes parked past the write
        // position by writeAt() must stay where they are.
        head += count;
        size -= count;
    }

    /**
     * Appends in place: hands {@code filler} the free bytes from the write position up to the
     * array's end or {@code limit} (one contiguous region: call again for the part that wraps),
     * and makes readable what it reports filled. The region holds whatever the array held before
     * (earlier data); the filler must write every byte it reports.
     *
     * @return the bytes appended
     * @throws IllegalStateException if the filler reports more bytes than it was given
     */
    public int writeInPlace(int limit, RingRegion filler) {
        int n = Math.min(limit, free());
        if (n <= 0) {
            return 0;
        }
        int start = (int) ((head + size) & mask);
        int region = Math.min(n, bytes.length - start);
        int used = filler.use(bytes, start, region);
        if (used < 0 || used > region) {
            throw new IllegalStateException("the filler reported " + used + " bytes of a " + region + "-byte region");
        }
        size += used;
        return used;
    }

    /**
     * Consumes in place: hands {@code reader} the readable bytes from the head up to the array's
     * end or {@code limit} (one contiguous region: call again for the part that wraps) and
     * discards what it reports consumed.
     *
     * @return the bytes consumed
     * @throws IllegalStateException if the reader reports more bytes than it was given
     */
    public int readInPlace(int limit, RingRegion reader) {
        int n = Math.min(limit, size);
        if (n <= 0) {
            return 0;
        }
        int start = (int) (head & mask);
        int region = Math.min(n, bytes.length - start);
        int used = reader.use(bytes, start, region);
        if (used < 0 || used > region) {
            throw new IllegalStateException("the reader reported " + used + " bytes of a " + region + "-byte region");
        }
        skip(used);
        return used;
    }

    /** Empties the ring. */
    public void clear() {
        head = 0;
        size = 0;
    }

    private void copyIn(int distanceFromHead, byte[] source, int offset, int n) {
        if (n <= 0) {
            return;
        }
        int start = (int) ((head + distanceFromHead) & mask);
        int first = Math.min(n, bytes.length - start);
        System.arraycopy(source, offset, bytes, start, first);
        if (first < n) {
            System.arraycopy(source, offset + first, bytes, 0, n - first);
        }
    }
}
