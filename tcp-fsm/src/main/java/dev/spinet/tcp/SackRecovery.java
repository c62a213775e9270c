package dev.spinet.tcp;

import dev.spinet.wire.SeqNum;

/**
 * Loss recovery with SACK, RFC 6675 ("A Conservative Loss Recovery Algorithm Based on Selective
 * Acknowledgment"), for connections whose peer SACKs (RFC 2018); the window grows as RFC 5681
 * says ({@link CongestionWindow}). One per {@link Tcb}, built with it beside {@link NewReno}, and
 * used instead of it when both SYNs carry SACK-permitted.
 *
 * <p>The scoreboard ({@link SackScoreboard}) is the TCB's, updated by input before the events
 * here. The variables of RFC 6675 section 3 map to: HighACK = SND.UNA - 1 ("the highest byte of
 * data that has been cumulatively ACKed"), HighData = SND.MAX - 1,
 * HighRxt = {@code rxtEnd} - 1 ({@code rxtEnd} is exclusive), RescueRxt = {@code rescueRxt},
 * RecoveryPoint = {@code recoveryPoint} - 1. Pipe is recomputed from the scoreboard when asked
 * (SetPipe, section 4), in time linear in the scoreboard's ranges.
 */
final class SackRecovery implements CongestionControl {

    /** RFC 6675 section 2: "DupThresh ... the number of duplicate acknowledgments ... 3". */
    static final int DUP_THRESH = 3;

    /** Retransmissions of one recovery whose D-SACKs an undo waits for; a deeper recovery was a loss anyway. */
    static final int UNDO_RANGES = 8;

    private final CongestionWindow window = new CongestionWindow();
    private final SackScoreboard scoreboard;
    /** Step (3) of section 5, RFC 3042 limited transmit for SACK peers (StackConfig.tcpLimitedTransmit). */
    private final boolean limitedTransmit;
    /** RFC 5827 early retransmit (StackConfig.tcpEarlyRetransmit). */
    private final boolean earlyRetransmit;
    /** The last recovery began by early retransmit, not by DupThresh or IsLost(). */
    private boolean enteredEarly;
    private int dupAcks;
    /** FlightSize at the first duplicate acknowledgment, before step (3) sent anything. */
    private int flightAtFirstDuplicate;
    private boolean inRecovery;
    /** Exclusive: SND.MAX when recovery (or a timeout) began; recovery ends when SND.UNA reaches it. */
    private int recoveryPoint;
    /** Exclusive end of the highest range retransmitted in this recovery. */
    private int rxtEnd;
    private boolean rescueRxtDefined;
    private int rescueRxt;
    /** The next {@link #onRetransmitted} reports the fast retransmit that began recovery. */
    private boolean entering;
    /** A rescue retransmission (rule 4 leaves HighRxt alone): pipe counts it until SND.UNA passes it. */
    private int rescueBytes;
    private int rescueEnd;

    // ---- undo of a spurious recovery (RFC 3708 detection, StackConfig.tcpSpuriousRecoveryUndo) ----
    private final boolean spuriousRecoveryUndo;
    /** The last recovery may still prove spurious: none of its retransmissions was lost yet by a timeout. */
    private boolean undoPossible;
    /** SND.UNA when the last recovery began. */
    private int undoFrom;
    /**
     * What the last recovery retransmitted, {@code [undoStarts[i], undoEnds[i])}, less what D-SACK
     * blocks have reported since; more retransmissions than slots and the recovery cannot be undone.
     */
    private final int[] undoStarts = new int[UNDO_RANGES];
    private final int[] undoEnds = new int[UNDO_RANGES];
    private int undoRanges;
    /** Octets the last recovery retransmitted that no D-SACK block has reported yet. */
    private int undoPendingBytes;
    private int cwndBeforeRecovery;
    private int ssthreshBeforeRecovery;

    SackRecovery(SackScoreboard scoreboard, boolean limitedTransmit, boolean spuriousRecoveryUndo, boolean earlyRetransmit) {
        this.scoreboard = scoreboard;
        this.limitedTransmit = limitedTransmit;
        this.earlyRetransmit = earlyRetransmit;
        this.spuriousRecoveryUndo = spuriousRecoveryUndo;
    }

    @Override
    public void start(int iss) {
        window.start();
        dupAcks = 0;
        flightAtFirstDuplicate = 0;
        inRecovery = false;
        enteredEarly = false;
        recoveryPoint = iss;
        rxtEnd = iss;
        rescueRxtDefined = false;
        rescueRxt = iss;
        entering = false;
        rescueBytes = 0;
        rescueEnd = iss;
        undoPossible = false;
        undoFrom = iss;
        undoRanges = 0;
        undoPendingBytes = 0;
        cwndBeforeRecovery = 0;
        ssthreshBeforeRecovery = 0;
    }

    @Override
    public int ssthresh() {
        return window.ssthresh;
    }

    @Override
    public int cwnd() {
        return window.cwnd;
    }

    /** Whether loss recovery (RFC 6675 section 5) is running. */
    boolean inRecovery() {
        return inRecovery;
    }

    /** Whether the last recovery was begun by early retransmit (RFC 5827). */
    boolean enteredEarly() {
        return enteredEarly;
    }

    @Override
    public void onHandshakeComplete(int smss, boolean synTimedOut) {
        window.onHandshakeComplete(smss, synTimedOut);
    }

    @Override
    public boolean onNewAck(int ack, int acked, int flightSize, int smss) {
        // Section 5: "If the incoming ACK is a cumulative acknowledgment, the TCP MUST reset
        // DupAcks to zero."
        dupAcks = 0;
        if (inRecovery) {
            // (A): "An incoming cumulative ACK for a sequence number greater than RecoveryPoint
            // signals the end of loss recovery". cwnd stays ssthresh, set on entry (4.2); the
            // scoreboard above SND.UNA is kept ("SHOULD NOT be cleared").
            if (SeqNum.ge(ack, recoveryPoint)) {
                inRecovery = false;
                rescueBytes = 0;
            }
            return false; // (B), (C): output sends what NextSeg() allows; no partial-ACK retransmission
        }
        window.grow(acked, smss);
        return false;
    }

    /**
     * An ACK that SACKs octets not SACKed before (section 2's duplicate acknowledgment for SACK
     * peers, counted "regardless of its status as a cumulative acknowledgment").
     */
    @Override
    public boolean onDuplicateAck(int ack, int sndMax, int flightSize, int smss, boolean newDataSendable) {
        if (inRecovery) {
            return false;
        }
        dupAcks++;
        if (dupAcks == 1) {
            // (3.1), for the transmissions step (3) allows below: "Set HighRxt to HighACK".
            rxtEnd = ack;
            flightAtFirstDuplicate = flightSize;
        }
        // Section 5.1: after a timeout "a new recovery phase ... MUST NOT be initiated until HighACK
        // is greater than or equal to the new value of RecoveryPoint".
        if (SeqNum.lt(ack, recoveryPoint)) {
            return false;
        }
        // (1) "If DupAcks >= DupThresh, go to step (4)"; (2) "If DupAcks < DupThresh but IsLost
        // (HighACK + 1) returns true ... go to step (4)".
        boolean lost = SeqNum.gt(scoreboard.lossBoundary(ack, smss, DUP_THRESH), ack);
        boolean early = false;
        if (dupAcks < DUP_THRESH && !lost) {
            // RFC 5827 section 3.2, SACK-based early retransmit: "the number of outstanding
            // segments (oseg) is less than four" and "there is either no unsent data ready for
            // transmission at the sender, or the advertised receive window does not permit new
            // segments to be transmitted": then ER_thresh = oseg - 1, and the first unSACKed
            // segment is lost when "ER_thresh segments have been SACKed" above it (IsLost() with
            // DupThresh = ER_thresh). With two segments out, one SACK: three duplicates cannot
            // come, and without this only the retransmission timer recovers.
            int outstandingSegments = (flightSize + smss - 1) / smss;
            early = earlyRetransmit && !newDataSendable && outstandingSegments >= 2 && outstandingSegments < 4
                    && SeqNum.gt(scoreboard.lossBoundary(ack, smss, outstandingSegments - 1), ack);
            if (!early) {
                return false;
            }
        }
        enteredEarly = early;
        // (4.1) "RecoveryPoint = HighData"; (4.2) "ssthresh = cwnd = (FlightSize / 2)", here with
        // RFC 5681's floor of 2 SMSS; (4.3) the caller retransmits HighACK + 1 (onRetransmitted).
        // (4.2) goes on: "note that [RFC5681] requires that any segments sent as part of the
        // Limited Transmit mechanism not be counted in FlightSize for the purpose of the above
        // equation": step (3)'s segments stay out; FlightSize is what was out at the first
        // duplicate, or what cwnd itself allows if that is more (as NewReno.onDuplicateAck).
        inRecovery = true;
        recoveryPoint = sndMax;
        // What an undo restores (Linux's prior_cwnd and prior_ssthresh; RFC 4015 keeps pipe_prev
        // "before the variables cwnd and ssthresh get updated"). A recovery still pending from
        // before is given up: its retransmissions and this one's can no longer be told apart.
        undoPossible = spuriousRecoveryUndo;
        undoFrom = ack;
        undoRanges = 0;
        undoPendingBytes = 0;
        cwndBeforeRecovery = window.cwnd;
        ssthreshBeforeRecovery = window.ssthresh;
        int counted = limitedTransmit ? Math.min(flightSize, Math.max(window.cwnd, flightAtFirstDuplicate)) : flightSize;
        window.halveThreshold(counted, smss);
        window.cwnd = window.ssthresh;
        rxtEnd = ack;
        rescueRxtDefined = false;
        rescueBytes = 0;
        entering = true;
        return true;
    }

    @Override
    public void onRetransmissionTimeout(boolean handshake, int sndMax, int flightSize, int smss) {
        if (!handshake) {
            window.collapse(flightSize, smss);
        }
        // Section 5.1: "If an RTO occurs during loss recovery ... RecoveryPoint MUST be set to
        // HighData ... the loss recovery algorithm ... MUST be terminated"; and RFC 2018 section 8:
        // after a timeout the sender "SHOULD turn off all of the SACKed bits", since the receiver
        // may have reneged. ACKs after the timeout fill the scoreboard again.
        recoveryPoint = sndMax;
        inRecovery = false;
        dupAcks = 0;
        rescueBytes = 0;
        entering = false;
        // A timeout retransmits again whatever the recovery did: later D-SACKs can no longer show
        // that the recovery's own retransmissions were needless, so its undo is given up (Linux
        // can undo a spurious timeout as well, F-RTO and its own checks; Spinet does not).
        undoPossible = false;
        scoreboard.clear();
    }

    @Override
    public void onPathMtuDrop(int sndMax) {
        // Pipe counted the old-size segments (the hole retransmissions too) as in the network,
        // so cwnd - pipe would let nothing go until the retransmission timer. As after a timeout
        // (5.1), but without its collapse of cwnd: the episode ends, RecoveryPoint = HighData (no
        // new one before SND.UNA passes it), and going back from SND.UNA within cwnd skips what
        // the scoreboard, kept, says the peer holds (Linux: tcp_simple_retransmit).
        recoveryPoint = sndMax;
        inRecovery = false;
        dupAcks = 0;
        rescueBytes = 0;
        entering = false;
    }

    @Override
    public int usableWindow(int sndUna, int sndNxt, int sndMax, int sndWnd, int smss) {
        int receiverRoom = sndUna + sndWnd - sndNxt;
        if (!inRecovery && (dupAcks == 0 || !limitedTransmit || SeqNum.lt(sndNxt, sndMax))) {
            // Not in recovery, or going back after a timeout (which ended it): the window as ever.
            return Math.min(receiverRoom, sndUna + window.cwnd - sndNxt);
        }
        if (!inRecovery) {
            // Section 5 step (3), between the first duplicate acknowledgment and DupThresh: "The TCP
            // MAY transmit previously unsent data segments as per Limited Transmit [RFC3042], except
            // that the number of octets which may be sent is governed by pipe and cwnd": (3.3) "If
            // (cwnd - pipe) >= 1 SMSS ... transmit up to 1 SMSS of data starting with the octet
            // HighData+1". What the peer SACKed has left the network; the segments sent now bring
            // the SACKs that decide whether the hole is lost. Without them a window of three
            // segments, one lost, yields two SACKs, not enough for IsLost(), and waits for the
            // retransmission timer.
            return Math.min(receiverRoom, window.cwnd - pipe(sndUna, sndMax, smss));
        }
        // NextSeg() rule (2), new data: "if the receiver's advertised window allows", within
        // (C)'s "cwnd - pipe".
        return Math.min(receiverRoom, window.cwnd - pipe(sndUna, sndMax, smss));
    }

    @Override
    public void onIdleRestart(int smss) {
        window.restartAfterIdle(smss);
    }

    @Override
    public long nextRetransmission(int sndUna, int sndMax, int smss, boolean lostOnly) {
        // (C): "If cwnd - pipe >= 1 SMSS, the sender SHOULD transmit one or more segments".
        if (!inRecovery || window.cwnd - pipe(sndUna, sndMax, smss) < smss) {
            return NO_RETRANSMISSION;
        }
        int highestSacked = scoreboard.highestSacked(sndUna);
        int from = scoreboard.nextUnsacked(SeqNum.max(rxtEnd, sndUna));
        int lostBelow = scoreboard.lossBoundary(sndUna, smss, DUP_THRESH);
        // Rule (1): the first octet above HighRxt, not SACKed, below the highest SACKed octet, for
        // which IsLost() holds; one segment of up to SMSS, up to the next SACKed range.
        if (SeqNum.lt(from, lostBelow)) {
            return range(from, SeqNum.min(from + smss, scoreboard.nextSackedStart(from, highestSacked)));
        }
        if (lostOnly) {
            return NO_RETRANSMISSION;
        }
        // Rule (3): the same without IsLost(): "one segment of up to SMSS octets starting with S3
        // SHOULD be returned".
        if (SeqNum.lt(from, highestSacked)) {
            return range(from, SeqNum.min(from + smss, scoreboard.nextSackedStart(from, highestSacked)));
        }
        // Rule (4), once per recovery: "If HighACK is greater than RescueRxt (or RescueRxt is
        // undefined), then one segment of up to SMSS octets that MUST include the highest
        // outstanding unSACKed sequence number SHOULD be returned, and RescueRxt set to
        // RecoveryPoint." HighACK is SND.UNA - 1: an ACK of exactly the segment (4.3)
        // retransmitted leaves HighACK = RescueRxt, and the rescue waits ("to prevent ... a
        // premature rescue retransmission").
        if ((!rescueRxtDefined || SeqNum.gt(sndUna - 1, rescueRxt)) && highestSacked != sndMax && SeqNum.lt(sndUna, sndMax)) {
            int end = sndMax;
            int begin = SeqNum.max(SeqNum.max(end - smss, highestSacked), sndUna);
            return range(begin, end);
        }
        return NO_RETRANSMISSION;
    }

    private static long range(int from, int end) {
        return ((long) from << 32) | ((end - from) & 0xFFFF_FFFFL);
    }

    @Override
    public void onRetransmitted(int seq, int end) {
        if (!inRecovery) {
            return;
        }
        if (undoPossible) {
            if (undoRanges == UNDO_RANGES) {
                undoPossible = false;
            } else {
                undoStarts[undoRanges] = seq;
                undoEnds[undoRanges] = end;
                undoRanges++;
                undoPendingBytes += end - seq;
            }
        }
        if (entering) {
            // (4.3): "set both HighRxt and RescueRxt to the highest sequence number in the
            // retransmitted segment".
            entering = false;
            rxtEnd = end;
            rescueRxtDefined = true;
            rescueRxt = end - 1;
            return;
        }
        if (SeqNum.ge(seq, scoreboard.highestSacked(seq))) {
            // Rules (1) and (3) only pick octets below the highest SACKed one: this is rule (4)'s
            // rescue retransmission. RescueRxt = RecoveryPoint; "HighRxt MUST NOT be updated".
            // Pipe still counts the segment (C.4).
            rescueRxtDefined = true;
            rescueRxt = recoveryPoint - 1;
            rescueBytes = end - seq;
            rescueEnd = end;
            return;
        }
        // (C.2): "HighRxt MUST be set to the highest sequence number of the retransmitted segment".
        if (SeqNum.gt(end, rxtEnd)) {
            rxtEnd = end;
        }
    }

    /**
     * RFC 3708 section 3's detection: a retransmission that comes back in a D-SACK block was not
     * needed, the original arrived too; when every octet the recovery retransmitted has been
     * reported so, nothing was lost and the window was cut for a reordering, which RFC 3708 leaves
     * the response to (RFC 4015 is one). cwnd and ssthresh go back to their values before the
     * recovery, as Linux's DSACK undo does (tcp_undo_cwnd_reduction); a
     * recovery still running ends (what it would retransmit arrived). Only octets the recovery
     * retransmitted count, each once: a D-SACK for others (a duplicate the network made) says
     * nothing about the recovery.
     */
    @Override
    public boolean onDuplicateSack(int left, int right) {
        if (!undoPossible || undoPendingBytes <= 0) {
            return false;
        }
        for (int i = 0; i < undoRanges; i++) {
            int from = SeqNum.max(left, undoStarts[i]);
            int to = SeqNum.min(right, undoEnds[i]);
            if (!SeqNum.lt(from, to)) {
                continue;
            }
            undoPendingBytes -= to - from;
            // Keep what the block did not cover, so that no octet counts twice; a block strictly
            // inside a range would split it, and the recovery is then given up rather than tracked.
            if (from == undoStarts[i]) {
                undoStarts[i] = to;
            } else if (to == undoEnds[i]) {
                undoEnds[i] = from;
            } else {
                undoPossible = false;
                return false;
            }
        }
        if (undoPendingBytes > 0) {
            return false;
        }
        undoPossible = false;
        window.cwnd = Math.max(window.cwnd, cwndBeforeRecovery);
        window.ssthresh = Math.max(window.ssthresh, ssthreshBeforeRecovery);
        if (inRecovery) {
            inRecovery = false;
            rescueBytes = 0;
            recoveryPoint = undoFrom;
        }
        return true;
    }

    /**
     * SetPipe() (section 4): for each octet from HighACK to HighData not SACKed, one if IsLost()
     * is false and one more if it is at or below HighRxt; plus a rescue segment's octets.
     */
    int pipe(int sndUna, int sndMax, int smss) {
        int lostBelow = scoreboard.lossBoundary(sndUna, smss, DUP_THRESH);
        int notLostFrom = SeqNum.max(lostBelow, sndUna);
        int pipe = (sndMax - notLostFrom) - scoreboard.sackedIn(notLostFrom, sndMax);
        int retransmittedTo = SeqNum.min(SeqNum.max(rxtEnd, sndUna), sndMax);
        pipe += (retransmittedTo - sndUna) - scoreboard.sackedIn(sndUna, retransmittedTo);
        if (rescueBytes > 0 && SeqNum.lt(sndUna, rescueEnd)) {
            pipe += rescueBytes;
        }
        return pipe;
    }
}
