package dev.spinet.tcp;

/**
 * One connection's sending state at an instant, copied out by {@link TcpLayer#snapshot}: the
 * send sequence variables of RFC 9293 3.3.1, the congestion window and slow start threshold of
 * RFC 5681, and the retransmission timeout and smoothed round-trip time of RFC 6298. Plots and
 * probes read these without touching the engine: the caller allocates one snapshot and refills
 * it as often as it likes (filling it allocates nothing, so a probe may sit beside the duty cycle).
 *
 * <p>Sequence numbers are raw 32-bit values (compare them with {@code dev.spinet.wire.SeqNum}).
 */
public final class TcbSnapshot {

    /** ssthresh before the first loss: RFC 5681 3.1 "arbitrarily high"; at or above this it is "not set". */
    public static final int SSTHRESH_UNSET = 1 << 29;

    TcpState state = TcpState.CLOSED;
    int iss;
    int sndUna;
    int sndNxt;
    int sndMax;
    int sndWnd;
    int sndMss;
    int cwnd;
    int ssthresh;
    long rtoNanos;
    long srttNanos;
    int retries;
    int irs;
    int rcvNxt;
    int rcvWnd;
    IcmpError softError;
    int pathMtu;

    public TcpState state() {
        return state;
    }

    /** Initial send sequence number. */
    public int iss() {
        return iss;
    }

    /** SND.UNA: oldest unacknowledged sequence number. */
    public int sndUna() {
        return sndUna;
    }

    /** SND.NXT: next sequence number to send (pulled back after a retransmission timeout). */
    public int sndNxt() {
        return sndNxt;
    }

    /** The highest sequence number sent so far, plus one. */
    public int sndMax() {
        return sndMax;
    }

    /** SND.WND: the window the peer last advertised, in bytes (scaled). */
    public int sndWnd() {
        return sndWnd;
    }

    /** The effective send MSS. */
    public int sndMss() {
        return sndMss;
    }

    /** Bytes outstanding: SND.MAX - SND.UNA (RFC 5681 FlightSize, SYN and FIN included). */
    public int flightSize() {
        return sndMax - sndUna;
    }

    /** Congestion window in bytes. */
    public int cwnd() {
        return cwnd;
    }

    /** Slow start threshold in bytes; {@code >= SSTHRESH_UNSET} until the first loss. */
    public int ssthresh() {
        return ssthresh;
    }

    /** Whether ssthresh has been set by a loss (else it is still "arbitrarily high"). */
    public boolean ssthreshSet() {
        return ssthresh < SSTHRESH_UNSET;
    }

    /** The retransmission timeout in nanoseconds, backed off after each expiry (RFC 6298 5.5). */
    public long rtoNanos() {
        return rtoNanos;
    }

    /** SRTT in nanoseconds; 0 before the first round-trip sample. */
    public long srttNanos() {
        return srttNanos;
    }

    /** Consecutive retransmissions of the oldest unacknowledged segment. */
    public int retries() {
        return retries;
    }

    /** Initial receive sequence number. */
    public int irs() {
        return irs;
    }

    /** RCV.NXT: next sequence number expected from the peer. */
    public int rcvNxt() {
        return rcvNxt;
    }

    /** The receive window last advertised, in bytes (right edge minus RCV.NXT). */
    public int rcvWnd() {
        return rcvWnd;
    }

    /** The last ICMP soft error reported about the connection's segments (RFC 1122 4.2.3.9), or null. */
    public IcmpError softError() {
        return softError;
    }

    /** The path MTU estimate (RFC 1191): the interface's MTU until a router reported a narrower link. */
    public int pathMtu() {
        return pathMtu;
    }
}
