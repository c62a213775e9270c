package dev.spinet.lab;

import static dev.spinet.lab.SvgText.escape;
import static dev.spinet.lab.SvgText.f;

import dev.spinet.tcp.StateDiagram;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Draws the TCP state diagram as SVG, laid out like RFC 9293 figure 5: CLOSED on top, LISTEN
 * under it, SYN_RCVD left and SYN_SENT right, ESTAB in the middle, the closing states below,
 * TIME_WAIT and CLOSED at the bottom, every edge routed as the figure routes it (active OPEN and
 * the CLOSE of SYN_SENT round the right-hand side, rcv RST from SYN_RCVD up into LISTEN, the
 * FIN_WAIT_2 path under to TIME_WAIT) and labelled as the figure labels it.
 *
 * <p>Edges the figure leaves to the text (RST, ABORT, the timeouts, this stack's pool policies)
 * appear only when walked, each routed round the outside of the figure into a third CLOSED box
 * at the bottom left, so they cross no state and no label.
 *
 * <p>Two walks are highlighted: the first (a lab's side A, the client) solid blue, the second
 * (side B, the server) dashed orange, as the usual figure draws the client's path solid and the
 * server's dashed. Each edge a walk took gets one badge listing every step that took it on either
 * side ("A 1,7" / "B 2"; with the cause for an edge outside the figure), placed where it covers
 * no box, no label and no other badge. Each step's elements carry the class {@code s-a1},
 * {@code s-b2}..., the box a step ends in {@code at-a1}..., so a page can single out one step
 * with a style sheet ({@link LabReportHtml} does, without a script).
 *
 * <p>Self-contained SVG 1.1 (no scripts, no external references), so it can be inlined in HTML,
 * served by the status page's {@code /diagram.svg}, or opened on its own.
 */
public final class StateDiagramSvg {

    public static final int WIDTH = 1160;
    public static final int HEIGHT = 1110;
    private static final int BOX_W = 150;
    private static final int BOX_H = 44;
    private static final String GREY = "#a8a8a8";
    private static final String COLOR_A = "#1f5fbf";
    private static final String COLOR_B = "#d9660b";
    private static final double LABEL_SIZE = 11;
    private static final double BADGE_SIZE = 11;
    private static final double BADGE_LINE = 14;

    /** A state box; CLOSED appears three times. */
    private record Box(String id, String label, double x, double y, double w, double h) {
        Rect rect() {
            return Rect.centered(x, y, w, h);
        }

        double left() {
            return x - w / 2;
        }

        double right() {
            return x + w / 2;
        }

        double top() {
            return y - h / 2;
        }

        double bottom() {
            return y + h / 2;
        }
    }

    private static final double LEFT = 270;
    private static final double MIDDLE = 580;
    private static final double RIGHT = 890;
    private static final Box CLOSED_TOP = box("closed-top", "CLOSED", MIDDLE, 70);
    private static final Box CLOSED_BOTTOM = box("closed-bottom", "CLOSED", RIGHT, 910);
    /** Where the edges outside the figure end: wide, so each arrives at its own point of the top side. */
    private static final Box CLOSED_OUTSIDE = new Box("closed-outside", "CLOSED", 245, 1044, 450, BOX_H);
    private static final Map<TcpState, Box> BOXES = new LinkedHashMap<>();

    static {
        BOXES.put(TcpState.LISTEN, box("listen", "LISTEN", MIDDLE, 200));
        BOXES.put(TcpState.SYN_RECEIVED, box("syn-received", "SYN_RCVD", LEFT, 340));
        BOXES.put(TcpState.SYN_SENT, box("syn-sent", "SYN_SENT", RIGHT, 340));
        BOXES.put(TcpState.ESTABLISHED, box("established", "ESTAB", MIDDLE, 480));
        BOXES.put(TcpState.FIN_WAIT_1, box("fin-wait-1", "FIN_WAIT_1", LEFT, 620));
        BOXES.put(TcpState.CLOSE_WAIT, box("close-wait", "CLOSE_WAIT", RIGHT, 620));
        BOXES.put(TcpState.FIN_WAIT_2, box("fin-wait-2", "FIN_WAIT_2", LEFT, 770));
        BOXES.put(TcpState.CLOSING, box("closing", "CLOSING", MIDDLE, 770));
        BOXES.put(TcpState.LAST_ACK, box("last-ack", "LAST_ACK", RIGHT, 770));
        BOXES.put(TcpState.TIME_WAIT, box("time-wait", "TIME_WAIT", MIDDLE, 910));
    }

    private static Box box(String id, String label, double x, double y) {
        return new Box(id, label, x, y, BOX_W, BOX_H);
    }

    /** One edge of the figure: its label and where the label sits (the figure's positions, tuned to clear every box). */
    private record FigureEdge(String label, double x, double y, String anchor) {
    }

    private static final Map<StateDiagram.Edge, FigureEdge> FIGURE = new LinkedHashMap<>();
    /** The figure's routes, from box border to box border, keyed "from>to" by box id. */
    private static final Map<String, double[]> ROUTES = new LinkedHashMap<>();

    static {
        Box li = BOXES.get(TcpState.LISTEN);
        Box sr = BOXES.get(TcpState.SYN_RECEIVED);
        Box ss = BOXES.get(TcpState.SYN_SENT);
        Box es = BOXES.get(TcpState.ESTABLISHED);
        Box f1 = BOXES.get(TcpState.FIN_WAIT_1);
        Box cw = BOXES.get(TcpState.CLOSE_WAIT);
        Box f2 = BOXES.get(TcpState.FIN_WAIT_2);
        Box cg = BOXES.get(TcpState.CLOSING);
        Box la = BOXES.get(TcpState.LAST_ACK);
        Box tw = BOXES.get(TcpState.TIME_WAIT);
        Box ct = CLOSED_TOP;
        Box cb = CLOSED_BOTTOM;
        figure(TcpState.CLOSED, TcpState.LISTEN, TransitionCause.PASSIVE_OPEN, "passive OPEN", MIDDLE - 28, 140, "end",
                ct, li, MIDDLE - 20, ct.bottom(), MIDDLE - 20, li.top());
        figure(TcpState.LISTEN, TcpState.CLOSED, TransitionCause.CLOSE, "CLOSE", MIDDLE + 28, 140, "start",
                li, ct, MIDDLE + 20, li.top(), MIDDLE + 20, ct.bottom());
        figure(TcpState.CLOSED, TcpState.SYN_SENT, TransitionCause.ACTIVE_OPEN, "active OPEN / snd SYN", 760, 99, "middle",
                ct, ss, ct.right(), 80, 860, 80, 860, ss.top());
        figure(TcpState.SYN_SENT, TcpState.CLOSED, TransitionCause.CLOSE, "CLOSE", 760, 51, "middle",
                ss, ct, 930, ss.top(), 930, 60, ct.right(), 60);
        figure(TcpState.LISTEN, TcpState.SYN_RECEIVED, TransitionCause.RCV_SYN, "rcv SYN / snd SYN,ACK", 430, 268, "end",
                li, sr, MIDDLE - 50, li.bottom(), sr.right() - 25, sr.top());
        figure(TcpState.LISTEN, TcpState.SYN_SENT, TransitionCause.SEND, "SEND / snd SYN", 730, 268, "start",
                li, ss, MIDDLE + 50, li.bottom(), ss.left() + 25, ss.top());
        figure(TcpState.SYN_SENT, TcpState.SYN_RECEIVED, TransitionCause.RCV_SYN, "rcv SYN / snd SYN,ACK", MIDDLE, 333, "middle",
                ss, sr, ss.left(), 340, sr.right(), 340);
        figure(TcpState.SYN_SENT, TcpState.ESTABLISHED, TransitionCause.RCV_SYN_ACK, "rcv SYN,ACK / snd ACK", 760, 420, "start",
                ss, es, ss.left() + 25, ss.bottom(), es.right() - 15, es.top());
        figure(TcpState.SYN_RECEIVED, TcpState.ESTABLISHED, TransitionCause.RCV_ACK_OF_SYN, "rcv ACK of SYN", 400, 420, "end",
                sr, es, sr.right() - 25, sr.bottom(), es.left() + 15, es.top());
        figure(TcpState.SYN_RECEIVED, TcpState.FIN_WAIT_1, TransitionCause.CLOSE, "CLOSE / snd FIN", LEFT + 8, 585, "start",
                sr, f1, LEFT, sr.bottom(), LEFT, f1.top());
        figure(TcpState.SYN_RECEIVED, TcpState.LISTEN, TransitionCause.RCV_RST, "rcv RST", 380, 192, "middle",
                sr, li, LEFT - 20, sr.top(), LEFT - 20, 200, li.left(), 200);
        figure(TcpState.ESTABLISHED, TcpState.FIN_WAIT_1, TransitionCause.CLOSE, "CLOSE / snd FIN", 452, 556, "start",
                es, f1, MIDDLE - 50, es.bottom(), f1.right() - 10, f1.top());
        figure(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, TransitionCause.RCV_FIN, "rcv FIN / snd ACK", 712, 556, "end",
                es, cw, MIDDLE + 50, es.bottom(), cw.left() + 10, cw.top());
        figure(TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2, TransitionCause.RCV_ACK_OF_FIN, "rcv ACK of FIN", LEFT + 8, 700, "start",
                f1, f2, LEFT, f1.bottom(), LEFT, f2.top());
        figure(TcpState.FIN_WAIT_1, TcpState.CLOSING, TransitionCause.RCV_FIN, "rcv FIN / snd ACK", 440, 676, "start",
                f1, cg, f1.right(), 628, cg.left() + 10, cg.top());
        figure(TcpState.FIN_WAIT_1, TcpState.TIME_WAIT, TransitionCause.RCV_FIN_ACK, "rcv FIN,ACK / snd ACK", 470, 846, "end",
                f1, tw, f1.right(), 638, tw.left() + 25, tw.top());
        figure(TcpState.FIN_WAIT_2, TcpState.TIME_WAIT, TransitionCause.RCV_FIN, "rcv FIN / snd ACK", 330, 931, "middle",
                f2, tw, LEFT, f2.bottom(), LEFT, 910, tw.left(), 910);
        figure(TcpState.CLOSE_WAIT, TcpState.LAST_ACK, TransitionCause.CLOSE, "CLOSE / snd FIN", RIGHT - 8, 700, "end",
                cw, la, RIGHT, cw.bottom(), RIGHT, la.top());
        figure(TcpState.CLOSING, TcpState.TIME_WAIT, TransitionCause.RCV_ACK_OF_FIN, "rcv ACK of FIN", MIDDLE + 8, 846, "start",
                cg, tw, MIDDLE, cg.bottom(), MIDDLE, tw.top());
        figure(TcpState.LAST_ACK, TcpState.CLOSED, TransitionCause.RCV_ACK_OF_FIN, "rcv ACK of FIN", RIGHT - 8, 846, "end",
                la, cb, RIGHT, la.bottom(), RIGHT, cb.top());
        figure(TcpState.TIME_WAIT, TcpState.CLOSED, TransitionCause.TIME_WAIT_TIMEOUT, "timeout = 2MSL", 735, 902, "middle",
                tw, cb, tw.right(), 910, cb.left(), 910);
    }

    private static void figure(TcpState from, TcpState to, TransitionCause cause, String label, double x, double y, String anchor,
                               Box fromBox, Box toBox, double... route) {
        StateDiagram.Edge edge = StateDiagram.find(from, to, cause);
        if (edge == null) {
            throw new ExceptionInInitializerError("the figure's edge " + from + " -> " + to + " on " + cause + " is not in StateDiagram");
        }
        FIGURE.put(edge, new FigureEdge(label, x, y, anchor));
        ROUTES.putIfAbsent(fromBox.id + ">" + toBox.id, route);
    }

    /**
     * Routes into the CLOSED box outside the figure, one per source state, nested so that none
     * crosses another: the left column leaves leftwards into lanes at the canvas's left edge, the
     * right column rightwards into lanes at its right edge and along the bottom, CLOSING round the
     * right of TIME_WAIT, TIME_WAIT straight down; each arrives at its own point of the box's top side.
     */
    private static double[] outsideRoute(Box from) {
        double top = CLOSED_OUTSIDE.top();
        return switch (from.id) {
            case "syn-received" -> new double[] {from.left(), from.y + 8, 30, from.y + 8, 30, top};
            case "established" -> new double[] {from.left(), from.y + 12, 48, from.y + 12, 48, top};
            case "fin-wait-1" -> new double[] {from.left(), from.y + 8, 66, from.y + 8, 66, top};
            case "fin-wait-2" -> new double[] {from.left(), from.y + 8, 84, from.y + 8, 84, top};
            case "closing" -> new double[] {from.right(), from.y + 14, 790, from.y + 14, 790, 970, 412, 970, 412, top};
            case "time-wait" -> new double[] {from.x - 30, from.bottom(), from.x - 30, 956, 395, 956, 395, top};
            case "last-ack" -> new double[] {from.right(), from.y + 8, 1098, from.y + 8, 1098, 984, 429, 984, 429, top};
            case "close-wait" -> new double[] {from.right(), from.y + 8, 1116, from.y + 8, 1116, 998, 446, 998, 446, top};
            case "syn-sent" -> new double[] {from.right(), from.y + 8, 1134, from.y + 8, 1134, 1012, 463, 1012, 463, top};
            default -> throw new IllegalArgumentException("no edge outside the figure leaves " + from.id);
        };
    }

    private StateDiagramSvg() {
    }

    /** The diagram with no walk highlighted. */
    public static String render() {
        return render(List.of(), List.of(), "", "");
    }

    /** The diagram for a lab result: side A solid, side B dashed. */
    public static String render(LabResult result) {
        LabMessages words = LabMessages.of(result.lab().language());
        return render(edges(result.actualA()), edges(result.actualB()), null,
                words.format("diagram.legend.a", result.lab().boardA()), words.format("diagram.legend.b", result.lab().boardB()), words);
    }

    /**
     * @param solid      edges the first side walked, in order (steps A1, A2, ...), drawn solid
     * @param dashed     edges the second side walked, in order (B1, B2, ...), drawn dashed
     * @param solidName  legend text for the first side (e.g. "A: client (solid)"); empty for no legend entry
     * @param dashedName legend text for the second side
     */
    public static String render(List<StateDiagram.Edge> solid, List<StateDiagram.Edge> dashed, String solidName, String dashedName) {
        return render(solid, dashed, null, solidName, dashedName, LabMessages.of(LabLanguage.EN));
    }

    /** As {@link #render(List, List, String, String)}, with the drawing's own words (title, notes, causes) in {@code language}. */
    public static String render(List<StateDiagram.Edge> solid, List<StateDiagram.Edge> dashed, String solidName, String dashedName,
                                LabLanguage language) {
        return render(solid, dashed, null, solidName, dashedName, LabMessages.of(language));
    }

    /**
     * A board's own walk, as its status page's {@code /diagram.svg} shows it: each edge walked since
     * start drawn solid, its badge saying how often ("3x", "2x: rcv RST") instead of step numbers.
     *
     * @param edges  the edges walked at least once
     * @param counts how often each was walked (same order)
     */
    public static String renderCounts(List<StateDiagram.Edge> edges, List<Long> counts, String name) {
        if (edges.size() != counts.size()) {
            throw new IllegalArgumentException("one count per edge: " + edges.size() + " edges, " + counts.size() + " counts");
        }
        return render(edges, List.of(), counts, name, "", LabMessages.of(LabLanguage.EN));
    }

    private static String render(List<StateDiagram.Edge> solid, List<StateDiagram.Edge> dashed, List<Long> counts, String solidName,
                                 String dashedName, LabMessages words) {
        Map<String, Group> groups = new LinkedHashMap<>();
        for (Map.Entry<StateDiagram.Edge, FigureEdge> figureEdge : FIGURE.entrySet()) {
            group(groups, figureEdge.getKey());
        }
        number(groups, solid, 0, words.language());
        number(groups, dashed, 1, words.language());
        if (counts != null) {
            for (int i = 0; i < solid.size(); i++) {
                Group group = group(groups, solid.get(i));
                String cause = FIGURE.containsKey(solid.get(i)) ? "" : ": " + causeText(solid.get(i).cause(), words.language());
                group.counts.merge(cause, counts.get(i), Long::sum);
            }
        }

        StringBuilder svg = new StringBuilder(48 * 1024);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" class=\"state-diagram\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"").append(SvgText.FONT).append("\">\n");
        svg.append("<title>").append(escape(words.get("diagram.title"))).append("</title>\n<defs>\n");
        marker(svg, "sd-arrow-grey", GREY);
        marker(svg, "sd-arrow-a", COLOR_A);
        marker(svg, "sd-arrow-b", COLOR_B);
        svg.append("</defs>\n<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" fill=\"#ffffff\"/>\n");

        List<Rect> taken = new ArrayList<>();
        for (Group group : groups.values()) {
            if (group.figure) {
                path(svg, group.route, 0, GREY, 1.4, null, "sd-arrow-grey", "figure-edge");
            }
        }
        for (Group group : groups.values()) {
            drawWalks(svg, group);
        }
        for (Map.Entry<StateDiagram.Edge, FigureEdge> entry : FIGURE.entrySet()) {
            FigureEdge label = entry.getValue();
            Group group = groups.get(key(entry.getKey()));
            if (group.labelled) {
                continue; // two causes on one route (none in the figure today) would share the first label
            }
            group.labelled = true;
            text(svg, label.x, label.y, label.label, LABEL_SIZE, "#555555", label.anchor, "edge-label", false);
            taken.add(Rect.ofText(label.x, label.y, SvgText.width(label.label, LABEL_SIZE, false), LABEL_SIZE, label.anchor));
        }
        for (Box b : BOXES.values()) {
            drawBox(svg, b, stepsEndingIn(groups, b), taken);
        }
        drawBox(svg, CLOSED_TOP, stepsEndingIn(groups, CLOSED_TOP), taken);
        drawBox(svg, CLOSED_BOTTOM, stepsEndingIn(groups, CLOSED_BOTTOM), taken);
        drawBox(svg, CLOSED_OUTSIDE, stepsEndingIn(groups, CLOSED_OUTSIDE), taken);
        text(svg, CLOSED_OUTSIDE.x, CLOSED_OUTSIDE.y + 17, words.get("diagram.closed.outside"), 10, "#555555", "middle", "box-note", false);
        legend(svg, solidName, dashedName, taken, words.get("diagram.title"));
        for (Group group : groups.values()) {
            badge(svg, group, taken);
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    // ---- walks on edges ----

    /** The edges between two boxes (one route, whatever the causes) and the steps that took them. */
    private static final class Group {
        final Box from;
        final Box to;
        final boolean figure;
        final double[] route;
        boolean labelled;
        /** Per side: every step that took this route; those on the figure's edge; the others, by cause. */
        final List<List<Integer>> numbers = List.of(new ArrayList<>(), new ArrayList<>());
        final List<List<Integer>> figureNumbers = List.of(new ArrayList<>(), new ArrayList<>());
        final List<Map<String, List<Integer>>> causes = List.of(new LinkedHashMap<>(), new LinkedHashMap<>());
        /** For a board's own diagram: how often each cause took this route ("" for the figure's edge). */
        final Map<String, Long> counts = new LinkedHashMap<>();

        Group(Box from, Box to, boolean figure, double[] route) {
            this.from = from;
            this.to = to;
            this.figure = figure;
            this.route = route;
        }

        boolean walked() {
            return !numbers.get(0).isEmpty() || !numbers.get(1).isEmpty();
        }
    }

    private static String key(StateDiagram.Edge edge) {
        return fromBox(edge).id + ">" + toBox(edge).id;
    }

    private static Box fromBox(StateDiagram.Edge edge) {
        return edge.from() == TcpState.CLOSED ? CLOSED_TOP : BOXES.get(edge.from());
    }

    private static Box toBox(StateDiagram.Edge edge) {
        if (edge.to() != TcpState.CLOSED) {
            return BOXES.get(edge.to());
        }
        if (!FIGURE.containsKey(edge)) {
            return CLOSED_OUTSIDE;
        }
        return edge.from() == TcpState.LAST_ACK || edge.from() == TcpState.TIME_WAIT ? CLOSED_BOTTOM : CLOSED_TOP;
    }

    private static Group group(Map<String, Group> groups, StateDiagram.Edge edge) {
        String key = key(edge);
        Group group = groups.get(key);
        if (group == null) {
            Box from = fromBox(edge);
            Box to = toBox(edge);
            double[] route = ROUTES.containsKey(key) ? ROUTES.get(key) : outsideRoute(from);
            group = new Group(from, to, ROUTES.containsKey(key), route);
            groups.put(key, group);
        }
        return group;
    }

    private static void number(Map<String, Group> groups, List<StateDiagram.Edge> walk, int side, LabLanguage language) {
        for (int i = 0; i < walk.size(); i++) {
            StateDiagram.Edge edge = walk.get(i);
            if (edge == null) {
                continue;
            }
            Group group = group(groups, edge);
            group.numbers.get(side).add(i + 1);
            if (FIGURE.containsKey(edge)) {
                group.figureNumbers.get(side).add(i + 1);
            } else {
                group.causes.get(side).computeIfAbsent(causeText(edge.cause(), language), c -> new ArrayList<>()).add(i + 1);
            }
        }
    }

    /** A transition's cause in the figure's words ("rcv FIN", "active OPEN"), or plain words where the figure has none. */
    static String causeText(TransitionCause cause) {
        return causeText(cause, LabLanguage.EN);
    }

    /**
     * The cause in {@code language}. The figure's own words (rcv SYN, active OPEN, ABORT...) stay as
     * RFC 9293 writes them in every language, like the state names; the causes the figure leaves to
     * the text (the timers, the full tables) are translated.
     */
    static String causeText(TransitionCause cause, LabLanguage language) {
        if (language == LabLanguage.ZH) {
            switch (cause) {
                case RETRANSMISSION_TIMEOUT, USER_TIMEOUT, KEEPALIVE_TIMEOUT, FIN_WAIT_2_TIMEOUT, BACKLOG_EVICTED, TIME_WAIT_RECYCLED -> {
                    return LabMessages.of(language).get("cause." + cause.name().toLowerCase(java.util.Locale.ROOT));
                }
                default -> {
                }
            }
        }
        return switch (cause) {
            case PASSIVE_OPEN -> "passive OPEN";
            case ACTIVE_OPEN -> "active OPEN";
            case SEND -> "SEND";
            case CLOSE -> "CLOSE";
            case RCV_SYN_ACK -> "rcv SYN,ACK";
            case RCV_ACK_OF_SYN -> "rcv ACK of SYN";
            case RCV_FIN -> "rcv FIN";
            case RCV_ACK_OF_FIN -> "rcv ACK of FIN";
            case RCV_FIN_ACK -> "rcv FIN,ACK";
            case TIME_WAIT_TIMEOUT -> "timeout = 2MSL";
            case RCV_RST -> "rcv RST";
            case RCV_SYN -> "rcv SYN";
            case ABORT -> "ABORT";
            case RETRANSMISSION_TIMEOUT -> "retransmission timeout";
            case USER_TIMEOUT -> "user timeout";
            case KEEPALIVE_TIMEOUT -> "keepalive timeout";
            case FIN_WAIT_2_TIMEOUT -> "FIN_WAIT_2 timeout";
            case BACKLOG_EVICTED -> "backlog full";
            case TIME_WAIT_RECYCLED -> "TIME_WAIT recycled";
            default -> cause.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
    }

    private static String stepClasses(List<Integer> numbers, int side) {
        StringBuilder classes = new StringBuilder();
        for (int n : numbers) {
            classes.append(" s-").append(side == 0 ? 'a' : 'b').append(n);
        }
        return classes.toString();
    }

    private static void drawWalks(StringBuilder svg, Group group) {
        if (!group.walked()) {
            return;
        }
        if (!group.figure) {
            path(svg, group.route, 0, GREY, 1.4, null, null, "outside-edge");
        }
        String[] colors = {COLOR_A, COLOR_B};
        String[] dashes = {null, "7,5"};
        String[] markers = {"sd-arrow-a", "sd-arrow-b"};
        double[] offsets = {-3.5, 3.5};
        for (int side = 0; side < 2; side++) {
            List<Integer> numbers = group.numbers.get(side);
            if (!numbers.isEmpty()) {
                path(svg, group.route, offsets[side], colors[side], 3.2, dashes[side], markers[side],
                        "walk walk-" + (side == 0 ? 'a' : 'b') + stepClasses(numbers, side));
            }
        }
    }

    /** The classes of a box: every step that ends in it ("at-a3"). */
    private static String stepsEndingIn(Map<String, Group> groups, Box box) {
        StringBuilder classes = new StringBuilder();
        for (Group group : groups.values()) {
            if (group.to == box) {
                for (int side = 0; side < 2; side++) {
                    for (int n : group.numbers.get(side)) {
                        classes.append(" at-").append(side == 0 ? 'a' : 'b').append(n);
                    }
                }
            }
        }
        return classes.toString();
    }

    // ---- badges ----

    /** One line of a badge: its text and colour. */
    private record BadgeLine(String text, String color) {
    }

    private static List<BadgeLine> badgeLines(Group group) {
        List<BadgeLine> lines = new ArrayList<>();
        String[] colors = {COLOR_A, COLOR_B};
        if (!group.counts.isEmpty()) {
            for (Map.Entry<String, Long> count : group.counts.entrySet()) {
                lines.add(new BadgeLine(count.getValue() + "x" + count.getKey(), COLOR_A));
            }
            return lines;
        }
        for (int side = 0; side < 2; side++) {
            String name = side == 0 ? "A" : "B";
            addNumbered(lines, name, group.figureNumbers.get(side), "", colors[side]);
            for (Map.Entry<String, List<Integer>> cause : group.causes.get(side).entrySet()) {
                addNumbered(lines, name, cause.getValue(), ": " + cause.getKey(), colors[side]);
            }
        }
        return lines;
    }

    /** "A 1,7,12" (wrapped after eight numbers), with {@code suffix} on the last line. */
    private static void addNumbered(List<BadgeLine> lines, String side, List<Integer> numbers, String suffix, String color) {
        if (numbers.isEmpty()) {
            return;
        }
        StringBuilder line = new StringBuilder(side).append(' ');
        for (int i = 0; i < numbers.size(); i++) {
            if (i > 0 && i % 8 == 0) {
                lines.add(new BadgeLine(line.toString(), color));
                line = new StringBuilder("  ");
            } else if (i > 0) {
                line.append(',');
            }
            line.append(numbers.get(i));
        }
        lines.add(new BadgeLine(line.append(suffix).toString(), color));
    }

    private static void badge(StringBuilder svg, Group group, List<Rect> taken) {
        if (!group.walked()) {
            return;
        }
        List<BadgeLine> lines = badgeLines(group);
        double width = 0;
        for (BadgeLine line : lines) {
            width = Math.max(width, SvgText.width(line.text, BADGE_SIZE, true));
        }
        width += 10;
        double height = lines.size() * BADGE_LINE + 6;
        double[] anchor = new double[2];
        Rect place = placeBadge(group.route, !group.figure, width, height, taken, anchor);
        taken.add(place);
        String classes = "badge" + stepClasses(group.numbers.get(0), 0) + stepClasses(group.numbers.get(1), 1);
        svg.append("<g class=\"").append(classes).append("\">");
        if (!place.grow(1).overlaps(Rect.centered(anchor[0], anchor[1], 0.1, 0.1), 0)) {
            // Moved off its edge: a thin leader from the edge to the badge.
            double[] end = edgeOfRect(place, anchor[0], anchor[1]);
            svg.append("<line x1=\"").append(f(anchor[0])).append("\" y1=\"").append(f(anchor[1])).append("\" x2=\"")
                    .append(f(end[0])).append("\" y2=\"").append(f(end[1])).append("\" stroke=\"#777777\" stroke-width=\"1\"/>");
        }
        svg.append("<rect x=\"").append(f(place.x())).append("\" y=\"").append(f(place.y())).append("\" width=\"")
                .append(f(place.width())).append("\" height=\"").append(f(place.height()))
                .append("\" rx=\"4\" fill=\"#ffffff\" stroke=\"#777777\" stroke-width=\"1\"/>");
        for (int i = 0; i < lines.size(); i++) {
            BadgeLine line = lines.get(i);
            svg.append("<text x=\"").append(f(place.x() + 5)).append("\" y=\"").append(f(place.y() + 3 + BADGE_LINE * i + 11))
                    .append("\" font-size=\"").append(f(BADGE_SIZE)).append("\" font-weight=\"bold\" fill=\"").append(line.color)
                    .append("\">").append(escape(line.text)).append("</text>");
        }
        svg.append("</g>\n");
    }

    /** Where on {@code rect}'s border the line from its centre towards (x, y) leaves it. */
    private static double[] edgeOfRect(Rect rect, double x, double y) {
        double cx = rect.centerX();
        double cy = rect.centerY();
        double dx = x - cx;
        double dy = y - cy;
        double scale = 1 / Math.max(Math.abs(dx) / (rect.width() / 2), Math.abs(dy) / (rect.height() / 2));
        return new double[] {cx + dx * scale, cy + dy * scale};
    }

    private static final double[] FRACTIONS = {0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82, 0.46, 0.54, 0.38, 0.62,
        0.3, 0.7, 0.22, 0.78, 0.12, 0.88};
    /** Along the first segment of a route outside the figure: its badge then sits by the state it leaves. */
    private static final double[] NEAR_SOURCE = {0.5, 0.35, 0.65, 0.2, 0.8};
    private static final double[] NEAR_SOURCE_LANE = {0.12, 0.22, 0.32, 0.42, 0.52};

    /**
     * A place for a badge: on its route, or beside it, nearest the middle (for a route outside the
     * figure, nearest the state it leaves), where it overlaps no box, label or other badge and stays
     * on the canvas; {@code anchor} gets the route point it belongs to.
     */
    private static Rect placeBadge(double[] route, boolean nearSource, double width, double height, List<Rect> taken, double[] anchor) {
        double total = 0;
        for (int i = 2; i < route.length; i += 2) {
            total += Math.hypot(route[i] - route[i - 2], route[i + 1] - route[i - 1]);
        }
        double first = Math.hypot(route[2] - route[0], route[3] - route[1]);
        // Candidates in order of preference: {distance along the route, ring (how far beside it)}.
        List<double[]> candidates = new ArrayList<>();
        if (nearSource) {
            // On or beside the stub that leaves the state, else the top of the lane it turns into:
            // by the state, not down where the routes run side by side.
            List<Double> near = new ArrayList<>();
            for (double fraction : NEAR_SOURCE) {
                near.add(fraction * first);
            }
            if (route.length > 4) {
                double second = Math.hypot(route[4] - route[2], route[5] - route[3]);
                for (double fraction : NEAR_SOURCE_LANE) {
                    near.add(first + fraction * second);
                }
            }
            for (int ring = 0; ring < 4; ring++) {
                for (double distance : near) {
                    candidates.add(new double[] {distance, ring});
                }
            }
        }
        for (int ring = 0; ring < 8; ring++) {
            for (double fraction : FRACTIONS) {
                candidates.add(new double[] {fraction * total, ring});
            }
        }
        Rect best = null;
        double bestOverlap = Double.MAX_VALUE;
        for (double[] candidateAt : candidates) {
            double[] point = pointAt(route, candidateAt[0]);
            int ring = (int) candidateAt[1];
            double nx = point[2];
            double ny = point[3];
            double[] sides = ring == 0 ? new double[] {0} : new double[] {1, -1};
            for (double sideSign : sides) {
                double distance = ring * (Math.abs(nx) * width / 2 + Math.abs(ny) * height / 2 + 4);
                Rect candidate = Rect.centered(point[0] + nx * distance * sideSign, point[1] + ny * distance * sideSign, width, height);
                double overlap = overlapWith(candidate, taken);
                if (overlap == 0) {
                    anchor[0] = point[0];
                    anchor[1] = point[1];
                    return candidate;
                }
                if (overlap < bestOverlap) {
                    bestOverlap = overlap;
                    best = candidate;
                    anchor[0] = point[0];
                    anchor[1] = point[1];
                }
            }
        }
        // Nowhere near its route (a very busy drawing): the free place nearest to it, with a leader.
        double[] home = pointAt(route, nearSource ? first / 2 : total / 2);
        Rect nearest = null;
        double nearestDistance = Double.MAX_VALUE;
        for (double y = height / 2 + 4; y < HEIGHT - height / 2 - 4; y += 6) {
            for (double x = width / 2 + 4; x < WIDTH - width / 2 - 4; x += 6) {
                double distance = Math.hypot(x - home[0], y - home[1]);
                if (distance < nearestDistance) {
                    Rect candidate = Rect.centered(x, y, width, height);
                    if (overlapWith(candidate, taken) == 0) {
                        nearest = candidate;
                        nearestDistance = distance;
                    }
                }
            }
        }
        if (nearest != null) {
            anchor[0] = home[0];
            anchor[1] = home[1];
            return nearest;
        }
        return best;
    }

    /** How much of {@code candidate} (grown by a 3 px margin) other things or the canvas edge cover; 0 when it is free. */
    private static double overlapWith(Rect candidate, List<Rect> taken) {
        Rect grown = candidate.grow(3);
        double overlap = 0;
        if (grown.x() < 0 || grown.y() < 0 || grown.right() > WIDTH || grown.bottom() > HEIGHT) {
            overlap += 1_000_000;
        }
        for (Rect other : taken) {
            if (grown.overlaps(other, 0)) {
                double w = Math.min(grown.right(), other.right()) - Math.max(grown.x(), other.x());
                double h = Math.min(grown.bottom(), other.bottom()) - Math.max(grown.y(), other.y());
                overlap += Math.max(w, 0) * Math.max(h, 0) + 1;
            }
        }
        return overlap;
    }

    /** The point {@code distance} along a polyline, with the unit normal of its segment there: {x, y, nx, ny}. */
    private static double[] pointAt(double[] route, double distance) {
        double left = distance;
        for (int i = 2; i < route.length; i += 2) {
            double dx = route[i] - route[i - 2];
            double dy = route[i + 1] - route[i - 1];
            double length = Math.hypot(dx, dy);
            if (left <= length || i == route.length - 2) {
                double t = length == 0 ? 0 : Math.min(1, left / length);
                return new double[] {route[i - 2] + dx * t, route[i - 1] + dy * t, -dy / length, dx / length};
            }
            left -= length;
        }
        return new double[] {route[0], route[1], 0, 1};
    }

    // ---- drawing ----

    /** A polyline along {@code route} shifted sideways by {@code offset} (mitred at the corners). */
    private static void path(StringBuilder svg, double[] route, double offset, String color, double width, String dash,
                             String marker, String cssClass) {
        int n = route.length / 2;
        svg.append("<path class=\"").append(cssClass).append("\" d=\"");
        for (int i = 0; i < n; i++) {
            double[] normal = vertexNormal(route, i, n);
            svg.append(i == 0 ? "M " : " L ").append(f(route[2 * i] + normal[0] * offset)).append(' ')
                    .append(f(route[2 * i + 1] + normal[1] * offset));
        }
        svg.append("\" fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"").append(width).append('"');
        if (dash != null) {
            svg.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        if (marker != null) {
            svg.append(" marker-end=\"url(#").append(marker).append(")\"");
        }
        svg.append("/>\n");
    }

    /** The offset direction at vertex {@code i}: the segment normal at the ends, the mitre at corners. */
    private static double[] vertexNormal(double[] route, int i, int n) {
        double[] before = i > 0 ? segmentNormal(route, i - 1) : null;
        double[] after = i < n - 1 ? segmentNormal(route, i) : null;
        if (before == null) {
            return after;
        }
        if (after == null) {
            return before;
        }
        double mx = before[0] + after[0];
        double my = before[1] + after[1];
        double length = Math.hypot(mx, my);
        if (length < 1e-9) {
            return after;
        }
        mx /= length;
        my /= length;
        double scale = 1 / Math.max(0.2, mx * after[0] + my * after[1]);
        return new double[] {mx * scale, my * scale};
    }

    private static double[] segmentNormal(double[] route, int segment) {
        double dx = route[2 * segment + 2] - route[2 * segment];
        double dy = route[2 * segment + 3] - route[2 * segment + 1];
        double length = Math.hypot(dx, dy);
        return new double[] {-dy / length, dx / length};
    }

    private static void marker(StringBuilder svg, String id, String color) {
        svg.append("<marker id=\"").append(id).append("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" ")
                .append("markerHeight=\"8\" orient=\"auto\" markerUnits=\"userSpaceOnUse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"")
                .append(color).append("\"/></marker>\n");
    }

    private static void drawBox(StringBuilder svg, Box box, String stepClasses, List<Rect> taken) {
        Rect r = box.rect();
        svg.append("<g class=\"state").append(stepClasses).append("\" id=\"state-").append(box.id).append("\"><rect x=\"")
                .append(f(r.x())).append("\" y=\"").append(f(r.y())).append("\" width=\"").append(f(r.width())).append("\" height=\"")
                .append(f(r.height())).append("\" rx=\"6\" fill=\"#f4f4f4\" stroke=\"#333333\" stroke-width=\"1.5\"/>");
        double labelY = box == CLOSED_OUTSIDE ? box.y + 1 : box.y + 5;
        svg.append("<text x=\"").append(f(box.x)).append("\" y=\"").append(f(labelY)).append("\" font-size=\"15\" fill=\"#111111\"")
                .append(" text-anchor=\"middle\">").append(escape(box.label)).append("</text></g>\n");
        taken.add(r.grow(2));
    }

    private static void legend(StringBuilder svg, String solidName, String dashedName, List<Rect> taken, String title) {
        double y = HEIGHT - 18;
        if (!solidName.isEmpty()) {
            svg.append("<line x1=\"520\" y1=\"").append(y).append("\" x2=\"570\" y2=\"").append(y).append("\" stroke=\"").append(COLOR_A)
                    .append("\" stroke-width=\"3.2\"/>\n");
            text(svg, 578, y + 4, solidName, 12, "#111111", "start", "legend", false);
            taken.add(new Rect(515, y - 10, 260, 20));
        }
        if (!dashedName.isEmpty()) {
            svg.append("<line x1=\"810\" y1=\"").append(y).append("\" x2=\"860\" y2=\"").append(y).append("\" stroke=\"").append(COLOR_B)
                    .append("\" stroke-width=\"3.2\" stroke-dasharray=\"7,5\"/>\n");
            text(svg, 868, y + 4, dashedName, 12, "#111111", "start", "legend", false);
            taken.add(new Rect(805, y - 10, 350, 20));
        }
        text(svg, 12, 22, title, 13, "#555555", "start", "title", false);
        taken.add(Rect.ofText(12, 22, SvgText.width(title, 13, false), 13, "start").grow(2));
    }

    private static void text(StringBuilder svg, double x, double y, String content, double size, String color, String anchor,
                             String cssClass, boolean bold) {
        svg.append("<text class=\"").append(cssClass).append("\" x=\"").append(f(x)).append("\" y=\"").append(f(y))
                .append("\" font-size=\"").append(f(size)).append("\" fill=\"").append(color).append("\" text-anchor=\"")
                .append(anchor).append('"');
        if (bold) {
            svg.append(" font-weight=\"bold\"");
        }
        svg.append(" stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\">").append(escape(content)).append("</text>\n");
    }

    private static List<StateDiagram.Edge> edges(List<Step> steps) {
        List<StateDiagram.Edge> edges = new ArrayList<>(steps.size());
        for (Step step : steps) {
            edges.add(step.edge());
        }
        return edges;
    }
}
