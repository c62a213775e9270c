package dev.spinet.tcp;

import dev.spinet.wire.TcpSegment;

/**
 * cwnd and ssthresh and the growth both loss recoveries share (RFC 5681 section 3.1): slow start
 * by appropriately counted bytes (RFC 3465, L = 2 SMSS), congestion avoidance by byte counting,
 * and the collapse after a retransmission timeout. Owned by {@link NewReno} or
 * {@link SackRecovery}, which decide what a loss does to it.
 */
final class CongestionWindow {

    /** Upper bound of cwnd: far beyond any window, and doubling it cannot overflow an int. */
    static final int MAX_CWND = 1 << 30;

    int cwnd;
    int ssthresh;
    /** Bytes acknowledged since cwnd last grew in congestion avoidance (RFC 5681 3.1 byte counting). */
    private int bytesAckedInAvoidance;

    void start() {
        cwnd = TcpSegment.DEFAULT_MSS;
        ssthresh = Integer.MAX_VALUE / 2; // RFC 5681 3.1: "arbitrarily high"
        bytesAckedInAvoidance = 0;
    }

    void onHandshakeComplete(int smss, boolean synTimedOut) {
        cwnd = InitialWindow.bytes(smss, synTimedOut);
    }

    /** An ACK of {@code acked} new bytes outside loss recovery. */
    void grow(int acked, int smss) {
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
    }

    /**
     * RFC 5681 4.1: "TCP SHOULD set cwnd to no more than RW before beginning transmission if the
     * TCP has not sent data in an interval exceeding the retransmission timeout", where "RW =
     * min(IW,cwnd)". IW by equation 3 for the current SMSS; ssthresh stays (the section asks
     * nothing of it), so slow start climbs back to where the connection was.
     */
    void restartAfterIdle(int smss) {
        int restart = InitialWindow.bytes(smss, false);
        if (cwnd > restart) {
            cwnd = restart;
            bytesAckedInAvoidance = 0;
        }
    }

    /** RFC 5681 3.1 equation 4: "ssthresh = max (FlightSize / 2, 2*SMSS)". */
    void halveThreshold(int flightSize, int smss) {
        ssthresh = Math.max(flightSize / 2, 2 * smss);
    }

    /** RFC 5681 3.1 after a retransmission timeout: ssthresh by equation 4, cwnd "no more than ... 1 full-sized segment". */
    void collapse(int flightSize, int smss) {
        halveThreshold(flightSize, smss);
        cwnd = smss;
        bytesAckedInAvoidance = 0;
    }
}
