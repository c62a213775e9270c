package dev.spinet.tcp;

import dev.spinet.iface.Ipv4Output;
import dev.spinet.wire.SeqNum;
import dev.spinet.wire.TcpSegment;

/**
 * Sending: what may go out now, and building segments straight into
 * {@link Ipv4Output#transmitBuffer()} (no copy besides the payload's one from the send ring).
 *
 * <h2>Call order inside {@link #output}</h2>
 * <ol>
 *   <li>SYN or SYN,ACK while our SYN is unacknowledged (SND.NXT = ISS).</li>
 *   <li>In SACK loss recovery, retransmissions of segments presumed lost (RFC 6675 NextSeg()
 *       rule 1) while cwnd - pipe allows.</li>
 *   <li>Data segments from SND.NXT while the usable window (min(SND.WND, cwnd) minus the bytes
 *       in flight, or cwnd - pipe in SACK recovery) allows, each at most the send MSS; small ones
 *       held back by Nagle and sender SWS avoidance; the FIN rides on the last one or goes alone.
 *       After a timeout, going back from SND.UNA skips what the peer SACKed.</li>
 *   <li>In SACK recovery, NextSeg() rules 3 and 4 with what the window has left.</li>
 *   <li>A pure ACK if one is owed (ackNow) and nothing above carried it.</li>
 *   <li>Timers: retransmission armed when something occupying sequence space left; the tail
 *       loss probe (RFC 8985 7.2) restarted when new data left; persist armed when data waits
 *       behind a zero window.</li>
 * </ol>
 */
final class TcpOutput {

    private final TcpLayer layer;
    private final Ipv4Output ip;
    /**
     * The most TCP bytes one segment may carry when the device segments (TSO), 0 otherwise:
     * new data then goes in segments of several MSS, which the device cuts into MSS-sized ones.
     */
    private final int segmentedLimit;
    /** The device completes our checksums: write only the pseudo-header sum (DeviceCapabilities). */
    private final boolean partialChecksum;

    TcpOutput(TcpLayer layer) {
        this.layer = layer;
        this.ip = layer.ip;
        this.segmentedLimit = ip.maxSegmentedTransportLength();
        this.partialChecksum = ip.transportChecksumOnTransmit();
    }

    /** Sends whatever the connection may send now; returns the number of segments sent. */
    int output(Tcb t, long now) {
        if (!t.inUse) {
            return 0;
        }
        switch (t.state) {
            case CLOSED, LISTEN, TIME_WAIT -> {
                // The ACK of the FIN that led into TIME-WAIT; afterwards the TimeWaitTable entry
                // answers for the 4-tuple and a detached TCB sends nothing.
                if (t.ackNow && t.state == TcpState.TIME_WAIT && !t.timeWaitDetached) {
                    sendSegment(t, TcpSegment.ACK, t.sndNxt, 0, 0, now);
                    return 1;
                }
                return 0;
            }
            default -> {
            }
        }
        int sent = 0;
        int newDataFrom = t.sndMax;
        if (t.synUnacked()) {
            // RFC 9293 3.10.1 / 3.10.7.3: our SYN (active) or SYN,ACK (passive or simultaneous).
            if (t.sndNxt == t.iss) {
                int flags = t.state == TcpState.SYN_SENT ? TcpSegment.SYN : TcpSegment.SYN | TcpSegment.ACK;
                sendSegment(t, flags, t.iss, 0, 0, now);
                t.sndNxt = t.iss + 1;
                if (SeqNum.gt(t.sndNxt, t.sndMax)) {
                    // The SYN is the first unacknowledged sequence number: R2 of the SYN and the
                    // user timeout (synchronized states, e.g. closed in SYN-RECEIVED) count from here.
                    t.unackedSinceNanos = now;
                    t.sndMax = t.sndNxt;
                    t.rtt.timeIfIdle(t.iss, now);
                } else {
                    // ISS goes again: after a timeout, for the peer's duplicate SYN, or as the
                    // SYN,ACK of a simultaneous open. Karn (RFC 6298 section 3): "RTT samples
                    // MUST NOT be made using segments that were retransmitted"; the ACK of ISS
                    // may answer either copy; with timestamps, an echo of the earlier copy's TSval
                    // gives no sample either.
                    t.rtt.abandonTiming();
                    markRetransmitted(t, now);
                }
                armRetransmission(t, now);
                return 1;
            }
            if (t.ackNow && t.state != TcpState.SYN_SENT) {
                sendSegment(t, TcpSegment.ACK, t.sndNxt, 0, 0, now);
                return 1;
            }
            return 0; // no data before the handshake completes
        }
        if (t.sndMax == t.sndUna && t.dataEnd() - t.sndNxt > 0 && layer.config.tcpRestartAfterIdle
                && now - t.lastDataSentNanos > t.rtt.rto()) {
            restartAfterIdle(t);
        }
        // RFC 6675 NextSeg() rule (1): segments presumed lost go before new data.
        sent += recoveryRetransmissions(t, true, now);
        while (true) {
            if (SeqNum.lt(t.sndNxt, t.sndMax) && !t.scoreboard.isEmpty()) {
                // Going back to SND.UNA after a timeout: what the peer SACKed since is skipped
                // (RFC 6675 5.1: "a TCP sender SHOULD use this SACK information when determining
                // what data should be sent in each segment following an RTO").
                t.sndNxt = SeqNum.min(t.scoreboard.nextUnsacked(t.sndNxt), t.sndMax);
            }
            int dataEnd = t.dataEnd();
            int queued = dataEnd - t.sndNxt; // negative once the FIN is past SND.NXT
            int available = queued;
            boolean retransmitting = SeqNum.lt(t.sndNxt, t.sndMax);
            if (retransmitting && !t.scoreboard.isEmpty()) {
                available = Math.min(available, t.scoreboard.nextSackedStart(t.sndNxt, dataEnd) - t.sndNxt);
            }
            int usable = t.congestion.usableWindow(t.sndUna, t.sndNxt, t.sndMax, t.sndWnd, t.sndMss);
            int length = Math.max(0, Math.min(Math.min(available, retransmitting ? t.sndMss : maxSegment(t)), usable));
            if (length > t.sndMss) {
                // Whole MSS-sized segments only: a tail shorter than the MSS goes on its own, under
                // Nagle's and the sender SWS rules as without segmentation.
                length -= length % t.sndMss;
            }
            boolean finHere = t.finQueued && available >= 0 && t.sndNxt + length == dataEnd;
            if (length > 0) {
                if (!retransmitting && length < t.sndMss && !mayPushSmall(t, length, available)) {
                    break;
                }
                int flags = TcpSegment.ACK;
                if (length == queued) {
                    flags |= TcpSegment.PSH;
                }
                if (finHere) {
                    flags |= TcpSegment.FIN;
                }
                sendData(t, flags, t.sndNxt, length, retransmitting, now);
                if (!retransmitting && SeqNum.gt(t.sndNxt + length, t.sndUna + t.congestion.cwnd())) {
                    layer.counters.increment(TcpCounter.NEW_DATA_BEYOND_CWND);
                }
                t.sndNxt += length + (finHere ? 1 : 0);
                advanceMax(t, now);
                sent++;
                continue;
            }
            if (finHere && available == 0) {
                // RFC 9293 3.10.4: the FIN follows all queued data; it needs no window.
                sendSegment(t, TcpSegment.FIN | TcpSegment.ACK, t.sndNxt, 0, 0, now);
                t.lastDataSentNanos = now;
                if (retransmitting) {
                    layer.counters.increment(TcpCounter.RETRANSMITTED_SEGMENTS);
                }
                t.sndNxt += 1;
                advanceMax(t, now);
                sent++;
            }
            break;
        }
        // RFC 6675 NextSeg() rules (3) and (4): what is left of the window after new data.
        sent += recoveryRetransmissions(t, false, now);
        boolean sentData = sent > 0;
        if (t.sndMax != newDataFrom) {
            // RFC 8985 7.2: "after transmitting new data (that was not itself a loss probe)".
            scheduleLossProbe(t, now);
        }
        t.swsOverride = false;
        if (sent == 0 && t.ackNow) {
            sendAck(t, now);
            sent++;
        }
        // RFC 9293 3.8.6.1 / RFC 1122 4.2.2.17: data waiting behind a zero window is probed.
        // RFC 9293 3.8.6.2.1: data held back by sender SWS avoidance behind a small window with
        // nothing in flight needs "a timeout to force transmission of data, overriding the SWS
        // avoidance algorithm", or a lost window update deadlocks the connection; the same
        // timer serves (it fires with a non-zero window and sets swsOverride).
        boolean waiting = t.dataEnd() - t.sndNxt > 0 && !t.rtoArmed;
        if (waiting && (t.sndWnd == 0 || !sentData)) {
            if (!t.persistArmed) {
                t.persistArmed = true;
                t.persistDeadline = now + persistInterval(t);
            }
        } else if (t.sndWnd > 0) {
            t.persistArmed = false;
            t.persistBackoff = 0;
        }
        return sent;
    }

    /**
     * RFC 5681 4.1, restarting an idle connection: nothing is in flight, data waits, and nothing
     * has been sent for longer than the RTO, so the ACK clock has stopped and cwnd no longer says
     * what the path holds: "TCP SHOULD set cwnd to no more than RW before beginning transmission".
     */
    private void restartAfterIdle(Tcb t) {
        int before = t.congestion.cwnd();
        t.congestion.onIdleRestart(t.sndMss);
        if (t.congestion.cwnd() != before) {
            layer.counters.increment(TcpCounter.CWND_RESTARTS_AFTER_IDLE);
        }
    }

    /**
     * Nagle (RFC 1122 4.2.3.4 / RFC 896) and sender SWS avoidance: a segment shorter than the MSS
     * goes only if it empties the queue and nothing is in flight (or no-delay is set), or it is
     * at least half the largest window the peer ever offered.
     */
    private static boolean mayPushSmall(Tcb t, int length, int available) {
        if (t.swsOverride) {
            return true;
        }
        if (length == available && (t.noDelay || t.sndNxt == t.sndUna || t.finQueued)) {
            return true;
        }
        return t.maxSndWnd > 0 && length >= t.maxSndWnd / 2;
    }

    /**
     * The most data one new segment carries: the send MSS, or with segmentation offload as many
     * whole MSS as the device's limit leaves room for beside the largest TCP header.
     */
    private int maxSegment(Tcb t) {
        if (segmentedLimit == 0) {
            return t.sndMss;
        }
        return Math.max(t.sndMss, (segmentedLimit - TcpSegment.MAX_HEADER_LENGTH) / t.sndMss * t.sndMss);
    }

    /** Whether {@link #output} would send data or a FIN now (same rules, nothing sent). */
    static boolean wouldSendData(Tcb t) {
        int available = t.dataEnd() - t.sndNxt;
        if (t.finQueued && available == 0) {
            return true;
        }
        if (t.congestion.nextRetransmission(t.sndUna, t.sndMax, t.sndMss, false) != CongestionControl.NO_RETRANSMISSION) {
            return true;
        }
        int next = t.sndNxt;
        if (SeqNum.lt(next, t.sndMax) && !t.scoreboard.isEmpty()) {
            next = SeqNum.min(t.scoreboard.nextUnsacked(next), t.sndMax); // as output skips SACKed data
            available = Math.min(t.dataEnd() - next, t.scoreboard.nextSackedStart(next, t.dataEnd()) - next);
        }
        int usable = t.congestion.usableWindow(t.sndUna, next, t.sndMax, t.sndWnd, t.sndMss);
        int length = Math.max(0, Math.min(Math.min(available, t.sndMss), usable));
        if (length == 0) {
            return false;
        }
        return length == t.sndMss || SeqNum.lt(next, t.sndMax) || mayPushSmall(t, length, available);
    }

    long persistInterval(Tcb t) {
        long base = Math.max(t.rtt.rto(), layer.config.tcpRtoMinNanos);
        long interval = base << Math.min(t.persistBackoff, 10);
        return Math.min(interval, layer.config.tcpRtoMaxNanos);
    }

    private void advanceMax(Tcb t, long now) {
        if (SeqNum.gt(t.sndNxt, t.sndMax)) {
            if (t.sndMax == t.sndUna) {
                t.unackedSinceNanos = now;
            }
            t.sndMax = t.sndNxt;
        }
        armRetransmission(t, now);
    }

    private void armRetransmission(Tcb t, long now) {
        // RFC 6298 5.1: "Every time a packet containing data is sent (including a
        // retransmission), if the timer is not running, start it running".
        if (!t.rtoArmed) {
            t.rtoArmed = true;
            t.rtoDeadline = now + t.rtt.rto();
        }
        t.persistArmed = false;
    }

    /** RFC 8985 7.2's WCDelAckT: "RECOMMENDED ... 200 ms", the longest a receiver delays an ACK. */
    static final long WORST_CASE_DELAYED_ACK_NANOS = 200_000_000L;
    /** No probe sooner than this after a transmission however small SRTT is (Linux's floor too). */
    static final long MIN_PROBE_TIMEOUT_NANOS = 10_000_000L;

    /**
     * RFC 8985 7.2, scheduling a tail loss probe on a SACK connection: with data outstanding, no
     * recovery running and no probe unanswered, PTO = 2 * SRTT, plus WCDelAckT when one segment
     * is out (its ACK may be delayed), and only when that comes before the RTO ("If Now() + PTO >
     * TCP_RTO_expire(): PTO = TCP_RTO_expire() - Now()": the timeout itself then acts). Without an
     * RTT sample no probe: the RTO is then the initial one anyway.
     */
    void scheduleLossProbe(Tcb t, long now) {
        t.probeArmed = false;
        long srtt = t.rtt.srtt();
        if (!layer.config.tcpTailLossProbe || !t.sack || t.sndMax == t.sndUna || !t.rtoArmed || srtt == 0
                || t.probeOutstanding || t.sackRecovery.inRecovery()) {
            return;
        }
        long pto = 2 * srtt;
        if (t.flightSize() <= t.sndMss) {
            pto += WORST_CASE_DELAYED_ACK_NANOS;
        }
        long at = now + Math.max(pto, MIN_PROBE_TIMEOUT_NANOS);
        if (at - t.rtoDeadline < 0) {
            t.probeArmed = true;
            t.probeDeadline = at;
        }
    }

    /**
     * RFC 8985 7.3, the probe timer expired: "If a previously unsent segment exists AND the
     * receive window allows new data to be sent: Send that segment" (whatever cwnd says, one
     * segment); "Else: Retransmit the segment with the highest sequence number sent so far". Its
     * ACK or SACK tells what was lost: a SACK of the probe with a hole below lets early
     * retransmit or DupThresh start recovery. Then "the sender MUST arm the RTO timer, not the
     * PTO timer".
     */
    void sendLossProbe(Tcb t, long now) {
        if (t.sndMax == t.sndUna) {
            return;
        }
        int dataEnd = t.dataEnd();
        int unsent = dataEnd - t.sndMax;
        int room = t.sndUna + t.sndWnd - t.sndMax;
        if (unsent > 0 && room > 0 && t.sndNxt == t.sndMax) {
            int length = Math.min(Math.min(unsent, t.sndMss), room);
            boolean fin = t.finQueued && t.sndNxt + length == dataEnd;
            int flags = TcpSegment.ACK | (length == unsent ? TcpSegment.PSH : 0) | (fin ? TcpSegment.FIN : 0);
            sendData(t, flags, t.sndNxt, length, false, now);
            t.sndNxt += length + (fin ? 1 : 0);
            advanceMax(t, now);
        } else {
            boolean fin = t.finSent();
            int top = fin ? dataEnd : t.sndMax;
            int seq = SeqNum.max(t.sndUna, top - t.sndMss);
            int length = Math.max(0, top - seq);
            if (length == 0 && !fin) {
                return;
            }
            int flags = TcpSegment.ACK | (seq + length == dataEnd ? TcpSegment.PSH : 0) | (fin ? TcpSegment.FIN : 0);
            sendData(t, flags, seq, length, true, now);
        }
        layer.counters.increment(TcpCounter.TAIL_LOSS_PROBES);
        t.probeOutstanding = true;
        t.probeEnd = t.sndMax;
        t.probeArmed = false;
        t.rtoArmed = true;
        t.rtoDeadline = now + t.rtt.rto();
    }

    private void sendData(Tcb t, int flags, int seq, int length, boolean retransmission, long now) {
        sendSegment(t, flags, seq, seq - t.sndBufSeq, length, now);
        t.lastDataSentNanos = now;
        if (retransmission) {
            layer.counters.increment(TcpCounter.RETRANSMITTED_SEGMENTS);
            // Karn: a retransmitted range gives no RTT sample; with timestamps, no ACK echoing a
            // time before this one does (SynchronizedInput.measureRtt).
            t.rtt.abandonTimingWithin(seq, length);
            markRetransmitted(t, now);
        } else if (!t.timestamps) {
            // With timestamps every ACK of new data echoes a TSval (RFC 7323 section 4), so no
            // segment is timed.
            t.rtt.timeIfIdle(seq, now);
        }
    }

    /** Karn's rule for timestamps: no ACK echoing a TSval older than this retransmission's gives a sample. */
    private static void markRetransmitted(Tcb t, long now) {
        if (t.timestamps) {
            t.retransmittedSinceEcho = true;
            t.retransmittedAtTsval = TimestampClock.tsval(now, t.tsOffset);
        }
    }

    /**
     * Fast retransmit / NewReno partial ACK (RFC 6582 3.2) / RFC 6675 (4.3): resends the first
     * unacknowledged segment without moving SND.NXT (not into what the peer SACKed).
     */
    void retransmitFirst(Tcb t, long now) {
        int dataEnd = t.dataEnd();
        int limit = t.scoreboard.nextSackedStart(t.sndUna, t.sndMax);
        int length = Math.max(0, Math.min(Math.min(t.sndMss, dataEnd - t.sndUna), limit - t.sndUna));
        boolean fin = t.finSent() && t.sndUna + length == dataEnd;
        if (length == 0 && !fin) {
            return;
        }
        int flags = TcpSegment.ACK | (fin ? TcpSegment.FIN : 0);
        sendData(t, flags, t.sndUna, length, true, now);
        t.congestion.onRetransmitted(t.sndUna, t.sndUna + length + (fin ? 1 : 0));
    }

    /**
     * Retransmissions loss recovery asks for now (RFC 6675 (C): NextSeg() while "cwnd - pipe >=
     * 1 SMSS"); none with NewReno. Each is one segment of sequence space, its FIN included.
     *
     * @param lostOnly NextSeg() rule (1) only (before new data); false: rules (3) and (4)
     * @return segments sent
     */
    private int recoveryRetransmissions(Tcb t, boolean lostOnly, long now) {
        int sent = 0;
        // Bounded: each one raises HighRxt or uses the one rescue; the bound guards a defect.
        for (int i = 0; i < MAX_RECOVERY_SEGMENTS_PER_OUTPUT; i++) {
            long next = t.congestion.nextRetransmission(t.sndUna, t.sndMax, t.sndMss, lostOnly);
            if (next == CongestionControl.NO_RETRANSMISSION) {
                break;
            }
            int seq = (int) (next >>> 32);
            int end = seq + (int) next;
            int dataEnd = t.dataEnd();
            int length = SeqNum.min(end, dataEnd) - seq;
            boolean fin = t.finSent() && SeqNum.gt(end, dataEnd);
            if (length < 0 || (length == 0 && !fin)) {
                break;
            }
            sendData(t, TcpSegment.ACK | (fin ? TcpSegment.FIN : 0), seq, length, true, now);
            layer.counters.increment(TcpCounter.SACK_RECOVERY_RETRANSMITS);
            t.congestion.onRetransmitted(seq, end);
            armRetransmission(t, now);
            sent++;
        }
        return sent;
    }

    /** At most this many retransmissions per output call (the window allows far fewer in practice). */
    private static final int MAX_RECOVERY_SEGMENTS_PER_OUTPUT = 256;

    /**
     * Zero-window probe: one byte at SND.NXT past the closed window; SND.NXT does not move, SND.MAX
     * covers the byte so that the peer's ACK of it is acceptable (SEG.ACK =< SND.MAX).
     */
    void sendWindowProbe(Tcb t, long now) {
        int available = t.dataEnd() - t.sndNxt;
        if (available <= 0) {
            return;
        }
        layer.counters.increment(TcpCounter.PERSIST_PROBES);
        sendSegment(t, TcpSegment.ACK, t.sndNxt, t.sndNxt - t.sndBufSeq, 1, now);
        if (SeqNum.gt(t.sndNxt + 1, t.sndMax)) {
            if (t.sndMax == t.sndUna) {
                // The user timeout measures how long sent data stays unacknowledged: from now,
                // not from the last ACK before the window closed (which may be long ago).
                t.unackedSinceNanos = now;
            }
            t.sndMax = t.sndNxt + 1;
        }
    }

    /** Keepalive probe (RFC 1122 4.2.3.6): SEG.SEQ = SND.NXT - 1, no data, so the peer must ACK. */
    void sendKeepalive(Tcb t, long now) {
        layer.counters.increment(TcpCounter.KEEPALIVE_PROBES);
        sendSegment(t, TcpSegment.ACK, t.sndNxt - 1, 0, 0, now);
    }

    /**
     * An ACK now: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, where SND.NXT is the highest sequence number
     * sent (SND.MAX): while retransmitting, SND.NXT has gone back to SND.UNA, and an ACK carrying
     * that old number would be unacceptable to the peer, which then ignores the ACK field (as
     * 4.4BSD's tcp_output notes, "for ACK only packets ... use snd_max").
     *
     * <p>Except while persisting: then SND.MAX counts the probe byte sent past the closed window
     * ({@link #sendWindowProbe}), which the peer normally drops, so its RCV.NXT is our SND.NXT.
     * RFC 9293 3.10.7.4 accepts a zero-length segment into a zero receive window only if
     * "SEG.SEQ = RCV.NXT" (Linux drops anything else with a duplicate ACK, and with it our ACK
     * and window update). Retransmission and persist never run together, so SND.NXT is then
     * the first unsent byte (4.4BSD's tcp_output makes the same exception for the persist state).
     */
    void sendAck(Tcb t, long now) {
        sendSegment(t, TcpSegment.ACK, t.controlSeq(), 0, 0, now);
    }

    /**
     * Builds one segment of this connection: header, options (on SYNs MSS, window scale,
     * SACK-permitted; timestamps on all once in use; SACK blocks on ACKs), up to
     * {@code length} payload bytes peeked from the send ring at {@code ringOffset}, checksum.
     */
    void sendSegment(Tcb t, int flags, int seq, int ringOffset, int length, long now) {
        byte[] buffer = ip.transmitBuffer();
        int at = ip.transportOffset();
        boolean syn = (flags & TcpSegment.SYN) != 0;
        boolean acks = (flags & TcpSegment.ACK) != 0;
        int window = windowField(t, syn);
        int ack = acks ? t.rcvNxt : 0;
        TcpSegment.writeHeader(buffer, at, t.localPort, t.remotePort, seq, ack, flags, window);
        int header = TcpSegment.HEADER_LENGTH;
        if (syn) {
            // RFC 9293 3.7.1: "TCP implementations SHOULD send an MSS Option in every SYN segment".
            header += TcpSegment.writeMssOption(buffer, at + header, t.rcvMss);
            if (t.offerWindowScale) {
                header += TcpSegment.writeWindowScaleOption(buffer, at + header, t.rcvScale);
            }
            if (t.sack) {
                header += TcpSegment.writeSackPermittedOption(buffer, at + header);
            }
        }
        if (t.timestamps) {
            // RFC 7323 3.2: "the TSopt MUST be sent in every non-<RST> segment"; 4.3 (4): "When a
            // TSopt is sent, its TSecr field is set to the current TS.Recent value" (0 in our
            // first SYN, which has no ACK: "the TSecr field ... MUST be zero" then).
            int echo = acks ? t.tsRecent : 0;
            header += TcpSegment.writeTimestampsOption(buffer, at + header, TimestampClock.tsval(now, t.tsOffset), echo);
        }
        boolean sackOwed = !syn && acks && t.sack && t.sackReport.hasBlocks(t.assembler);
        if (sackOwed) {
            header += writeSackBlocks(t, buffer, at + header, length);
        }
        if (header != TcpSegment.HEADER_LENGTH) {
            TcpSegment.setDataOffset(buffer, at, header);
        }
        if (length > 0) {
            // Defect guard: [seq, seq + length) must lie in the send ring (SND.UNA's byte at
            // offset 0 up to the queued end). Otherwise the copy would leave stale bytes from
            // another stream offset in the segment; sending nothing is safer (the retransmission
            // timer recovers), and the counter makes the defect visible.
            if (ringOffset < 0 || t.sendRing.peek(ringOffset, buffer, at + header, length) != length) {
                layer.counters.increment(TcpCounter.SEND_RANGE_OUTSIDE_RING);
                return;
            }
        }
        int total = header + length;
        writeChecksum(buffer, at, total, ip.localAddress(), t.remoteAddress);
        if (length > t.sndMss) {
            // One segment the device cuts into MSS-sized ones (TSO): same headers, consecutive
            // sequence numbers, so to the peer it is the segments this loop would have sent.
            layer.counters.increment(TcpCounter.SEGMENTS_SENT);
            layer.counters.increment(TcpCounter.SEGMENTED_SENDS);
            if (!ip.sendSegmented(t.remoteAddress, total, t.sndMss, now)) {
                layer.counters.increment(TcpCounter.SEND_FAILED);
            }
        } else {
            transmit(t.remoteAddress, total, layer.config.tcpPathMtuDiscovery && !t.pathMtuLocked, now);
        }
        layer.counters.add(TcpCounter.BYTES_SENT, length);
        if (acks) {
            t.ackNow = false;
            t.delayedAckArmed = false;
            t.segmentsSinceAck = 0;
            // Linux tcp_event_ack_sent: an ACK that leaves with the newest SACK blocks ends the
            // withholding of SACK compression. Linux's data segments always have room for them
            // (tcp_current_mss shrinks the payload); here a data segment filling the MSS carries
            // fewer or none (RFC 6691), and then the withheld ACK stays owed.
            if (!sackOwed || sackBlockRoom(t, length) == sackBlockRoom(t, 0)) {
                t.sackCompressedAcks = 0;
                t.sackCompressArmed = false;
            }
            t.lastAckSent = ack; // RFC 7323 4.3 (2): Last.ACK.sent
        }
    }

    /**
     * The SACK option (RFC 2018) with the blocks {@link SackReport} gives, as many as fit: 40 bytes
     * of options hold four blocks, three beside timestamps; a data segment holds only what its
     * payload leaves of the send MSS (RFC 6691: options and data share it). Returns the bytes
     * written (0: none fitted; a D-SACK block then waits for the next ACK).
     */
    private int writeSackBlocks(Tcb t, byte[] buffer, int at, int payload) {
        int blocks = sackBlockRoom(t, payload);
        if (blocks <= 0) {
            return 0;
        }
        int count = t.sackReport.build(t.assembler, t.rcvNxt, t.sackLeft, t.sackRight, blocks);
        if (count == 0) {
            return 0;
        }
        layer.counters.increment(TcpCounter.SACK_OPTIONS_SENT);
        return TcpSegment.writeSackOption(buffer, at, t.sackLeft, t.sackRight, count);
    }

    /** How many SACK blocks fit beside {@code payload} bytes of data (see {@link #writeSackBlocks}). */
    private static int sackBlockRoom(Tcb t, int payload) {
        int room = TcpSegment.MAX_HEADER_LENGTH - TcpSegment.HEADER_LENGTH - (t.timestamps ? SynOptions.TIMESTAMPS_OPTION_BYTES : 0);
        if (payload > 0) {
            room = Math.min(room, t.sndMss - payload);
        }
        return Math.min((room - 4) / 8, TcpSegment.MAX_SACK_BLOCKS);
    }

    /**
     * The window field: RCV.WND, scaled (never in a SYN, RFC 7323 2.2). Receiver SWS avoidance
     * (RFC 1122 4.2.3.3, RFC 9293 3.8.6.2.2): the right edge moves only when it can move by at least
     * min(RCV.BUFF / 2, Eff.snd.MSS), a full segment's payload ({@link Tcb#fullSegmentPayload});
     * it never moves left.
     */
    private static int windowField(Tcb t, boolean syn) {
        int free = t.receiveSpace();
        int announced = t.rcvAdv - t.rcvNxt;
        if (announced < 0) {
            announced = 0;
        }
        if (free - announced >= Math.min(t.receiveBuffer() / 2, t.fullSegmentPayload())) {
            t.rcvAdv = t.rcvNxt + free;
            announced = free;
        }
        if (syn) {
            return Math.min(announced, 0xFFFF);
        }
        return Math.min(announced >>> t.rcvScale, 0xFFFF);
    }

    /** A segment that belongs to no TCB: RST replies and TIME-WAIT ACKs. */
    void sendBare(int localPort, int remoteAddress, int remotePort, int seq, int ack, int flags, int window, long now) {
        byte[] buffer = ip.transmitBuffer();
        int at = ip.transportOffset();
        TcpSegment.writeHeader(buffer, at, localPort, remotePort, seq, ack, flags, window);
        writeChecksum(buffer, at, TcpSegment.HEADER_LENGTH, ip.localAddress(), remoteAddress);
        transmit(remoteAddress, TcpSegment.HEADER_LENGTH, now);
    }

    /**
     * A TIME-WAIT entry's ACK of a connection that used timestamps: RFC 7323 3.2, the TSopt goes
     * in every non-RST segment, TSval from the connection's clock, TSecr its TS.Recent.
     */
    void sendBareWithTimestamps(int localPort, int remoteAddress, int remotePort, int seq, int ack, int window,
                                int tsOffset, int tsRecent, long now) {
        byte[] buffer = ip.transmitBuffer();
        int at = ip.transportOffset();
        TcpSegment.writeHeader(buffer, at, localPort, remotePort, seq, ack, TcpSegment.ACK, window);
        int header = TcpSegment.HEADER_LENGTH
                + TcpSegment.writeTimestampsOption(buffer, at + TcpSegment.HEADER_LENGTH, TimestampClock.tsval(now, tsOffset), tsRecent);
        TcpSegment.setDataOffset(buffer, at, header);
        writeChecksum(buffer, at, header, ip.localAddress(), remoteAddress);
        transmit(remoteAddress, header, now);
    }

    /**
     * The RST answering a segment that has no connection (RFC 9293 3.10.7.1, and a SYN no TCB is
     * left for): "If the ACK bit is off, sequence number zero is used, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>;
     * if the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>".
     */
    void resetFor(InboundSegment seg) {
        if (seg.has(TcpSegment.ACK)) {
            sendReset(seg.destinationPort(), seg.source(), seg.sourcePort(), seg.ack(), 0, TcpSegment.RST,
                    seg.arrivalNanos());
        } else {
            sendReset(seg.destinationPort(), seg.source(), seg.sourcePort(), 0, seg.seq() + seg.segmentLength(),
                    TcpSegment.RST | TcpSegment.ACK, seg.arrivalNanos());
        }
    }

    /**
     * A SYN,ACK that keeps no state (RFC 4987 3.6): SEQ is the SYN cookie, with the MSS option and
     * no window scale (a cookie cannot remember the peer's). The window is unscaled.
     */
    void sendCookieSynAck(int localPort, int remoteAddress, int remotePort, int cookie, int ack, int window, int mss, long now) {
        byte[] buffer = ip.transmitBuffer();
        int at = ip.transportOffset();
        TcpSegment.writeHeader(buffer, at, localPort, remotePort, cookie, ack, TcpSegment.SYN | TcpSegment.ACK, window);
        int header = TcpSegment.HEADER_LENGTH + TcpSegment.writeMssOption(buffer, at + TcpSegment.HEADER_LENGTH, mss);
        TcpSegment.setDataOffset(buffer, at, header);
        writeChecksum(buffer, at, header, ip.localAddress(), remoteAddress);
        transmit(remoteAddress, header, now);
    }

    void sendReset(int localPort, int remoteAddress, int remotePort, int seq, int ack, int flags, long now) {
        sendBare(localPort, remoteAddress, remotePort, seq, ack, flags, 0, now);
    }

    /** RFC 9293 3.1's checksum, or only its pseudo-header part for a device that completes it. */
    private void writeChecksum(byte[] buffer, int at, int length, int source, int destination) {
        if (partialChecksum) {
            TcpSegment.writePartialChecksum(buffer, at, length, source, destination);
        } else {
            TcpSegment.writeChecksum(buffer, at, length, source, destination);
        }
    }

    private void transmit(int destination, int length, long now) {
        transmit(destination, length, false, now);
    }

    /**
     * @param dontFragment the IPv4 DF flag: on every segment of a connection while path MTU discovery
     *     (RFC 1191) is on and its estimate is above the floor; never on segments without a TCB
     */
    private void transmit(int destination, int length, boolean dontFragment, long now) {
        layer.counters.increment(TcpCounter.SEGMENTS_SENT);
        if (!ip.send(destination, TcpSegment.PROTOCOL, length, dontFragment, now)) {
            layer.counters.increment(TcpCounter.SEND_FAILED);
        }
    }
}
