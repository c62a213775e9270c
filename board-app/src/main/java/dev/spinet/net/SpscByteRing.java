package dev.spinet.net;

/**
 * A byte ring with one producer thread and one consumer thread, in the style of Agrona's
 * one-to-one buffers: the producer only writes {@code tail}, the consumer only writes
 * {@code head}, both are free-running byte counts, and each side publishes with a volatile
 * store after copying, so the other side sees the bytes before it sees the count move.
 *
 * <p>Volatile (not merely ordered) stores on purpose: the bridge pairs each publication with a
 * read of a "someone is waiting" field (Dekker's pattern), which needs the store and the
 * following load to stay in order. Capacity is a power of two; nothing allocates after
 * construction.
 */
final class SpscByteRing {

    private final byte[] buffer;
    private final int mask;
    /** Bytes consumed so far; written by the consumer only. */
    private volatile long head;
    /** Bytes produced so far; written by the producer only. */
    private volatile long tail;

    SpscByteRing(int capacity) {
        if (capacity < 1 || (capacity & (capacity - 1)) != 0) {
            throw new IllegalArgumentException("ring capacity must be a power of two, was " + capacity);
        }
        this.buffer = new byte[capacity];
        this.mask = capacity - 1;
    }

    int capacity() {
        return buffer.length;
    }

    /** Bytes the consumer can take (either side may ask; the answer may be stale at once). */
    int size() {
        return (int) (tail - head);
    }

    /** Room the producer can fill (either side may ask). */
    int free() {
        return buffer.length - (int) (tail - head);
    }

    // ---- producer ----

    /** The backing array, for a producer or consumer that copies in place (offsets below). */
    byte[] array() {
        return buffer;
    }

    /** Where the next produced byte goes. */
    int writeOffset() {
        return (int) tail & mask;
    }

    /** Free bytes from {@link #writeOffset()} up to the end of the array or the consumer. */
    int writableContiguous() {
        int free = free();
        int toEnd = buffer.length - writeOffset();
        return Math.min(free, toEnd);
    }

    /** Publishes {@code n} bytes the producer placed at {@link #writeOffset()}. */
    void commitWrite(int n) {
        tail = tail + n;
    }

    /** Copies as much of {@code source[offset..offset+length)} as fits; returns the count. */
    int write(byte[] source, int offset, int length) {
        int n = Math.min(length, free());
        if (n <= 0) {
            return 0;
        }
        int at = writeOffset();
        int first = Math.min(n, buffer.length - at);
        System.arraycopy(source, offset, buffer, at, first);
        if (n > first) {
            System.arraycopy(source, offset + first, buffer, 0, n - first);
        }
        commitWrite(n);
        return n;
    }

    // ---- consumer ----

    /** Where the next consumed byte is. */
    int readOffset() {
        return (int) head & mask;
    }

    /** Readable bytes from {@link #readOffset()} up to the end of the array or the producer. */
    int readableContiguous() {
        int size = size();
        int toEnd = buffer.length - readOffset();
        return Math.min(size, toEnd);
    }

    /** Hands {@code n} consumed bytes back to the producer. */
    void commitRead(int n) {
        head = head + n;
    }

    /** Copies up to {@code length} bytes out; returns the count (0 when empty). */
    int read(byte[] target, int offset, int length) {
        int n = Math.min(length, size());
        if (n <= 0) {
            return 0;
        }
        int at = readOffset();
        int first = Math.min(n, buffer.length - at);
        System.arraycopy(buffer, at, target, offset, first);
        if (n > first) {
            System.arraycopy(buffer, 0, target, offset + first, n - first);
        }
        commitRead(n);
        return n;
    }

    /** Empties the ring. Only while neither side uses it (a slot being recycled). */
    void reset() {
        head = 0;
        tail = 0;
    }
}
