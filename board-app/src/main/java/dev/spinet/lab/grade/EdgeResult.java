package dev.spinet.lab.grade;

/**
 * How a graded machine did on one edge of the state diagram (or, for {@code edge} "in STATE",
 * on the events where the engine stayed in STATE).
 *
 * @param passed     how often the machine walked it as the engine did
 * @param failed     how often it differed there
 * @param notReached how often an earlier difference in the same connection kept the trace from getting there
 * @param first      the first difference, or null
 */
public record EdgeResult(String edge, int passed, int failed, int notReached, Difference first) {

    /** The first event of a trace where the machine's reaction differs from the engine's. */
    public record Difference(String trace, int eventNumber, String event, String expected, String got, String hint) {
    }

    public boolean ok() {
        return failed == 0 && notReached == 0;
    }

    EdgeResult plus(int pass, int fail, int unreached, Difference difference) {
        return new EdgeResult(edge, passed + pass, failed + fail, notReached + unreached, first == null ? difference : first);
    }
}
