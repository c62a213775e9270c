package dev.spinet.tcp;

import dev.spinet.storage.Assembler;
import dev.spinet.wire.TcpSegment;

/**
 * What this host's ACKs report to a sender with SACK (RFC 2018) and D-SACK (RFC 2883): the
 * blocks are the {@link Assembler}'s out-of-order ranges, ordered by when they last grew, plus at
 * most one duplicate to report once. Fixed memory: one sequence number per block an option can
 * carry.
 *
 * <p>RFC 2018 section 4: "The first SACK block (i.e., the one immediately following the kind and
 * length fields in the option) MUST specify the contiguous block of data containing the segment
 * which triggered this ACK", and the others repeat "the most recently reported SACK blocks"
 * ("most recent first"), so that a block survives the loss of a few ACKs. RFC 2883 section 4: a
 * D-SACK block goes first of all, "only ... for the first ACK sent after the duplicate"; when the
 * duplicate lies above RCV.NXT, "the second SACK block ... should specify that (possibly larger)
 * block of data".
 */
final class SackReport {

    /** One sequence number inside each recently grown out-of-order range, most recent first. */
    private final int[] recent = new int[TcpSegment.MAX_SACK_BLOCKS];
    private int recentCount;
    private boolean duplicatePending;
    private int duplicateLeft;
    private int duplicateRight;

    void clear() {
        recentCount = 0;
        duplicatePending = false;
    }

    /**
     * Bytes from {@code seq} on were just stored out of order: their range becomes the most
     * recent; an older entry naming the same range goes (ranges merge as holes fill).
     *
     * @return where the range stood in the recency order before (0: it was the most recent), or
     *         {@link TcpSegment#MAX_SACK_BLOCKS} when it is new or was no longer in the order
     */
    int onOutOfOrder(int seq, Assembler assembler, int rcvNxt) {
        int range = assembler.rangeContaining(seq - rcvNxt);
        int previous = TcpSegment.MAX_SACK_BLOCKS;
        int kept = 0;
        for (int i = 0; i < recentCount; i++) {
            int other = recent[i];
            if (range >= 0 && assembler.rangeContaining(other - rcvNxt) == range) {
                previous = Math.min(previous, i);
            } else if (kept < recent.length - 1) {
                recent[kept++] = other;
            }
        }
        System.arraycopy(recent, 0, recent, 1, kept);
        recent[0] = seq;
        recentCount = kept + 1;
        return previous;
    }

    /** {@code [left, right)} arrived again: the next ACK reports it first (RFC 2883 D-SACK). */
    void onDuplicate(int left, int right) {
        duplicatePending = true;
        duplicateLeft = left;
        duplicateRight = right;
    }

    boolean duplicatePending() {
        return duplicatePending;
    }

    /** Whether an ACK now would carry a SACK option. */
    boolean hasBlocks(Assembler assembler) {
        return duplicatePending || !assembler.isEmpty();
    }

    /**
     * Writes the blocks for the next ACK, at most {@code max}, into {@code left} / {@code right}
     * (sequence numbers) and returns how many. A pending D-SACK block goes first and is
     * consumed; then the ranges by recency; then any range the recency list lost track of.
     */
    int build(Assembler assembler, int rcvNxt, int[] left, int[] right, int max) {
        int n = 0;
        if (max <= 0) {
            return 0;
        }
        if (duplicatePending) {
            left[0] = duplicateLeft;
            right[0] = duplicateRight;
            n = 1;
            duplicatePending = false;
        }
        long reported = 0; // bit i: range i already written (at most 65 ranges: Assembler's limit)
        int kept = 0;
        for (int i = 0; i < recentCount; i++) {
            int seq = recent[i];
            int range = assembler.rangeContaining(seq - rcvNxt);
            if (range < 0 || (range < 64 && (reported & (1L << range)) != 0)) {
                continue; // delivered in order meanwhile, or the same range as a more recent entry
            }
            recent[kept++] = seq;
            if (range < 64) {
                reported |= 1L << range;
            }
            if (n < max) {
                left[n] = rcvNxt + assembler.rangeStart(range);
                right[n] = rcvNxt + assembler.rangeEnd(range);
                n++;
            }
        }
        recentCount = kept;
        for (int range = assembler.rangeCount() - 1; range >= 0 && n < max; range--) {
            if (range >= 64 || (reported & (1L << range)) == 0) {
                left[n] = rcvNxt + assembler.rangeStart(range);
                right[n] = rcvNxt + assembler.rangeEnd(range);
                n++;
            }
        }
        return n;
    }
}
