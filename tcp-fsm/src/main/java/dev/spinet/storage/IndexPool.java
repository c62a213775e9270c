package dev.spinet.storage;

/**
 * A pool of slot indices {@code 0 .. capacity-1} kept on an intrusive free list of ints, so
 * taking and giving back a slot is O(1) and allocates nothing. {@link #NONE} (-1) ends the list
 * and is what {@link #acquire} returns when every slot is in use.
 *
 * <pre>
 *   freeHead -> 3 -> 0 -> 5 -> -1        next[3] = 0, next[0] = 5, next[5] = -1
 * </pre>
 */
public final class IndexPool {

    public static final int NONE = -1;

    private final int[] next;
    private final boolean[] inUse;
    private int freeHead;
    private int available;

    public IndexPool(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
        }
        next = new int[capacity];
        inUse = new boolean[capacity];
        for (int i = 0; i < capacity; i++) {
            next[i] = i + 1 < capacity ? i + 1 : NONE;
        }
        freeHead = capacity == 0 ? NONE : 0;
        available = capacity;
    }

    /** Takes a free index, or returns {@link #NONE} when all are in use. */
    public int acquire() {
        int index = freeHead;
        if (index == NONE) {
            return NONE;
        }
        freeHead = next[index];
        next[index] = NONE;
        inUse[index] = true;
        available--;
        return index;
    }

    /** Gives {@code index} back. Releasing a free or out-of-range index is a bug and throws. */
    public void release(int index) {
        if (index < 0 || index >= next.length || !inUse[index]) {
            throw new IllegalStateException("index " + index + " is not in use; release each acquired index exactly once");
        }
        inUse[index] = false;
        next[index] = freeHead;
        freeHead = index;
        available++;
    }

    public boolean isInUse(int index) {
        return inUse[index];
    }

    public int capacity() {
        return next.length;
    }

    public int available() {
        return available;
    }

    public int inUseCount() {
        return next.length - available;
    }
}
