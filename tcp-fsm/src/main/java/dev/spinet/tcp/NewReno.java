package dev.spinet.tcp;

import dev.spinet.wire.SeqNum;

/**
 * TCP congestion control of RFC 5681 (slow start, congestion avoidance, fast retransmit and fast
 * recovery) with RFC 6582's NewReno modification of fast recovery, appropriate byte counting in
 * slow start (RFC 3465) and RFC 3042 limited transmit, for a peer that does not SACK. One per
 * {@link Tcb}, built with it; {@link SackRecovery} takes its place on connections that negotiate
 * SACK.
 */
final class NewReno implements CongestionControl {

    /** RFC 3042 limited transmit: one new segment for each of the first two duplicate ACKs. */
    static final int LIMITED_TRANSMIT_DUPLICATES = 2;

    private final CongestionWindow window = new CongestionWindow();
    private final boolean limitedTransmit;
    /** FlightSize when the first duplicate ACK arrived, before limited transmit added to it. */
    private int flightAtFirstDuplicate;
    private int dupAcks;
    /** RFC 6582 "recover": the highest sequence number sent when fast recovery or a timeout began. */
    private int recover;
    private boolean inRecovery;

    NewReno(boolean limitedTransmit) {
        this.limitedTransmit = limitedTransmit;
    }

    @Override
    public void start(int iss) {
        window.start();
        dupAcks = 0;
        recover = iss; // RFC 6582 3.2 step 1: recover starts at the initial send sequence number
        inRecovery = false;
    }

    @Override
    public int cwnd() {
        return window.cwnd;
    }

    @Override
    public int ssthresh() {
        return window.ssthresh;
    }

    @Override
    public void onHandshakeComplete(int smss, boolean synTimedOut) {
        window.onHandshakeComplete(smss, synTimedOut);
    }

    @Override
    public boolean onNewAck(int ack, int acked, int flightSize, int smss) {
        if (inRecovery) {
            if (SeqNum.ge(ack, recover)) {
                // RFC 6582 3.2 step 3, full ACK: "Set cwnd to min(ssthresh, max(FlightSize, SMSS) + SMSS)".
                window.cwnd = Math.min(window.ssthresh, Math.max(flightSize, smss) + smss);
                inRecovery = false;
                dupAcks = 0;
                return false;
            }
            // Partial ACK: the caller retransmits the first unacknowledged segment; "deflate the
            // congestion window by the amount of new data acknowledged ... add back SMSS".
            window.cwnd = Math.max(window.cwnd - acked + (acked >= smss ? smss : 0), smss);
            return true;
        }
        dupAcks = 0;
        window.grow(acked, smss);
        return false;
    }

    @Override
    public boolean onDuplicateAck(int ack, int sndMax, int flightSize, int smss, boolean newDataSendable) {
        dupAcks++;
        if (dupAcks == 1) {
            flightAtFirstDuplicate = flightSize;
        }
        if (dupAcks == 3 && !inRecovery && SeqNum.ge(ack, recover)) {
            // RFC 6582 3.2 step 2 / RFC 5681 3.2: fast retransmit (the caller's), then fast
            // recovery: ssthresh by equation 4, "cwnd = ssthresh + 3*SMSS". RFC 5681 3.2 step 2:
            // "When [RFC3042] is in use, additional data sent in limited transmit MUST NOT be
            // included in this calculation": only what cwnd itself allowed (or was already out at
            // the first duplicate) counts; the rest of the flight went out beyond cwnd, by RFC 3042.
            int counted = limitedTransmit ? Math.min(flightSize, Math.max(window.cwnd, flightAtFirstDuplicate)) : flightSize;
            window.halveThreshold(counted, smss);
            recover = sndMax;
            inRecovery = true;
            window.cwnd = window.ssthresh + 3 * smss;
            return true;
        }
        if (dupAcks > 3 && inRecovery) {
            // "For each additional duplicate ACK received ... increment cwnd by SMSS"
            window.cwnd += smss;
        }
        return false;
    }

    @Override
    public void onRetransmissionTimeout(boolean handshake, int sndMax, int flightSize, int smss) {
        if (!handshake) {
            window.collapse(flightSize, smss);
        }
        // RFC 6582 3.2 step 4... after a timeout, recover is the highest sequence sent.
        recover = sndMax;
        inRecovery = false;
        dupAcks = 0;
    }

    @Override
    public void onPathMtuDrop(int sndMax) {
        // Nothing to stop: NewReno's window counts no retransmission of its own in flight, and
        // going back from SND.UNA sends within it.
    }

    @Override
    public int usableWindow(int sndUna, int sndNxt, int sndMax, int sndWnd, int smss) {
        int usable = sndUna + Math.min(sndWnd, window.cwnd) - sndNxt;
        if (limitedTransmit && !inRecovery && dupAcks > 0 && dupAcks <= LIMITED_TRANSMIT_DUPLICATES && sndNxt == sndMax) {
            // RFC 3042 section 2: "a TCP sender SHOULD send a segment of previously unsent data in
            // response to each of the first two duplicate acknowledgments that arrive at the
            // sender, if: (a) The receiver's advertised window allows the transmission of the
            // segment. (b) The amount of outstanding data would remain less than or equal to the
            // congestion window plus 2 segments." One SMSS more per duplicate, cwnd itself
            // unchanged ("The congestion window (cwnd) MUST NOT be changed"); only new data
            // (SND.NXT = SND.MAX: not while going back after a timeout).
            int limited = Math.min(sndUna + sndWnd, sndUna + window.cwnd + dupAcks * smss) - sndNxt;
            usable = Math.max(usable, limited);
        }
        return usable;
    }

    @Override
    public void onIdleRestart(int smss) {
        window.restartAfterIdle(smss);
    }

    @Override
    public long nextRetransmission(int sndUna, int sndMax, int smss, boolean lostOnly) {
        return NO_RETRANSMISSION; // NewReno retransmits at the third duplicate and at partial ACKs only
    }

    @Override
    public boolean onDuplicateSack(int left, int right) {
        return false; // a peer without SACK sends no D-SACK blocks
    }

    @Override
    public void onRetransmitted(int seq, int end) {
    }
}
