package dev.spinet.lab.grade;

import java.util.List;
import java.util.Locale;

/**
 * A graded machine's result, edge by edge of the state diagram, in the diagram's order, then the
 * events where the engine stayed put.
 *
 * @param scenarios what was replayed ("13 labs, 14 per-state scenarios")
 * @param unexercised edges no trace walked (none when every lab and scenario is included)
 */
public record GradeReport(String implementation, String scenarios, int traces, int events, List<EdgeResult> edges,
                          List<String> unexercised) {

    public boolean passed() {
        return edges.stream().allMatch(EdgeResult::ok);
    }

    public long edgesPassed() {
        return edges.stream().filter(e -> !e.edge().startsWith("in ") && e.ok()).count();
    }

    public long edgesGraded() {
        return edges.stream().filter(e -> !e.edge().startsWith("in ")).count();
    }

    /** The report for a console. */
    public String format() {
        StringBuilder out = new StringBuilder();
        out.append("Graded ").append(implementation).append(" against ").append(scenarios).append(": ").append(traces)
                .append(" connections, ").append(events).append(" events.\n\n");
        out.append(String.format(Locale.ROOT, "%-50s %s%n", "edge", "result"));
        for (EdgeResult e : edges) {
            String result;
            if (e.ok()) {
                result = "pass (" + e.passed() + "x)";
            } else if (e.failed() > 0) {
                result = "FAIL (" + e.failed() + " of " + (e.passed() + e.failed()) + (e.notReached() > 0 ? ", " + e.notReached()
                        + " not reached" : "") + ")";
            } else {
                result = "NOT REACHED (" + e.notReached() + "x: an earlier difference in the same connection; passed " + e.passed() + "x)";
            }
            out.append(String.format(Locale.ROOT, "%-50s %s%n", e.edge(), result));
            if (e.failed() > 0) {
                EdgeResult.Difference d = e.first();
                out.append("    first difference: ").append(d.trace()).append(", event ").append(d.eventNumber()).append(": ")
                        .append(d.event()).append('\n');
                out.append("      expected: ").append(d.expected()).append('\n');
                out.append("      got:      ").append(d.got()).append('\n');
                out.append("      hint:     ").append(d.hint()).append('\n');
            }
        }
        if (!unexercised.isEmpty()) {
            out.append(unexercised.size()).append(" edges not exercised by these scenarios (grade without naming labs to walk them all)\n");
        }
        out.append('\n').append(String.format(Locale.ROOT, "Edges: %d of %d passed. %s%n", edgesPassed(), edgesGraded(),
                passed() ? "Every event of every connection matched Spinet's engine." : "See the first difference under each FAIL."));
        return out.toString();
    }
}
