package dev.spinet.service;

import dev.spinet.tcp.StateDiagram;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import dev.spinet.tcp.TransitionObserver;
import java.util.List;

/**
 * Counts how often this board walked each edge of {@link StateDiagram}, for the status page's
 * diagram and JSON. A fixed table maps (from, to, cause) to the edge's index; recording is an
 * array increment, so it can sit on the packet path. Transitions that are not an edge of the
 * diagram are counted separately (they would be an engine defect). Every transition is then
 * passed on to {@code next} (a trace printer, or {@link TransitionObserver#NONE}).
 */
public final class EdgeRecorder implements TransitionObserver {

    private static final int STATES = TcpState.all().length;
    private static final int CAUSES = TransitionCause.all().length;

    private final List<StateDiagram.Edge> edges = StateDiagram.edges();
    private final int[] edgeIndex = new int[STATES * STATES * CAUSES];
    private final long[] walked;
    /** Edge indexes in the order each was first walked; {@code firstWalkedCount} of them are set. */
    private final int[] firstWalked;
    private int firstWalkedCount;
    private final TransitionObserver next;
    private long offDiagram;
    private long total;

    public EdgeRecorder(TransitionObserver next) {
        this.next = next == null ? TransitionObserver.NONE : next;
        this.walked = new long[edges.size()];
        this.firstWalked = new int[edges.size()];
        java.util.Arrays.fill(edgeIndex, -1);
        for (int i = 0; i < edges.size(); i++) {
            StateDiagram.Edge edge = edges.get(i);
            edgeIndex[index(edge.from(), edge.to(), edge.cause())] = i;
        }
    }

    private static int index(TcpState from, TcpState to, TransitionCause cause) {
        return (from.ordinal() * STATES + to.ordinal()) * CAUSES + cause.ordinal();
    }

    @Override
    public void onTransition(int connection, TcpState from, TcpState to, TransitionCause cause) {
        int edge = edgeIndex[index(from, to, cause)];
        if (edge >= 0) {
            if (walked[edge] == 0) {
                firstWalked[firstWalkedCount++] = edge;
            }
            walked[edge]++;
        } else {
            offDiagram++;
        }
        total++;
        next.onTransition(connection, from, to, cause);
    }

    /** The diagram's edges, in {@link StateDiagram#edges()} order (the index used below). */
    public List<StateDiagram.Edge> edges() {
        return edges;
    }

    /** The edges walked at least once, in diagram order (allocates: for the status page). */
    public List<StateDiagram.Edge> walkedEdges() {
        java.util.ArrayList<StateDiagram.Edge> result = new java.util.ArrayList<>();
        for (int i = 0; i < walked.length; i++) {
            if (walked[i] > 0) {
                result.add(edges.get(i));
            }
        }
        return result;
    }

    /**
     * The edges walked at least once, in the order this board first walked each (allocates: for
     * the status page, whose diagram numbers them in that order).
     */
    public List<StateDiagram.Edge> walkedInOrder() {
        java.util.ArrayList<StateDiagram.Edge> result = new java.util.ArrayList<>(firstWalkedCount);
        for (int i = 0; i < firstWalkedCount; i++) {
            result.add(edges.get(firstWalked[i]));
        }
        return result;
    }

    /** How often edge {@code index} was walked. */
    public long walked(int index) {
        return walked[index];
    }

    /** How often any edge from {@code from} to {@code to} (whatever the cause) was walked. */
    public long walked(TcpState from, TcpState to) {
        long n = 0;
        for (int i = 0; i < walked.length; i++) {
            StateDiagram.Edge edge = edges.get(i);
            if (edge.from() == from && edge.to() == to) {
                n += walked[i];
            }
        }
        return n;
    }

    /** Transitions that matched no edge of the diagram (0 unless the engine has a defect). */
    public long offDiagram() {
        return offDiagram;
    }

    public long total() {
        return total;
    }
}
