package dev.spinet.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab report as one self-contained HTML page: the lab's text, the result, the state diagram
 * with the walk step by step, the ladder diagram, the lab's plots and the timeline as a table (A's
 * state changes left, the wire in the middle, B's right). No scripts, fonts, images or style
 * sheets from elsewhere: it reads the same offline, on a projector or printed. It is also
 * well-formed XML (XHTML polyglot), so tests parse it with javax.xml.
 *
 * <p>Stepping through the walk needs no script either: each step is a label for a hidden radio
 * button, and the style sheet dims every edge and badge of the diagram but the checked step's and
 * lights the state it ends in. Keyboard arrows move from step to step; printed, the page shows the
 * whole walk and the numbered list.
 */
public final class LabReportHtml {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private LabReportHtml() {
    }

    public static String render(LabResult result, String captureFileName) {
        Lab lab = result.lab();
        List<TimelineEntry> steps = result.timeline().stream().filter(e -> e.kind() == TimelineEntry.Kind.TRANSITION).toList();
        StringBuilder html = new StringBuilder(256 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>Spinet lab: ")
                .append(e(lab.title())).append("</title>\n<style>\n").append(STYLE).append(stepStyles(steps)).append("</style>\n</head>\n<body>\n");
        html.append("<h1>").append(e(lab.title())).append("</h1>\n");
        html.append("<p class=\"small\">spinet lab run ").append(e(lab.name())).append(" --seed ").append(result.seed())
                .append(" &#183; A = ").append(e(lab.boardA())).append(" 10.0.0.1 (solid, blue) &#183; B = ").append(e(lab.boardB()))
                .append(" 10.0.0.2 (dashed, orange) &#183; one-way delay ").append(LabRun.WIRE_DELAY_NANOS / 1_000_000)
                .append(" ms &#183; capture: <code>").append(e(captureFileName)).append("</code></p>\n");
        html.append("<p>").append(prose(lab.summary())).append("</p>\n");
        html.append("<div class=\"cols\"><div><h2>Goal</h2><p>").append(prose(lab.goal())).append("</p>\n");
        list(html, "Predict before you run it", lab.predict());
        list(html, "Questions", lab.questions());
        html.append("<h2>On a board</h2><p>").append(prose(lab.boardRole())).append("</p></div>\n");
        html.append("<div><h2>Result</h2>");
        if (result.passed()) {
            html.append("<p class=\"pass\">Both sides walked the expected edges of the state diagram.</p>\n");
        } else {
            html.append("<p class=\"fail\">Mismatch:</p><ul>");
            for (String problem : result.mismatches()) {
                html.append("<li>").append(e(problem)).append("</li>");
            }
            html.append("</ul>\n");
        }
        html.append("<p>");
        for (Side side : Side.values()) {
            html.append(side).append(" (").append(e(lab.boardName(side))).append(") walked ").append(result.actual(side).size())
                    .append(" transitions").append(side == Side.A ? ", " : ": ");
        }
        html.append("each is listed, in time order, beside the state diagram below.</p>\n");
        html.append("<h3>The capture in Wireshark</h3><p class=\"small\">Open <code>").append(e(captureFileName))
                .append("</code>. Every frame the lab dropped, held back or replayed carries a comment saying so: filter with ")
                .append("<code>frame.comment</code>, or see <i>Statistics, Capture File Properties</i>. Frames the lab dropped ")
                .append("before the wire are in the capture too, with the comment <code>LOST</code>: the receiver never got them.</p>\n");
        html.append("</div></div>\n");

        walk(html, result, steps);

        html.append("<h2 id=\"ladder\">Ladder diagram</h2>\n<p class=\"small\">Every segment between the boards, time running down: ")
                .append("an arrow leaves the sender's line when the segment goes and reaches the receiver's line when it arrives; ")
                .append("red crosses are segments the lab dropped. Each state change is written on the line of the side that made it.</p>\n")
                .append("<div class=\"figure\">").append(LadderDiagramSvg.render(result)).append("</div>\n");
        String plots = LabPlotsSvg.render(result);
        if (!plots.isEmpty()) {
            html.append("<h2 id=\"plots\">Plots</h2>\n<p class=\"small\">Read from the capture and, for cwnd, ssthresh and the RTO, ")
                    .append("from the sender's TCB after every duty cycle of the simulated board.</p>\n<div class=\"figure\">")
                    .append(plots).append("</div>\n");
        }
        html.append("<h2 id=\"timeline\">Timeline</h2>\n<table>\n<tr><th>time (s)</th><th>A: ").append(e(lab.boardA()))
                .append("</th><th>wire / application</th><th>B: ").append(e(lab.boardB())).append("</th></tr>\n");
        for (TimelineEntry entry : result.timeline()) {
            row(html, entry);
        }
        html.append("</table>\n</body>\n</html>\n");
        return html.toString();
    }

    private static final String STYLE = """
            body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:24px;color:#111;max-width:1400px}
            h1{font-size:24px;margin-bottom:4px} h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}
            h3{font-size:15px;margin-bottom:4px}
            code{font-family:DejaVu Sans Mono,Menlo,Consolas,monospace;font-size:90%;background:#f1f1f1;padding:0 3px;border-radius:3px}
            .pass{color:#126b12;font-weight:bold} .fail{color:#b00000;font-weight:bold}
            table{border-collapse:collapse;font-size:12px;width:100%} td,th{padding:2px 6px;vertical-align:top;text-align:left}
            tr:nth-child(even){background:#f6f6f6} td.t{font-family:monospace;white-space:nowrap;text-align:right}
            td.wire{font-family:monospace} td.a{color:#1f5fbf;font-weight:bold} td.b{color:#d9660b;font-weight:bold}
            td.note{font-style:italic;color:#555} td.lost{color:#b00000} .small{color:#555;font-size:13px}
            .cols{display:flex;gap:24px;flex-wrap:wrap} .cols>div{flex:1;min-width:300px}
            .figure svg,.diagram svg{width:100%;height:auto;display:block}
            .walk{position:relative} .walk>input{position:absolute;opacity:0;width:1px;height:1px;margin:0}
            .walkgrid{display:grid;grid-template-columns:minmax(0,3fr) minmax(240px,1fr);gap:16px;align-items:start}
            .steps{font-size:12px;max-height:1000px;overflow-y:auto;border:1px solid #ddd;padding:4px 8px}
            .steps ol{padding-left:0;list-style:none;margin:4px 0} .steps li{margin:1px 0}
            .steps label{display:block;cursor:pointer;padding:1px 4px;border-radius:3px} .steps label:hover{background:#eef3fb}
            .steps .a{color:#1f5fbf;font-weight:bold} .steps .b{color:#d9660b;font-weight:bold} .steps .t{color:#777;font-family:monospace}
            .walk svg .walk,.walk svg .badge,.walk svg .state rect{transition:opacity .15s}
            #w-all:checked~.walkgrid label[for=w-all]{background:#ffe680}
            @media print{.steps{max-height:none;overflow:visible}.walk>input{display:none}h2{break-after:avoid}.figure{break-inside:avoid}}
            """;

    /** Per step: dim every other edge and badge, light the state the step ends in and its line in the list. */
    private static String stepStyles(List<TimelineEntry> steps) {
        StringBuilder css = new StringBuilder();
        for (TimelineEntry step : steps) {
            String id = stepId(step);
            String input = "#w-" + id + ":checked~.walkgrid ";
            css.append(input).append(".walk:not(.s-").append(id).append("),").append(input).append(".badge:not(.s-").append(id)
                    .append("){opacity:.12}").append(input).append(".s-").append(id).append("{stroke-width:6}")
                    .append(input).append(".at-").append(id).append(" rect{fill:#ffe680}")
                    .append(input).append("label[for=w-").append(id).append("]{background:#ffe680}\n");
        }
        return css.toString();
    }

    private static String stepId(TimelineEntry step) {
        return step.side().name().toLowerCase(Locale.ROOT) + step.stepNumber();
    }

    /** The state diagram with a numbered list of both sides' steps in time order; each step can be singled out. */
    private static void walk(StringBuilder html, LabResult result, List<TimelineEntry> steps) {
        html.append("<section class=\"walk\" id=\"walk\">\n<input type=\"radio\" name=\"walk\" id=\"w-all\" checked=\"checked\"/>");
        for (TimelineEntry step : steps) {
            html.append("<input type=\"radio\" name=\"walk\" id=\"w-").append(stepId(step)).append("\"/>");
        }
        html.append("\n<h2>State diagram, step by step</h2>\n<p class=\"small\">RFC 9293 figure 5 with the edges each side walked: ")
                .append("A solid blue, B dashed orange; a badge lists the steps that took an edge. Choose a step in the list ")
                .append("(or move with the arrow keys) to see it alone.</p>\n");
        html.append("<div class=\"walkgrid\">\n<div class=\"diagram\">").append(StateDiagramSvg.render(result)).append("</div>\n");
        html.append("<div class=\"steps\"><ol>\n<li><label for=\"w-all\">all steps</label></li>\n");
        for (TimelineEntry step : steps) {
            String id = stepId(step);
            html.append("<li id=\"step-").append(id).append("\"><label for=\"w-").append(id).append("\"><span class=\"t\">")
                    .append(String.format(Locale.ROOT, "%.3f", step.seconds())).append("</span> <span class=\"")
                    .append(step.side() == Side.A ? "a" : "b").append("\">").append(step.side()).append(step.stepNumber())
                    .append("</span> ").append(e(step.step().from().toString())).append(" &#8594; ")
                    .append(e(step.step().to().toString())).append(" <span class=\"small\">(")
                    .append(e(StateDiagramSvg.causeText(step.step().cause()))).append(")</span></label></li>\n");
        }
        html.append("</ol></div>\n</div>\n</section>\n");
    }

    private static void row(StringBuilder html, TimelineEntry entry) {
        html.append("<tr><td class=\"t\">").append(String.format(Locale.ROOT, "%.6f", entry.seconds())).append("</td>");
        switch (entry.kind()) {
            case TRANSITION -> {
                String cell = "[" + entry.side() + entry.stepNumber() + "] " + entry.text();
                if (entry.side() == Side.A) {
                    html.append("<td class=\"a\">").append(e(cell)).append("</td><td></td><td></td>");
                } else {
                    html.append("<td></td><td></td><td class=\"b\">").append(e(cell)).append("</td>");
                }
            }
            case FRAME -> html.append("<td></td><td class=\"wire\">").append(entry.side()).append(entry.side() == Side.A ? " &#8594; " : " &#8592; ")
                    .append(entry.side().other()).append("&#160; ").append(e(entry.text())).append("</td><td></td>");
            case APP, LAB -> html.append("<td></td><td class=\"note").append(entry.kind() == TimelineEntry.Kind.LAB ? " lost" : "")
                    .append("\">").append(entry.side()).append(entry.kind() == TimelineEntry.Kind.LAB ? " lab: " : " app: ")
                    .append(e(entry.text())).append("</td><td></td>");
            case NOTE -> html.append("<td></td><td class=\"note\"><b>").append(prose(entry.text())).append("</b></td><td></td>");
        }
        html.append("</tr>\n");
    }

    private static void list(StringBuilder html, String title, List<String> items) {
        html.append("<h2>").append(e(title)).append("</h2><ul>");
        for (String item : items) {
            html.append("<li>").append(prose(item)).append("</li>");
        }
        html.append("</ul>\n");
    }

    /** Lab text: escaped, with {@code `code`} (the text files' markup for commands and names) set as code. */
    static String prose(String text) {
        Matcher code = CODE.matcher(text);
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (code.find()) {
            out.append(e(text.substring(at, code.start()))).append("<code>").append(e(code.group(1))).append("</code>");
            at = code.end();
        }
        return out.append(e(text.substring(at))).toString();
    }

    private static String e(String text) {
        return SvgText.escape(text);
    }

    /** The ids of the steps the page can single out, in time order ("a1", "b1", "b2"...). */
    static List<String> stepIds(LabResult result) {
        List<String> ids = new ArrayList<>();
        for (TimelineEntry entry : result.timeline()) {
            if (entry.kind() == TimelineEntry.Kind.TRANSITION) {
                ids.add(stepId(entry));
            }
        }
        return ids;
    }
}
