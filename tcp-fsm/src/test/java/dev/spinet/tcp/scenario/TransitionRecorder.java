package dev.spinet.tcp.scenario;

import dev.spinet.tcp.StateDiagram;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import dev.spinet.tcp.TransitionObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link TransitionObserver} for tests: records every transition, notes any that is not an
 * edge of {@link StateDiagram} (a test fixture fails on those), and adds every edge walked to a
 * process-wide set that coverage checks read. Allocates (tests only).
 */
public final class TransitionRecorder implements TransitionObserver {

    /** Every diagram edge walked by any recorder in this JVM. */
    public static final Set<StateDiagram.Edge> WALKED = ConcurrentHashMap.newKeySet();

    /** One recorded transition. */
    public record Transition(int connection, TcpState from, TcpState to, TransitionCause cause) {
        @Override
        public String toString() {
            return "#" + Integer.toHexString(connection) + " " + from + "->" + to + " (" + cause + ")";
        }
    }

    private final List<Transition> transitions = new ArrayList<>();
    private final List<Transition> violations = new ArrayList<>();
    private final List<StateDiagram.Edge> walked = new ArrayList<>();
    private TransitionObserver forward = TransitionObserver.NONE;

    @Override
    public void onTransition(int connection, TcpState from, TcpState to, TransitionCause cause) {
        Transition transition = new Transition(connection, from, to, cause);
        transitions.add(transition);
        StateDiagram.Edge edge = StateDiagram.find(from, to, cause);
        if (edge == null) {
            violations.add(transition);
        } else {
            walked.add(edge);
            WALKED.add(edge);
        }
        forward.onTransition(connection, from, to, cause);
    }

    /** Also tells {@code next} (e.g. a printer in the demo). */
    public TransitionRecorder forwardTo(TransitionObserver next) {
        this.forward = next;
        return this;
    }

    public List<Transition> transitions() {
        return transitions;
    }

    /** Transitions of one connection, as "FROM->TO" strings in order. */
    public List<String> path(int connection) {
        List<String> path = new ArrayList<>();
        for (Transition t : transitions) {
            if (t.connection() == connection) {
                path.add(t.from() + "->" + t.to());
            }
        }
        return path;
    }

    /** Transitions that are not edges of the diagram (should be empty). */
    public List<Transition> violations() {
        return violations;
    }

    /** Edges walked through this recorder. */
    public List<StateDiagram.Edge> walked() {
        return walked;
    }

    public boolean walked(TcpState from, TcpState to, TransitionCause cause) {
        for (StateDiagram.Edge edge : walked) {
            if (edge.from() == from && edge.to() == to && edge.cause() == cause) {
                return true;
            }
        }
        return false;
    }

    public void clear() {
        transitions.clear();
        violations.clear();
        walked.clear();
    }
}
