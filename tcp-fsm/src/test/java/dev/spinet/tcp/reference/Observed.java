package dev.spinet.tcp.reference;

import dev.spinet.wire.TcpSegment;

/**
 * A segment normalised for comparison: the flags RFC 9293 gives meaning to here (FIN, SYN, RST,
 * ACK; PSH, URG and ECN bits are dropped), seq relative to L, ack relative to P (only when ACK
 * is set), payload length, and whether the window is zero; and of the options those that
 * scenarios about SACK and timestamps compare: SACK-permitted, the timestamps option with its
 * TSecr (relative to the peer's first TSval; the stack's own TSval is its clock and differs), and
 * the SACK blocks (relative to P). Exact windows, MSS, window scale, IP ID and TTL are left out on
 * purpose: they differ between correct stacks.
 *
 * @param sack SACK blocks as left, right pairs relative to P (empty: no SACK option)
 */
record Observed(int flags, int seq, int ack, int length, boolean zeroWindow, boolean absoluteZeroSeq,
                boolean sackPermitted, boolean timestamps, int tsEcr, int[] sack, long atNanos) {

    static final int COMPARED_FLAGS = TcpSegment.FIN | TcpSegment.SYN | TcpSegment.RST | TcpSegment.ACK;

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Sequence space the segment occupies (SYN and FIN count one each). */
    int sequenceLength() {
        return length + (has(TcpSegment.SYN) ? 1 : 0) + (has(TcpSegment.FIN) ? 1 : 0);
    }

    /**
     * Same flags, seq and length: a retransmission when it occupies sequence space (its ACK field
     * may have moved on). A SYN must also repeat its ACK field: a SYN,ACK acknowledging another
     * SYN is a new connection, even when a fixed ISN source gives it the same sequence number.
     */
    boolean sameSegment(Observed other) {
        return flags == other.flags && seq == other.seq && length == other.length
                && ((flags & TcpSegment.SYN) == 0 || ack == other.ack);
    }

    @Override
    public String toString() {
        // A RST answering a segment without ACK carries SEQ=0 (3.10.7.1), not a number relative to L.
        StringBuilder text = new StringBuilder(flagNames(flags)).append(absoluteZeroSeq ? " SEQ=0" : " L+" + seq);
        if (has(TcpSegment.ACK)) {
            text.append(" P+").append(ack);
        }
        if (length > 0) {
            text.append(" len=").append(length);
        }
        if (zeroWindow && !has(TcpSegment.RST)) {
            text.append(" win=0");
        }
        // The options are recorded only in scenarios whose peer offers them (ScenarioRunner).
        if (sackPermitted && has(TcpSegment.SYN)) {
            text.append(" sackOK");
        }
        if (timestamps) {
            text.append(has(TcpSegment.ACK) ? " TSecr=" + tsEcr : " TS");
        }
        for (int i = 0; i < sack.length; i += 2) {
            text.append(i == 0 ? " SACK " : ",").append("P+").append(sack[i]).append("..P+").append(sack[i + 1]);
        }
        return text.toString();
    }

    static String flagNames(int flags) {
        StringBuilder text = new StringBuilder();
        int[] order = {TcpSegment.SYN, TcpSegment.FIN, TcpSegment.RST, TcpSegment.PSH, TcpSegment.ACK};
        String[] ordered = {"SYN", "FIN", "RST", "PSH", "ACK"};
        for (int i = 0; i < order.length; i++) {
            if ((flags & order[i]) != 0) {
                text.append(text.isEmpty() ? "" : ",").append(ordered[i]);
            }
        }
        return text.isEmpty() ? "(none)" : text.toString();
    }
}
