package dev.spinet.lab;

import dev.spinet.tcp.StateDiagram;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;

/**
 * One transition of one side, without its connection id: what a lab expects and what a run
 * records ("SYN_SENT -> ESTABLISHED (RCV_SYN_ACK)"). Labs compare sequences of these per side.
 */
public record Step(TcpState from, TcpState to, TransitionCause cause) {

    public Step {
        if (from == null || to == null || cause == null) {
            throw new IllegalArgumentException("a step needs from, to and cause");
        }
    }

    public static Step of(TcpState from, TcpState to, TransitionCause cause) {
        return new Step(from, to, cause);
    }

    /** The diagram edge this step walks, or null if the diagram has none (a defect). */
    public StateDiagram.Edge edge() {
        return StateDiagram.find(from, to, cause);
    }

    @Override
    public String toString() {
        return from + " -> " + to + " (" + cause + ")";
    }
}
