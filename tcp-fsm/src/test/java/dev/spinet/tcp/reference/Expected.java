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
        return text.toString();
    }
}
