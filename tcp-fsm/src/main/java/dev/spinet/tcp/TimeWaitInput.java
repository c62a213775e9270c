package dev.spinet.tcp;

import dev.spinet.config.StackConfig;
import dev.spinet.wire.SeqNum;
import dev.spinet.wire.TcpSegment;

/**
 * Segment arrival in TIME-WAIT, every connection's: it lives on as a compact {@link TimeWaitTable}
 * entry (the TCB, if its application still reads, is detached from the 4-tuple). RFC 9293
 * 3.10.7.4 with RFC 5961 for RST and SYN, RFC 7323 PAWS and timestamps on its answers, and RFC
 * 6191 / RFC 1122 4.2.2.13 for a SYN that starts a new incarnation (handed to {@link ListenInput}).
 */
final class TimeWaitInput {

    private final TcpLayer layer;
    private final StackConfig config;
    private final ListenInput listenInput;

    TimeWaitInput(TcpLayer layer, ListenInput listenInput) {
        this.layer = layer;
        this.config = layer.config;
        this.listenInput = listenInput;
    }

    /** A segment for the connection of TIME-WAIT entry {@code entry}. */
    void segment(int entry, InboundSegment seg) {
        long now = seg.arrivalNanos();
        int seq = seg.seq();
        TimeWaitTable table = layer.timeWait;
        int rcvNxt = table.rcvNxt(entry);
        int sndNxt = table.sndNxt(entry);
        int window = table.windowField(entry);
        if (seg.has(TcpSegment.RST)) {
            // RFC 9293 3.10.7.4 (TIME-WAIT: "enter the CLOSED state"), with RFC 5961 3.2: an exact
            // match resets (unless RFC 1337's protection is on); "If the RST bit is set and the sequence number does not exactly match the
            // next expected sequence value, yet is within the current receive window, TCP endpoints
            // MUST send an acknowledgment (challenge ACK)"; outside the window it is dropped.
            if (seq == rcvNxt && config.tcpRfc1337) {
                // RFC 1337 section 3, TIME-WAIT assassination: an old duplicate segment draws an ACK
                // from TIME-WAIT, the peer (which has forgotten the connection) answers it with a RST
                // whose sequence number is the expected one, and ending TIME-WAIT on it lets a new
                // incarnation meet old duplicates (hazard TW2; TW1 and TW3 follow from it). "Fix: ...
                // ignore RST segments in TIME-WAIT state." The entry lives out its 2 MSL; a RST
                // anywhere else in the window still gets RFC 5961 3.2's challenge ACK below, and one
                // outside it is dropped, as in every synchronized state.
                layer.counters.increment(TcpCounter.RST_IGNORED_IN_TIME_WAIT);
            } else if (seq == rcvNxt) {
                layer.counters.increment(TcpCounter.RST_ACCEPTED);
                int id = table.connectionId(entry);
                table.remove(entry);
                layer.observer.onTransition(id, TcpState.TIME_WAIT, TcpState.CLOSED, TransitionCause.RCV_RST);
            } else if (SeqNum.gt(seq, rcvNxt) && SeqNum.lt(seq, rcvNxt + table.rcvWnd(entry))) {
                challengeAckFromTimeWait(table, entry, seg, sndNxt, rcvNxt, window);
            } else {
                layer.counters.increment(TcpCounter.RST_IGNORED);
            }
            return;
        }
        if (seg.has(TcpSegment.SYN)) {
            Listener listener = seg.has(TcpSegment.ACK) ? null : layer.findListener(seg.destinationPort());
            // RFC 9293 3.10.7.4 / RFC 6191 / RFC 1122 4.2.2.13: a SYN (no ACK) may start a new
            // incarnation if it cannot be an old duplicate (reopensTimeWait).
            if (listener != null && reopensTimeWait(table, entry, seg, rcvNxt)) {
                layer.counters.increment(TcpCounter.TIME_WAIT_REOPENED);
                int id = table.connectionId(entry);
                table.remove(entry);
                layer.observer.onTransition(id, TcpState.TIME_WAIT, TcpState.CLOSED, TransitionCause.RCV_SYN);
                listenInput.reopenFromTimeWait(listener, seg, sndNxt);
                return;
            }
            // Otherwise (a SYN,ACK included) RFC 5961 4.2: a challenge ACK.
            challengeAckFromTimeWait(table, entry, seg, sndNxt, rcvNxt, window);
            return;
        }
        if (table.timestamps(entry) && seg.hasTimestamps() && TimestampClock.before(seg.timestampValue(), table.tsRecent(entry))) {
            // RFC 7323 5.3 R1, PAWS, for the connection's last segments too: an old duplicate is
            // not acceptable; it gets the (throttled) ACK an unacceptable segment gets.
            layer.counters.increment(TcpCounter.PAWS_REJECTED);
            if (table.tryOutOfWindowAck(entry, now, SynchronizedInput.OUT_OF_WINDOW_ACK_INTERVAL_NANOS)) {
                layer.counters.increment(TcpCounter.TIME_WAIT_ACK_SENT);
                answer(table, entry, seg, sndNxt, rcvNxt, window);
            } else {
                layer.counters.increment(TcpCounter.OUT_OF_WINDOW_ACK_RATE_LIMITED);
            }
            return;
        }
        if (seg.has(TcpSegment.FIN) && seq + seg.payloadLength() + 1 == rcvNxt) {
            // "The only thing that can arrive in this state is a retransmission of the remote FIN.
            // Acknowledge it, and restart the 2 MSL timeout." (RFC 9293 3.10.7.4.) Only a FIN
            // whose sequence number is the one already received (RCV.NXT - 1): any other FIN
            // restarting the timer would let anyone who knows the 4-tuple keep the entry forever.
            layer.counters.increment(TcpCounter.TIME_WAIT_ACK_SENT);
            if (table.timestamps(entry) && seg.hasTimestamps()) {
                // RFC 7323 4.3 (3): the FIN again at Last.ACK.sent - 1, its TSval not older.
                table.setTsRecent(entry, seg.timestampValue());
            }
            answer(table, entry, seg, sndNxt, rcvNxt, window);
            table.setDeadline(entry, now + 2 * config.tcpMslNanos);
            return;
        }
        if (seg.has(TcpSegment.FIN) || seg.segmentLength() > 0 || seq != rcvNxt) {
            // Unacceptable (RFC 9293 3.10.7.4 first check): <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>,
            // at most one per entry every 500 ms as for a connection's out-of-window ACKs, so two
            // ends that disagree cannot answer each other's ACKs forever.
            if (table.tryOutOfWindowAck(entry, now, SynchronizedInput.OUT_OF_WINDOW_ACK_INTERVAL_NANOS)) {
                layer.counters.increment(TcpCounter.TIME_WAIT_ACK_SENT);
                answer(table, entry, seg, sndNxt, rcvNxt, window);
            } else {
                layer.counters.increment(TcpCounter.OUT_OF_WINDOW_ACK_RATE_LIMITED);
            }
            return;
        }
        layer.counters.increment(TcpCounter.TIME_WAIT_DROPPED);
    }

    /**
     * RFC 6191 section 2, which timestamps make exact: "If the previous incarnation of the
     * connection used Timestamps, then: if TCP Timestamps would be enabled for the new incarnation
     * of the connection, and the timestamp contained in the incoming SYN segment is greater than
     * the last timestamp seen on the previous incarnation ... honor the connection request"; with
     * an equal timestamp, if "the Sequence Number of the incoming SYN segment is greater than the
     * last sequence number seen"; without timestamps on either incarnation, by the sequence
     * number alone (RFC 1122 4.2.2.13). A SYN whose TSval is older is an old duplicate, whatever
     * its sequence number.
     */
    private boolean reopensTimeWait(TimeWaitTable table, int entry, InboundSegment seg, int rcvNxt) {
        boolean above = SeqNum.gt(seg.seq(), rcvNxt);
        if (table.timestamps(entry) && config.tcpTimestamps && seg.hasTimestamps()) {
            int tsVal = seg.timestampValue();
            int tsRecent = table.tsRecent(entry);
            return TimestampClock.before(tsRecent, tsVal) || (tsVal == tsRecent && above);
        }
        return above;
    }

    /** <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> from the entry, with the connection's timestamps if it used them. */
    private void answer(TimeWaitTable table, int entry, InboundSegment seg, int sndNxt, int rcvNxt, int window) {
        long now = seg.arrivalNanos();
        if (table.timestamps(entry)) {
            layer.output.sendBareWithTimestamps(seg.destinationPort(), seg.source(), seg.sourcePort(), sndNxt, rcvNxt, window,
                    table.tsOffset(entry), table.tsRecent(entry), now);
        } else {
            layer.output.sendBare(seg.destinationPort(), seg.source(), seg.sourcePort(), sndNxt, rcvNxt, TcpSegment.ACK, window, now);
        }
    }

    /** A challenge ACK from a TIME-WAIT entry, under that entry's own budget (RFC 5961 section 7). */
    private void challengeAckFromTimeWait(TimeWaitTable table, int entry, InboundSegment seg, int sndNxt, int rcvNxt, int window) {
        long now = seg.arrivalNanos();
        if (table.tryChallengeAck(entry, now)) {
            layer.counters.increment(TcpCounter.CHALLENGE_ACK_SENT);
            answer(table, entry, seg, sndNxt, rcvNxt, window);
        } else {
            layer.counters.increment(TcpCounter.CHALLENGE_ACK_RATE_LIMITED);
        }
    }
}
