package dev.spinet.student;

import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import java.util.List;

/**
 * What a connection did about one event: the transition it made (null when it stayed in its
 * state) and the segments it sends, in order.
 */
public record Reaction(Transition transition, List<Segment> sends) {

    /** One edge of the state diagram, walked. */
    public record Transition(TcpState from, TcpState to, TransitionCause cause) {

        @Override
        public String toString() {
            return from + " -> " + to + " (" + cause + ")";
        }
    }

    public Reaction {
        sends = List.copyOf(sends);
    }

    /** Stays in its state, sending {@code segments}. */
    public static Reaction stay(Segment... segments) {
        return new Reaction(null, List.of(segments));
    }

    /** Moves from {@code from} to {@code to} because of {@code cause}, sending {@code segments}. */
    public static Reaction move(TcpState from, TcpState to, TransitionCause cause, Segment... segments) {
        return new Reaction(new Transition(from, to, cause), List.of(segments));
    }

    @Override
    public String toString() {
        return (transition == null ? "no transition" : transition.toString()) + (sends.isEmpty() ? ", sends nothing" : ", sends " + sends);
    }
}
