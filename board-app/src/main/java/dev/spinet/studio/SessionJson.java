package dev.spinet.studio;

import dev.spinet.lab.Lab;
import dev.spinet.lab.LabResult;
import dev.spinet.lab.LabSession;
import dev.spinet.lab.LadderDiagramSvg;
import dev.spinet.lab.Side;
import dev.spinet.lab.StateDiagramSvg;
import dev.spinet.lab.Step;
import dev.spinet.lab.TimelineEntry;
import java.util.List;
import java.util.Locale;

/**
 * What the studio page is told about a session after every call: where the run stands, the
 * segment waiting for a verdict, each side's state and transitions (each marked planned or not:
 * whether the lab expects it there), the timeline, the state and ladder diagrams as drawn for
 * the report, the predictions with the score, and what the session said about commands.
 */
final class SessionJson {

    private SessionJson() {
    }

    static String of(String id, LabSession session) {
        LabResult result = session.result();
        Lab lab = session.lab();
        JsonText json = new JsonText().begin();
        json.field("session", id);
        json.raw("lab", new JsonText().begin().field("name", lab.name()).field("title", lab.title()).field("summary", lab.summary())
                .field("goal", lab.goal()).field("boardA", lab.boardA()).field("boardB", lab.boardB())
                .raw("predict", JsonText.array(lab.predict())).raw("questions", JsonText.array(lab.questions())).end());
        json.field("phase", session.phase().name());
        json.field("time", seconds(session.now()));
        json.field("steps", session.steps());
        LabSession.Pending pending = session.pending();
        json.raw("pending", pending == null ? "null" : new JsonText().begin().field("from", pending.from().name())
                .field("to", pending.from().other().name()).field("time", seconds(pending.nanos())).field("summary", pending.summary()).end());
        JsonText states = new JsonText().begin();
        JsonText transitions = new JsonText().begin();
        for (Side side : Side.values()) {
            states.field(side.name(), session.state(side).name());
            transitions.raw(side.name(), transitions(result, side));
        }
        json.raw("states", states.end());
        json.raw("transitions", transitions.end());
        json.raw("timeline", timeline(result.timeline()));
        json.raw("predictions", predictions(session.predictions()));
        json.raw("notices", notices(session.takeNotices()));
        json.field("failure", result.failure());
        json.field("passed", result.passed());
        json.raw("mismatches", JsonText.array(result.mismatches()));
        json.field("diagram", StateDiagramSvg.render(result));
        json.field("ladder", result.frames().isEmpty() ? "" : LadderDiagramSvg.render(result));
        return json.end();
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.6f", nanos / 1e9);
    }

    private static String transitions(LabResult result, Side side) {
        List<Step> expected = result.lab().expected(side);
        List<TimelineEntry> entries = result.timeline().stream()
                .filter(e -> e.kind() == TimelineEntry.Kind.TRANSITION && e.side() == side).toList();
        StringBuilder out = new StringBuilder("[");
        boolean planned = true;
        for (TimelineEntry entry : entries) {
            int i = entry.stepNumber() - 1;
            planned = planned && i < expected.size() && expected.get(i).equals(entry.step());
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(new JsonText().begin().field("n", entry.stepNumber()).field("time", seconds(entry.nanos()))
                    .field("from", entry.step().from().name()).field("to", entry.step().to().name())
                    .field("cause", entry.step().cause().name()).field("planned", planned).end());
        }
        return out.append(']').toString();
    }

    private static String timeline(List<TimelineEntry> timeline) {
        StringBuilder out = new StringBuilder("[");
        for (TimelineEntry entry : timeline) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(new JsonText().begin().field("time", seconds(entry.nanos())).field("kind", entry.kind().name())
                    .field("side", entry.side() == null ? null : entry.side().name()).field("text", entry.text())
                    .field("n", entry.stepNumber()).end());
        }
        return out.append(']').toString();
    }

    private static String predictions(List<LabSession.Prediction> predictions) {
        StringBuilder out = new StringBuilder("[");
        for (LabSession.Prediction p : predictions) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(new JsonText().begin().field("side", p.side().name()).field("predicted", p.predicted().name())
                    .field("time", seconds(p.atNanos())).field("actual", p.decided() ? p.actual().name() : null)
                    .field("right", p.decided() && p.right()).end());
        }
        return out.append(']').toString();
    }

    private static String notices(List<LabSession.Notice> notices) {
        StringBuilder out = new StringBuilder("[");
        for (LabSession.Notice n : notices) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(new JsonText().begin().field("key", n.key()).field("side", n.side().name())
                    .field("command", n.command().name()).field("detail", n.detail()).end());
        }
        return out.append(']').toString();
    }
}
