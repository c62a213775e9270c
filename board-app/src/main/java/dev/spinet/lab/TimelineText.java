package dev.spinet.lab;

import java.util.List;
import java.util.Locale;

/**
 * The console form of a lab's timeline: one line per event, the simulated time first, then who
 * (A, B, or "A > B" for a frame on the wire) and what. Board A's state changes sit in the left
 * column and board B's in the right one, so each side's path reads straight down.
 *
 * <pre>
 *   0.000000  A        #1 CLOSED -> SYN_SENT (ACTIVE_OPEN)                         [A1]
 *   0.000000  A > B    IP 10.0.0.1.49152 > 10.0.0.2.4000: Flags [S], seq 1234, win 4096, ...
 *   0.001000       B                      #2 LISTEN -> SYN_RECEIVED (RCV_SYN)      [B2]
 * </pre>
 */
public final class TimelineText {

    private TimelineText() {
    }

    public static String format(LabResult result) {
        StringBuilder text = new StringBuilder();
        Lab lab = result.lab();
        LabMessages words = LabMessages.of(lab.language());
        String nl = System.lineSeparator();
        text.append(words.format("timeline.header", lab.name(), lab.title(), result.seed())).append(nl);
        text.append(words.format("timeline.boards", lab.boardA(), lab.boardB(), LabRun.WIRE_DELAY_NANOS / 1_000_000)).append(nl).append(nl);
        text.append(String.format(Locale.ROOT, "%12s  %-7s %s%n", words.get("timeline.time"), words.get("timeline.who"), words.get("timeline.what")));
        for (TimelineEntry entry : result.timeline()) {
            text.append(line(entry)).append(System.lineSeparator());
        }
        text.append(System.lineSeparator());
        for (Side side : Side.values()) {
            text.append(comparison(result, side, words));
        }
        List<String> mismatches = result.mismatches();
        if (mismatches.isEmpty()) {
            text.append(words.get("timeline.pass")).append(System.lineSeparator());
        } else {
            text.append(words.get("timeline.mismatch")).append(System.lineSeparator());
            for (String problem : mismatches) {
                text.append("  ").append(problem).append(System.lineSeparator());
            }
        }
        return text.toString();
    }

    /** One timeline line. */
    public static String line(TimelineEntry entry) {
        String time = String.format(Locale.ROOT, "%12.6f", entry.seconds());
        return switch (entry.kind()) {
            case FRAME -> String.format(Locale.ROOT, "%s  %-7s %s", time, entry.side() + " > " + entry.side().other(), entry.text());
            case TRANSITION -> {
                String state = "#" + Integer.toHexString(entry.connection()) + " " + entry.text() + "  [" + entry.side() + entry.stepNumber() + "]";
                yield entry.side() == Side.A
                        ? String.format(Locale.ROOT, "%s  %-7s *** %s", time, "A", state)
                        : String.format(Locale.ROOT, "%s  %-7s %40s*** %s", time, "     B", "", state);
            }
            case APP -> String.format(Locale.ROOT, "%s  %-7s app: %s", time, entry.side() == Side.A ? "A" : "     B", entry.text());
            case LAB -> String.format(Locale.ROOT, "%s  %-7s lab: %s", time, entry.side() == Side.A ? "A" : "     B", entry.text());
            case NOTE -> String.format(Locale.ROOT, "%s  %-7s -- %s", time, "", entry.text());
        };
    }

    private static String comparison(LabResult result, Side side, LabMessages words) {
        StringBuilder text = new StringBuilder();
        List<Step> expected = result.lab().expected(side);
        List<Step> actual = result.actual(side);
        text.append(words.format("timeline.comparison", side, result.lab().boardName(side), expected.size(), actual.size()))
                .append(System.lineSeparator());
        int n = Math.max(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            Step want = i < expected.size() ? expected.get(i) : null;
            Step got = i < actual.size() ? actual.get(i) : null;
            boolean same = want != null && want.equals(got);
            text.append(String.format(Locale.ROOT, "  %s%-3d %-55s %s%n", same ? " " : "!", i + 1,
                    got == null ? words.get("timeline.nothing") : got.toString(), same ? words.get("timeline.ok")
                            : want == null ? words.get("timeline.expected.nothing") : words.format("timeline.expected", want)));
        }
        return text.toString();
    }
}
