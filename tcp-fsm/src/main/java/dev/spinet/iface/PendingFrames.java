package dev.spinet.iface;

/**
 * Frames waiting for their next hop's MAC (RFC 1122 2.3.2.2: "SHOULD save at least one packet").
 * A fixed number of preallocated slots; when all are taken the new frame is dropped and counted
 * (the transport retransmits). Slots are released in arrival order when the address resolves,
 * or dropped when resolution fails.
 */
public final class PendingFrames {

    private final byte[][] frames;
    private final int[] length;
    private final int[] nextHop;
    private final long[] queuedAt;
    private final boolean[] used;
    private int count;

    public PendingFrames(int slots, int frameBytes) {
        frames = new byte[slots][frameBytes];
        length = new int[slots];
        nextHop = new int[slots];
        queuedAt = new long[slots];
        used = new boolean[slots];
    }

    /** Copies a frame into a free slot; returns false if none is free. */
    public boolean add(int hop, byte[] frame, int offset, int frameLength, long nowNanos) {
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                System.arraycopy(frame, offset, frames[i], 0, frameLength);
                length[i] = frameLength;
                nextHop[i] = hop;
                queuedAt[i] = nowNanos;
                used[i] = true;
                count++;
                return true;
            }
        }
        return false;
    }

    /** The oldest slot waiting for {@code hop}, or -1. */
    public int oldestFor(int hop) {
        int best = -1;
        for (int i = 0; i < used.length; i++) {
            if (used[i] && nextHop[i] == hop && (best < 0 || queuedAt[i] - queuedAt[best] < 0)) {
                best = i;
            }
        }
        return best;
    }

    public byte[] frame(int slot) {
        return frames[slot];
    }

    public int length(int slot) {
        return length[slot];
    }

    public void release(int slot) {
        if (used[slot]) {
            used[slot] = false;
            count--;
        }
    }

    /** Drops every frame waiting for {@code hop}; returns how many. */
    public int dropAllFor(int hop) {
        int dropped = 0;
        for (int i = 0; i < used.length; i++) {
            if (used[i] && nextHop[i] == hop) {
                used[i] = false;
                count--;
                dropped++;
            }
        }
        return dropped;
    }

    public int count() {
        return count;
    }

    public int capacity() {
        return used.length;
    }
}
