package dev.spinet.tcp;

/**
 * A connection's congestion control and loss recovery: the congestion window, what moves it,
 * and what may be sent in recovery. The events are the ones RFC 5681 names (the initial window,
 * an ACK of new data, a duplicate ACK, a retransmission timeout); entering and leaving recovery
 * happen inside them. Two implementations, chosen per connection when the SYNs are exchanged:
 * {@link NewReno} (RFC 5681, RFC 6582) for a peer without SACK, {@link SackRecovery} (RFC 6675)
 * for one with it. Sealed: no third class can be loaded, so every call site sees at most two
 * receiver classes, which the JIT inlines behind a type check (bimorphic).
 */
sealed interface CongestionControl permits NewReno, SackRecovery {

    /** {@link #nextRetransmission}: nothing to retransmit now. */
    long NO_RETRANSMISSION = -1L;

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
     * @param newDataSendable whether unsent data waits and the receive window has room for it
     *                        (RFC 5827 early retransmit applies only when not)
     * @return true when this ACK starts fast retransmit: the caller resends the first
     *         unacknowledged segment
     */
    boolean onDuplicateAck(int ack, int sndMax, int flightSize, int smss, boolean newDataSendable);

    /**
     * The retransmission timer expired.
     *
     * @param handshake whether it was our SYN (or SYN,ACK) that timed out: then there is no
     *                  window to collapse yet, the initial window does that (RFC 5681 3.1)
     */
    void onRetransmissionTimeout(boolean handshake, int sndMax, int flightSize, int smss);

    /**
     * A router reported "fragmentation needed" (RFC 1191): every segment in flight at the old size
     * was dropped, and the caller sends the flight again from SND.UNA at once, cwnd unchanged (no
     * congestion). Loss recovery that still counts those segments as in the network stops.
     *
     * @param sndMax the highest sequence number sent: no new recovery before SND.UNA reaches it
     */
    void onPathMtuDrop(int sndMax);

    /**
     * Nothing has been sent for longer than the RTO and data is about to go (RFC 5681 4.1):
     * "cwnd to no more than RW before beginning transmission", RW = min(IW, cwnd).
     */
    void onIdleRestart(int smss);

    /**
     * Bytes of new data that may leave at SND.NXT now, window and loss recovery considered
     * (negative or 0: none).
     */
    int usableWindow(int sndUna, int sndNxt, int sndMax, int sndWnd, int smss);

    /**
     * The next segment loss recovery retransmits now, if the window lets it go: {@code seq << 32
     * | length} (sequence space: it may end with the FIN), or {@link #NO_RETRANSMISSION}. The
     * caller sends it at once and reports it with {@link #onRetransmitted}; asking changes nothing
     * (output and the next-deadline check both ask).
     *
     * @param lostOnly only segments presumed lost (RFC 6675 NextSeg rule 1, which comes before
     *                 new data); false adds rules 3 and 4, after new data
     */
    long nextRetransmission(int sndUna, int sndMax, int smss, boolean lostOnly);

    /** {@code [seq, end)} was retransmitted by fast retransmit or {@link #nextRetransmission}. */
    void onRetransmitted(int seq, int end);

    /**
     * The peer reported {@code [left, right)} in a D-SACK block (RFC 2883): it arrived twice.
     *
     * @return true when this shows the last recovery to have been spurious and it was undone
     */
    boolean onDuplicateSack(int left, int right);
}
