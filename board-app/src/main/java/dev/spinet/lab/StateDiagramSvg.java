package dev.spinet.lab;

import dev.spinet.tcp.StateDiagram;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws the TCP state diagram as SVG, laid out like RFC 793 figure 6 / RFC 9293 figure 5 (CLOSED
 * on top, LISTEN under it, SYN_RCVD left and SYN_SENT right, ESTAB in the middle, the closing states
 * below, CLOSED again bottom right), with the edges two walks took highlighted and numbered in
 * order: the first walk (a lab's side A, the client) solid blue, the second (side B, the server)
 * dashed orange, as the usual figure draws the client's path solid and the server's dashed.
 *
 * <p>The figure's 21 edges are always drawn (grey). Edges the figure leaves to the text (RST,
 * ABORT, the timeouts, this stack's pool policies) are drawn only when walked, as curves to the
 * nearest CLOSED box; a third CLOSED box, bottom left, takes those of ESTABLISHED and FIN_WAIT_*.
 *
 * <p>Self-contained SVG 1.1 (no scripts, no external references), so it can be inlined in HTML,
 * served by the status page's {@code /diagram.svg}, or opened on its own.
 */
public final class StateDiagramSvg {

    public static final int WIDTH = 960;
    public static final int HEIGHT = 980;
    private static final int BOX_W = 150;
    private static final int BOX_H = 44;
    private static final String GREY = "#b8b8b8";
    private static final String COLOR_A = "#1f5fbf";
    private static final String COLOR_B = "#d9660b";

    /** A box: a state (CLOSED appears three times). */
    private record Box(String id, String label, int x, int y) {
    }

    private static final Box CLOSED_TOP = new Box("closed-top", "CLOSED", 480, 50);
    private static final Box CLOSED_BOTTOM = new Box("closed-bottom", "CLOSED", 800, 850);
    private static final Box CLOSED_LEFT = new Box("closed-left", "CLOSED", 160, 900);
    private static final Map<TcpState, Box> BOXES = new LinkedHashMap<>();

    static {
        BOXES.put(TcpState.LISTEN, new Box("listen", "LISTEN", 480, 180));
        BOXES.put(TcpState.SYN_RECEIVED, new Box("syn-received", "SYN_RCVD", 160, 310));
        BOXES.put(TcpState.SYN_SENT, new Box("syn-sent", "SYN_SENT", 800, 310));
        BOXES.put(TcpState.ESTABLISHED, new Box("established", "ESTAB", 480, 440));
        BOXES.put(TcpState.FIN_WAIT_1, new Box("fin-wait-1", "FIN_WAIT_1", 160, 570));
        BOXES.put(TcpState.CLOSE_WAIT, new Box("close-wait", "CLOSE_WAIT", 800, 570));
        BOXES.put(TcpState.FIN_WAIT_2, new Box("fin-wait-2", "FIN_WAIT_2", 160, 710));
        BOXES.put(TcpState.CLOSING, new Box("closing", "CLOSING", 480, 710));
        BOXES.put(TcpState.LAST_ACK, new Box("last-ack", "LAST_ACK", 800, 710));
        BOXES.put(TcpState.TIME_WAIT, new Box("time-wait", "TIME_WAIT", 480, 850));
    }

    /** The edges of RFC 9293 figure 5, with the figure's labels. */
    private static final Map<StateDiagram.Edge, String> FIGURE = new LinkedHashMap<>();

    static {
        figure(TcpState.CLOSED, TcpState.LISTEN, TransitionCause.PASSIVE_OPEN, "passive OPEN");
        figure(TcpState.CLOSED, TcpState.SYN_SENT, TransitionCause.ACTIVE_OPEN, "active OPEN / snd SYN");
        figure(TcpState.LISTEN, TcpState.SYN_RECEIVED, TransitionCause.RCV_SYN, "rcv SYN / snd SYN,ACK");
        figure(TcpState.LISTEN, TcpState.SYN_SENT, TransitionCause.SEND, "SEND / snd SYN");
        figure(TcpState.LISTEN, TcpState.CLOSED, TransitionCause.CLOSE, "CLOSE");
        figure(TcpState.SYN_SENT, TcpState.SYN_RECEIVED, TransitionCause.RCV_SYN, "rcv SYN / snd SYN,ACK");
        figure(TcpState.SYN_SENT, TcpState.ESTABLISHED, TransitionCause.RCV_SYN_ACK, "rcv SYN,ACK / snd ACK");
        figure(TcpState.SYN_SENT, TcpState.CLOSED, TransitionCause.CLOSE, "CLOSE");
        figure(TcpState.SYN_RECEIVED, TcpState.ESTABLISHED, TransitionCause.RCV_ACK_OF_SYN, "rcv ACK of SYN");
        figure(TcpState.SYN_RECEIVED, TcpState.FIN_WAIT_1, TransitionCause.CLOSE, "CLOSE / snd FIN");
        figure(TcpState.SYN_RECEIVED, TcpState.LISTEN, TransitionCause.RCV_RST, "rcv RST");
        figure(TcpState.ESTABLISHED, TcpState.FIN_WAIT_1, TransitionCause.CLOSE, "CLOSE / snd FIN");
        figure(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, TransitionCause.RCV_FIN, "rcv FIN / snd ACK");
        figure(TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2, TransitionCause.RCV_ACK_OF_FIN, "rcv ACK of FIN");
        figure(TcpState.FIN_WAIT_1, TcpState.CLOSING, TransitionCause.RCV_FIN, "rcv FIN / snd ACK");
        figure(TcpState.FIN_WAIT_1, TcpState.TIME_WAIT, TransitionCause.RCV_FIN_ACK, "rcv FIN,ACK / snd ACK");
        figure(TcpState.FIN_WAIT_2, TcpState.TIME_WAIT, TransitionCause.RCV_FIN, "rcv FIN / snd ACK");
        figure(TcpState.CLOSE_WAIT, TcpState.LAST_ACK, TransitionCause.CLOSE, "CLOSE / snd FIN");
        figure(TcpState.CLOSING, TcpState.TIME_WAIT, TransitionCause.RCV_ACK_OF_FIN, "rcv ACK of FIN");
        figure(TcpState.LAST_ACK, TcpState.CLOSED, TransitionCause.RCV_ACK_OF_FIN, "rcv ACK of FIN");
        figure(TcpState.TIME_WAIT, TcpState.CLOSED, TransitionCause.TIME_WAIT_TIMEOUT, "timeout = 2MSL");
    }

    private static void figure(TcpState from, TcpState to, TransitionCause cause, String label) {
        StateDiagram.Edge edge = StateDiagram.find(from, to, cause);
        if (edge == null) {
            throw new ExceptionInInitializerError("the figure's edge " + from + " -> " + to + " on " + cause + " is not in StateDiagram");
        }
        FIGURE.put(edge, label);
    }

    private StateDiagramSvg() {
    }

    /** The diagram with no walk highlighted. */
    public static String render() {
        return render(List.of(), List.of(), "", "");
    }

    /**
     * @param solid      edges the first side walked, in order (numbered 1, 2, ...), drawn solid
     * @param dashed     edges the second side walked, in order, drawn dashed
     * @param solidName  legend text for the first side (e.g. "A: client"); empty for no legend entry
     * @param dashedName legend text for the second side
     */
    public static String render(List<StateDiagram.Edge> solid, List<StateDiagram.Edge> dashed, String solidName, String dashedName) {
        StringBuilder svg = new StringBuilder(32 * 1024);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n");
        svg.append("<title>TCP state diagram (RFC 9293 figure 5)</title>\n");
        svg.append("<defs>\n");
        marker(svg, "arrow-grey", GREY);
        marker(svg, "arrow-a", COLOR_A);
        marker(svg, "arrow-b", COLOR_B);
        svg.append("</defs>\n");
        svg.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT).append("\" fill=\"#ffffff\"/>\n");

        // Geometry groups: one line per (from box, to box), whatever the causes.
        Map<String, Group> groups = new LinkedHashMap<>();
        for (Map.Entry<StateDiagram.Edge, String> figureEdge : FIGURE.entrySet()) {
            group(groups, figureEdge.getKey()).figureLabels.add(figureEdge.getValue());
        }
        number(groups, solid, 0);
        number(groups, dashed, 1);

        for (Group group : groups.values()) {
            drawGroup(svg, group, groups);
        }
        for (Map.Entry<TcpState, Box> entry : BOXES.entrySet()) {
            box(svg, entry.getValue());
        }
        box(svg, CLOSED_TOP);
        box(svg, CLOSED_BOTTOM);
        box(svg, CLOSED_LEFT);
        text(svg, CLOSED_LEFT.x, CLOSED_LEFT.y + 38, "(RST, ABORT, timeouts)", 11, "#555555", "middle");
        legend(svg, solidName, dashedName);
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Edges drawn between the same two boxes. */
    private static final class Group {
        final Box from;
        final Box to;
        final boolean figure;
        final List<String> figureLabels = new ArrayList<>();
        final List<List<Integer>> numbers = List.of(new ArrayList<>(), new ArrayList<>());
        final List<List<String>> causes = List.of(new ArrayList<>(), new ArrayList<>());

        Group(Box from, Box to, boolean figure) {
            this.from = from;
            this.to = to;
            this.figure = figure;
        }
    }

    private static Group group(Map<String, Group> groups, StateDiagram.Edge edge) {
        boolean figure = FIGURE.containsKey(edge);
        Box from = edge.from() == TcpState.CLOSED ? CLOSED_TOP : BOXES.get(edge.from());
        Box to = target(edge, figure);
        String key = from.id + ">" + to.id;
        return groups.computeIfAbsent(key, k -> new Group(from, to, figure));
    }

    private static Box target(StateDiagram.Edge edge, boolean figure) {
        if (edge.to() != TcpState.CLOSED) {
            return BOXES.get(edge.to());
        }
        if (figure) {
            return edge.from() == TcpState.LAST_ACK || edge.from() == TcpState.TIME_WAIT ? CLOSED_BOTTOM : CLOSED_TOP;
        }
        return switch (edge.from()) {
            case LISTEN, SYN_SENT, SYN_RECEIVED -> CLOSED_TOP;
            case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> CLOSED_LEFT;
            default -> CLOSED_BOTTOM;
        };
    }

    private static void number(Map<String, Group> groups, List<StateDiagram.Edge> walk, int side) {
        for (int i = 0; i < walk.size(); i++) {
            StateDiagram.Edge edge = walk.get(i);
            if (edge == null) {
                continue;
            }
            Group group = group(groups, edge);
            group.numbers.get(side).add(i + 1);
            String cause = FIGURE.containsKey(edge) ? null : edge.cause().name();
            if (cause != null && !group.causes.get(side).contains(cause)) {
                group.causes.get(side).add(cause);
            }
        }
    }

    private static void drawGroup(StringBuilder svg, Group group, Map<String, Group> groups) {
        double x1 = group.from.x;
        double y1 = group.from.y;
        double x2 = group.to.x;
        double y2 = group.to.y;
        double dx = x2 - x1;
        double dy = y2 - y1;
        double length = Math.hypot(dx, dy);
        double nx = -dy / length;
        double ny = dx / length;
        // Two groups between the same boxes in opposite directions: move each to its own side.
        double base = groups.containsKey(group.to.id + ">" + group.from.id) ? 9 : 0;
        // Edges outside the figure bend outward (away from the middle column) to stay clear of boxes.
        double bend = 0;
        if (!group.figure) {
            double midX = (x1 + x2) / 2;
            double outward = midX < WIDTH / 2.0 ? -1 : 1;
            bend = 70 * (nx * outward >= 0 ? 1 : -1);
            if (Math.abs(nx) < 0.2) {
                bend = 70 * (ny >= 0 ? 1 : -1) * (midX < WIDTH / 2.0 ? 1 : -1);
            }
        }
        if (group.figure) {
            path(svg, x1, y1, x2, y2, nx, ny, base, bend, GREY, 1.6, null, "arrow-grey");
            double lx = (x1 + x2) / 2 + nx * (base + 12);
            double ly = (y1 + y2) / 2 + ny * (base + 12);
            // Beside a steep line the label starts (or ends) at it instead of straddling it.
            String anchor = nx > 0.6 ? "start" : nx < -0.6 ? "end" : "middle";
            text(svg, lx, ly, String.join("; ", group.figureLabels), 10, "#707070", anchor);
        }
        String[] colors = {COLOR_A, COLOR_B};
        String[] dashes = {null, "7,5"};
        String[] markers = {"arrow-a", "arrow-b"};
        double[] offsets = {-3.5, 3.5};
        double[] labelAt = {0.36, 0.64};
        for (int side = 0; side < 2; side++) {
            List<Integer> numbers = group.numbers.get(side);
            if (numbers.isEmpty()) {
                continue;
            }
            double offset = base + offsets[side];
            path(svg, x1, y1, x2, y2, nx, ny, offset, bend, colors[side], 3.2, dashes[side], markers[side]);
            double t = labelAt[side];
            double cx = (x1 + x2) / 2 + nx * (offset + bend);
            double cy = (y1 + y2) / 2 + ny * (offset + bend);
            double px = (1 - t) * (1 - t) * (x1 + nx * offset) + 2 * (1 - t) * t * cx + t * t * (x2 + nx * offset);
            double py = (1 - t) * (1 - t) * (y1 + ny * offset) + 2 * (1 - t) * t * cy + t * t * (y2 + ny * offset);
            StringBuilder label = new StringBuilder(side == 0 ? "A" : "B");
            for (int i = 0; i < numbers.size(); i++) {
                label.append(i == 0 ? "" : ",").append(numbers.get(i));
            }
            String causes = String.join(", ", group.causes.get(side));
            badge(svg, px + nx * (side == 0 ? -14 : 14), py + ny * (side == 0 ? -14 : 14), label.toString(), colors[side]);
            if (!causes.isEmpty()) {
                text(svg, px + nx * (side == 0 ? -30 : 30), py + ny * (side == 0 ? -30 : 30), causes.toLowerCase(Locale.ROOT).replace('_', ' '),
                        10, colors[side], "middle");
            }
        }
    }

    /** A straight (bend 0) or quadratic path between two boxes' borders, shifted by offset along n. */
    private static void path(StringBuilder svg, double x1, double y1, double x2, double y2, double nx, double ny, double offset,
                             double bend, String color, double width, String dash, String marker) {
        double sx = x1 + nx * offset;
        double sy = y1 + ny * offset;
        double ex = x2 + nx * offset;
        double ey = y2 + ny * offset;
        double cx = (sx + ex) / 2 + nx * bend;
        double cy = (sy + ey) / 2 + ny * bend;
        double[] start = border(sx, sy, bend == 0 ? ex : cx, bend == 0 ? ey : cy);
        double[] end = border(ex, ey, bend == 0 ? sx : cx, bend == 0 ? sy : cy);
        svg.append("<path d=\"M ").append(f(start[0])).append(' ').append(f(start[1]));
        if (bend == 0) {
            svg.append(" L ");
        } else {
            svg.append(" Q ").append(f(cx)).append(' ').append(f(cy)).append(' ');
        }
        svg.append(f(end[0])).append(' ').append(f(end[1])).append("\" fill=\"none\" stroke=\"").append(color)
                .append("\" stroke-width=\"").append(width).append('"');
        if (dash != null) {
            svg.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        svg.append(" marker-end=\"url(#").append(marker).append(")\"/>\n");
    }

    /** Where the line from a box's centre toward (tx, ty) leaves the box (plus a small gap). */
    private static double[] border(double x, double y, double tx, double ty) {
        double dx = tx - x;
        double dy = ty - y;
        double scale = 1 / Math.max(Math.abs(dx) / (BOX_W / 2.0 + 4), Math.abs(dy) / (BOX_H / 2.0 + 4));
        return new double[] {x + dx * scale, y + dy * scale};
    }

    private static void marker(StringBuilder svg, String id, String color) {
        svg.append("<marker id=\"").append(id).append("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" ")
                .append("markerHeight=\"7\" orient=\"auto\" markerUnits=\"userSpaceOnUse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"")
                .append(color).append("\"/></marker>\n");
    }

    private static void box(StringBuilder svg, Box box) {
        svg.append("<g id=\"state-").append(box.id).append("\"><rect x=\"").append(box.x - BOX_W / 2).append("\" y=\"")
                .append(box.y - BOX_H / 2).append("\" width=\"").append(BOX_W).append("\" height=\"").append(BOX_H)
                .append("\" rx=\"6\" fill=\"#f4f4f4\" stroke=\"#333333\" stroke-width=\"1.5\"/>");
        svg.append("</g>\n");
        text(svg, box.x, box.y + 5, box.label, 15, "#111111", "middle");
    }

    private static void badge(StringBuilder svg, double x, double y, String label, String color) {
        double w = 8 + 7.2 * label.length();
        svg.append("<rect x=\"").append(f(x - w / 2)).append("\" y=\"").append(f(y - 9)).append("\" width=\"").append(f(w))
                .append("\" height=\"18\" rx=\"9\" fill=\"").append(color).append("\"/>\n");
        text(svg, x, y + 4, label, 11, "#ffffff", "middle");
    }

    private static void legend(StringBuilder svg, String solidName, String dashedName) {
        int y = HEIGHT - 22;
        if (!solidName.isEmpty()) {
            svg.append("<line x1=\"330\" y1=\"").append(y).append("\" x2=\"380\" y2=\"").append(y).append("\" stroke=\"").append(COLOR_A)
                    .append("\" stroke-width=\"3.2\"/>\n");
            text(svg, 388, y + 4, solidName, 12, "#111111", "start");
        }
        if (!dashedName.isEmpty()) {
            svg.append("<line x1=\"620\" y1=\"").append(y).append("\" x2=\"670\" y2=\"").append(y).append("\" stroke=\"").append(COLOR_B)
                    .append("\" stroke-width=\"3.2\" stroke-dasharray=\"7,5\"/>\n");
            text(svg, 678, y + 4, dashedName, 12, "#111111", "start");
        }
        text(svg, 12, 20, "TCP state diagram (RFC 9293 fig. 5)", 12, "#555555", "start");
    }

    private static void text(StringBuilder svg, double x, double y, String content, int size, String color, String anchor) {
        svg.append("<text x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" font-size=\"").append(size)
                .append("\" fill=\"").append(color).append("\" text-anchor=\"").append(anchor).append("\">")
                .append(escape(content)).append("</text>\n");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String f(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** The diagram for a lab result: side A solid, side B dashed. */
    public static String render(LabResult result) {
        return render(edges(result.actualA()), edges(result.actualB()),
                "A: " + result.lab().boardA() + " (solid)", "B: " + result.lab().boardB() + " (dashed)");
    }

    private static List<StateDiagram.Edge> edges(List<Step> steps) {
        List<StateDiagram.Edge> edges = new ArrayList<>(steps.size());
        for (Step step : steps) {
            edges.add(step.edge());
        }
        return edges;
    }
}
