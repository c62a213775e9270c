package dev.spinet.tcp;

import dev.spinet.config.StackConfig;
import dev.spinet.wire.SeqNum;
import dev.spinet.wire.TcpSegment;

/**
 * Segment arrival in SYN-RECEIVED and the synchronized states, RFC 9293 3.10.7.4 with RFC 5961's
 * hardening, in the RFC's order: sequence number (acceptability, then the trim to the window),
 * RST, SYN, ACK (SND.UNA, RTT, congestion control, window update), URG, segment text, FIN.
 * TIME-WAIT is {@link TimeWaitInput}'s. SYN-SENT's SYN,ACK continues here at the text step.
 */
final class SynchronizedInput {

    private final TcpLayer layer;
    private final StackConfig config;
    /** The current segment's part in the receive window, written once by {@link #trimToWindow} per segment. */
    private final TrimmedSegment trimmed = new TrimmedSegment();

    SynchronizedInput(TcpLayer layer) {
        this.layer = layer;
        this.config = layer.config;
    }

    /** A segment for a connection in SYN-RECEIVED or a synchronized state other than TIME-WAIT. */
    void segment(Tcb tcb, InboundSegment seg) {
        long now = seg.arrivalNanos();
        int ack = seg.ack();
        // SEG.SEQ and the SYN bit as this processing sees them: a SYN already recorded is consumed.
        int seq = seg.seq();
        boolean syn = seg.has(TcpSegment.SYN);
        if (tcb.state == TcpState.SYN_RECEIVED && syn && seq == tcb.irs) {
            if (!seg.has(TcpSegment.ACK)) {
                // The peer's SYN again: our SYN,ACK was lost; send it again (not a challenge).
                layer.counters.increment(TcpCounter.SYN_ACK_RETRANSMITTED);
                tcb.sndNxt = tcb.iss;
                tcb.rtoArmed = false;
                return;
            }
            if (SeqNum.gt(ack, tcb.sndUna) && SeqNum.le(ack, tcb.sndMax)) {
                // Simultaneous open: the peer's SYN,ACK acknowledges our SYN. Its SYN is the
                // one already recorded, so continue with the SYN consumed.
                seq += 1;
                syn = false;
            }
        }

        // ---- RFC 7323 5.3 R1, PAWS: before the sequence number, with timestamps in use ----
        if (tcb.timestamps && !seg.has(TcpSegment.RST)) {
            if (!seg.hasTimestamps() && !syn) {
                // 3.2: "If a non-<RST> segment is received without a TSopt, a TCP SHOULD silently
                // drop the segment." Not a SYN: RFC 5961 4.2, "If the SYN bit is set,
                // irrespective of the sequence number, TCP MUST send an ACK (also referred to as
                // challenge ACK)"; a peer that restarted without timestamps would otherwise never
                // learn that this half-open connection holds its 4-tuple (RFC 9293 3.5.2).
                layer.counters.increment(TcpCounter.DROP_MISSING_TIMESTAMPS);
                return;
            }
            if (seg.hasTimestamps() && TimestampClock.before(seg.timestampValue(), tcb.tsRecent) && tsRecentValid(tcb, now)) {
                // R1: "If there is a Timestamps option in the arriving segment, SEG.TSval <
                // TS.Recent, TS.Recent is valid (see later discussion), and the RST bit is not
                // set, then treat the arriving segment as not acceptable: Send an acknowledgment
                // in reply as specified in [RFC793], page 69 and drop the segment."
                layer.counters.increment(TcpCounter.PAWS_REJECTED);
                if (syn) {
                    // Still a SYN in a synchronized state, RFC 5961 4.2: "If the SYN bit is set,
                    // irrespective of the sequence number, TCP MUST send an ACK (also referred to
                    // as challenge ACK)", under its own limit (section 7), not the out-of-window
                    // throttle; never a D-SACK (a SYN is no duplicate of data received).
                    challengeAck(tcb, now);
                    return;
                }
                int pawsLength = seg.payloadLength() + (seg.has(TcpSegment.FIN) ? 1 : 0);
                if (isPlausibleDataOrFin(tcb, seq, pawsLength)) {
                    // Data or a FIN is no ACK loop, so the ACK is sent every time (Linux:
                    // tcp_oow_rate_limited exempts such segments, tcp_send_dupack answers).
                    // Through a reordering path a retransmission that fills the hole sets
                    // TS.Recent to its newer TSval; the late original then fails PAWS, below
                    // RCV.NXT (a duplicate: RFC 2883 section 4 asks for a D-SACK block, and only
                    // that block tells the sender its retransmission was not needed, RFC 3708)
                    // or, sent after the lost segment, at or past RCV.NXT (new data dropped: the
                    // ACK is the duplicate ACK that makes the sender send it again).
                    if (SeqNum.lt(seq, tcb.rcvNxt)) {
                        layer.counters.increment(TcpCounter.DUPLICATE_SEGMENTS_ACKED);
                    }
                    tcb.ackNow = true;
                    reportDuplicateBelowRcvNxt(tcb, seq, seg.payloadLength());
                    return;
                }
                // Pure ACKs (an ACK loop is made of them) and blind guesses outside the window:
                // throttled as every answer to an unacceptable segment is.
                outOfWindowAck(tcb, now);
                return;
            }
        }

        // ---- first: sequence number (the four acceptability cases of 3.10.7.4) ----
        int receiveWindow = Math.max(0, tcb.rcvAdv - tcb.rcvNxt);
        int length = seg.payloadLength() + (syn ? 1 : 0) + (seg.has(TcpSegment.FIN) ? 1 : 0);
        boolean acceptable;
        if (length == 0) {
            acceptable = receiveWindow == 0 ? seq == tcb.rcvNxt : SeqNum.inWindow(seq, tcb.rcvNxt, tcb.rcvNxt + receiveWindow);
        } else if (receiveWindow == 0) {
            // "special allowance should be made to accept valid ACKs, URGs, and RSTs": a
            // zero-window probe at RCV.NXT is processed for its ACK, its data dropped below and
            // answered with an ACK of RCV.NXT and the zero window (3.8.6.1).
            acceptable = seq == tcb.rcvNxt;
        } else {
            acceptable = SeqNum.inWindow(seq, tcb.rcvNxt, tcb.rcvNxt + receiveWindow)
                    || SeqNum.inWindow(seq + length - 1, tcb.rcvNxt, tcb.rcvNxt + receiveWindow);
        }
        if (!acceptable) {
            layer.counters.increment(TcpCounter.DROP_UNACCEPTABLE);
            // "If an incoming segment is not acceptable, an acknowledgment should be sent in reply
            // (unless the RST bit is set ...)"
            if (seg.has(TcpSegment.RST)) {
                return;
            }
            if (isRetransmissionOfReceived(tcb, seq, syn, length)) {
                // Our ACK of it was lost; no ACK loop is made of segments that carry data or a
                // FIN, so the answer is not throttled (Linux's tcp_oow_rate_limited exempts them).
                layer.counters.increment(TcpCounter.DUPLICATE_SEGMENTS_ACKED);
                tcb.ackNow = true;
                // Data from the peer all the same (RFC 1122 4.2.3.6): it is there, retransmitting.
                tcb.lastHeardNanos = now;
                tcb.keepaliveProbesSent = 0;
                reportDuplicateBelowRcvNxt(tcb, seq, seg.payloadLength());
            } else {
                outOfWindowAck(tcb, now);
            }
            return;
        }
        // RFC 1122 4.2.3.6: keep-alives go "when no data or acknowledgement packets have been
        // received for the connection within an interval": only a segment that passed the tests
        // above is one the peer sent now; an old duplicate or a blind guess does not keep a dead
        // peer's connection (and its TCB) alive.
        tcb.lastHeardNanos = now;
        tcb.keepaliveProbesSent = 0;
        TrimmedSegment text = trimToWindow(seg, seq + (syn ? 1 : 0), tcb.rcvNxt, tcb.rcvNxt + receiveWindow);
        // RFC 2883: data before RCV.NXT came twice; the D-SACK block tells the sender which.
        reportDuplicateBelowRcvNxt(tcb, seq + (syn ? 1 : 0), seg.payloadLength());
        // RFC 7323 5.3 R3 / 4.3 (3): "If SEG.TSval >= TS.Recent and SEG.SEQ <= Last.ACK.sent, then
        // SEG.TSval is copied to TS.Recent; otherwise, it is ignored." (Past Last.ACK.sent, the
        // segment is not the one the next ACK answers: its TSval would make that ACK's RTT sample
        // too short.) A stale TS.Recent (5.5) is replaced whatever its value.
        if (tcb.timestamps && seg.hasTimestamps() && !seg.has(TcpSegment.RST) && SeqNum.le(seq, tcb.lastAckSent)
                && (!TimestampClock.before(seg.timestampValue(), tcb.tsRecent) || !tsRecentValid(tcb, now))) {
            tcb.tsRecent = seg.timestampValue();
            tcb.tsRecentNanos = now;
        }

        // ---- second: RST (RFC 5961 3.2) ----
        if (seg.has(TcpSegment.RST)) {
            if (seq != tcb.rcvNxt) {
                // "If the RST bit is set and the sequence number does not exactly match the next
                // expected sequence value, yet is within the current receive window, TCP MUST send
                // an acknowledgment (challenge ACK)".
                challengeAck(tcb, now);
                return;
            }
            layer.counters.increment(TcpCounter.RST_ACCEPTED);
            resetBy(tcb);
            return;
        }

        // ---- fourth: SYN ----
        if (syn) {
            if (tcb.state == TcpState.SYN_RECEIVED && tcb.listenerSlot >= 0) {
                // "SYN-RECEIVED STATE: If the connection was initiated with a passive OPEN, then
                // return this connection to the LISTEN state and return." The listener is still
                // there; the spawned TCB goes back to the pool, and the peer's next SYN (it
                // retransmits) meets the listener afresh.
                layer.counters.increment(TcpCounter.HALF_OPEN_RETURNED_TO_LISTEN_BY_SYN);
                layer.transition(tcb, TcpState.LISTEN, TransitionCause.RCV_SYN);
                layer.finish(tcb, CloseReason.ABORTED);
                return;
            }
            // "Otherwise, handle per the directions for synchronized states": RFC 5961 4.2, "If the
            // SYN bit is set, irrespective of the sequence number, TCP MUST send an ACK (also
            // referred to as challenge ACK)".
            challengeAck(tcb, now);
            return;
        }

        // ---- fifth: ACK ----
        if (!seg.has(TcpSegment.ACK)) {
            layer.counters.increment(TcpCounter.DROP_NO_ACK);
            return;
        }
        if (tcb.state == TcpState.SYN_RECEIVED) {
            // "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state ... If the segment
            // acknowledgment is not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST>".
            if (!(SeqNum.gt(ack, tcb.sndUna) && SeqNum.le(ack, tcb.sndMax))) {
                layer.output.sendReset(tcb.localPort, tcb.remoteAddress, tcb.remotePort, ack, 0, TcpSegment.RST, now);
                return;
            }
            boolean passive = tcb.listenerSlot >= 0;
            if (passive && tcb.handler != null && tcb.handler.acceptQueueFull(tcb.listenerHandle)) {
                // The application's accept queue is full: drop the ACK and stay in SYN-RECEIVED;
                // the SYN,ACK's retransmission makes the peer send it again (Linux's tcp_check_req
                // with tcp_abort_on_overflow=0), and a later copy completes the handshake.
                layer.counters.increment(TcpCounter.LISTEN_ACCEPT_QUEUE_FULL);
                return;
            }
            acknowledgeSyn(tcb, seg, ack);
            tcb.sndWnd = seg.window() << tcb.sndScale;
            tcb.maxSndWnd = Math.max(tcb.maxSndWnd, tcb.sndWnd);
            tcb.sndWl1 = seq;
            tcb.sndWl2 = ack;
            layer.transition(tcb, TcpState.ESTABLISHED, TransitionCause.RCV_ACK_OF_SYN);
            if (passive) {
                tcb.announced = true;
                tcb.events |= Tcb.EV_ACCEPTED;
            } else {
                tcb.events |= Tcb.EV_CONNECTED;
            }
        } else {
            if (tcb.state == TcpState.FIN_WAIT_1 && tcb.synUnacked()) {
                // Closed while still SYN-RECEIVED: this ACK may acknowledge our SYN first.
                if (SeqNum.gt(ack, tcb.sndUna) && SeqNum.le(ack, tcb.sndMax)) {
                    acknowledgeSyn(tcb, seg, ack);
                }
            }
            // RFC 5961 5.2: acceptable ACKs lie in [SND.UNA - MAX.SND.WND, SND.NXT].
            if (SeqNum.lt(ack, tcb.sndUna - Math.max(tcb.maxSndWnd, 1))) {
                layer.counters.increment(TcpCounter.DROP_ACK_TOO_OLD);
                challengeAck(tcb, now);
                return;
            }
            if (SeqNum.gt(ack, tcb.sndMax)) {
                // "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then send an ACK,
                // drop the segment, and return."
                layer.counters.increment(TcpCounter.DROP_ACK_TOO_NEW);
                outOfWindowAck(tcb, now);
                return;
            }
        }
        boolean finWasAcked = tcb.finAcked();
        processAck(tcb, seg, seq, text.fin());
        boolean finAckedNow = !finWasAcked && tcb.finAcked();
        switch (tcb.state) {
            case CLOSING -> {
                // "If the ACK acknowledges our FIN, then enter the TIME-WAIT state; otherwise,
                // ignore the segment."
                if (finAckedNow) {
                    enterTimeWait(tcb, TransitionCause.RCV_ACK_OF_FIN, now);
                }
                return;
            }
            case LAST_ACK -> {
                // "The only thing that can arrive in this state is an acknowledgment of our FIN.
                // If our FIN is now acknowledged, delete the TCB, enter the CLOSED state".
                if (finAckedNow) {
                    layer.transition(tcb, TcpState.CLOSED, TransitionCause.RCV_ACK_OF_FIN);
                    layer.finish(tcb, CloseReason.NORMAL);
                }
                return;
            }
            default -> {
            }
        }

        // ---- sixth: URG (RFC 6093: urgent data is delivered inline; the pointer is ignored) ----
        if (seg.has(TcpSegment.URG)) {
            layer.counters.increment(TcpCounter.URGENT_IGNORED);
        }

        // ---- seventh: segment text ----
        if (text.cutPastWindow()) {
            // RFC 9293 3.8.6.1: "When the receiving TCP peer has a zero window and a segment
            // arrives, it must still send an acknowledgment showing its next expected sequence
            // number and current window (zero)." A zero-window probe carrying a byte is such a
            // segment; so is any segment running past a window that is not zero: the sender
            // learns at once where the window ends instead of after its retransmission timeout.
            tcb.ackNow = true;
        }
        boolean finStands = text(tcb, seg, text);
        if (!tcb.inUse) {
            return; // reset: data after CLOSE
        }

        // ---- eighth: FIN ----
        fin(tcb, text, finStands, finAckedNow, now);
    }

    /**
     * SND.UNA moves past our SYN to {@code ack}: RTT sample, timer reset, and data transmission
     * begins with the initial window (RFC 5681 3.1) and, if the SYN timed out, an RTO of 3 s
     * (RFC 6298 5.7).
     */
    void acknowledgeSyn(Tcb tcb, InboundSegment seg, int ack) {
        long now = seg.arrivalNanos();
        int flight = tcb.flightSize();
        tcb.sndUna = ack;
        if (SeqNum.lt(tcb.sndNxt, tcb.sndUna)) {
            tcb.sndNxt = tcb.sndUna;
        }
        measureRtt(tcb, seg, ack, flight);
        tcb.congestion.onHandshakeComplete(tcb.sndMss, tcb.synTimedOut);
        if (tcb.synTimedOut) {
            tcb.rtt.restartAfterLostSyn();
        }
        tcb.retries = 0;
        if (tcb.sndUna == tcb.sndMax) {
            tcb.rtoArmed = false;
        } else {
            tcb.rtoDeadline = now + tcb.rtt.rto();
        }
    }

    /**
     * An RTT sample for an ACK that moved SND.UNA to {@code ack}: from its TSecr when timestamps
     * are in use (RFC 7323 4.1: "A TSecr value received in a segment MAY be used to update the
     * averaged RTT measurement only if the segment advances the left edge of the send window,
     * i.e., SND.UNA is increased"), otherwise from the timed segment (RFC 6298, Karn).
     *
     * @param flightBefore bytes outstanding before this ACK
     */
    private void measureRtt(Tcb tcb, InboundSegment seg, int ack, int flightBefore) {
        if (!tcb.timestamps) {
            tcb.rtt.onAck(ack, seg.arrivalNanos());
            return;
        }
        // A TSecr of 0 is what a SYN,ACK's peer echoes when our SYN had none; as Linux, no sample.
        if (seg.hasTimestamps() && seg.timestampEcho() != 0) {
            int echo = seg.timestampEcho();
            if (tcb.retransmittedSinceEcho) {
                if (TimestampClock.before(echo, tcb.retransmittedAtTsval)) {
                    // Karn's rule (RFC 6298 section 3), for timestamps: the ACK echoes a segment
                    // sent before our last retransmission, so it may answer the retransmission,
                    // which the receiver took as a duplicate after its own ACK was lost (a
                    // duplicate leaves TS.Recent as it was, RFC 7323 5.3 R2). The "sample" would
                    // then span the retransmission timeout, inflate the RTO, slow the next
                    // retransmission, and inflate the next sample more.
                    return;
                }
                tcb.retransmittedSinceEcho = false;
            }
            long sample = TimestampClock.elapsedNanos(seg.arrivalNanos(), tcb.tsOffset, echo);
            if (sample >= 0) {
                tcb.rtt.timestampSample(sample, flightBefore, tcb.sndMss);
                layer.counters.increment(TcpCounter.RTT_SAMPLES_FROM_TIMESTAMPS);
            }
        }
    }

    /** RFC 7323 5.5: TS.Recent is trusted while it is younger than 24 days (the clock cannot have wrapped). */
    private static boolean tsRecentValid(Tcb tcb, long now) {
        return now - tcb.tsRecentNanos < TimestampClock.TS_RECENT_VALID_NANOS;
    }

    /**
     * RFC 2883 section 4: "If the D-SACK block reports a duplicate contiguous sequence from a
     * (possibly larger) block of data" the receiver already has: the part of
     * {@code [dataStart, dataStart + length)} below RCV.NXT is reported in the next ACK (at once).
     */
    private void reportDuplicateBelowRcvNxt(Tcb tcb, int dataStart, int length) {
        if (!tcb.sack || !config.tcpDuplicateSack || length <= 0 || !SeqNum.lt(dataStart, tcb.rcvNxt)) {
            return;
        }
        tcb.sackReport.onDuplicate(dataStart, SeqNum.min(dataStart + length, tcb.rcvNxt));
        layer.counters.increment(TcpCounter.DUPLICATES_REPORTED);
        tcb.ackNow = true;
    }

    /**
     * The trim step after the acceptability test: data before {@code rcvNxt} is a duplicate, data
     * past {@code windowEnd} (and the FIN behind it) is cut off; both counted. Writes
     * {@link #trimmed}, once per segment (SYN-SENT's SYN,ACK comes here too).
     *
     * @param dataStart sequence number of the segment's first data byte (past a SYN)
     */
    TrimmedSegment trimToWindow(InboundSegment seg, int dataStart, int rcvNxt, int windowEnd) {
        int payloadOffset = seg.payloadOffset();
        int payloadLength = seg.payloadLength();
        boolean fin = seg.has(TcpSegment.FIN);
        boolean cutPastWindow = false;
        if (SeqNum.lt(dataStart, rcvNxt)) {
            int skip = Math.min(rcvNxt - dataStart, payloadLength);
            layer.counters.add(TcpCounter.DUPLICATE_BYTES, skip);
            payloadOffset += skip;
            payloadLength -= skip;
            dataStart += skip;
        }
        if (SeqNum.gt(dataStart + payloadLength, windowEnd)) {
            int cut = Math.min(dataStart + payloadLength - windowEnd, payloadLength);
            layer.counters.add(TcpCounter.OUT_OF_WINDOW_BYTES, cut);
            payloadLength -= cut;
            fin = false; // the FIN lay past the window too
            cutPastWindow = true;
        }
        trimmed.set(dataStart, payloadOffset, payloadLength, fin, cutPastWindow);
        return trimmed;
    }

    /** Valid RST in SYN-RECEIVED or a synchronized state (3.10.7.4 second check). */
    private void resetBy(Tcb tcb) {
        switch (tcb.state) {
            case SYN_RECEIVED -> {
                if (tcb.listenerSlot >= 0) {
                    // "If this connection was initiated with a passive OPEN, then return this
                    // connection to the LISTEN state": the listener is still there; the spawned
                    // TCB goes back to the pool.
                    layer.transition(tcb, TcpState.LISTEN, TransitionCause.RCV_RST);
                    layer.finish(tcb, CloseReason.RESET);
                } else {
                    // "If this connection was initiated with an active OPEN ... connection refused"
                    layer.transition(tcb, TcpState.CLOSED, TransitionCause.RCV_RST);
                    layer.finish(tcb, CloseReason.REFUSED);
                }
            }
            default -> {
                // ESTABLISHED, FIN-WAIT-1/2, CLOSE-WAIT: "connection reset"; CLOSING, LAST-ACK:
                // "enter the CLOSED state, delete the TCB".
                layer.transition(tcb, TcpState.CLOSED, TransitionCause.RCV_RST);
                layer.finish(tcb, CloseReason.RESET);
            }
        }
    }

    /**
     * The ACK RFC 9293 owes an unacceptable segment (or an ACK of data never sent), at most one per
     * {@link #OUT_OF_WINDOW_ACK_INTERVAL_NANOS} per connection (as Linux's tcp_invalid_ratelimit,
     * in the spirit of RFC 5961 section 7's ACK throttling). Without it two ends that disagree on
     * a sequence number (after a blind data injection, say) answer each other's ACKs forever: an
     * ACK storm. Retransmitted data and FINs never come here ({@link #isRetransmissionOfReceived}).
     */
    private void outOfWindowAck(Tcb tcb, long now) {
        if (tcb.outOfWindowAckSent && now - tcb.outOfWindowAckNanos < OUT_OF_WINDOW_ACK_INTERVAL_NANOS) {
            layer.counters.increment(TcpCounter.OUT_OF_WINDOW_ACK_RATE_LIMITED);
            return;
        }
        tcb.outOfWindowAckSent = true;
        tcb.outOfWindowAckNanos = now;
        tcb.ackNow = true;
    }

    static final long OUT_OF_WINDOW_ACK_INTERVAL_NANOS = 500_000_000L;

    /**
     * Whether an unacceptable segment is a retransmission of data or a FIN already received: it
     * occupies sequence space (no SYN), ends at or before RCV.NXT, and starts no further back
     * than the largest window we can have offered (the ring; a sender never had more than that
     * unacknowledged). Blind data at a random sequence number falls there only with the odds of
     * hitting the window, so it stays throttled.
     */
    private static boolean isRetransmissionOfReceived(Tcb tcb, int seq, boolean syn, int length) {
        return length > 0 && !syn
                && SeqNum.le(seq + length, tcb.rcvNxt)
                && SeqNum.ge(seq, tcb.rcvNxt - tcb.receiveRing.capacity() - 1);
    }

    /**
     * Whether a segment that failed PAWS (not a SYN) carries data or a FIN at a sequence number its
     * sender can have used: no further back than the largest window we can have offered (as
     * {@link #isRetransmissionOfReceived}) and not past the right edge of the window we offered
     * (RCV.NXT itself when that window is zero). Blind data at a random sequence number falls
     * there only with the odds of hitting the window, so it stays throttled.
     */
    private static boolean isPlausibleDataOrFin(Tcb tcb, int seq, int length) {
        int rightEdge = SeqNum.gt(tcb.rcvAdv, tcb.rcvNxt) ? tcb.rcvAdv - 1 : tcb.rcvNxt;
        return length > 0
                && SeqNum.ge(seq, tcb.rcvNxt - tcb.receiveRing.capacity() - 1)
                && SeqNum.le(seq, rightEdge);
    }

    private void challengeAck(Tcb tcb, long now) {
        if (tcb.challengeAcks.tryAcquire(now)) {
            layer.counters.increment(TcpCounter.CHALLENGE_ACK_SENT);
            layer.output.sendAck(tcb, now);
        } else {
            layer.counters.increment(TcpCounter.CHALLENGE_ACK_RATE_LIMITED);
        }
    }

    /**
     * ESTABLISHED-state ACK processing: SND.UNA, the send ring, RTT (RFC 6298), congestion
     * control (RFC 5681, NewReno RFC 6582), and the window update (SND.WL1/SND.WL2).
     *
     * @param seq         SEG.SEQ, past a SYN already recorded
     * @param finInWindow the segment carries a FIN that the trim step kept
     */
    private void processAck(Tcb tcb, InboundSegment seg, int seq, boolean finInWindow) {
        long now = seg.arrivalNanos();
        int ack = seg.ack();
        int scaledWindow = seg.window() << tcb.sndScale;
        // RFC 6675 section 5: "Upon the receipt of any ACK containing SACK information, the
        // scoreboard MUST be updated via the Update () routine."
        int newlySacked = tcb.sack ? recordSack(tcb, seg, SeqNum.max(ack, tcb.sndUna)) : 0;
        boolean advanced = SeqNum.gt(ack, tcb.sndUna);
        if (advanced) {
            int flightBefore = tcb.flightSize();
            int acked = ack - tcb.sndUna;
            int dataAcked = SeqNum.min(ack, tcb.dataEnd()) - tcb.sndBufSeq;
            if (dataAcked > 0) {
                tcb.sendRing.skip(dataAcked);
                tcb.sndBufSeq += dataAcked;
            }
            tcb.sndUna = ack;
            if (SeqNum.lt(tcb.sndNxt, tcb.sndUna)) {
                tcb.sndNxt = tcb.sndUna;
            }
            // RFC 6298 / Karn: only a timed segment that was never retransmitted gives a sample;
            // with timestamps the ACK's echo does (RFC 7323 4.1).
            measureRtt(tcb, seg, ack, flightBefore);
            tcb.retries = 0;
            tcb.persistBackoff = 0;
            if (tcb.congestion.onNewAck(ack, acked, tcb.flightSize(), tcb.sndMss)) {
                // RFC 6582 3.2 step 3, partial ACK: "retransmit the first unacknowledged segment"
                // and, "for the first partial ACK ... reset the retransmit timer" (done below).
                layer.counters.increment(TcpCounter.PARTIAL_ACKS);
                layer.output.retransmitFirst(tcb, now);
            }
            // RFC 6298 5.2/5.3: stop the timer when all is acknowledged, else restart it.
            if (tcb.sndUna == tcb.sndMax) {
                tcb.rtoArmed = false;
            } else {
                tcb.rtoArmed = true;
                tcb.rtoDeadline = now + tcb.rtt.rto();
            }
            tcb.unackedSinceNanos = now;
            if (tcb.writeBlocked && tcb.sendRing.free() > 0) {
                tcb.writeBlocked = false;
                tcb.events |= Tcb.EV_WRITABLE;
            }
        } else if (!tcb.sack && ack == tcb.sndUna && seg.payloadLength() == 0 && !finInWindow
                && scaledWindow == tcb.sndWnd && tcb.sndMax != tcb.sndUna && scaledWindow != 0) {
            // RFC 5681 2: a duplicate ACK (no data, no SYN or FIN, same window, something
            // outstanding; a SYN never gets this far). Not with a zero window: then the only thing
            // outstanding may be a persist probe byte (RFC 9293 3.8.6.1), the ACKs answering
            // probes say "no room", not "a segment left the network", and a fast retransmit would
            // push a full segment into the closed window.
            layer.counters.increment(TcpCounter.DUPLICATE_ACKS);
            if (tcb.congestion.onDuplicateAck(ack, tcb.sndMax, tcb.flightSize(), tcb.sndMss, newDataSendable(tcb))) {
                // RFC 5681 3.2 step 2 / RFC 6582 3.2 step 2: the third duplicate ACK, fast retransmit.
                layer.counters.increment(TcpCounter.FAST_RETRANSMITS);
                layer.output.retransmitFirst(tcb, now);
            }
        }
        if (newlySacked > 0 && tcb.sndMax != tcb.sndUna) {
            // RFC 6675 section 2: with SACK, a duplicate acknowledgment is one "carrying a SACK
            // block that identifies previously unacknowledged and un-SACKed octets between HighACK
            // and HighData", "even if it carries new data, changes the advertised window, or moves
            // the cumulative acknowledgment point".
            layer.counters.increment(TcpCounter.DUPLICATE_ACKS);
            if (tcb.congestion.onDuplicateAck(tcb.sndUna, tcb.sndMax, tcb.flightSize(), tcb.sndMss, newDataSendable(tcb))) {
                // RFC 6675 section 5 (4.3): "Retransmit the first data segment presumed dropped".
                layer.counters.increment(TcpCounter.FAST_RETRANSMITS);
                layer.counters.increment(TcpCounter.SACK_RECOVERIES);
                if (tcb.sackRecovery.enteredEarly()) {
                    layer.counters.increment(TcpCounter.EARLY_RETRANSMITS);
                }
                layer.output.retransmitFirst(tcb, now);
            }
        }
        // Window update: "If SND.UNA =< SEG.ACK =< SND.NXT ... If (SND.WL1 < SEG.SEQ or (SND.WL1 =
        // SEG.SEQ and SND.WL2 =< SEG.ACK)), set SND.WND <- SEG.WND, set SND.WL1 <- SEG.SEQ, and
        // set SND.WL2 <- SEG.ACK."
        if (SeqNum.lt(tcb.sndWl1, seq) || (tcb.sndWl1 == seq && SeqNum.le(tcb.sndWl2, ack))) {
            tcb.sndWnd = scaledWindow;
            tcb.sndWl1 = seq;
            tcb.sndWl2 = ack;
            if (scaledWindow > tcb.maxSndWnd) {
                tcb.maxSndWnd = scaledWindow;
            }
        }
        if (advanced) {
            // RFC 8985 7.2: the PTO restarts "upon receiving an ACK that cumulatively acknowledges
            // new data"; a probe is answered once SND.UNA passes TLP.end_seq.
            if (tcb.probeOutstanding && SeqNum.ge(ack, tcb.probeEnd)) {
                tcb.probeOutstanding = false;
            }
            layer.output.scheduleLossProbe(tcb, now);
        } else if (tcb.probeArmed && tcb.sack && tcb.sackRecovery.inRecovery()) {
            tcb.probeArmed = false; // recovery retransmits now; the probe is for when ACKs stop
        }
    }

    /**
     * RFC 5827 section 3's condition for early retransmit, negated: unsent data waits and the
     * receive window has room for some of it.
     */
    private static boolean newDataSendable(Tcb tcb) {
        return tcb.dataEnd() - tcb.sndMax > 0 && tcb.sndUna + tcb.sndWnd - tcb.sndMax > 0;
    }

    /**
     * RFC 6675 Update(): records the SACK blocks of an acceptable ACK in the scoreboard, after
     * the cumulative acknowledgment {@code una} (SEG.ACK, or SND.UNA if that is higher).
     *
     * @return octets SACKed now that were not before (above 0: a duplicate acknowledgment)
     */
    private int recordSack(Tcb tcb, InboundSegment seg, int una) {
        tcb.scoreboard.acknowledge(una);
        int blocks = seg.sackBlockCount();
        int fresh = 0;
        for (int i = 0; i < blocks; i++) {
            int left = seg.sackLeft(i);
            int right = seg.sackRight(i);
            if (i == 0 && isDuplicateReport(seg)) {
                layer.counters.increment(TcpCounter.DSACKS_RECEIVED);
                if (tcb.congestion.onDuplicateSack(left, right)) {
                    layer.counters.increment(TcpCounter.SPURIOUS_RECOVERIES_UNDONE);
                }
                continue;
            }
            // A block must lie in (SND.UNA, SND.MAX]; one outside says nothing about what is in
            // flight (an old or forged one), and one that reaches past SND.MAX SACKs data never sent.
            if (!SeqNum.lt(left, right) || SeqNum.le(right, una) || SeqNum.gt(right, tcb.sndMax)) {
                layer.counters.increment(TcpCounter.SACK_BLOCKS_IGNORED);
                continue;
            }
            int added = tcb.scoreboard.add(SeqNum.max(left, una), right);
            if (added < 0) {
                layer.counters.increment(TcpCounter.SACK_SCOREBOARD_FULL);
            } else {
                fresh += added;
            }
        }
        return fresh;
    }

    /**
     * RFC 2883 section 4: the first block is a D-SACK when it lies below the cumulative ACK, or
     * when "the first SACK block ... is covered by the second SACK block".
     */
    private static boolean isDuplicateReport(InboundSegment seg) {
        int left = seg.sackLeft(0);
        int right = seg.sackRight(0);
        if (SeqNum.le(right, seg.ack())) {
            return true;
        }
        return seg.sackBlockCount() > 1 && SeqNum.le(seg.sackLeft(1), left) && SeqNum.le(right, seg.sackRight(1))
                && SeqNum.lt(left, right);
    }

    /** Duplicate ACKs per RCV.NXT sent at once under SACK compression (Linux TCP_FASTRETRANS_THRESH). */
    static final int SACK_COMPRESSION_DUP_THRESH = 3;
    /**
     * Under SACK compression, the recency positions a withheld segment's block may be pushed to
     * before the ACK must leave (Linux TCP_SACK_BLOCKS_EXPECTED: "Given that SACK packets might be
     * lost, be conservative and use 2").
     */
    static final int SACK_COMPRESSION_BLOCKS_EXPECTED = 2;

    /**
     * The seventh step: in-order data into the ring, out-of-order data parked for the Assembler.
     *
     * @return whether the segment's FIN (if it has one in the window) still stands: not when some
     *         of the data before it could not be kept
     */
    boolean text(Tcb tcb, InboundSegment seg, TrimmedSegment text) {
        long now = seg.arrivalNanos();
        int length = text.payloadLength();
        if (length <= 0) {
            return text.fin();
        }
        switch (tcb.state) {
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> {
            }
            default -> {
                // CLOSE-WAIT, CLOSING, LAST-ACK: "This should not occur since a FIN has been
                // received from the remote side. Ignore the segment text."
                layer.counters.add(TcpCounter.OUT_OF_WINDOW_BYTES, length);
                return text.fin();
            }
        }
        if (tcb.appClosed) {
            // RFC 1122 4.2.2.13: "if new data is received after CLOSE is called, its TCP SHOULD
            // send a RST to show that data was lost." (Duplicates were trimmed away above: only
            // new data comes here.) SEQ as for ABORT (Tcb.controlSeq), not SEG.ACK: in FIN-WAIT-1
            // the data often acknowledges less than our FIN, which the peer has taken by the time
            // the RST arrives, so SEG.ACK would fall left of its window and be dropped (RFC 5961
            // 3.2). The connection ends as if aborted.
            layer.counters.increment(TcpCounter.RST_SENT_DATA_AFTER_CLOSE);
            layer.output.sendReset(tcb.localPort, tcb.remoteAddress, tcb.remotePort, tcb.controlSeq(), 0, TcpSegment.RST, now);
            layer.transition(tcb, TcpState.CLOSED, TransitionCause.ABORT);
            layer.finish(tcb, CloseReason.ABORTED);
            return text.fin();
        }
        int offset = text.dataStart() - tcb.rcvNxt;
        // The ring and the assembler must agree: only bytes the ring really stored are recorded
        // (RCV.WND never exceeds the free ring, so this cuts nothing unless that slips).
        int stored = tcb.receiveRing.writeAt(offset, seg.buffer(), text.payloadOffset(), length);
        boolean finStands = text.fin();
        if (stored < length) {
            layer.counters.add(TcpCounter.OUT_OF_WINDOW_BYTES, length - stored);
            finStands = false;
            tcb.ackNow = true;
            if (stored == 0) {
                return false;
            }
        }
        if (tcb.sack) {
            noteDuplicateAboveRcvNxt(tcb, offset, stored);
        }
        if (offset == 0) {
            tcb.assembler.add(0, stored);
            int delivered = tcb.assembler.removeFront();
            tcb.receiveRing.commit(delivered);
            tcb.rcvNxt += delivered;
            layer.counters.add(TcpCounter.BYTES_RECEIVED, delivered);
            tcb.events |= Tcb.EV_READABLE;
            measureReceiveRtt(tcb, now);
            if (delivered > stored || !tcb.assembler.isEmpty()) {
                // RFC 5681 4.2: ACK at once when a segment fills (part of) a gap.
                tcb.ackNow = true;
            } else {
                // RFC 1122 4.2.3.2 / RFC 5681 4.2: an ACK for at least every second full-sized
                // segment, otherwise within the delayed-ACK time. A segment longer than the MSS
                // (a large one from a device's receive offload) holds at least two full-sized ones.
                tcb.segmentsSinceAck += stored > tcb.rcvMss ? 2 : 1;
                if (tcb.segmentsSinceAck >= 2 || config.tcpDelayedAckNanos == 0) {
                    tcb.ackNow = true;
                } else if (!tcb.delayedAckArmed) {
                    tcb.delayedAckArmed = true;
                    tcb.delayedAckDeadline = now + config.tcpDelayedAckNanos;
                }
            }
        } else {
            if (tcb.assembler.add(offset, stored)) {
                layer.counters.increment(TcpCounter.OUT_OF_ORDER_SEGMENTS);
                int previousRecency = 0;
                if (tcb.sack) {
                    // RFC 2018 section 4: the block holding this segment goes first in the next ACKs.
                    previousRecency = tcb.sackReport.onOutOfOrder(text.dataStart(), tcb.assembler, tcb.rcvNxt);
                }
                // RFC 5681 4.2: "A TCP receiver SHOULD send an immediate duplicate ACK when an
                // out-of-order segment arrives", unless SACK compression withholds it (an ACK
                // already owed, e.g. for a D-SACK, goes at once either way).
                if (!tcb.ackNow && !withholdOutOfOrderAck(tcb, now, previousRecency)) {
                    tcb.ackNow = true;
                }
            } else {
                // The bytes just stored past the write position stay unrecorded: never delivered.
                layer.counters.increment(TcpCounter.DROP_REASSEMBLY_FULL);
                finStands = false;
                tcb.ackNow = true;
            }
        }
        return finStands;
    }

    /**
     * SACK compression, Linux's rules (tcp_input.c __tcp_ack_snd_check, 2018 on): on a SACK
     * connection the first {@link #SACK_COMPRESSION_DUP_THRESH} duplicate ACKs for one RCV.NXT go at
     * once, so a sender counting duplicate ACKs (fast retransmit, RFC 6675's DupThresh) starts
     * recovery as before; past them each out-of-order segment's ACK is withheld and one ACK, with the
     * newest SACK blocks (RFC 2018 section 4 order, kept by SackReport), leaves at a deadline of
     * min(configured delay, RTT/20), or earlier with any segment or ACK this end sends. The
     * {@code tcpSackCompressionMaxAcks + 1}-th goes at once. So does one, while ACKs are withheld,
     * whose block is new or was not among the {@link #SACK_COMPRESSION_BLOCKS_EXPECTED} most recent
     * (Linux tcp_sack_new_ofo_skb): it pushes the withheld segments' blocks down the option, and
     * with enough of them one would leave the option without ever being reported. Linux sends the
     * withheld ACK there and withholds the new one; here the one ACK that leaves carries both, the
     * new block first and the withheld ones next. A segment that advances RCV.NXT (a hole filled)
     * and a duplicate (D-SACK) are answered at once by the callers.
     *
     * @param previousRecency where this segment's block stood in the recency order before it came
     *        ({@link SackReport#onOutOfOrder})
     * @return whether the ACK owed for this out-of-order segment is withheld
     */
    private boolean withholdOutOfOrderAck(Tcb tcb, long now, int previousRecency) {
        if (!tcb.sack || !config.tcpSackCompression || tcb.sackCompressedAcks >= config.tcpSackCompressionMaxAcks) {
            return false;
        }
        if (tcb.sackCompressRcvNxt != tcb.rcvNxt) {
            tcb.sackCompressRcvNxt = tcb.rcvNxt;
            tcb.sackDupAcksSent = 0;
        }
        if (tcb.sackDupAcksSent < SACK_COMPRESSION_DUP_THRESH) {
            tcb.sackDupAcksSent++;
            return false;
        }
        if (tcb.sackCompressedAcks > 0 && previousRecency >= SACK_COMPRESSION_BLOCKS_EXPECTED) {
            return false;
        }
        tcb.sackCompressedAcks++;
        layer.counters.increment(TcpCounter.SACK_COMPRESSED_ACKS);
        if (!tcb.sackCompressArmed) {
            // Linux: rcv_rtt_est, or SRTT when a sample exists and is smaller; with neither, 0:
            // the ACK leaves at the end of this cycle, after the frames already read with it.
            long rtt = tcb.rcvRttNanos;
            long srtt = tcb.rtt.srtt();
            if (srtt != 0 && srtt < rtt) {
                rtt = srtt;
            }
            tcb.sackCompressArmed = true;
            tcb.sackCompressDeadline = now + Math.min(config.tcpSackCompressionDelayNanos, rtt / 20);
        }
        return true;
    }

    /**
     * The receiver's RTT estimate without timestamps (Linux tcp_rcv_rtt_measure, after the
     * Dynamic Right-Sizing method): a right edge is marked with the time; when RCV.NXT reaches it,
     * at least one round trip has passed (the sender could only send those bytes after the ACK
     * advertising them). The smallest sample is kept, as Linux does for these window-long samples.
     */
    private static void measureReceiveRtt(Tcb tcb, long now) {
        if (tcb.rcvRttMarked) {
            if (SeqNum.lt(tcb.rcvNxt, tcb.rcvRttMarkSeq)) {
                return;
            }
            long sample = now - tcb.rcvRttMarkNanos;
            if (sample > 0 && (tcb.rcvRttNanos == 0 || sample < tcb.rcvRttNanos)) {
                tcb.rcvRttNanos = sample;
            }
        }
        tcb.rcvRttMarked = true;
        tcb.rcvRttMarkSeq = tcb.rcvNxt + Math.max(tcb.rcvAdv - tcb.rcvNxt, 1);
        tcb.rcvRttMarkNanos = now;
    }

    /**
     * RFC 2883: bytes {@code [offset, offset + length)} past RCV.NXT that the Assembler already
     * holds came twice; the first such run is reported in a D-SACK block, and with it the range
     * holding it goes first among the SACK blocks (section 4: "the second SACK block in that SACK
     * option should specify that (possibly larger) block of data").
     */
    private void noteDuplicateAboveRcvNxt(Tcb tcb, int offset, int length) {
        int range = tcb.assembler.firstOverlap(offset, length);
        if (range < 0 || !config.tcpDuplicateSack) {
            return;
        }
        int left = Math.max(offset, tcb.assembler.rangeStart(range));
        int right = Math.min(offset + length, tcb.assembler.rangeEnd(range));
        tcb.sackReport.onDuplicate(tcb.rcvNxt + left, tcb.rcvNxt + right);
        tcb.sackReport.onOutOfOrder(tcb.rcvNxt + left, tcb.assembler, tcb.rcvNxt);
        layer.counters.increment(TcpCounter.DUPLICATES_REPORTED);
        tcb.ackNow = true;
    }

    /**
     * The eighth step, for an in-order FIN (or one parked earlier that is now in order).
     *
     * @param finStands the segment's FIN lies in the window and its data was all kept
     */
    void fin(Tcb tcb, TrimmedSegment text, boolean finStands, boolean finAckedNow, long now) {
        if (finStands) {
            int finSeq = text.dataStart() + text.payloadLength();
            if (SeqNum.ge(finSeq, tcb.rcvNxt)) {
                // In order, or ahead of a hole: then it waits until the data before it arrives.
                if (!tcb.peerFinReceived) {
                    tcb.peerFinPending = true;
                    tcb.peerFinSeq = finSeq;
                }
                if (SeqNum.gt(text.dataStart(), tcb.rcvNxt)) {
                    // A FIN beyond a hole is an out-of-order segment too, RFC 5681 4.2: "A TCP
                    // receiver SHOULD send an immediate duplicate ACK when an out-of-order segment
                    // arrives" (the sender counts it towards fast retransmit of the missing data).
                    tcb.ackNow = true;
                }
            } else if (SeqNum.lt(finSeq, tcb.rcvNxt)) {
                tcb.ackNow = true; // a FIN we already have: acknowledge again
            }
        }
        if (!tcb.peerFinReceived && tcb.peerFinPending && tcb.peerFinSeq == tcb.rcvNxt) {
            // "advance RCV.NXT over the FIN, and send an acknowledgment for the FIN"
            tcb.peerFinPending = false;
            tcb.peerFinReceived = true;
            tcb.rcvNxt += 1;
            tcb.rcvAdv += 1; // the FIN takes a sequence number but no buffer space
            tcb.ackNow = true;
            tcb.events |= Tcb.EV_PEER_CLOSED;
            switch (tcb.state) {
                case SYN_RECEIVED, ESTABLISHED -> layer.transition(tcb, TcpState.CLOSE_WAIT, TransitionCause.RCV_FIN);
                case FIN_WAIT_1 -> {
                    // "If our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT
                    // ... otherwise, enter the CLOSING state."
                    if (finAckedNow || tcb.finAcked()) {
                        enterTimeWait(tcb, TransitionCause.RCV_FIN_ACK, now);
                    } else {
                        layer.transition(tcb, TcpState.CLOSING, TransitionCause.RCV_FIN);
                    }
                }
                case FIN_WAIT_2 -> enterTimeWait(tcb, TransitionCause.RCV_FIN, now);
                default -> {
                }
            }
            return;
        }
        if (tcb.state == TcpState.FIN_WAIT_1 && finAckedNow) {
            // "In addition to the processing for the ESTABLISHED state, if the FIN segment is now
            // acknowledged, then enter FIN-WAIT-2 and continue processing in that state."
            layer.transition(tcb, TcpState.FIN_WAIT_2, TransitionCause.RCV_ACK_OF_FIN);
            if (tcb.appClosed) {
                layer.armFinWait2(tcb, now);
            }
        }
    }

    private void enterTimeWait(Tcb tcb, TransitionCause cause, long now) {
        layer.transition(tcb, TcpState.TIME_WAIT, cause);
        tcb.rtoArmed = false;
        tcb.persistArmed = false;
        tcb.finWait2Armed = false;
        tcb.timeWaitDeadline = now + 2 * config.tcpMslNanos; // the TimeWaitTable entry keeps it
    }
}
