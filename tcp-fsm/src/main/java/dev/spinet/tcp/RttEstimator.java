package dev.spinet.tcp;

import dev.spinet.wire.SeqNum;

/**
 * One connection's retransmission timeout, RFC 6298: the smoothed round-trip time and its
 * variation, the RTO derived from them with its bounds and exponential back-off, and the one
 * segment being timed, with Karn's rule (section 3: "RTT samples MUST NOT be made using segments
 * that were retransmitted"). Built with its {@link Tcb}; {@link #start} readies it for each new
 * connection.
 */
final class RttEstimator {

    /**
     * RFC 6298 5.7: "If the timer expires awaiting the ACK of a SYN segment and the TCP
     * implementation is using an RTO less than 3 seconds, the RTO MUST be re-initialized to 3
     * seconds when data transmission begins (i.e., after the three-way handshake completes)."
     */
    static final long RTO_AFTER_SYN_TIMEOUT_NANOS = 3_000_000_000L;

    /** The configured RTO before any sample (2.1), its floor (2.4) and its ceiling (2.5). */
    private final long initialNanos;
    private final long minNanos;
    private final long maxNanos;

    private long srtt;
    private long rttvar;
    private long rto;
    private boolean haveSample;

    // The segment being timed (RFC 6298 section 3: one measurement at a time).
    private boolean timing;
    private int timedSeq;
    private long timedSentNanos;

    RttEstimator(long initialNanos, long minNanos, long maxNanos) {
        this.initialNanos = initialNanos;
        this.minNanos = minNanos;
        this.maxNanos = maxNanos;
    }

    /** RFC 6298 2.1: "Until a round-trip time (RTT) measurement has been made ... RTO <- 1 second" (configurable). */
    void start() {
        srtt = 0;
        rttvar = 0;
        rto = initialNanos;
        haveSample = false;
        timing = false;
        timedSeq = 0;
        timedSentNanos = 0;
    }

    /** The current retransmission timeout in nanoseconds. */
    long rto() {
        return rto;
    }

    /** The smoothed round-trip time (RFC 6298 SRTT) in nanoseconds; 0 before the first sample. */
    long srtt() {
        return haveSample ? srtt : 0;
    }

    /**
     * A segment carrying {@code seq} leaves for the first time: it is timed unless another one
     * already is.
     */
    void timeIfIdle(int seq, long now) {
        if (!timing) {
            timing = true;
            timedSeq = seq;
            timedSentNanos = now;
        }
    }

    /** Karn: the timed segment went out again, so its ACK may answer either copy: no sample. */
    void abandonTiming() {
        timing = false;
    }

    /** Karn for a retransmitted range [seq, seq + length): abandons the timing if it covers the timed byte. */
    void abandonTimingWithin(int seq, int length) {
        if (timing && SeqNum.ge(timedSeq, seq) && SeqNum.lt(timedSeq, seq + length)) {
            timing = false;
        }
    }

    /** SND.UNA moved to {@code ack}: if that covers the timed segment, it gives a sample. */
    void onAck(int ack, long now) {
        if (timing && SeqNum.gt(ack, timedSeq)) {
            sample(now - timedSentNanos);
        }
    }

    /**
     * A round-trip time measured with timestamps (RFC 7323 section 4.1, RTTM): the TSecr of an ACK
     * that moved SND.UNA, so it needs no timed segment and no Karn's rule. Such samples come with
     * every ACK, many per round trip, where RFC 6298 assumed one: RFC 7323 appendix G divides alpha
     * and beta by "ExpectedSamples = ceiling(FlightSize / (SMSS * 2))" (an ACK per two segments),
     * so that the averages still span about one round trip.
     *
     * @param flightSize bytes that were outstanding when the ACK arrived
     */
    void timestampSample(long sample, int flightSize, int smss) {
        int expected = Math.max(1, (flightSize + 2 * smss - 1) / (2 * smss));
        sample(sample, expected);
    }

    private void sample(long sample) {
        sample(sample, 1);
    }

    /**
     * RFC 6298 2.2/2.3 with alpha 1/8, beta 1/4 (each divided by {@code samplesPerRtt}), K 4,
     * G 1 ms; RTO clamped to [min, max] (2.4, 2.5).
     */
    private void sample(long sample, int samplesPerRtt) {
        timing = false;
        if (sample < 0) {
            return;
        }
        if (!haveSample) {
            // 2.2: "SRTT <- R, RTTVAR <- R/2"
            srtt = sample;
            rttvar = sample / 2;
            haveSample = true;
        } else {
            // 2.3: "RTTVAR <- (1 - beta) * RTTVAR + beta * |SRTT - R'|", then "SRTT <- (1 - alpha) * SRTT + alpha * R'"
            long delta = Math.abs(srtt - sample);
            if (samplesPerRtt == 1) {
                rttvar = rttvar - (rttvar >> 2) + (delta >> 2);
                srtt = srtt - (srtt >> 3) + (sample >> 3);
            } else {
                rttvar += (delta - rttvar) / (4L * samplesPerRtt);
                srtt += (sample - srtt) / (8L * samplesPerRtt);
            }
        }
        long computed = srtt + Math.max(1_000_000L, 4 * rttvar);
        rto = Math.max(minNanos, Math.min(computed, maxNanos));
    }

    /**
     * The retransmission timer expired. RFC 6298 5.5: "back off the timer": RTO = RTO * 2, at most
     * the maximum; and Karn: what goes out again gives no sample.
     */
    void onRetransmissionTimeout() {
        rto = Math.min(rto * 2, maxNanos);
        timing = false;
    }

    /**
     * Data transmission begins after our SYN (or SYN,ACK) timed out: Karn left no sample from the
     * handshake, so the backed-off RTO gives way to 3 s (RFC 6298 5.7), or to the configured
     * initial RTO if larger, within the configured maximum.
     */
    void restartAfterLostSyn() {
        rto = Math.min(Math.max(RTO_AFTER_SYN_TIMEOUT_NANOS, initialNanos), maxNanos);
    }
}
