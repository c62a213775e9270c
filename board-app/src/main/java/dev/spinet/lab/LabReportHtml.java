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
        LabMessages words = LabMessages.of(lab.language());
        List<TimelineEntry> steps = result.timeline().stream().filter(e -> e.kind() == TimelineEntry.Kind.TRANSITION).toList();
        StringBuilder html = new StringBuilder(256 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"").append(lab.language().htmlLang()).append("\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
                .append(e(words.format("report.title", lab.title()))).append("</title>\n<style>\n").append(STYLE)
                .append(stepStyles(steps)).append("</style>\n</head>\n<body>\n");
        html.append("<h1>").append(e(lab.title())).append("</h1>\n");
        html.append("<p class=\"small\">spinet lab run ").append(e(lab.name())).append(" --seed ").append(result.seed())
                .append(lab.language() == LabLanguage.EN ? "" : " --lang " + lab.language().code())
                .append(" &#183; ").append(e(words.format("report.meta.a", lab.boardA())))
                .append(" &#183; ").append(e(words.format("report.meta.b", lab.boardB())))
                .append(" &#183; ").append(e(words.format("report.meta.delay", LabRun.WIRE_DELAY_NANOS / 1_000_000)))
                .append(" &#183; ").append(e(words.get("report.meta.capture"))).append(" <code>").append(e(captureFileName)).append("</code></p>\n");
        html.append("<p>").append(prose(lab.summary())).append("</p>\n");
        html.append("<div class=\"cols\"><div><h2>").append(e(words.get("report.goal"))).append("</h2><p>").append(prose(lab.goal())).append("</p>\n");
        list(html, words.get("report.predict"), lab.predict());
        list(html, words.get("report.questions"), lab.questions());
        if (!lab.notes().isEmpty()) {
            html.append("<div class=\"note\">");
            list(html, words.get("report.notes"), lab.notes());
            html.append("</div>\n");
        }
        html.append("<h2>").append(e(words.get("report.board"))).append("</h2><p>").append(prose(lab.boardRole())).append("</p></div>\n");
        html.append("<div><h2>").append(e(words.get("report.result"))).append("</h2>");
        if (result.passed()) {
            html.append("<p class=\"pass\">").append(e(words.get("report.pass"))).append("</p>\n");
        } else {
            html.append("<p class=\"fail\">").append(e(words.get("report.mismatch"))).append("</p><ul>");
            for (String problem : result.mismatches()) {
                html.append("<li>").append(e(problem)).append("</li>");
            }
            html.append("</ul>\n");
        }
        html.append("<p>");
        for (Side side : Side.values()) {
            html.append(e(words.format("report.walked", side, lab.boardName(side), result.actual(side).size())))
                    .append(e(words.get(side == Side.A ? "report.walked.separator" : "report.walked.end")));
        }
        html.append("</p>\n");
        // The bundle's text carries its own markup (code, i); only the file name is escaped.
        html.append("<h3>").append(e(words.get("report.capture.title"))).append("</h3><p class=\"small\">")
                .append(words.format("report.capture.text", e(captureFileName))).append("</p>\n");
        html.append("</div></div>\n");

        walk(html, result, steps, words);

        html.append("<h2 id=\"ladder\">").append(e(words.get("report.ladder.title"))).append("</h2>\n<p class=\"small\">")
                .append(e(words.get("report.ladder.text"))).append("</p>\n")
                .append("<div class=\"figure\">").append(LadderDiagramSvg.render(result)).append("</div>\n");
        String plots = LabPlotsSvg.render(result);
        if (!plots.isEmpty()) {
            html.append("<h2 id=\"plots\">").append(e(words.get("report.plots.title"))).append("</h2>\n<p class=\"small\">")
                    .append(e(words.get("report.plots.text"))).append("</p>\n<div class=\"figure\">")
                    .append(plots).append("</div>\n");
        }
        html.append("<h2 id=\"timeline\">").append(e(words.get("report.timeline.title"))).append("</h2>\n<table>\n<tr><th>")
                .append(e(words.get("report.timeline.time"))).append("</th><th>A: ").append(e(lab.boardA()))
                .append("</th><th>").append(e(words.get("report.timeline.wire"))).append("</th><th>B: ").append(e(lab.boardB())).append("</th></tr>\n");
        for (TimelineEntry entry : result.timeline()) {
            row(html, entry);
        }
        html.append("</table>\n</body>\n</html>\n");
        return html.toString();
    }

    private static final String STYLE = """
            body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:24px;color:#111;max-width:1400px}
            .note{border-left:4px solid #e0b000;background:#fff8db;padding:0 10px;margin:8px 0}
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
    private static void walk(StringBuilder html, LabResult result, List<TimelineEntry> steps, LabMessages words) {
        html.append("<section class=\"walk\" id=\"walk\">\n<input type=\"radio\" name=\"walk\" id=\"w-all\" checked=\"checked\"/>");
        for (TimelineEntry step : steps) {
            html.append("<input type=\"radio\" name=\"walk\" id=\"w-").append(stepId(step)).append("\"/>");
        }
        html.append("\n<h2>").append(e(words.get("report.walk.title"))).append("</h2>\n<p class=\"small\">")
                .append(e(words.get("report.walk.text"))).append("</p>\n");
        html.append("<div class=\"walkgrid\">\n<div class=\"diagram\">").append(StateDiagramSvg.render(result)).append("</div>\n");
        html.append("<div class=\"steps\"><ol>\n<li><label for=\"w-all\">").append(e(words.get("report.walk.all"))).append("</label></li>\n");
        for (TimelineEntry step : steps) {
            String id = stepId(step);
            html.append("<li id=\"step-").append(id).append("\"><label for=\"w-").append(id).append("\"><span class=\"t\">")
                    .append(String.format(Locale.ROOT, "%.3f", step.seconds())).append("</span> <span class=\"")
                    .append(step.side() == Side.A ? "a" : "b").append("\">").append(step.side()).append(step.stepNumber())
                    .append("</span> ").append(e(step.step().from().toString())).append(" &#8594; ")
                    .append(e(step.step().to().toString())).append(" <span class=\"small\">(")
                    .append(e(StateDiagramSvg.causeText(step.step().cause(), words.language()))).append(")</span></label></li>\n");
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
