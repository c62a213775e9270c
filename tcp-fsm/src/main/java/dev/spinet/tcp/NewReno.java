package dev.spinet.tcp;

import dev.spinet.wire.SeqNum;
import dev.spinet.wire.TcpSegment;

/**
 * TCP congestion control of RFC 5681 (slow start, congestion avoidance, fast retransmit and fast
 * recovery) with RFC 6582's NewReno modification of fast recovery, and appropriate byte counting
 * in slow start (RFC 3465). One per {@link Tcb}, built with it.
 */
final class NewReno implements CongestionControl {

    /** Upper bound of cwnd: far beyond any window, and doubling it cannot overflow an int. */
    private static final int MAX_CWND = 1 << 30;

    private int cwnd;
    private int ssthresh;
    /** Bytes acknowledged since cwnd last grew in congestion avoidance (RFC 5681 3.1 byte counting). */
    private int bytesAckedInAvoidance;
    private int dupAcks;
    /** RFC 6582 "recover": the highest sequence number sent when fast recovery or a timeout began. */
    private int recover;
    private boolean inRecovery;

    @Override
    public void start(int iss) {
        cwnd = TcpSegment.DEFAULT_MSS;
        ssthresh = Integer.MAX_VALUE / 2; // RFC 5681 3.1: "arbitrarily high"
        bytesAckedInAvoidance = 0;
        dupAcks = 0;
        recover = iss; // RFC 6582 3.2 step 1: recover starts at the initial send sequence number
        inRecovery = false;
    }

    @Override
    public int cwnd() {
        return cwnd;
    }

    @Override
    public int ssthresh() {
        return ssthresh;
    }

    @Override
    public void onHandshakeComplete(int smss, boolean synTimedOut) {
        cwnd = InitialWindow.bytes(smss, synTimedOut);
    }

    @Override
    public boolean onNewAck(int ack, int acked, int flightSize, int smss) {
        if (inRecovery) {
            if (SeqNum.ge(ack, recover)) {
                // RFC 6582 3.2 step 3, full ACK: "Set cwnd to min(ssthresh, max(FlightSize, SMSS) + SMSS)".
                cwnd = Math.min(ssthresh, Math.max(flightSize, smss) + smss);
                inRecovery = false;
                dupAcks = 0;
                return false;
            }
            // Partial ACK: the caller retransmits the first unacknowledged segment; "deflate the
            // congestion window by the amount of new data acknowledged ... add back SMSS".
            cwnd = Math.max(cwnd - acked + (acked >= smss ? smss : 0), smss);
            return true;
        }
        dupAcks = 0;
        if (cwnd < ssthresh) {
            // Slow start, RFC 3465 2.2 (appropriate byte counting, L = 2): "cwnd +=
            // min(N, L*SMSS)". RFC 5681 3.1's min(N, SMSS) grows cwnd by only half a
            // segment per segment against a receiver that acknowledges every second one.
            cwnd += Math.min(acked, 2 * smss);
            bytesAckedInAvoidance = 0;
        } else {
            // Congestion avoidance, RFC 5681 3.1: "The RECOMMENDED way to increase cwnd
            // during congestion avoidance is to count the number of bytes that have been
            // acknowledged": one SMSS per cwnd of acknowledged bytes, whatever the ACK rate.
            bytesAckedInAvoidance += acked;
            if (bytesAckedInAvoidance >= cwnd) {
                bytesAckedInAvoidance -= cwnd;
                cwnd += smss;
            }
        }
        if (cwnd > MAX_CWND) {
            cwnd = MAX_CWND;
        }
        return false;
    }

    @Override
    public boolean onDuplicateAck(int ack, int sndMax, int flightSize, int smss) {
        dupAcks++;
        if (dupAcks == 3 && !inRecovery && SeqNum.ge(ack, recover)) {
            // RFC 6582 3.2 step 2 / RFC 5681 3.2: fast retransmit (the caller's), then fast
            // recovery: ssthresh by equation 4, "cwnd = ssthresh + 3*SMSS".
            ssthresh = Math.max(flightSize / 2, 2 * smss);
            recover = sndMax;
            inRecovery = true;
            cwnd = ssthresh + 3 * smss;
            return true;
        }
        if (dupAcks > 3 && inRecovery) {
            // "For each additional duplicate ACK received ... increment cwnd by SMSS"
            cwnd += smss;
        }
        return false;
    }

    @Override
    public void onRetransmissionTimeout(boolean handshake, int sndMax, int flightSize, int smss) {
        if (!handshake) {
            // RFC 5681 3.1 equation 4 and "cwnd to no more than ... 1 full-sized segment".
            ssthresh = Math.max(flightSize / 2, 2 * smss);
            cwnd = smss;
        }
        // RFC 6582 3.2 step 4... after a timeout, recover is the highest sequence sent.
        recover = sndMax;
        inRecovery = false;
        dupAcks = 0;
    }
}
