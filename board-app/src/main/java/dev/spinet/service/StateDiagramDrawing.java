package dev.spinet.service;

import dev.spinet.tcp.StateDiagram;
import dev.spinet.tcp.TcpState;
import java.util.List;
import java.util.Locale;

/**
 * Draws the TCP state diagram (RFC 793 figure 6 / RFC 9293 figure 5, laid out the same way,
 * plus the reset, abort, timeout and pool edges of {@link StateDiagram}) as SVG, with the edges
 * this board walked in red and thicker, and below it every edge with how often it was walked.
 *
 * <p>Runs at request time and allocates; it is the status page, not the packet path. The labs
 * draw the same diagram (dev.spinet.lab); the two renderers should become one.
 */
public final class StateDiagramDrawing {

    static final int WIDTH = 960;
    static final int BOX_WIDTH = 132;
    static final int BOX_HEIGHT = 34;
    static final int DIAGRAM_HEIGHT = 720;
    static final int LEGEND_ROW = 15;
    private static final String WALKED = "#d01c1c";
    private static final String UNWALKED = "#a0a0a0";

    /** Box centres, in TcpState order, as in the RFC's figure: opening at the top, closing below. */
    private static final int[][] CENTRES = centres();

    private StateDiagramDrawing() {
    }

    private static int[][] centres() {
        int[][] c = new int[TcpState.all().length][];
        c[TcpState.CLOSED.ordinal()] = new int[] {480, 40};
        c[TcpState.LISTEN.ordinal()] = new int[] {480, 150};
        c[TcpState.SYN_RECEIVED.ordinal()] = new int[] {200, 260};
        c[TcpState.SYN_SENT.ordinal()] = new int[] {760, 260};
        c[TcpState.ESTABLISHED.ordinal()] = new int[] {480, 370};
        c[TcpState.FIN_WAIT_1.ordinal()] = new int[] {200, 470};
        c[TcpState.CLOSE_WAIT.ordinal()] = new int[] {760, 470};
        c[TcpState.CLOSING.ordinal()] = new int[] {480, 560};
        c[TcpState.FIN_WAIT_2.ordinal()] = new int[] {200, 600};
        c[TcpState.LAST_ACK.ordinal()] = new int[] {760, 600};
        c[TcpState.TIME_WAIT.ordinal()] = new int[] {480, 680};
        for (TcpState state : TcpState.all()) {
            if (c[state.ordinal()] == null) {
                throw new ExceptionInInitializerError("no position for " + state);
            }
        }
        return c;
    }

    /** Appends a complete SVG document. */
    public static void appendSvg(StringBuilder out, EdgeRecorder recorder) {
        List<StateDiagram.Edge> edges = recorder.edges();
        int legendRows = (edges.size() + 1) / 2;
        int height = DIAGRAM_HEIGHT + 40 + legendRows * LEGEND_ROW + 20;
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" font-family=\"sans-serif\">\n")
                .append("<title>TCP state diagram: edges walked by this board in red</title>\n")
                .append("<defs>")
                .append(marker("arrow-walked", WALKED)).append(marker("arrow", UNWALKED))
                .append("</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");

        // One line per (from, to) pair; its label lists the causes, walked ones first-class.
        TcpState[] states = TcpState.all();
        for (TcpState from : states) {
            for (TcpState to : states) {
                StringBuilder label = new StringBuilder();
                boolean any = false;
                long walked = 0;
                for (int i = 0; i < edges.size(); i++) {
                    StateDiagram.Edge edge = edges.get(i);
                    if (edge.from() == from && edge.to() == to) {
                        any = true;
                        walked += recorder.walked(i);
                        if (label.length() > 0) {
                            label.append(", ");
                        }
                        label.append(edge.cause().name().toLowerCase(Locale.ROOT));
                    }
                }
                if (any) {
                    line(out, from, to, walked, label.toString());
                }
            }
        }
        for (TcpState state : states) {
            int[] c = CENTRES[state.ordinal()];
            boolean visited = visited(recorder, state);
            out.append("<g><rect x=\"").append(c[0] - BOX_WIDTH / 2).append("\" y=\"").append(c[1] - BOX_HEIGHT / 2)
                    .append("\" width=\"").append(BOX_WIDTH).append("\" height=\"").append(BOX_HEIGHT)
                    .append("\" rx=\"6\" fill=\"").append(visited ? "#ffecec" : "#f4f4f4").append("\" stroke=\"")
                    .append(visited ? WALKED : "#555").append("\" stroke-width=\"").append(visited ? 2 : 1).append("\"/>")
                    .append("<text x=\"").append(c[0]).append("\" y=\"").append(c[1] + 5)
                    .append("\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">").append(state.name())
                    .append("</text></g>\n");
        }

        int y = DIAGRAM_HEIGHT + 30;
        out.append("<text x=\"10\" y=\"").append(y).append("\" font-size=\"14\" font-weight=\"bold\">")
                .append("Edges (times walked): ").append(recorder.total()).append(" transitions, ")
                .append(recorder.offDiagram()).append(" off the diagram</text>\n");
        for (int i = 0; i < edges.size(); i++) {
            StateDiagram.Edge edge = edges.get(i);
            long n = recorder.walked(i);
            int x = i < legendRows ? 10 : WIDTH / 2;
            int row = i < legendRows ? i : i - legendRows;
            out.append("<text x=\"").append(x).append("\" y=\"").append(y + 20 + row * LEGEND_ROW)
                    .append("\" font-size=\"11\" fill=\"").append(n > 0 ? WALKED : "#444").append('"')
                    .append(n > 0 ? " font-weight=\"bold\"" : "").append('>')
                    .append(edge.from()).append(" -&gt; ").append(edge.to()).append(" on ").append(edge.cause())
                    .append(" / sends ").append(edge.sends()).append(": ").append(n).append("</text>\n");
        }
        out.append("</svg>\n");
    }

    private static boolean visited(EdgeRecorder recorder, TcpState state) {
        List<StateDiagram.Edge> edges = recorder.edges();
        for (int i = 0; i < edges.size(); i++) {
            if (recorder.walked(i) > 0 && (edges.get(i).from() == state || edges.get(i).to() == state)) {
                return true;
            }
        }
        return false;
    }

    private static String marker(String id, String colour) {
        return "<marker id=\"" + id + "\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\""
                + " orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"" + colour + "\"/></marker>";
    }

    private static void line(StringBuilder out, TcpState from, TcpState to, long walked, String label) {
        int[] a = CENTRES[from.ordinal()];
        int[] b = CENTRES[to.ordinal()];
        double dx = b[0] - a[0];
        double dy = b[1] - a[1];
        double length = Math.hypot(dx, dy);
        // Shift each direction 5 px to its right, so A->B and B->A are two visible lines.
        double ox = -dy / length * 5;
        double oy = dx / length * 5;
        double tStart = clip(dx, dy);
        double x1 = a[0] + dx * tStart + ox;
        double y1 = a[1] + dy * tStart + oy;
        double x2 = b[0] - dx * tStart + ox;
        double y2 = b[1] - dy * tStart + oy;
        boolean hot = walked > 0;
        out.append("<g><line x1=\"").append(fmt(x1)).append("\" y1=\"").append(fmt(y1)).append("\" x2=\"").append(fmt(x2))
                .append("\" y2=\"").append(fmt(y2)).append("\" stroke=\"").append(hot ? WALKED : UNWALKED)
                .append("\" stroke-width=\"").append(hot ? 3 : 1).append("\" marker-end=\"url(#")
                .append(hot ? "arrow-walked" : "arrow").append(")\"><title>").append(from).append(" -&gt; ").append(to)
                .append(": ").append(label).append(" (walked ").append(walked).append(")</title></line>");
        // Labels sit 40% along the line so the two directions of a pair do not share a spot.
        double lx = x1 + (x2 - x1) * 0.4 + ox;
        double ly = y1 + (y2 - y1) * 0.4 + oy;
        out.append("<text x=\"").append(fmt(lx)).append("\" y=\"").append(fmt(ly)).append("\" font-size=\"9\" fill=\"")
                .append(hot ? WALKED : "#777").append("\">").append(label).append(hot ? " (" + walked + ")" : "")
                .append("</text></g>\n");
    }

    /** The fraction of the centre-to-centre line inside a box (where the line leaves the box). */
    private static double clip(double dx, double dy) {
        double tx = dx == 0 ? Double.MAX_VALUE : (BOX_WIDTH / 2.0 + 2) / Math.abs(dx);
        double ty = dy == 0 ? Double.MAX_VALUE : (BOX_HEIGHT / 2.0 + 2) / Math.abs(dy);
        return Math.min(tx, ty);
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
