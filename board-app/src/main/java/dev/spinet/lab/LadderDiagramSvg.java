package dev.spinet.lab;

import static dev.spinet.lab.SvgText.escape;
import static dev.spinet.lab.SvgText.f;

import dev.spinet.wire.TcpSegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A lab's ladder (sequence) diagram as SVG: board A's time line on the left, B's on the right,
 * time running down. Each segment is an arrow from the sender's line where it left to the
 * receiver's line where it arrived, labelled as Wireshark lists it ({@code [SYN, ACK] seq=0 ack=1
 * win=4096}, sequence numbers relative to each side's first); a segment the lab dropped ends in
 * a red cross before the receiver (dropped on arrival) or just after the sender (dropped before
 * the wire), a held one waits on a dotted line until the lab lets it go, a replayed copy is drawn
 * in violet. Each state change is written on the line of the side that made it, where it
 * happened ({@code A3 FIN_WAIT_1}), what each application did beside its line, the scenario's
 * notes across the page.
 *
 * <p>One row per event, so nothing is drawn over anything else; long idle stretches (a 2 MSL
 * wait) cost one row, and a dashed rule marks where time jumps by a second or more.
 */
public final class LadderDiagramSvg {

    public static final int WIDTH = 1160;
    private static final double A_X = 340;
    private static final double B_X = 820;
    private static final double ROW = 22;
    private static final double TOP = 58;
    private static final double FONT = 11;
    private static final String COLOR_A = "#1f5fbf";
    private static final String COLOR_B = "#d9660b";
    private static final String LOST = "#c00000";
    private static final String REPLAY = "#7b3fbf";
    private static final String HOLD = "#0b7d7d";
    private static final double NOTE_WIDTH_A = A_X - 90;
    private static final double NOTE_WIDTH_B = WIDTH - B_X - 20;

    private LadderDiagramSvg() {
    }

    /** One drawn row: the timeline entry it shows (null for a row where only segments arrive), when, and where. */
    private record Row(TimelineEntry entry, long nanos, double y) {
    }

    public static String render(LabResult result) {
        List<Row> rows = layout(result);
        double height = rows.isEmpty() ? TOP + ROW : rows.get(rows.size() - 1).y + 2 * ROW;
        StringBuilder svg = new StringBuilder(64 * 1024);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" class=\"ladder\" width=\"").append(WIDTH)
                .append("\" height=\"").append(f(height)).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(f(height))
                .append("\" font-family=\"").append(SvgText.FONT).append("\">\n");
        LabMessages words = LabMessages.of(result.lab().language());
        svg.append("<title>").append(escape(words.get("ladder.title"))).append("</title>\n<defs>\n");
        marker(svg, "ld-a", COLOR_A);
        marker(svg, "ld-b", COLOR_B);
        marker(svg, "ld-replay", REPLAY);
        marker(svg, "ld-hold", HOLD);
        svg.append("</defs>\n<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(f(height))
                .append("\" fill=\"#ffffff\"/>\n");
        Lab lab = result.lab();
        text(svg, A_X, 22, "A: " + lab.boardA() + " 10.0.0.1", 13, COLOR_A, "middle", true, "head");
        text(svg, B_X, 22, "B: " + lab.boardB() + " 10.0.0.2", 13, COLOR_B, "middle", true, "head");
        text(svg, 8, 22, words.get("ladder.time"), 10, "#555555", "start", false, "head");
        text(svg, (A_X + B_X) / 2, 40, words.get("ladder.caption"), 10,
                "#555555", "middle", false, "head");
        svg.append("<line x1=\"").append(f(A_X)).append("\" y1=\"").append(f(TOP - 10)).append("\" x2=\"").append(f(A_X))
                .append("\" y2=\"").append(f(height - ROW / 2)).append("\" stroke=\"").append(COLOR_A).append("\" stroke-width=\"2\"/>\n");
        svg.append("<line x1=\"").append(f(B_X)).append("\" y1=\"").append(f(TOP - 10)).append("\" x2=\"").append(f(B_X))
                .append("\" y2=\"").append(f(height - ROW / 2)).append("\" stroke=\"").append(COLOR_B)
                .append("\" stroke-width=\"2\" stroke-dasharray=\"7,5\"/>\n");

        RelativeSequence relative = new RelativeSequence();
        Map<Integer, Double> heldAt = new HashMap<>();
        StringBuilder top = new StringBuilder(32 * 1024);
        long previous = 0;
        for (Row row : rows) {
            TimelineEntry entry = row.entry;
            if (row.nanos - previous >= 1_000_000_000L && row != rows.get(0)) {
                double y = row.y - ROW / 2 - 1;
                svg.append("<line x1=\"8\" y1=\"").append(f(y)).append("\" x2=\"").append(WIDTH - 8).append("\" y2=\"").append(f(y))
                        .append("\" stroke=\"#bbbbbb\" stroke-dasharray=\"2,4\"/>\n");
            }
            previous = row.nanos;
            text(top, 62, row.y + 4, String.format(Locale.ROOT, "%.3f", row.nanos / 1e9), 10, "#555555", "end", false, "time");
            if (entry == null) {
                continue;
            }
            switch (entry.kind()) {
                case FRAME -> frame(svg, top, result, rows, row, relative, heldAt);
                case TRANSITION -> transition(top, row, words.language());
                case APP -> sideNote(top, row, entry.text(), "#444444");
                case LAB -> labAction(svg, top, result, row, relative, heldAt);
                case NOTE -> text(top, 80, row.y + 4, fit(entry.text(), WIDTH - 100, FONT, false), FONT, "#333333", "start", false, "note");
            }
        }
        // Labels after every line, so their white outline keeps arrows of a burst from crossing them.
        svg.append(top).append("</svg>\n");
        return svg.toString();
    }

    /**
     * The rows: every timeline entry but reads (the table lists them) and link actions the arrows
     * already show, plus a row at each instant a segment arrives when nothing else happens then,
     * so every arrow ends at its own arrival and crosses no later label.
     */
    private static List<Row> layout(LabResult result) {
        List<TimelineEntry> entries = new ArrayList<>();
        java.util.TreeSet<Long> arrivals = new java.util.TreeSet<>();
        java.util.Set<Long> times = new java.util.HashSet<>();
        for (TimelineEntry entry : result.timeline()) {
            if (drawn(result, entry)) {
                entries.add(entry);
                times.add(entry.nanos());
                if (entry.kind() == TimelineEntry.Kind.FRAME) {
                    arrivals.add(result.frames().get(entry.frame()).arrivalNanos());
                }
            }
        }
        arrivals.removeAll(times);
        List<Row> rows = new ArrayList<>();
        double[] y = {TOP + ROW / 2};
        long[] previous = {-1};
        java.util.function.LongConsumer advance = nanos -> {
            if (previous[0] >= 0 && nanos - previous[0] >= 1_000_000_000L) {
                y[0] += 6;
            }
            previous[0] = nanos;
        };
        for (TimelineEntry entry : entries) {
            while (!arrivals.isEmpty() && arrivals.first() < entry.nanos()) {
                long arrival = arrivals.pollFirst();
                advance.accept(arrival);
                rows.add(new Row(null, arrival, y[0]));
                y[0] += ROW;
            }
            advance.accept(entry.nanos());
            rows.add(new Row(entry, entry.nanos(), y[0]));
            y[0] += ROW;
        }
        for (long arrival : arrivals) {
            advance.accept(arrival);
            rows.add(new Row(null, arrival, y[0]));
            y[0] += ROW;
        }
        return rows;
    }

    private static boolean drawn(LabResult result, TimelineEntry entry) {
        return switch (entry.kind()) {
            case APP -> !entry.text().startsWith("reads ");
            case LAB -> {
                if (entry.frame() < 0) {
                    yield !entry.text().startsWith("lets go") && !entry.text().startsWith("replays");
                }
                LabFrame frame = result.frames().get(entry.frame());
                // Dropped before the wire: this line is the segment's only one. Held: where the wait starts.
                yield frame.fate() == LabFrame.Fate.DROPPED_OUT || entry.text().startsWith("holds back");
            }
            default -> true;
        };
    }

    /** The y of the first row at or after {@code nanos} (the row below the last when none is). */
    private static double yAt(List<Row> rows, long nanos, double after) {
        for (Row row : rows) {
            if (row.nanos >= nanos && row.y > after) {
                return row.y;
            }
        }
        return rows.get(rows.size() - 1).y + ROW;
    }

    private static void frame(StringBuilder svg, StringBuilder top, LabResult result, List<Row> rows, Row row,
                              RelativeSequence relative, Map<Integer, Double> heldAt) {
        LabFrame frame = result.frames().get(row.entry.frame());
        boolean fromA = frame.from() == Side.A;
        double x1 = fromA ? A_X : B_X;
        double x2 = fromA ? B_X : A_X;
        double direction = fromA ? 1 : -1;
        double y1 = row.y;
        double y2 = yAt(rows, frame.arrivalNanos(), row.y);
        String color = fromA ? COLOR_A : COLOR_B;
        String marker = fromA ? "ld-a" : "ld-b";
        String prefix = "";
        if (frame.fate() == LabFrame.Fate.HELD && heldAt.containsKey(row.entry.frame())) {
            // The segment waited by its sender since the hold row: a dotted line down to here.
            double xh = x1 + direction * 46;
            svg.append("<line x1=\"").append(f(xh)).append("\" y1=\"").append(f(heldAt.get(row.entry.frame()))).append("\" x2=\"")
                    .append(f(xh)).append("\" y2=\"").append(f(y1)).append("\" class=\"waiting\" stroke=\"").append(HOLD)
                    .append("\" stroke-width=\"1.5\" stroke-dasharray=\"2,3\"/>\n");
            x1 = xh;
            color = HOLD;
            marker = "ld-hold";
            prefix = LabMessages.of(result.lab().language()).get("ladder.released");
        } else if (frame.fate() == LabFrame.Fate.REPLAYED) {
            color = REPLAY;
            marker = "ld-replay";
            prefix = LabMessages.of(result.lab().language()).get("ladder.replayed");
        }
        String label = prefix + describe(frame, relative);
        if (frame.fate() == LabFrame.Fate.DROPPED_IN) {
            // On the wire, dropped as it arrives: the arrow stops short of the receiver with a cross.
            double xe = x2 - direction * 14;
            double ye = y1 + (y2 - y1) * (xe - x1) / (x2 - x1);
            line(svg, "arrow lost", x1, y1, xe, ye, LOST, "5,3", null);
            cross(svg, xe, ye);
            label += LabMessages.of(result.lab().language()).get("ladder.lost.arrival");
            color = LOST;
        } else {
            line(svg, "arrow", x1, y1, x2, y2, color, null, marker);
        }
        double tx = fromA ? x1 + 8 : x1 - 8;
        text(top, tx, y1 - 2, fit(label, B_X - A_X - 24, FONT, true), FONT, color, fromA ? "start" : "end", false, "segment");
    }

    private static void labAction(StringBuilder svg, StringBuilder top, LabResult result, Row row, RelativeSequence relative,
                                  Map<Integer, Double> heldAt) {
        TimelineEntry entry = row.entry;
        if (entry.frame() < 0) {
            sideNote(top, row, "lab: " + entry.text(), LOST);
            return;
        }
        LabFrame frame = result.frames().get(entry.frame());
        boolean fromA = frame.from() == Side.A;
        double x1 = fromA ? A_X : B_X;
        double direction = fromA ? 1 : -1;
        if (frame.fate() == LabFrame.Fate.DROPPED_OUT) {
            double xe = x1 + direction * 60;
            line(svg, "arrow lost", x1, row.y, xe, row.y + 4, LOST, "5,3", null);
            cross(svg, xe, row.y + 4);
            String label = describe(frame, relative) + LabMessages.of(result.lab().language()).get("ladder.lost.wire");
            text(top, fromA ? xe + 10 : xe - 10, row.y + 4, fit(label, B_X - A_X - 90, FONT, true), FONT, LOST, fromA ? "start" : "end",
                    false, "segment");
        } else {
            // Held: a short arrow to where it waits; the frame's own row draws the rest.
            double xh = x1 + direction * 46;
            line(svg, "held", x1, row.y, xh, row.y, HOLD, null, "ld-hold");
            heldAt.put(entry.frame(), row.y);
            text(top, fromA ? xh + 8 : xh - 8, row.y + 4, LabMessages.of(result.lab().language()).get("ladder.held"), FONT, HOLD, fromA ? "start" : "end", false, "segment");
        }
    }

    private static void transition(StringBuilder top, Row row, LabLanguage language) {
        TimelineEntry entry = row.entry;
        Side side = entry.side();
        String id = side.name() + entry.stepNumber();
        String label = id + " " + entry.step().to();
        double width = SvgText.width(label, FONT, true) + 12;
        double x = side == Side.A ? A_X : B_X;
        String color = side == Side.A ? COLOR_A : COLOR_B;
        String fill = side == Side.A ? "#e3ecfa" : "#fcebdc";
        top.append("<g class=\"transition s-").append(side.name().toLowerCase(Locale.ROOT)).append(entry.stepNumber())
                .append("\"><rect x=\"").append(f(x - width / 2)).append("\" y=\"").append(f(row.y - 7.5)).append("\" width=\"")
                .append(f(width)).append("\" height=\"15\" rx=\"4\" fill=\"").append(fill).append("\" stroke=\"").append(color)
                .append("\" stroke-width=\"1.2\"/>");
        top.append("<text x=\"").append(f(x)).append("\" y=\"").append(f(row.y + 4)).append("\" font-size=\"").append(f(FONT))
                .append("\" font-weight=\"bold\" fill=\"").append(color).append("\" text-anchor=\"middle\">").append(escape(label))
                .append("</text><title>").append(escape(entry.text())).append("</title></g>\n");
        String cause = "(" + StateDiagramSvg.causeText(entry.step().cause(), language) + ")";
        double causeX = side == Side.A ? x - width / 2 - 6 : x + width / 2 + 6;
        text(top, causeX, row.y + 4, cause, 10, color, side == Side.A ? "end" : "start", false, "cause");
    }

    /** What an application (or the lab, to a board) did: beside that board's line, outside the wire. */
    private static void sideNote(StringBuilder svg, Row row, String content, String color) {
        Side side = row.entry.side();
        if (side == Side.A) {
            text(svg, A_X - 10, row.y + 4, fit(content, NOTE_WIDTH_A, 10, false), 10, color, "end", false, "app");
        } else {
            text(svg, B_X + 10, row.y + 4, fit(content, NOTE_WIDTH_B, 10, false), 10, color, "start", false, "app");
        }
    }

    /** The segment as Wireshark's Info column shows it: flags, relative seq and ack, window, length, MSS. */
    static String describe(LabFrame frame, RelativeSequence relative) {
        LabSegment tcp = frame.tcp();
        if (tcp == null) {
            return "(not TCP)";
        }
        long seq = relative.seq(tcp);
        StringBuilder text = new StringBuilder("[").append(tcp.flagNames()).append("] seq=").append(seq);
        if (tcp.has(TcpSegment.ACK)) {
            text.append(" ack=").append(relative.ack(tcp));
        }
        text.append(" win=").append(tcp.window());
        if (tcp.payloadLength() > 0) {
            text.append(" len=").append(tcp.payloadLength());
        }
        if (tcp.mss() >= 0) {
            text.append(" MSS=").append(tcp.mss());
        }
        return text.toString();
    }

    /**
     * Sequence numbers relative to the first of each direction of each connection, as Wireshark
     * shows them: a SYN starts a direction at 0; a direction first seen without one starts at 1.
     */
    static final class RelativeSequence {
        private final Map<String, Integer> base = new HashMap<>();

        private static String direction(int source, int sourcePort, int destination, int destinationPort) {
            return (source & 0xFFFF_FFFFL) + ":" + sourcePort + ">" + (destination & 0xFFFF_FFFFL) + ":" + destinationPort;
        }

        long seq(LabSegment tcp) {
            String key = direction(tcp.source(), tcp.sourcePort(), tcp.destination(), tcp.destinationPort());
            if (tcp.has(TcpSegment.SYN)) {
                base.put(key, tcp.seq());
            } else {
                base.putIfAbsent(key, tcp.seq() - 1);
            }
            return (tcp.seq() - base.get(key)) & 0xFFFF_FFFFL;
        }

        long ack(LabSegment tcp) {
            String key = direction(tcp.destination(), tcp.destinationPort(), tcp.source(), tcp.sourcePort());
            base.putIfAbsent(key, tcp.ack() - 1);
            return (tcp.ack() - base.get(key)) & 0xFFFF_FFFFL;
        }
    }

    /** {@code text}, cut with an ellipsis to fit {@code width} px (the timeline table has it whole). */
    private static String fit(String text, double width, double size, boolean mono) {
        if ((mono ? SvgText.monoWidth(text, size) : SvgText.width(text, size, false)) <= width) {
            return text;
        }
        String cut = text;
        while (cut.length() > 1 && (mono ? SvgText.monoWidth(cut + "…", size) : SvgText.width(cut + "…", size, false)) > width) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "…";
    }

    private static void line(StringBuilder svg, String cssClass, double x1, double y1, double x2, double y2, String color, String dash,
                             String marker) {
        svg.append("<line class=\"").append(cssClass).append("\" x1=\"").append(f(x1)).append("\" y1=\"").append(f(y1)).append("\" x2=\"").append(f(x2)).append("\" y2=\"")
                .append(f(y2)).append("\" stroke=\"").append(color).append("\" stroke-width=\"1.6\"");
        if (dash != null) {
            svg.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        if (marker != null) {
            svg.append(" marker-end=\"url(#").append(marker).append(")\"");
        }
        svg.append("/>\n");
    }

    private static void cross(StringBuilder svg, double x, double y) {
        svg.append("<path d=\"M ").append(f(x - 5)).append(' ').append(f(y - 5)).append(" L ").append(f(x + 5)).append(' ')
                .append(f(y + 5)).append(" M ").append(f(x - 5)).append(' ').append(f(y + 5)).append(" L ").append(f(x + 5))
                .append(' ').append(f(y - 5)).append("\" stroke=\"").append(LOST).append("\" stroke-width=\"2.4\" class=\"lost\"/>\n");
    }

    private static void marker(StringBuilder svg, String id, String color) {
        svg.append("<marker id=\"").append(id).append("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" ")
                .append("markerHeight=\"8\" orient=\"auto\" markerUnits=\"userSpaceOnUse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"")
                .append(color).append("\"/></marker>\n");
    }

    private static void text(StringBuilder svg, double x, double y, String content, double size, String color, String anchor,
                             boolean bold, String cssClass) {
        boolean mono = cssClass.equals("segment");
        if (mono) {
            // A white ground under a segment's label: the arrows of a burst pass behind it, not through it.
            double width = SvgText.monoWidth(content, size);
            Rect ground = Rect.ofText(x, y, width, size, anchor).grow(1);
            svg.append("<rect class=\"label-ground\" x=\"").append(f(ground.x())).append("\" y=\"").append(f(ground.y()))
                    .append("\" width=\"").append(f(ground.width())).append("\" height=\"").append(f(ground.height()))
                    .append("\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>");
        }
        svg.append("<text class=\"").append(cssClass).append("\" x=\"").append(f(x)).append("\" y=\"").append(f(y))
                .append("\" font-size=\"").append(f(size)).append("\" fill=\"").append(color).append("\" text-anchor=\"").append(anchor)
                .append('"');
        if (mono) {
            svg.append(" font-family=\"").append(SvgText.MONO).append('"');
        }
        if (bold) {
            svg.append(" font-weight=\"bold\"");
        }
        svg.append(" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">").append(escape(content)).append("</text>\n");
    }
}
