package dev.spinet.lab;

/**
 * One line of a lab's timeline, at a simulated time (nanoseconds since the lab started).
 *
 * @param side       the board the line is about: the sender of a frame, the board that changed
 *                   state, acted or filtered; null for notes about the whole lab
 * @param connection the connection id of a transition (else 0)
 * @param step       the transition (TRANSITION entries only)
 * @param stepNumber the transition's number on its side, from 1 (TRANSITION entries only)
 */
public record TimelineEntry(long nanos, Kind kind, Side side, int connection, String text, Step step, int stepNumber) {

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

    /** Simulated seconds since the lab started. */
    public double seconds() {
        return nanos / 1e9;
    }
}
