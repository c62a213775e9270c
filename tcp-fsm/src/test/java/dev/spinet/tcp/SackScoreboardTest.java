package dev.spinet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The sender's scoreboard (RFC 6675 section 3) on its own: what a block adds, merging, the fixed
 * capacity (the range furthest from SND.UNA is forgotten), and IsLost() as a boundary.
 */
class SackScoreboardTest {

    static final int SMSS = 1000;

    @Test
    void aBlockAddsOnlyWhatWasNotSackedAndTouchingRangesMerge() {
        SackScoreboard board = new SackScoreboard(4);
        assertEquals(1000, board.add(2000, 3000));
        assertEquals(0, board.add(2000, 3000), "a repeat SACKs nothing new");
        assertEquals(1000, board.add(3000, 4000));
        assertEquals(1, board.rangeCount(), "touching ranges merge");
        assertEquals(500, board.add(1500, 4000));
        assertEquals(1500, board.rangeStart(0));
        assertEquals(4000, board.rangeEnd(0));
    }

    @Test
    void whenFullTheRangeFurthestFromSndUnaIsForgotten() {
        SackScoreboard board = new SackScoreboard(2);
        board.add(2000, 3000);
        board.add(6000, 7000);
        assertEquals(-1, board.add(8000, 9000), "the new block is the highest: not kept");
        assertEquals(1000, board.add(4000, 5000), "a lower one is kept, the highest goes");
        assertEquals(2, board.rangeCount());
        assertEquals(5000, board.highestSacked(1000));
    }

    @Test
    void aCumulativeAckRemovesAndClipsRanges() {
        SackScoreboard board = new SackScoreboard(4);
        board.add(2000, 3000);
        board.add(4000, 6000);
        board.acknowledge(5000);
        assertEquals(1, board.rangeCount());
        assertEquals(5000, board.rangeStart(0));
        assertEquals(1000, board.sackedIn(1000, 9000));
    }

    /**
     * IsLost(SeqNum): "DupThresh discontiguous SACKed sequences ... above 'SeqNum' or more than
     * (DupThresh - 1) * SMSS bytes with sequence numbers greater than 'SeqNum' have been SACKed".
     */
    @Test
    void isLostIsABoundaryByRangeCountOrBytes() {
        SackScoreboard board = new SackScoreboard(8);
        board.add(2000, 3000);
        board.add(4000, 5000);
        assertEquals(1000, board.lossBoundary(1000, SMSS, 3), "2 ranges, 2000 bytes: nothing lost");
        board.add(6000, 7000);
        assertEquals(2000, board.lossBoundary(1000, SMSS, 3), "3 ranges above: all below the third lost");
        SackScoreboard bytes = new SackScoreboard(8);
        bytes.add(2000, 4001);
        assertEquals(2000, bytes.lossBoundary(1000, SMSS, 3), "2001 bytes above: more than 2 SMSS");
        assertEquals(4001, bytes.nextUnsacked(2500), "nextUnsacked skips the range");
        assertEquals(2000, bytes.nextSackedStart(1000, 9000));
    }
}
