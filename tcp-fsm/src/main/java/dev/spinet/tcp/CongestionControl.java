package dev.spinet.tcp;

/**
 * A connection's congestion control: the congestion window and what moves it. The events are
 * the ones RFC 5681 names (the initial window, an ACK of new data, a duplicate ACK, a
 * retransmission timeout); entering and leaving fast recovery happen inside them. Sealed with
 * its one implementation, {@link NewReno}: every call site sees a single receiver class, which
 * the JIT inlines, and no second one can be loaded to make a site polymorphic.
 */
sealed interface CongestionControl permits NewReno {

    /** A new connection with initial send sequence number {@code iss}, before the SMSS is known. */
    void start(int iss);

    /** Bytes the window allows in flight. */
    int cwnd();

    /**
     * The slow start threshold in bytes; before the first loss it is "arbitrarily high" (RFC 5681
     * 3.1), a value no window reaches.
     */
    int ssthresh();

    /**
     * Our SYN is acknowledged and the SMSS known: data transmission begins with the initial window.
     *
     * @param synTimedOut whether the retransmission timer expired while our SYN (or SYN,ACK) was
     *                    unacknowledged
     */
    void onHandshakeComplete(int smss, boolean synTimedOut);

    /**
     * An ACK of new data, SND.UNA already moved to {@code ack}.
     *
     * @param acked      bytes (sequence numbers) newly acknowledged
     * @param flightSize bytes still outstanding after this ACK
     * @return true when the ACK is a partial ACK in fast recovery: the caller retransmits the
     *         first unacknowledged segment
     */
    boolean onNewAck(int ack, int acked, int flightSize, int smss);

    /**
     * A duplicate ACK (RFC 5681 section 2).
     *
     * @param sndMax     the highest sequence number sent
     * @param flightSize bytes outstanding
     * @return true when this ACK starts fast retransmit: the caller resends the first
     *         unacknowledged segment
     */
    boolean onDuplicateAck(int ack, int sndMax, int flightSize, int smss);

    /**
     * The retransmission timer expired.
     *
     * @param handshake whether it was our SYN (or SYN,ACK) that timed out: then there is no
     *                  window to collapse yet, the initial window does that (RFC 5681 3.1)
     */
    void onRetransmissionTimeout(boolean handshake, int sndMax, int flightSize, int smss);
}
