package dev.spinet.lab;

import java.util.Locale;

/**
 * One frame a board of a lab sent, with what became of it. Every frame a board transmits is one
 * of these, the ones the lab dropped before the wire included, so the capture, the ladder and the
 * plots show the same traffic and mark the same losses.
 *
 * @param nanos      when it went on the wire (or, dropped before the wire, when the board sent it)
 * @param from       the board that sent it
 * @param bytes      the frame as on the wire (padded to 60 bytes)
 * @param fate       what the lab did to it
 * @param sinceNanos for a held frame, when the board sent it (it went on the wire at {@code nanos});
 *                   for a replayed one, when the original went; else {@code nanos}
 * @param rule       the lab rule that touched it, or "" for a frame delivered untouched
 * @param tcp        its TCP header, or null for a frame that is not TCP
 */
public record LabFrame(long nanos, Side from, byte[] bytes, Fate fate, long sinceNanos, String rule, LabSegment tcp) {

    /** What the lab did to a frame. */
    public enum Fate {
        /** Sent and received as usual. */
        DELIVERED,
        /** Dropped by the lab before the wire: the other board never receives it. */
        DROPPED_OUT,
        /** On the wire, dropped by the lab as it arrived: the other board never sees it. */
        DROPPED_IN,
        /** Held back by the lab, then put on the wire late. */
        HELD,
        /** A copy of an earlier frame, sent again by the lab. */
        REPLAYED
    }

    /** Whether the other board received it. */
    public boolean arrived() {
        return fate != Fate.DROPPED_OUT && fate != Fate.DROPPED_IN;
    }

    /** When it reached (or would have reached) the other board. */
    public long arrivalNanos() {
        return nanos + LabRun.WIRE_DELAY_NANOS;
    }

    /** The frame comment in the capture: what the lab did to it, or null for a frame it left alone. */
    public String comment() {
        Side to = from.other();
        String why = rule.isEmpty() ? "" : " [lab rule: " + rule + "]";
        return switch (fate) {
            case DELIVERED -> null;
            case DROPPED_OUT -> "LOST: dropped by the lab before the wire; " + to + " never receives it" + why;
            case DROPPED_IN -> "LOST: dropped by the lab on arrival; " + to + " never sees it" + why;
            case HELD -> String.format(Locale.ROOT, "HELD: %s sent it at %.6f s; the lab held it back %.3f s", from,
                    sinceNanos / 1e9, (nanos - sinceNanos) / 1e9) + why;
            case REPLAYED -> String.format(Locale.ROOT, "REPLAYED: the lab sends again a copy of a segment %s sent at %.6f s",
                    from, sinceNanos / 1e9) + why;
        };
    }
}
