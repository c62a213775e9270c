package dev.spinet.lab;

/**
 * One line of a lab's timeline, at a simulated time (nanoseconds since the lab started).
 *
 * @param side       the board the line is about: the sender of a frame, the board that changed
 *                   state, acted or filtered; null for notes about the whole lab
 * @param connection the connection id of a transition (else 0)
 * @param step       the transition (TRANSITION entries only)
 * @param stepNumber the transition's number on its side, from 1 (TRANSITION entries only)
 * @param frame      the index in {@link LabResult#frames()} of the frame a FRAME line shows or a
 *                   LAB line is about (dropped, held, released, replayed), else -1
 */
public record TimelineEntry(long nanos, Kind kind, Side side, int connection, String text, Step step, int stepNumber, int frame) {

    public enum Kind {
        /** A frame put on the wire: {@code text} is its one-line summary. */
        FRAME,
        /** A state change of one side. */
        TRANSITION,
        /** What a board's application did or was told (connect, close, data read, closed). */
        APP,
        /** What the lab did to the traffic (drop, hold, replay) or to a board (reboot). */
        LAB,
        /** A comment of the scenario for the reader. */
        NOTE
    }

    /** The same line, about frame {@code index}. */
    TimelineEntry withFrame(int index) {
        return new TimelineEntry(nanos, kind, side, connection, text, step, stepNumber, index);
    }

    /** Simulated seconds since the lab started. */
    public double seconds() {
        return nanos / 1e9;
    }
}
