package dev.spinet.lab;

import dev.spinet.tcp.TcbSnapshot;

/**
 * One side's sending state at an instant of a lab, read through {@link dev.spinet.tcp.TcpLayer#snapshot}
 * after a duty cycle in which it changed: what the report plots as cwnd, ssthresh, the peer's
 * window and the RTO over time.
 *
 * @param ssthresh the slow start threshold, or -1 while it is still "arbitrarily high" (RFC 5681 3.1)
 */
public record LabSample(long nanos, Side side, int connection, int cwnd, int ssthresh, long rtoNanos, long srttNanos,
                        int sndUna, int sndMax, int sndWnd, int mss, int iss) {

    static LabSample of(long nanos, Side side, int connection, TcbSnapshot s) {
        return new LabSample(nanos, side, connection, s.cwnd(), s.ssthreshSet() ? s.ssthresh() : -1, s.rtoNanos(),
                s.srttNanos(), s.sndUna(), s.sndMax(), s.sndWnd(), s.sndMss(), s.iss());
    }

    /** Bytes in flight: sent and not yet acknowledged. */
    public int flightSize() {
        return sndMax - sndUna;
    }

    /** Whether every plotted value equals {@code other}'s (the time aside). */
    boolean sameValues(LabSample other) {
        return other != null && connection == other.connection && cwnd == other.cwnd && ssthresh == other.ssthresh
                && rtoNanos == other.rtoNanos && srttNanos == other.srttNanos && sndUna == other.sndUna
                && sndMax == other.sndMax && sndWnd == other.sndWnd && mss == other.mss;
    }
}
