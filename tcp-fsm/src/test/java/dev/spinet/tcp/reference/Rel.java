package dev.spinet.tcp.reference;

import java.util.function.ToIntFunction;

/**
 * A sequence or acknowledgment number relative to an ISN (P for the peer's, L for the stack's),
 * either a constant or computed from what the stack has said so far (its RCV.NXT and window),
 * with the text that names it in transcripts and the table.
 */
record Rel(ToIntFunction<Numbering> value, String text) {

    static Rel of(int offset) {
        return new Rel(n -> offset, Integer.toString(offset));
    }

    /** The stack's RCV.NXT plus {@code delta}. */
    static Rel rcvNxt(int delta) {
        return new Rel(n -> n.rcvNxt + delta, "RCV.NXT" + signed(delta));
    }

    /** The right edge of the stack's receive window, RCV.NXT + RCV.WND, plus {@code delta}. */
    static Rel rightEdge(int delta) {
        return new Rel(n -> n.rcvNxt + n.window + delta, "RCV.NXT+RCV.WND" + signed(delta));
    }

    /** One past the highest sequence number the stack has sent, plus {@code delta}. */
    static Rel sndMax(int delta) {
        return new Rel(n -> n.sndMax + delta, "SND.MAX" + signed(delta));
    }

    int at(Numbering numbering) {
        return value.applyAsInt(numbering);
    }

    private static String signed(int delta) {
        return delta == 0 ? "" : (delta > 0 ? "+" + delta : Integer.toString(delta));
    }
}
