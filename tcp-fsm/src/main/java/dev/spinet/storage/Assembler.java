package dev.spinet.storage;

/**
 * Bookkeeping for out-of-order data: which byte ranges past a moving origin (TCP's RCV.NXT)
 * are already held, in at most {@code maxRanges} disjoint ranges fixed at construction.
 *
 * <pre>
 *   origin                                                      (window edge)
 *   |  hole  |== range 0 ==|   hole   |=== range 1 ===|  hole ...
 *   0        start[0]      end[0]     start[1]        end[1]
 * </pre>
 *
 * Ranges are kept sorted, disjoint and non-adjacent (touching ranges merge). A new range that
 * would need a slot when all are taken is refused: the caller drops the segment and the
 * sender retransmits it later, so memory stays fixed while reordering still costs little. When
 * the data at the origin arrives, {@link #add} with offset 0 followed by {@link #removeFront}
 * returns everything now contiguous and shifts the origin past it.
 *
 * <p>The bytes themselves live elsewhere (in a {@link ByteRing} past its write position).
 */
public final class Assembler {

    private final int[] start;
    private final int[] end;
    private int count;

    public Assembler(int maxRanges) {
        if (maxRanges < 0) {
            throw new IllegalArgumentException("maxRanges must be >= 0, was " + maxRanges);
        }
        // One extra slot for the range at the origin itself, which never stays after removeFront.
        this.start = new int[maxRanges + 1];
        this.end = new int[maxRanges + 1];
    }

    /** Ranges held (each one preceded by a hole). */
    public int rangeCount() {
        return count;
    }

    /** The most out-of-order ranges this assembler holds. */
    public int maxRanges() {
        return start.length - 1;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    public int rangeStart(int index) {
        return start[index];
    }

    public int rangeEnd(int index) {
        return end[index];
    }

    /** The range holding the byte at {@code offset}, or -1 when that byte is in a hole. */
    public int rangeContaining(int offset) {
        for (int i = 0; i < count; i++) {
            if (start[i] <= offset && offset < end[i]) {
                return i;
            }
        }
        return -1;
    }

    /** The first range sharing a byte with {@code [offset, offset + length)}, or -1 when none does. */
    public int firstOverlap(int offset, int length) {
        int last = offset + length;
        for (int i = 0; i < count; i++) {
            if (start[i] < last && offset < end[i]) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Records bytes {@code [offset, offset + length)} past the origin as held. Returns false when
     * that needs a new range and no slot is free (nothing changes then). A range at offset 0
     * may always be added (it is taken out again by {@link #removeFront}).
     */
    public boolean add(int offset, int length) {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("offset and length must be >= 0");
        }
        if (length == 0) {
            return true;
        }
        int newStart = offset;
        int newEnd = offset + length;
        // First range that ends at or after newStart (could merge or lies after).
        int first = 0;
        while (first < count && end[first] < newStart) {
            first++;
        }
        // Ranges [first, last) overlap or touch the new one.
        int last = first;
        while (last < count && start[last] <= newEnd) {
            last++;
        }
        if (first == last) {
            int limit = offset == 0 ? start.length : start.length - 1;
            if (count >= limit) {
                return false;
            }
            System.arraycopy(start, first, start, first + 1, count - first);
            System.arraycopy(end, first, end, first + 1, count - first);
            start[first] = newStart;
            end[first] = newEnd;
            count++;
            return true;
        }
        int mergedStart = Math.min(newStart, start[first]);
        int mergedEnd = Math.max(newEnd, end[last - 1]);
        start[first] = mergedStart;
        end[first] = mergedEnd;
        int removed = last - first - 1;
        if (removed > 0) {
            System.arraycopy(start, last, start, first + 1, count - last);
            System.arraycopy(end, last, end, first + 1, count - last);
            count -= removed;
        }
        return true;
    }

    /**
     * If a range starts at the origin, removes it, moves the origin past it and returns its
     * length; otherwise returns 0.
     */
    public int removeFront() {
        if (count == 0 || start[0] != 0) {
            return 0;
        }
        int advance = end[0];
        System.arraycopy(start, 1, start, 0, count - 1);
        System.arraycopy(end, 1, end, 0, count - 1);
        count--;
        shift(advance);
        return advance;
    }

    /** Moves the origin forward by {@code distance} bytes, forgetting anything before it. */
    public void shift(int distance) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int s = start[i] - distance;
            int e = end[i] - distance;
            if (e <= 0) {
                continue;
            }
            start[kept] = Math.max(s, 0);
            end[kept] = e;
            kept++;
        }
        count = kept;
    }

    public void clear() {
        count = 0;
    }
}
