package dev.spinet.lab.grade;

import dev.spinet.student.ConnectionEvent;
import dev.spinet.student.ConnectionMachine;
import dev.spinet.student.Reaction;
import dev.spinet.student.Segment;
import dev.spinet.tcp.StateDiagram;
import dev.spinet.tcp.TcpState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Replays traces against a {@link ConnectionMachine}, one fresh machine per trace, and compares
 * each reaction with the engine's: the transition, the state after it, and the control segments
 * ({@link ControlSegments}). The first difference in a trace fails the edge the engine walked
 * there (or "in STATE" when it stayed); the edges the trace walks after it are "not reached".
 */
public final class Grader {

    private Grader() {
    }

    public static GradeReport grade(String implementation, String scenarios, List<Trace> traces,
                                    Function<Trace, ConnectionMachine> machines) {
        Map<String, EdgeResult> results = new LinkedHashMap<>();
        for (StateDiagram.Edge edge : StateDiagram.edges()) {
            results.put(name(edge), new EdgeResult(name(edge), 0, 0, 0, null));
        }
        Map<String, EdgeResult> stays = new LinkedHashMap<>();
        int events = 0;
        for (Trace trace : traces) {
            ConnectionMachine machine;
            try {
                machine = machines.apply(trace);
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot make a " + implementation + ": " + e, e);
            }
            TcpState state = TcpState.CLOSED;
            boolean diverged = false;
            for (int i = 0; i < trace.events().size(); i++) {
                TraceEvent te = trace.events().get(i);
                events++;
                Reaction expected = te.expected();
                String key = expected.transition() == null ? "in " + state : name(expected.transition());
                Map<String, EdgeResult> bucket = expected.transition() == null ? stays : results;
                if (diverged) {
                    if (expected.transition() != null) {
                        bucket.merge(key, new EdgeResult(key, 0, 0, 1, null), Grader::add);
                    }
                    continue;
                }
                TcpState after = expected.transition() == null ? state : expected.transition().to();
                Reaction got;
                String problem;
                try {
                    machine.clock(te.nanos());
                    got = machine.handle(te.event());
                    problem = got == null ? "returned null" : compare(te.event(), expected, got, after, machine.state());
                } catch (RuntimeException e) {
                    got = null;
                    problem = "threw " + e;
                }
                if (problem == null) {
                    bucket.merge(key, new EdgeResult(key, 1, 0, 0, null), Grader::add);
                } else {
                    String hint = expected.transition() != null
                            ? RfcHints.of(expected.transition().from(), expected.transition().to(), expected.transition().cause())
                            : RfcHints.stay(state);
                    EdgeResult.Difference difference = new EdgeResult.Difference(trace.scenario() + ": " + trace.name(), i + 1,
                            te.event().toString(), describe(te.event(), expected, after),
                            got == null ? problem : describe(te.event(), got, machine.state()) + (problem.startsWith("state") ? " (" + problem + ")" : ""),
                            hint);
                    bucket.merge(key, new EdgeResult(key, 0, 1, 0, difference), Grader::add);
                    diverged = true;
                }
                state = after;
            }
        }
        List<EdgeResult> edges = new ArrayList<>();
        List<String> unexercised = new ArrayList<>();
        for (EdgeResult r : results.values()) {
            if (r.passed() + r.failed() + r.notReached() == 0) {
                unexercised.add(r.edge());
            } else {
                edges.add(r);
            }
        }
        for (EdgeResult r : stays.values()) {
            if (r.failed() > 0) {
                edges.add(r);
            }
        }
        return new GradeReport(implementation, scenarios, traces.size(), events, edges, unexercised);
    }

    private static EdgeResult add(EdgeResult a, EdgeResult b) {
        return a.plus(b.passed(), b.failed(), b.notReached(), b.first());
    }

    /** Null when {@code got} is the engine's reaction, else what differs. */
    private static String compare(ConnectionEvent event, Reaction expected, Reaction got, TcpState after, TcpState machineState) {
        if (!Objects.equals(expected.transition(), got.transition())) {
            return "transition";
        }
        boolean transition = expected.transition() != null;
        if (!ControlSegments.of(event, transition, expected.sends()).equals(ControlSegments.of(event, transition, got.sends()))) {
            return "segments";
        }
        if (machineState != after) {
            return "state() says " + machineState + " afterwards";
        }
        return null;
    }

    private static String describe(ConnectionEvent event, Reaction reaction, TcpState stateAfter) {
        List<Segment> control = ControlSegments.of(event, reaction.transition() != null, reaction.sends());
        return (reaction.transition() == null ? "no transition (stays " + stateAfter + ")" : reaction.transition().toString())
                + (control.isEmpty() ? ", sends nothing" : ", sends " + control);
    }

    private static String name(StateDiagram.Edge edge) {
        return edge.from() + " -> " + edge.to() + " (" + edge.cause() + ")";
    }

    private static String name(Reaction.Transition t) {
        return t.from() + " -> " + t.to() + " (" + t.cause() + ")";
    }
}
