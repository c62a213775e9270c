package dev.spinet.lab;

import static dev.spinet.lab.SvgText.escape;
import static dev.spinet.lab.SvgText.f;

import dev.spinet.wire.TcpSegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The plots of a lab's report, one SVG, drawn from the run's frames and its sender's
 * {@link LabSample}s, for students to look at rather than read:
 *
 * <ul>
 *   <li>{@link LabPlot#SEQUENCE}: sequence number against time, as Stevens and tcptrace draw it:
 *       each data segment a vertical bar from its first to its last byte, retransmissions red,
 *       zero-window probes violet, segments the lab dropped crossed out, the receiver's
 *       cumulative ACK and the right edge of its window as step lines;</li>
 *   <li>{@link LabPlot#CONGESTION}: the sender's cwnd, ssthresh, the receiver's advertised window
 *       and the bytes in flight, and under them the RTO and SRTT.</li>
 * </ul>
 *
 * Time runs left to right over the whole transfer; a burst too quick to see at that scale (a
 * fast retransmit, a window's worth of segments in a few milliseconds) gets a zoomed panel of its
 * own on the right, shaded where it lies in the whole. Lines differ by dash as well as colour,
 * so a black and white print still reads. Plain SVG, no script.
 */
public final class LabPlotsSvg {

    public static final int WIDTH = 1160;
    private static final double LEFT = 70;
    private static final double RIGHT_MARGIN = 16;
    private static final double GAP = 72;
    private static final double SEQUENCE_HEIGHT = 250;
    private static final double WINDOW_HEIGHT = 170;
    private static final double RTO_HEIGHT = 120;
    /** Segments closer together than this belong to one burst. */
    private static final long BURST_GAP_NANOS = 20_000_000L;
    private static final String SEGMENT = "#222222";
    private static final String RETRANSMITTED = "#c00000";
    private static final String PROBE = "#7b3fbf";
    private static final String ACK = "#138a36";
    private static final String WINDOW = "#8a7a00";
    private static final String CWND = "#1f5fbf";
    private static final String SSTHRESH = "#c00000";
    private static final String FLIGHT = "#777777";
    private static final String RTO = "#7b3fbf";

    private LabPlotsSvg() {
    }

    /** What a data segment of the sender was. */
    enum SegmentKind {
        FIRST, RETRANSMISSION, PROBE
    }

    /** One data segment of the sender: bytes {@code start} to {@code end} (relative), when, what, and whether the lab dropped it. */
    record DataSegment(long nanos, long start, long end, SegmentKind kind, boolean lost) {
    }

    /** The receiver's cumulative ACK and the right edge of its window (relative), as the sender got them. */
    record AckPoint(long nanos, long ack, long windowEdge) {
    }

    /** A time window drawn as one panel. */
    private record Panel(String title, long from, long to, double x, double width, boolean whole) {
        double x(long nanos) {
            return x + (double) (nanos - from) / (to - from) * width;
        }
    }

    /** The data the plots draw, read from a run. */
    record Transfer(Side sender, List<DataSegment> segments, List<AckPoint> acks, List<LabSample> samples) {
    }

    /** The plots the lab lists, or "" when it lists none or its run sent no data. */
    public static String render(LabResult result) {
        if (result.lab().plots().isEmpty()) {
            return "";
        }
        Transfer transfer = transfer(result);
        if (transfer.segments.isEmpty()) {
            return "";
        }
        LabMessages words = LabMessages.of(result.lab().language());
        List<Panel> panels = panels(transfer, words);
        boolean sequence = result.lab().plots().contains(LabPlot.SEQUENCE);
        boolean congestion = result.lab().plots().contains(LabPlot.CONGESTION) && !transfer.samples.isEmpty();
        double height = 10 + (sequence ? rowHeight(SEQUENCE_HEIGHT) : 0) + (congestion ? rowHeight(WINDOW_HEIGHT) + rowHeight(RTO_HEIGHT) : 0);
        StringBuilder svg = new StringBuilder(32 * 1024);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" class=\"plots\" width=\"").append(WIDTH)
                .append("\" height=\"").append(f(height)).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(f(height))
                .append("\" font-family=\"").append(SvgText.FONT).append("\">\n");
        svg.append("<title>").append(SvgText.escape(words.get("plots.title"))).append("</title>\n<defs>\n");
        double clipTop = 10;
        List<Double> tops = new ArrayList<>();
        if (sequence) {
            tops.add(clipTop);
            clipTop += rowHeight(SEQUENCE_HEIGHT);
        }
        if (congestion) {
            tops.add(clipTop);
            clipTop += rowHeight(WINDOW_HEIGHT);
            tops.add(clipTop);
        }
        double[] heights = sequence && congestion ? new double[] {SEQUENCE_HEIGHT, WINDOW_HEIGHT, RTO_HEIGHT}
                : sequence ? new double[] {SEQUENCE_HEIGHT} : new double[] {WINDOW_HEIGHT, RTO_HEIGHT};
        for (int row = 0; row < tops.size(); row++) {
            for (int p = 0; p < panels.size(); p++) {
                Panel panel = panels.get(p);
                svg.append("<clipPath id=\"pl-clip-").append(row).append('-').append(p).append("\"><rect x=\"").append(f(panel.x))
                        .append("\" y=\"").append(f(panelTop(tops.get(row)))).append("\" width=\"").append(f(panel.width))
                        .append("\" height=\"").append(f(heights[row])).append("\"/></clipPath>\n");
            }
        }
        svg.append("</defs>\n<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(f(height))
                .append("\" fill=\"#ffffff\"/>\n");
        int row = 0;
        if (sequence) {
            sequenceRow(svg, transfer, panels, tops.get(row), row, words);
            row++;
        }
        if (congestion) {
            windowRow(svg, transfer, panels, tops.get(row), row, words);
            row++;
            rtoRow(svg, transfer, panels, tops.get(row), row, words);
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static double rowHeight(double panelHeight) {
        return 62 + panelHeight + 40;
    }

    private static double panelTop(double rowTop) {
        return rowTop + 62;
    }

    // ---- reading the run ----

    /** The side that sent more data, its data segments (classified), the other side's ACKs, and its samples. */
    static Transfer transfer(LabResult result) {
        long[] bytes = new long[2];
        for (LabFrame frame : result.frames()) {
            if (frame.tcp() != null) {
                bytes[frame.from().ordinal()] += frame.tcp().payloadLength();
            }
        }
        Side sender = bytes[1] > bytes[0] ? Side.B : Side.A;
        // The connection: the one that carried the most data from the sender.
        Map<String, Long> perConnection = new HashMap<>();
        for (LabFrame frame : result.frames()) {
            if (frame.from() == sender && frame.tcp() != null) {
                perConnection.merge(frame.tcp().connectionKey(), (long) frame.tcp().payloadLength(), Long::sum);
            }
        }
        String connection = perConnection.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
        List<DataSegment> segments = new ArrayList<>();
        List<AckPoint> acks = new ArrayList<>();
        Long base = null;
        long highest = 0;
        long lastWindow = -1;
        int lastAckIndex = 0;
        List<LabFrame> received = new ArrayList<>();
        for (LabFrame frame : result.frames()) {
            if (frame.tcp() != null && frame.tcp().connectionKey().equals(connection) && frame.from() != sender && frame.arrived()) {
                received.add(frame);
            }
        }
        received.sort((x, y) -> Long.compare(x.arrivalNanos(), y.arrivalNanos()));
        for (LabFrame frame : result.frames()) {
            LabSegment tcp = frame.tcp();
            if (tcp == null || !tcp.connectionKey().equals(connection) || frame.from() != sender) {
                continue;
            }
            if (tcp.has(TcpSegment.SYN)) {
                base = (tcp.seq() + 1L) & 0xFFFF_FFFFL;
                continue;
            }
            if (base == null) {
                base = tcp.seq() & 0xFFFF_FFFFL;
            }
            while (lastAckIndex < received.size() && received.get(lastAckIndex).arrivalNanos() <= frame.nanos()) {
                lastWindow = received.get(lastAckIndex).tcp().window();
                lastAckIndex++;
            }
            if (tcp.payloadLength() == 0) {
                continue;
            }
            long start = (tcp.seq() - base) & 0xFFFF_FFFFL;
            long end = start + tcp.payloadLength();
            SegmentKind kind = tcp.payloadLength() == 1 && lastWindow == 0 ? SegmentKind.PROBE
                    : start < highest ? SegmentKind.RETRANSMISSION : SegmentKind.FIRST;
            if (kind != SegmentKind.PROBE) {
                // A probe's byte is sent again with the data once the window opens: that is not a retransmission.
                highest = Math.max(highest, end);
            }
            segments.add(new DataSegment(frame.nanos(), start, end, kind, !frame.arrived()));
        }
        if (base != null) {
            for (LabFrame frame : received) {
                LabSegment tcp = frame.tcp();
                if (tcp.has(TcpSegment.ACK) && !tcp.has(TcpSegment.SYN)) {
                    long ack = (tcp.ack() - base) & 0xFFFF_FFFFL;
                    if (ack <= highest + 1) {
                        acks.add(new AckPoint(frame.arrivalNanos(), ack, ack + tcp.window()));
                    }
                }
            }
        }
        List<LabSample> samples = samplesOf(result, sender, segments);
        return new Transfer(sender, segments, acks, samples);
    }

    /** The sender's samples of the connection that was open while its data went. */
    private static List<LabSample> samplesOf(LabResult result, Side sender, List<DataSegment> segments) {
        if (segments.isEmpty()) {
            return List.of();
        }
        long first = segments.get(0).nanos;
        Integer connection = null;
        for (LabSample sample : result.samples()) {
            if (sample.side() == sender && sample.nanos() <= first) {
                connection = sample.connection();
            }
        }
        List<LabSample> samples = new ArrayList<>();
        for (LabSample sample : result.samples()) {
            if (sample.side() == sender && connection != null && sample.connection() == connection) {
                samples.add(sample);
            }
        }
        return samples;
    }

    /** The whole transfer, and a zoomed panel for each burst too quick to see in it (at most two). */
    private static List<Panel> panels(Transfer transfer, LabMessages words) {
        List<DataSegment> segments = transfer.segments;
        long from = segments.get(0).nanos;
        long to = segments.get(segments.size() - 1).nanos;
        for (AckPoint ack : transfer.acks) {
            if (ack.nanos > to && ack.ack < segments.get(segments.size() - 1).end) {
                to = ack.nanos;
            }
        }
        for (AckPoint ack : transfer.acks) {
            if (ack.nanos > to) {
                to = ack.nanos; // the ACK of the last data
                break;
            }
        }
        long pad = Math.max(2_000_000L, (to - from) / 30);
        from = Math.max(0, from - pad);
        to += pad;
        List<long[]> bursts = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= segments.size(); i++) {
            if (i == segments.size() || segments.get(i).nanos - segments.get(i - 1).nanos > BURST_GAP_NANOS) {
                long burstFrom = segments.get(start).nanos;
                long burstTo = segments.get(i - 1).nanos;
                if (i - start >= 5 && (burstTo - burstFrom) * 25 < to - from) {
                    long burstPad = Math.max(1_000_000L, (burstTo - burstFrom) / 8);
                    bursts.add(new long[] {burstFrom - burstPad, burstTo + 2 * burstPad});
                }
                start = i;
            }
        }
        while (bursts.size() > 2) {
            bursts.remove(0); // the last bursts are the lab's point (loss comes after the warm-up)
        }
        double usable = WIDTH - LEFT - RIGHT_MARGIN - bursts.size() * GAP;
        double wholeWidth = bursts.isEmpty() ? usable : usable * 0.56;
        double zoomWidth = bursts.isEmpty() ? 0 : (usable - wholeWidth) / bursts.size();
        List<Panel> panels = new ArrayList<>();
        panels.add(new Panel(words.get(bursts.isEmpty() ? "plots.whole" : "plots.whole.zoomed"), from, to,
                LEFT, wholeWidth, true));
        double x = LEFT + wholeWidth + GAP;
        for (int i = 0; i < bursts.size(); i++) {
            long[] burst = bursts.get(i);
            panels.add(new Panel(words.format("plots.zoom", i + 1, burst[0] / 1e9, burst[1] / 1e9),
                    burst[0], burst[1], x, zoomWidth, false));
            x += zoomWidth + GAP;
        }
        return panels;
    }

    // ---- rows ----

    private static void sequenceRow(StringBuilder svg, Transfer transfer, List<Panel> panels, double top, int row, LabMessages words) {
        String receiver = transfer.sender.other().name();
        rowTitle(svg, top, words.format("plots.sequence.title", transfer.sender));
        List<Legend> legend = new ArrayList<>();
        legend.add(new Legend(words.get("plots.segment"), SEGMENT, null, "bar"));
        if (has(transfer, SegmentKind.RETRANSMISSION)) {
            legend.add(new Legend(words.get("plots.retransmission"), RETRANSMITTED, null, "bar"));
        }
        if (has(transfer, SegmentKind.PROBE)) {
            legend.add(new Legend(words.get("plots.probe"), PROBE, null, "diamond"));
        }
        if (transfer.segments.stream().anyMatch(DataSegment::lost)) {
            legend.add(new Legend(words.get("plots.dropped"), RETRANSMITTED, null, "cross"));
        }
        legend.add(new Legend(words.format("plots.ack", receiver), ACK, null, "line"));
        long dataHigh = transfer.segments.stream().mapToLong(DataSegment::end).max().orElse(0);
        long edgeHigh = transfer.acks.stream().mapToLong(AckPoint::windowEdge).max().orElse(0);
        legend.add(new Legend(words.format(edgeHigh > dataHigh * 3 / 2 ? "plots.window.edge.far" : "plots.window.edge", receiver),
                WINDOW, "6,4", "line"));
        legend(svg, top + 36, legend);
        double panelTop = panelTop(top);
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            long low = Long.MAX_VALUE;
            long high = 0;
            for (DataSegment segment : transfer.segments) {
                if (segment.nanos >= panel.from && segment.nanos <= panel.to) {
                    low = Math.min(low, segment.start);
                    high = Math.max(high, segment.end);
                }
            }
            if (low == Long.MAX_VALUE) {
                low = 0;
                high = 1;
            }
            if (panel.whole) {
                low = 0;
            }
            // The window's right edge too, unless it lies far above the data (then it would squash it).
            long edge = 0;
            for (AckPoint ack : transfer.acks) {
                if (ack.nanos >= panel.from && ack.nanos <= panel.to) {
                    edge = Math.max(edge, ack.windowEdge);
                }
            }
            if (edge <= high + (high - low) / 2) {
                high = Math.max(high, edge);
            }
            double[] range = niceRange(low, high + Math.max(1, (high - low) / 12));
            Axis y = new Axis(range[0], range[1], panelTop + SEQUENCE_HEIGHT, panelTop);
            frame(svg, panel, panelTop, SEQUENCE_HEIGHT, y, range[2], words.get("plots.bytes"), panels, p, words);
            svg.append("<g clip-path=\"url(#pl-clip-").append(row).append('-').append(p).append(")\">\n");
            stepLine(svg, panel, y, transfer.acks, a -> a.windowEdge, a -> a.nanos, WINDOW, "6,4", 1.6, "window-edge");
            stepLine(svg, panel, y, transfer.acks, a -> a.ack, a -> a.nanos, ACK, null, 1.8, "ack");
            for (DataSegment segment : transfer.segments) {
                segment(svg, panel, y, segment);
            }
            svg.append("</g>\n");
        }
    }

    private static boolean has(Transfer transfer, SegmentKind kind) {
        return transfer.segments.stream().anyMatch(s -> s.kind == kind);
    }

    private static void segment(StringBuilder svg, Panel panel, Axis y, DataSegment segment) {
        if (segment.nanos < panel.from || segment.nanos > panel.to) {
            return;
        }
        double x = panel.x(segment.nanos);
        double y1 = y.at(segment.start);
        double y2 = y.at(segment.end);
        String color = switch (segment.kind) {
            case FIRST -> SEGMENT;
            case RETRANSMISSION -> RETRANSMITTED;
            case PROBE -> PROBE;
        };
        String cssClass = switch (segment.kind) {
            case FIRST -> "segment";
            case RETRANSMISSION -> "segment retransmission";
            case PROBE -> "segment probe";
        };
        if (segment.kind == SegmentKind.PROBE) {
            svg.append("<path class=\"").append(cssClass).append("\" d=\"M ").append(f(x)).append(' ').append(f(y2 - 5)).append(" L ")
                    .append(f(x + 4)).append(' ').append(f(y2)).append(" L ").append(f(x)).append(' ').append(f(y2 + 5)).append(" L ")
                    .append(f(x - 4)).append(' ').append(f(y2)).append(" z\" fill=\"").append(PROBE).append("\"/>\n");
        } else {
            double width = segment.kind == SegmentKind.RETRANSMISSION ? 2.4 : 1.6;
            svg.append("<path class=\"").append(cssClass).append("\" d=\"M ").append(f(x - 3)).append(' ').append(f(y1)).append(" L ")
                    .append(f(x + 3)).append(' ').append(f(y1)).append(" M ").append(f(x)).append(' ').append(f(y1)).append(" L ")
                    .append(f(x)).append(' ').append(f(Math.min(y2, y1 - 2))).append(" M ").append(f(x - 3)).append(' ')
                    .append(f(Math.min(y2, y1 - 2))).append(" L ").append(f(x + 3)).append(' ').append(f(Math.min(y2, y1 - 2)))
                    .append("\" stroke=\"").append(color).append("\" stroke-width=\"").append(width).append("\" fill=\"none\"/>\n");
        }
        if (segment.lost) {
            double cy = Math.min(y2, y1 - 2) - 7;
            svg.append("<path class=\"lost\" d=\"M ").append(f(x - 4)).append(' ').append(f(cy - 4)).append(" L ").append(f(x + 4))
                    .append(' ').append(f(cy + 4)).append(" M ").append(f(x - 4)).append(' ').append(f(cy + 4)).append(" L ")
                    .append(f(x + 4)).append(' ').append(f(cy - 4)).append("\" stroke=\"").append(RETRANSMITTED)
                    .append("\" stroke-width=\"2\"/>\n");
        }
    }

    private static void windowRow(StringBuilder svg, Transfer transfer, List<Panel> panels, double top, int row, LabMessages words) {
        String receiver = transfer.sender.other().name();
        rowTitle(svg, top, words.format("plots.window.title", transfer.sender, receiver));
        List<Legend> legend = new ArrayList<>();
        legend.add(new Legend("cwnd", CWND, null, "line"));
        boolean ssthreshSet = transfer.samples.stream().anyMatch(s -> s.ssthresh() >= 0);
        if (ssthreshSet) {
            legend.add(new Legend(words.get("plots.ssthresh"), SSTHRESH, "8,4", "line"));
        }
        legend.add(new Legend(words.format("plots.advertised", receiver), WINDOW, "2,3", "line"));
        legend.add(new Legend(words.get("plots.flight"), FLIGHT, "1,0", "thin"));
        legend(svg, top + 36, legend);
        double panelTop = panelTop(top);
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            double high = 1;
            for (LabSample sample : visible(transfer.samples, panel)) {
                high = Math.max(high, Math.max(sample.cwnd(), Math.max(sample.sndWnd(), sample.flightSize())));
                if (sample.ssthresh() >= 0) {
                    high = Math.max(high, sample.ssthresh());
                }
            }
            double[] range = niceRange(0, high * 1.08);
            Axis y = new Axis(range[0], range[1], panelTop + WINDOW_HEIGHT, panelTop);
            frame(svg, panel, panelTop, WINDOW_HEIGHT, y, range[2], words.get("plots.bytes"), panels, p, words);
            svg.append("<g clip-path=\"url(#pl-clip-").append(row).append('-').append(p).append(")\">\n");
            stepLine(svg, panel, y, transfer.samples, s -> s.sndWnd(), LabSample::nanos, WINDOW, "2,3", 2, "peer-window");
            stepLine(svg, panel, y, transfer.samples, s -> s.flightSize(), LabSample::nanos, FLIGHT, null, 1, "flight");
            if (ssthreshSet) {
                List<LabSample> set = transfer.samples.stream().filter(s -> s.ssthresh() >= 0).toList();
                stepLine(svg, panel, y, set, s -> s.ssthresh(), LabSample::nanos, SSTHRESH, "8,4", 2, "ssthresh");
            }
            stepLine(svg, panel, y, transfer.samples, s -> s.cwnd(), LabSample::nanos, CWND, null, 2.2, "cwnd");
            svg.append("</g>\n");
        }
    }

    private static void rtoRow(StringBuilder svg, Transfer transfer, List<Panel> panels, double top, int row, LabMessages words) {
        rowTitle(svg, top, words.format("plots.rto.title", transfer.sender));
        legend(svg, top + 36, List.of(new Legend("RTO", RTO, null, "line"), new Legend("SRTT", FLIGHT, "4,3", "line")));
        double panelTop = panelTop(top);
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            double high = 1;
            for (LabSample sample : visible(transfer.samples, panel)) {
                high = Math.max(high, sample.rtoNanos() / 1e6);
            }
            double[] range = niceRange(0, high * 1.1);
            Axis y = new Axis(range[0], range[1], panelTop + RTO_HEIGHT, panelTop);
            frame(svg, panel, panelTop, RTO_HEIGHT, y, range[2], "ms", panels, p, words);
            svg.append("<g clip-path=\"url(#pl-clip-").append(row).append('-').append(p).append(")\">\n");
            stepLine(svg, panel, y, transfer.samples, s -> s.srttNanos() / 1e6, LabSample::nanos, FLIGHT, "4,3", 1.4, "srtt");
            stepLine(svg, panel, y, transfer.samples, s -> s.rtoNanos() / 1e6, LabSample::nanos, RTO, null, 2.2, "rto");
            svg.append("</g>\n");
        }
    }

    /** The samples that matter in a panel: those inside it and the last one before it (its value holds at the left edge). */
    private static List<LabSample> visible(List<LabSample> samples, Panel panel) {
        List<LabSample> visible = new ArrayList<>();
        LabSample before = null;
        for (LabSample sample : samples) {
            if (sample.nanos() < panel.from) {
                before = sample;
            } else if (sample.nanos() <= panel.to) {
                visible.add(sample);
            }
        }
        if (before != null) {
            visible.add(0, before);
        }
        return visible;
    }

    // ---- drawing ----

    /** A vertical scale: value to y. */
    private record Axis(double low, double high, double bottom, double top) {
        double at(double value) {
            return bottom - (value - low) / (high - low) * (bottom - top);
        }
    }

    private record Legend(String label, String color, String dash, String shape) {
    }

    private static void rowTitle(StringBuilder svg, double top, String title) {
        text(svg, LEFT, top + 16, title, 13, "#111111", "start", true, "plot-title");
    }

    /** Legend entries side by side, each a sample of its mark and its label. */
    private static void legend(StringBuilder svg, double y, List<Legend> items) {
        double x = LEFT;
        for (Legend item : items) {
            switch (item.shape) {
                case "bar" -> svg.append("<path d=\"M ").append(f(x + 9)).append(' ').append(f(y - 10)).append(" L ").append(f(x + 9))
                        .append(' ').append(f(y + 2)).append("\" stroke=\"").append(item.color).append("\" stroke-width=\"2.4\"/>");
                case "diamond" -> svg.append("<path d=\"M ").append(f(x + 9)).append(' ').append(f(y - 9)).append(" L ").append(f(x + 13))
                        .append(' ').append(f(y - 4)).append(" L ").append(f(x + 9)).append(' ').append(f(y + 1)).append(" L ")
                        .append(f(x + 5)).append(' ').append(f(y - 4)).append(" z\" fill=\"").append(item.color).append("\"/>");
                case "cross" -> svg.append("<path d=\"M ").append(f(x + 5)).append(' ').append(f(y - 8)).append(" L ").append(f(x + 13))
                        .append(' ').append(f(y)).append(" M ").append(f(x + 5)).append(' ').append(f(y)).append(" L ").append(f(x + 13))
                        .append(' ').append(f(y - 8)).append("\" stroke=\"").append(item.color).append("\" stroke-width=\"2\"/>");
                default -> {
                    svg.append("<line x1=\"").append(f(x)).append("\" y1=\"").append(f(y - 4)).append("\" x2=\"").append(f(x + 22))
                            .append("\" y2=\"").append(f(y - 4)).append("\" stroke=\"").append(item.color).append("\" stroke-width=\"")
                            .append(item.shape.equals("thin") ? "1" : "2.2").append('"');
                    if (item.dash != null && !item.dash.equals("1,0")) {
                        svg.append(" stroke-dasharray=\"").append(item.dash).append('"');
                    }
                    svg.append("/>");
                }
            }
            svg.append('\n');
            double textX = x + 28;
            text(svg, textX, y, item.label, 11, "#222222", "start", false, "legend");
            x = textX + SvgText.width(item.label, 11, false) + 22;
        }
    }

    /** A panel: its frame, title, grid, tick labels and the shading of zoomed bursts (on the whole). */
    private static void frame(StringBuilder svg, Panel panel, double top, double height, Axis y, double yStep, String unit,
                              List<Panel> panels, int index, LabMessages words) {
        svg.append("<rect class=\"panel\" x=\"").append(f(panel.x)).append("\" y=\"").append(f(top)).append("\" width=\"")
                .append(f(panel.width)).append("\" height=\"").append(f(height)).append("\" fill=\"#fbfbfb\" stroke=\"#888888\"/>\n");
        text(svg, panel.x, top - 8, panel.title, 11, "#333333", "start", false, "panel-title");
        if (panel.whole) {
            for (Panel zoom : panels) {
                if (!zoom.whole) {
                    double x1 = Math.max(panel.x, panel.x(zoom.from));
                    double x2 = Math.min(panel.x + panel.width, panel.x(zoom.to));
                    svg.append("<rect class=\"zoomed\" x=\"").append(f(x1)).append("\" y=\"").append(f(top + 0.5)).append("\" width=\"")
                            .append(f(Math.max(2, x2 - x1))).append("\" height=\"").append(f(height - 1))
                            .append("\" fill=\"#ffe9a8\" opacity=\"0.7\"/>\n");
                }
            }
        }
        for (double v = y.low; v <= y.high + yStep / 1000; v += yStep) {
            double gy = y.at(v);
            svg.append("<line x1=\"").append(f(panel.x)).append("\" y1=\"").append(f(gy)).append("\" x2=\"").append(f(panel.x + panel.width))
                    .append("\" y2=\"").append(f(gy)).append("\" stroke=\"#e2e2e2\"/>\n");
            text(svg, panel.x - 5, gy + 4, number(v, yStep), 10, "#444444", "end", false, "tick");
        }
        if (index == 0) {
            text(svg, panel.x - 5, top + height + 30, unit, 10, "#444444", "end", false, "tick");
        }
        double seconds = (panel.to - panel.from) / 1e9;
        double minStep = seconds * 70 / panel.width;
        double step = niceStep(minStep);
        double first = Math.ceil(panel.from / 1e9 / step) * step;
        for (double t = first; t <= panel.to / 1e9 + step / 1000; t += step) {
            double gx = panel.x((long) Math.round(t * 1e9));
            if (gx < panel.x - 0.5 || gx > panel.x + panel.width + 0.5) {
                continue;
            }
            svg.append("<line x1=\"").append(f(gx)).append("\" y1=\"").append(f(top + height)).append("\" x2=\"").append(f(gx))
                    .append("\" y2=\"").append(f(top + height + 4)).append("\" stroke=\"#888888\"/>\n");
            text(svg, gx, top + height + 16, number(t, step), 10, "#444444", "middle", false, "tick");
        }
        text(svg, panel.x + panel.width, top + height + 30, words.get("plots.time"), 10, "#444444", "end", false, "tick");
    }

    private static <T> void stepLine(StringBuilder svg, Panel panel, Axis y, List<T> points, ToDoubleFunction<T> value,
                                     java.util.function.ToLongFunction<T> time, String color, String dash, double width, String cssClass) {
        if (points.isEmpty()) {
            return;
        }
        StringBuilder d = new StringBuilder();
        double lastY = 0;
        for (T point : points) {
            double x = panel.x(time.applyAsLong(point));
            double v = y.at(value.applyAsDouble(point));
            if (d.isEmpty()) {
                d.append("M ").append(f(x)).append(' ').append(f(v));
            } else {
                d.append(" L ").append(f(x)).append(' ').append(f(lastY)).append(" L ").append(f(x)).append(' ').append(f(v));
            }
            lastY = v;
        }
        d.append(" L ").append(f(panel.x + panel.width + 10)).append(' ').append(f(lastY));
        svg.append("<path class=\"").append(cssClass).append("\" d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(color)
                .append("\" stroke-width=\"").append(width).append('"');
        if (dash != null) {
            svg.append(" stroke-dasharray=\"").append(dash).append('"');
        }
        svg.append("/>\n");
    }

    /** {low, high, step}: a range from {@code low} to at least {@code high} in round steps. */
    private static double[] niceRange(double low, double high) {
        double step = niceStep((high - low) / 5);
        double from = Math.floor(low / step) * step;
        double to = Math.ceil(high / step) * step;
        if (to <= from) {
            to = from + step;
        }
        return new double[] {from, to, step};
    }

    /** The smallest of 1, 2, 5 times a power of ten at least {@code raw}. */
    private static double niceStep(double raw) {
        if (raw <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= raw) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String number(double value, double step) {
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static void text(StringBuilder svg, double x, double y, String content, double size, String color, String anchor,
                             boolean bold, String cssClass) {
        svg.append("<text class=\"").append(cssClass).append("\" x=\"").append(f(x)).append("\" y=\"").append(f(y))
                .append("\" font-size=\"").append(f(size)).append("\" fill=\"").append(color).append("\" text-anchor=\"").append(anchor)
                .append('"');
        if (bold) {
            svg.append(" font-weight=\"bold\"");
        }
        svg.append('>').append(escape(content)).append("</text>\n");
    }
}
