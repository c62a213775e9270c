package dev.spinet.tcp;

import dev.spinet.wire.SeqNum;

/**
 * The sender's record of what the peer has SACKed (RFC 6675 section 3, "scoreboard"): disjoint,
 * non-touching sequence ranges above SND.UNA, sorted, at most a configured number. Fixed memory:
 * two int arrays allocated with the TCB.
 *
 * <pre>
 *   SND.UNA (HighACK)                                                 SND.MAX (HighData + 1)
 *   |  hole  |== SACKed 0 ==|  hole  |=== SACKed 1 ===|  hole  |== SACKed 2 ==|  ...  |
 * </pre>
 *
 * When a new range needs a slot and none is free, the range furthest from SND.UNA is forgotten:
 * its data then counts as not SACKed, so at worst it is retransmitted needlessly; SACKed data is
 * never freed before the cumulative ACK covers it (RFC 2018 section 8: the receiver may renege).
 */
final class SackScoreboard {

    private final int[] start;
    private final int[] end;
    private int count;

    SackScoreboard(int ranges) {
        start = new int[ranges];
        end = new int[ranges];
    }

    void clear() {
        count = 0;
    }

    int rangeCount() {
        return count;
    }

    int rangeStart(int i) {
        return start[i];
    }

    int rangeEnd(int i) {
        return end[i];
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** SND.UNA moved to {@code una}: what it covers is no longer SACKed but acknowledged. */
    void acknowledge(int una) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (SeqNum.le(end[i], una)) {
                continue;
            }
            start[kept] = SeqNum.max(start[i], una);
            end[kept] = end[i];
            kept++;
        }
        count = kept;
    }

    /**
     * Records the block {@code [left, right)}, already checked to lie in (SND.UNA, SND.MAX].
     *
     * @return the bytes it SACKs that were not SACKed before (0 for a repeat); -1 when it needed a
     *         slot and, being the highest, was the one not kept
     */
    int add(int left, int right) {
        int first = 0;
        while (first < count && SeqNum.lt(end[first], left)) {
            first++;
        }
        int last = first;
        int covered = 0;
        while (last < count && SeqNum.le(start[last], right)) {
            covered += SeqNum.min(end[last], right) - SeqNum.max(start[last], left);
            last++;
        }
        int fresh = (right - left) - Math.max(covered, 0);
        if (first == last) {
            if (count == start.length) {
                if (first == count) {
                    return -1; // the new block is the highest: it is the one forgotten
                }
                count--; // forget the highest range to make room
            }
            System.arraycopy(start, first, start, first + 1, count - first);
            System.arraycopy(end, first, end, first + 1, count - first);
            start[first] = left;
            end[first] = right;
            count++;
            return fresh;
        }
        start[first] = SeqNum.min(start[first], left);
        end[first] = SeqNum.max(end[last - 1], right);
        int removed = last - first - 1;
        if (removed > 0) {
            System.arraycopy(start, last, start, first + 1, count - last);
            System.arraycopy(end, last, end, first + 1, count - last);
            count -= removed;
        }
        return fresh;
    }

    /** The end of the highest SACKed range, or {@code una} when nothing is SACKed. */
    int highestSacked(int una) {
        return count == 0 ? una : end[count - 1];
    }

    /** The first sequence number at or above {@code seq} that is not SACKed. */
    int nextUnsacked(int seq) {
        for (int i = 0; i < count; i++) {
            if (SeqNum.le(start[i], seq) && SeqNum.lt(seq, end[i])) {
                return end[i];
            }
            if (SeqNum.gt(start[i], seq)) {
                break;
            }
        }
        return seq;
    }

    /** Where the first SACKed range above {@code seq} starts, or {@code limit} when none does first. */
    int nextSackedStart(int seq, int limit) {
        for (int i = 0; i < count; i++) {
            if (SeqNum.gt(start[i], seq)) {
                return SeqNum.min(start[i], limit);
            }
        }
        return limit;
    }

    /** SACKed bytes in {@code [from, to)}. */
    int sackedIn(int from, int to) {
        int bytes = 0;
        for (int i = 0; i < count; i++) {
            int s = SeqNum.max(start[i], from);
            int e = SeqNum.min(end[i], to);
            if (SeqNum.lt(s, e)) {
                bytes += e - s;
            }
        }
        return bytes;
    }

    /**
     * RFC 6675 IsLost() as a boundary: every sequence number below the returned one that is not
     * SACKed is lost, none at or above it. IsLost(SeqNum) holds "when either DupThresh
     * discontiguous SACKed sequences have arrived above 'SeqNum' or more than (DupThresh - 1) *
     * SMSS bytes with sequence numbers greater than 'SeqNum' have been SACKed": counted top down,
     * the first range whose own and higher ranges reach either bound starts the lost region.
     *
     * @return the boundary, or {@code una} when nothing is lost
     */
    int lossBoundary(int una, int smss, int dupThresh) {
        long bytes = 0;
        for (int i = count - 1; i >= 0; i--) {
            bytes += end[i] - start[i];
            if (count - i >= dupThresh || bytes > (long) (dupThresh - 1) * smss) {
                return start[i];
            }
        }
        return una;
    }
}
