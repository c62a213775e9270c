package dev.spinet.tcp.reference;

import java.util.ArrayList;
import java.util.List;

/** What one stack sent, step by step, in one scenario, and whether each judged step got the RFC answer. */
final class Transcript {

    /** One step's record. {@code ignored} are retransmissions of earlier segments, not counted as answers. */
    record StepRecord(Step step, List<Observed> observed, List<Observed> ignored, boolean ok, String problem, String note) {
    }

    final Scenario scenario;
    final String stack;
    final List<StepRecord> records = new ArrayList<>();
    String error;

    Transcript(Scenario scenario, String stack) {
        this.scenario = scenario;
        this.stack = stack;
    }

    boolean followsRfc() {
        if (error != null) {
            return false;
        }
        for (StepRecord record : records) {
            if (!record.ok) {
                return false;
            }
        }
        return true;
    }

    /** The first problem: a setup step that went another way, a judged step's wrong answer, or an error. */
    String firstProblem() {
        if (error != null) {
            return error;
        }
        for (StepRecord record : records) {
            if (!record.ok) {
                return (record.step.setup ? "setup step '" : "step '") + record.step.describe() + "': " + record.problem;
            }
        }
        return null;
    }

    /** What the stack sent at the judged steps, for the table. */
    String replies() {
        List<String> texts = new ArrayList<>();
        for (StepRecord record : records) {
            if (!record.step.setup && record.step.answers != null) {
                texts.add(record.observed.isEmpty() ? "nothing" : join(record.observed) + (record.note.isEmpty() ? "" : " (" + record.note + ")"));
            }
        }
        if (error != null) {
            texts.add("error: " + error);
        } else if (texts.isEmpty() || !followsRfc() && firstProblem().startsWith("setup")) {
            texts.add("(" + firstProblem() + ")");
        }
        return String.join(" ; ", texts);
    }

    static String join(List<Observed> segments) {
        List<String> texts = new ArrayList<>();
        for (Observed segment : segments) {
            texts.add(segment.toString());
        }
        return joinRuns(texts);
    }

    /** Joins with commas, writing a run of equal texts once with its count ("ACK L+1 P+11 x12"). */
    static String joinRuns(List<String> texts) {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < texts.size(); ) {
            int j = i;
            while (j < texts.size() && texts.get(j).equals(texts.get(i))) {
                j++;
            }
            runs.add(j - i > 2 ? texts.get(i) + " x" + (j - i) : String.join(", ", texts.subList(i, j)));
            i = j;
        }
        return String.join(", ", runs);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(stack).append(" playing '").append(scenario.title()).append("' (").append(scenario.clause).append(")\n");
        for (StepRecord record : records) {
            text.append(record.ok ? "   ok  " : "  FAIL ").append(record.step.describe()).append("\n        sent: ")
                    .append(record.observed.isEmpty() ? "nothing" : join(record.observed));
            if (!record.ignored.isEmpty()) {
                text.append(" [retransmissions not counted: ").append(join(record.ignored)).append(']');
            }
            if (!record.note.isEmpty()) {
                text.append(" (").append(record.note).append(')');
            }
            if (!record.ok) {
                text.append("\n        ").append(record.problem);
            }
            text.append('\n');
        }
        if (error != null) {
            text.append("  ERROR ").append(error).append('\n');
        }
        return text.toString();
    }
}
