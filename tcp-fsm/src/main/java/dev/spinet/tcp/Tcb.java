package dev.spinet.tcp;

import dev.spinet.config.StackConfig;
import dev.spinet.storage.Assembler;
import dev.spinet.storage.ByteRing;
import dev.spinet.wire.SeqNum;
import dev.spinet.wire.TcpSegment;

/**
 * One Transmission Control Block (RFC 9293 3.3.1): the variables of one connection plus its
 * send and receive rings, allocated once per slot of the {@link TcbTable} and reused.
 *
 * <pre>
 *  Send sequence space (RFC 9293 figure 3, plus this stack's bookkeeping):
 *
 *        SND.UNA          SND.NXT          SND.MAX           dataEnd        sndBufSeq+capacity
 *   ------+----------------+----------------+-----------------+-------------------+
 *   acked | sent, unacked  | retransmitting | not yet sent    |   free ring       |
 *         ^ sndBufSeq: first byte still in sendRing (SND.UNA, or ISS+1 before the SYN is acked)
 *
 *  Receive sequence space (figure 4):
 *
 *     app reads here   RCV.NXT                       rcvAdv (RCV.NXT + RCV.WND advertised)
 *   --+----------------+--[ooo]----[ooo]-------------+----------------
 *     | readable bytes | out-of-order ranges held by the Assembler, past the ring's write position
 * </pre>
 */
final class Tcb {

    static final int EV_ACCEPTED = 1;
    static final int EV_CONNECTED = 2;
    static final int EV_READABLE = 4;
    static final int EV_WRITABLE = 8;
    static final int EV_PEER_CLOSED = 16;

    final int slot;
    final ByteRing sendRing;
    final ByteRing receiveRing;
    final Assembler assembler;
    /** RFC 5961 section 7 throttle of this connection's challenge ACKs. */
    final ChallengeAckLimiter challengeAcks;
    /** RFC 6298: SRTT, RTTVAR, the RTO and the segment being timed. */
    final RttEstimator rtt;
    /** RFC 5681 with RFC 6582: cwnd, ssthresh and fast recovery for a peer without SACK. */
    final NewReno newReno;
    /** RFC 6675: loss recovery for a peer that SACKs, on {@link #scoreboard}. */
    final SackRecovery sackRecovery;
    /** The one of the two this connection uses (chosen when the SYNs are exchanged). */
    CongestionControl congestion;
    /** What the peer has SACKed (RFC 6675 section 3), on the sending side. */
    final SackScoreboard scoreboard;
    /** What our ACKs SACK (RFC 2018) and D-SACK (RFC 2883), on the receiving side. */
    final SackReport sackReport = new SackReport();
    /** The SACK blocks of the segment being built (TcpOutput), kept here to allocate nothing. */
    final int[] sackLeft = new int[TcpSegment.MAX_SACK_BLOCKS];
    final int[] sackRight = new int[TcpSegment.MAX_SACK_BLOCKS];

    int generation;
    boolean inUse;
    TcpState state = TcpState.CLOSED;
    /** Handle = connection id: generation (14 bits) above the slot index (16 bits). */
    int handle;
    TcpHandler handler;

    int localPort;
    int remoteAddress;
    int remotePort;
    /** Listener slot this connection came from, or -1 for an active open. */
    int listenerSlot;
    int listenerHandle;
    /** Reported to the application yet (onAccepted / onConnected)? */
    boolean announced;
    long createdNanos;

    // ---- send side ----
    int iss;
    int sndUna;
    int sndNxt;
    int sndMax;
    int sndWnd;
    int sndWl1;
    int sndWl2;
    int maxSndWnd;
    int sndBufSeq;
    int sndMss;
    int sndScale;
    int rcvScale;
    /** Put the window-scale option in our SYN / SYN-ACK (RFC 7323 2.2). */
    boolean offerWindowScale;
    /** Put SACK-permitted in our SYN / SYN,ACK (RFC 2018 section 2); after the SYNs: SACK in use. */
    boolean sack;
    /**
     * Put the timestamps option in our SYN / SYN,ACK (RFC 7323 3.2); after the SYNs: in use on
     * every segment but RSTs.
     */
    boolean timestamps;
    /** Added to the millisecond clock for our TSvals ({@link TimestampOffsets}). */
    int tsOffset;
    /** RFC 7323 4.3 TS.Recent: the TSval to echo, and PAWS's reference. */
    int tsRecent;
    /** When TS.Recent was last set (RFC 7323 5.5: it is trusted for 24 days). */
    long tsRecentNanos;
    /** RFC 7323 4.3 Last.ACK.sent: the ACK field of the last segment we sent. */
    int lastAckSent;
    /**
     * A segment was retransmitted at TSval {@link #retransmittedAtTsval} and no ACK has echoed a
     * TSval that recent yet (Karn's rule for timestamps, see SynchronizedInput.measureRtt).
     */
    boolean retransmittedSinceEcho;
    int retransmittedAtTsval;
    /** The application called shutdownOutput or close: FIN follows the queued data. */
    boolean finQueued;
    /** The application called close: it will not read anymore (data is discarded). */
    boolean appClosed;
    boolean noDelay;
    /** Keepalive asked for on this connection alone (TcpLayer.setKeepAlive), besides StackConfig.tcpKeepalive. */
    boolean keepalive;
    boolean writeBlocked;

    // ---- receive side ----
    int irs;
    int rcvNxt;
    int rcvAdv;
    int rcvMss;
    boolean peerFinPending;
    int peerFinSeq;
    boolean peerFinReceived;
    /** read() returned -1 once: the application knows the stream ended. */
    boolean endOfStreamDelivered;

    // ---- retransmission (the RTO itself is in rtt) ----
    int retries;
    /**
     * The retransmission timer expired while our SYN (or SYN,ACK) was unacknowledged: data then
     * starts with one segment (RFC 5681 3.1) and an RTO of 3 s (RFC 6298 5.7).
     */
    boolean synTimedOut;

    // ---- timers: deadline + armed ----
    boolean rtoArmed;
    long rtoDeadline;
    /** RFC 8985 section 7 tail loss probe timer (PTO); armed only while the RTO would fire later. */
    boolean probeArmed;
    long probeDeadline;
    /** A probe was sent and SND.UNA has not reached {@link #probeEnd} (TLP.end_seq): no second one. */
    boolean probeOutstanding;
    int probeEnd;
    boolean delayedAckArmed;
    long delayedAckDeadline;
    boolean persistArmed;
    long persistDeadline;
    int persistBackoff;
    /** The persist timer fired with a non-zero window: the next output overrides sender SWS avoidance once. */
    boolean swsOverride;
    long lastHeardNanos;
    /** When data (or a FIN) last left: RFC 5681 4.1's idle time counts from here. */
    long lastDataSentNanos;
    int keepaliveProbesSent;
    /**
     * When the oldest unacknowledged sequence number (SYN and FIN included) was first sent, for the
     * user timeout and R2 of a SYN; valid when sndUna != sndMax.
     */
    long unackedSinceNanos;
    boolean finWait2Armed;
    long finWait2Deadline;
    /** When TIME-WAIT ends (2*MSL after entering it); carried into the TimeWaitTable entry. */
    long timeWaitDeadline;
    /**
     * TIME-WAIT lives in the {@link TimeWaitTable} entry; this TCB only keeps unread data for the
     * application (no longer found by 4-tuple, sends nothing).
     */
    boolean timeWaitDetached;

    // ---- ICMP errors (RFC 1122 4.2.3.9) and the path MTU (RFC 1191) ----
    /** The last soft error an ICMP message reported about this connection's segments, or null. */
    IcmpError softError;
    /** The sequence number the error quoted: it names the cause of a timeout while still unacknowledged. */
    int softErrorSeq;
    /** This connection's path MTU estimate: the interface's MTU until a router reports a narrower link. */
    int pathMtu;
    /** The estimate is at StackConfig.tcpPathMtuMinimum because a router reported less: DF is cleared. */
    boolean pathMtuLocked;

    // ---- acknowledgment scheduling ----
    boolean ackNow;
    /** When the last ACK answering an out-of-window segment went out (rate limit, see SynchronizedInput). */
    long outOfWindowAckNanos;
    boolean outOfWindowAckSent;
    int segmentsSinceAck;
    /**
     * SACK compression (Linux tcp_input.c __tcp_ack_snd_check): the RCV.NXT the duplicate-ACK
     * count below belongs to, and that count, capped at three (TCP_FASTRETRANS_THRESH: the sender's
     * DupThresh sees every one of them at once).
     */
    int sackCompressRcvNxt;
    int sackDupAcksSent;
    /** Out-of-order segments whose ACK is being withheld; cleared by any ACK that leaves. */
    int sackCompressedAcks;
    boolean sackCompressArmed;
    long sackCompressDeadline;
    /**
     * The receiver's RTT estimate (Linux tcp_rcv_rtt_measure, without timestamps): the time from
     * advertising a right edge until RCV.NXT passes it, the smallest such sample kept; 0 before the
     * first. The mark is the right edge measured against and when it was set.
     */
    long rcvRttNanos;
    int rcvRttMarkSeq;
    long rcvRttMarkNanos;
    boolean rcvRttMarked;

    int events;
    CloseReason closeReason;

    /** StackConfig.tcpReceiveWindowBytes, or the ring: no window announced is larger. */
    final int receiveWindowLimit;

    /** The window that may be announced now: the free ring, at most {@link #receiveWindowLimit}. */
    int receiveSpace() {
        return Math.min(receiveRing.free(), receiveWindowLimit);
    }

    /**
     * The payload of a full-sized segment from the peer: the MSS we announced less the timestamps
     * option when timestamps are on, which RFC 7323 puts in every segment and RFC 6691 counts
     * against the MSS (1448 bytes of a 1460-byte MSS). It is the "Eff.snd.MSS" of the receiver's
     * SWS rule (RFC 9293 3.8.6.2.2: the header size in Eff.snd.MSS "includes ... options"), and
     * what Linux moves its window by (icsk_ack.rcv_mss, the size of the segments it is sent): with
     * the 1460 of the option the window could not move by one full segment's 1448 bytes.
     */
    int fullSegmentPayload() {
        return rcvMss - (timestamps ? SynOptions.TIMESTAMPS_OPTION_BYTES : 0);
    }

    /** RCV.BUFF of RFC 1122 4.2.3.3's receiver SWS rule: the ring, or the window limit if smaller. */
    int receiveBuffer() {
        return Math.min(receiveRing.capacity(), receiveWindowLimit);
    }

    Tcb(int slot, StackConfig config) {
        this.slot = slot;
        this.sendRing = new ByteRing(config.tcpSendBufferBytes);
        this.receiveRing = new ByteRing(config.tcpReceiveBufferBytes);
        this.receiveWindowLimit = config.tcpReceiveWindowBytes == 0 ? config.tcpReceiveBufferBytes : config.tcpReceiveWindowBytes;
        this.assembler = new Assembler(config.tcpReassemblyHoles);
        this.challengeAcks = new ChallengeAckLimiter(config.tcpChallengeAcksPerSecond);
        this.rtt = new RttEstimator(config.tcpRtoInitialNanos, config.tcpRtoMinNanos, config.tcpRtoMaxNanos);
        this.scoreboard = new SackScoreboard(config.tcpSackScoreboardRanges);
        this.newReno = new NewReno(config.tcpLimitedTransmit);
        this.sackRecovery = new SackRecovery(scoreboard, config.tcpLimitedTransmit, config.tcpSpuriousRecoveryUndo,
                config.tcpEarlyRetransmit);
        this.congestion = newReno;
    }

    /** Resets every variable for a new connection (rings emptied); the generation moves on. */
    void reset() {
        generation = (generation % 0x3FFF) + 1;
        handle = (generation << 16) | slot;
        state = TcpState.CLOSED;
        handler = null;
        localPort = 0;
        remoteAddress = 0;
        remotePort = 0;
        listenerSlot = -1;
        listenerHandle = 0;
        announced = false;
        createdNanos = 0;
        iss = sndUna = sndNxt = sndMax = sndWnd = sndWl1 = sndWl2 = maxSndWnd = sndBufSeq = 0;
        sndMss = 536;
        sndScale = rcvScale = 0;
        offerWindowScale = false;
        sack = timestamps = false;
        tsOffset = tsRecent = lastAckSent = retransmittedAtTsval = 0;
        retransmittedSinceEcho = false;
        tsRecentNanos = 0;
        finQueued = appClosed = noDelay = keepalive = writeBlocked = false;
        irs = rcvNxt = rcvAdv = 0;
        rcvMss = 536;
        peerFinPending = peerFinReceived = endOfStreamDelivered = false;
        peerFinSeq = 0;
        congestion = newReno;
        congestion.start(0);
        scoreboard.clear();
        sackReport.clear();
        rtt.start();
        retries = 0;
        synTimedOut = false;
        rtoArmed = delayedAckArmed = persistArmed = finWait2Armed = timeWaitDetached = false;
        probeArmed = probeOutstanding = false;
        probeDeadline = 0;
        probeEnd = 0;
        rtoDeadline = delayedAckDeadline = persistDeadline = finWait2Deadline = timeWaitDeadline = 0;
        lastHeardNanos = unackedSinceNanos = lastDataSentNanos = 0;
        persistBackoff = 0;
        swsOverride = false;
        keepaliveProbesSent = 0;
        softError = null;
        softErrorSeq = 0;
        pathMtu = 0;
        pathMtuLocked = false;
        ackNow = false;
        outOfWindowAckSent = false;
        outOfWindowAckNanos = 0;
        challengeAcks.reset();
        segmentsSinceAck = 0;
        sackCompressRcvNxt = sackDupAcksSent = sackCompressedAcks = 0;
        sackCompressArmed = false;
        sackCompressDeadline = 0;
        rcvRttNanos = rcvRttMarkNanos = 0;
        rcvRttMarkSeq = 0;
        rcvRttMarked = false;
        events = 0;
        closeReason = null;
        sendRing.clear();
        receiveRing.clear();
        assembler.clear();
    }

    /**
     * The SYNs are exchanged: the peer's said whether it SACKs, and this connection's loss
     * recovery is chosen (RFC 6675 with SACK, NewReno without) and started.
     */
    void chooseLossRecovery() {
        CongestionControl chosen = sack ? sackRecovery : newReno;
        if (chosen != congestion) {
            congestion = chosen;
            congestion.start(iss);
        }
    }

    /** Whether our SYN is still unacknowledged. */
    boolean synUnacked() {
        return sndUna == iss;
    }

    /** Sequence number just past the last queued data byte (where the FIN goes). */
    int dataEnd() {
        return sndBufSeq + sendRing.size();
    }

    /** Whether a FIN has been sent (it occupies dataEnd). */
    boolean finSent() {
        return finQueued && sndMax - dataEnd() > 0;
    }

    /**
     * SEQ for a segment without data that the peer must accept, an ACK or a RST: SND.MAX, the
     * highest sequence number sent (after a retransmission timeout go-back-N pulls SND.NXT back
     * below what the peer may have received). While persisting, the one-byte probe beyond the
     * peer's zero window has moved SND.MAX past what the peer accepted, and RFC 9293 3.10.7.4
     * accepts a segment into a zero window only at "SEG.SEQ = RCV.NXT" (RFC 5961 3.2 drops a RST
     * outside the window silently): then SND.NXT, the first byte not yet accepted. Retransmission
     * and persist never run together (4.4BSD's tcp_output makes the same exception).
     */
    int controlSeq() {
        return persistArmed ? sndNxt : sndMax;
    }

    /** Whether our FIN has been acknowledged. */
    boolean finAcked() {
        return finQueued && sndUna - dataEnd() > 0;
    }

    /**
     * Why a connection that ran out of retransmissions ends: the soft error an ICMP message reported
     * about a segment still unacknowledged, if any (RFC 1122 4.2.3.9; Linux reports its sk_err_soft
     * so), else TIMED_OUT. An error about data the peer acknowledged since is history.
     */
    CloseReason timeoutReason() {
        return softError != null && SeqNum.ge(softErrorSeq, sndUna) ? CloseReason.UNREACHABLE : CloseReason.TIMED_OUT;
    }

    /** Bytes sent and not acknowledged, SYN/FIN included. */
    int flightSize() {
        return sndMax - sndUna;
    }
}
