package dev.spinet.tcp.reference;

import dev.spinet.tcp.scenario.Seg;

/**
 * One segment a scenario says the stack must send, in the normalised terms of {@link Observed}.
 * A field left null is not compared. On a RST written without ACK the ACK bit and field are not
 * compared either: RFC 9293 3.10.5 and 3.10.7 form such resets as {@code <SEQ=...><CTL=RST>},
 * and an acknowledgment on them (Linux adds one to every reset it sends for a connection) changes
 * nothing for the receiver, which checks only the sequence number of a RST.
 */
final class Expected {

    private final int flags;
    private Rel seq;
    private Rel ack;
    private Rel length = Rel.of(0);
    private Boolean zeroWindow;
    private Boolean sackPermitted;
    private Boolean timestamps;
    private Integer tsEcr;
    /** SACK blocks relative to P, left, right pairs; null: not compared. */
    private int[] sack;

    private Expected(int flags) {
        this.flags = flags;
    }

    static Expected segment(int flags) {
        return new Expected(flags);
    }

    Expected seq(int offset) {
        return seq(Rel.of(offset));
    }

    Expected seq(Rel value) {
        this.seq = value;
        return this;
    }

    Expected ack(int offset) {
        return ack(Rel.of(offset));
    }

    Expected ack(Rel value) {
        this.ack = value;
        return this;
    }

    Expected length(int bytes) {
        return length(Rel.of(bytes));
    }

    Expected length(Rel bytes) {
        this.length = bytes;
        return this;
    }

    Expected zeroWindow(boolean zero) {
        this.zeroWindow = zero;
        return this;
    }

    /** The SYN,ACK carries SACK-permitted (RFC 2018 section 2), or must not. */
    Expected sackPermitted(boolean present) {
        this.sackPermitted = present;
        return this;
    }

    /** The segment carries the timestamps option echoing the peer's TSval {@code echo} (relative to its first). */
    Expected tsEcr(int echo) {
        this.timestamps = true;
        this.tsEcr = echo;
        return this;
    }

    /** The segment carries the timestamps option, whatever it echoes (a SYN's TSecr is 0). */
    Expected withTimestamps() {
        this.timestamps = true;
        return this;
    }

    /** The segment carries no timestamps option. */
    Expected noTimestamps() {
        this.timestamps = false;
        return this;
    }

    /** The SACK blocks, in order, as left, right pairs relative to P; none given: no SACK option. */
    Expected sack(int... edges) {
        this.sack = edges.clone();
        return this;
    }

    boolean matches(Observed observed, Numbering before) {
        int observedFlags = observed.flags();
        if (flags == Seg.RST && observed.has(Seg.RST)) {
            observedFlags &= ~Seg.ACK;
        }
        if (observedFlags != flags) {
            return false;
        }
        if (seq != null && observed.seq() != seq.at(before)) {
            return false;
        }
        if (ack != null && observed.ack() != ack.at(before)) {
            return false;
        }
        if (observed.length() != length.at(before)) {
            return false;
        }
        if (sackPermitted != null && observed.sackPermitted() != sackPermitted) {
            return false;
        }
        if (timestamps != null && (observed.timestamps() != timestamps || (tsEcr != null && observed.tsEcr() != tsEcr))) {
            return false;
        }
        if (sack != null && !java.util.Arrays.equals(observed.sack(), sack)) {
            return false;
        }
        return zeroWindow == null || observed.zeroWindow() == zeroWindow;
    }

    String describe(Numbering before) {
        StringBuilder text = new StringBuilder(Observed.flagNames(flags));
        if (seq != null && flags == (Seg.RST | Seg.ACK)) {
            text.append(" SEQ=").append(seq.text()); // 3.10.7.1: a reset answering a segment without ACK
        } else if (seq != null) {
            text.append(" L+").append(before == null ? seq.text() : Integer.toString(seq.at(before)));
        }
        if (ack != null) {
            text.append(" P+").append(before == null ? ack.text() : Integer.toString(ack.at(before)));
        }
        int bytes = before == null ? -1 : length.at(before);
        if (before == null ? !length.text().equals("0") : bytes != 0) {
            text.append(" len=").append(before == null ? length.text() : Integer.toString(bytes));
        }
        if (zeroWindow != null) {
            text.append(zeroWindow ? " win=0" : " win>0");
        }
        if (sackPermitted != null) {
            text.append(sackPermitted ? " sackOK" : " no sackOK");
        }
        if (timestamps != null) {
            text.append(!timestamps ? " no TS" : tsEcr == null ? " TS" : " TSecr=" + tsEcr);
        }
        if (sack != null) {
            for (int i = 0; i < sack.length; i += 2) {
                text.append(i == 0 ? " SACK " : ",").append("P+").append(sack[i]).append("..P+").append(sack[i + 1]);
            }
            if (sack.length == 0) {
                text.append(" no SACK");
            }
        }
        return text.toString();
    }
}
