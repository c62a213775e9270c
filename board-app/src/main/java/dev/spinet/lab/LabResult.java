package dev.spinet.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * What a lab run produced: the timeline, each side's transitions, every frame sent and what
 * became of it, each side's sending state over time, the capture, and how the transitions compare
 * with what the lab expects.
 *
 * @param frames  every frame a board sent, in the order they went (or were dropped before the wire)
 * @param samples cwnd, ssthresh, RTO... of each side's latest connection, one entry per change
 * @param pcapng  the capture: every frame of {@code frames} as pcapng, each one the lab touched
 *                with a comment saying what it did
 * @param failure why the scenario stopped early, or null when it ran to its end
 */
public record LabResult(Lab lab, long seed, List<TimelineEntry> timeline, List<Step> actualA, List<Step> actualB,
                        List<LabFrame> frames, List<LabSample> samples, byte[] pcapng, String failure) {

    public List<Step> actual(Side side) {
        return side == Side.A ? actualA : actualB;
    }

    /** True when both sides walked exactly the expected transitions, in order, all of them diagram edges. */
    public boolean passed() {
        return mismatches().isEmpty();
    }

    /** Human-readable differences between expected and actual (empty when the lab passed). */
    public List<String> mismatches() {
        List<String> problems = new ArrayList<>();
        if (failure != null) {
            problems.add("the scenario stopped early: " + failure);
        }
        for (Side side : Side.values()) {
            List<Step> expected = lab.expected(side);
            List<Step> actual = actual(side);
            for (int i = 0; i < actual.size(); i++) {
                if (actual.get(i).edge() == null) {
                    problems.add(side + " step " + (i + 1) + " " + actual.get(i) + " is not an edge of the state diagram");
                }
            }
            int n = Math.max(expected.size(), actual.size());
            for (int i = 0; i < n; i++) {
                Step want = i < expected.size() ? expected.get(i) : null;
                Step got = i < actual.size() ? actual.get(i) : null;
                if (want == null || !want.equals(got)) {
                    problems.add(side + " step " + (i + 1) + ": expected " + (want == null ? "nothing more" : want)
                            + ", got " + (got == null ? "nothing" : got));
                    break; // the first difference per side; later ones follow from it
                }
            }
        }
        return problems;
    }
}
