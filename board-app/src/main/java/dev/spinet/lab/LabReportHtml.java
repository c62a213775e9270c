package dev.spinet.lab;

import java.util.List;
import java.util.Locale;

/**
 * The lab report as one self-contained HTML page: the lab's text, the result, the timeline as a
 * table (A's state changes left, the wire in the middle, B's right) and the state diagram inlined
 * as SVG. No scripts, fonts, images or style sheets from elsewhere: it reads the same offline, on
 * a projector or printed. It is also well-formed XML (XHTML polyglot), so tests parse it with javax.xml.
 */
public final class LabReportHtml {

    private LabReportHtml() {
    }

    public static String render(LabResult result, String pcapFileName) {
        Lab lab = result.lab();
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>Spinet lab: ")
                .append(e(lab.title())).append("</title>\n<style>\n")
                .append("body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:24px;color:#111;max-width:1400px}\n")
                .append("h1{font-size:24px;margin-bottom:4px} h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}\n")
                .append(".pass{color:#126b12;font-weight:bold} .fail{color:#b00000;font-weight:bold}\n")
                .append("table{border-collapse:collapse;font-size:12px;width:100%} td,th{padding:2px 6px;vertical-align:top;text-align:left}\n")
                .append("tr:nth-child(even){background:#f6f6f6} td.t{font-family:monospace;white-space:nowrap;text-align:right}\n")
                .append("td.wire{font-family:monospace} td.a{color:#1f5fbf;font-weight:bold} td.b{color:#d9660b;font-weight:bold}\n")
                .append("td.note{font-style:italic;color:#555} .small{color:#555;font-size:13px}\n")
                .append(".cols{display:flex;gap:24px;flex-wrap:wrap} .cols>div{flex:1;min-width:300px}\n")
                .append("</style>\n</head>\n<body>\n");
        html.append("<h1>").append(e(lab.title())).append("</h1>\n");
        html.append("<p class=\"small\">spinet lab run ").append(e(lab.name())).append(" --seed ").append(result.seed())
                .append(" &#183; A = ").append(e(lab.boardA())).append(" 10.0.0.1 (solid) &#183; B = ").append(e(lab.boardB()))
                .append(" 10.0.0.2 (dashed) &#183; one-way delay ").append(LabRun.WIRE_DELAY_NANOS / 1_000_000)
                .append(" ms &#183; capture: ").append(e(pcapFileName)).append("</p>\n");
        html.append("<p>").append(e(lab.summary())).append("</p>\n");
        html.append("<div class=\"cols\"><div><h2>Goal</h2><p>").append(e(lab.goal())).append("</p>\n");
        list(html, "Predict before you run it", lab.predict());
        list(html, "Questions", lab.questions());
        html.append("<h2>On a board</h2><p>").append(e(lab.boardRole())).append("</p></div>\n");
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
        for (Side side : Side.values()) {
            html.append("<h3>").append(side).append(" (").append(e(lab.boardName(side))).append(")</h3><ol>");
            for (Step step : result.actual(side)) {
                html.append("<li>").append(e(step.toString())).append("</li>");
            }
            html.append("</ol>\n");
        }
        html.append("</div></div>\n");
        html.append("<h2>State diagram</h2>\n<div>").append(StateDiagramSvg.render(result)).append("</div>\n");
        html.append("<h2>Timeline</h2>\n<table>\n<tr><th>time (s)</th><th>A: ").append(e(lab.boardA()))
                .append("</th><th>wire / application</th><th>B: ").append(e(lab.boardB())).append("</th></tr>\n");
        for (TimelineEntry entry : result.timeline()) {
            row(html, entry);
        }
        html.append("</table>\n</body>\n</html>\n");
        return html.toString();
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
            case APP, LAB -> html.append("<td></td><td class=\"note\">").append(entry.side()).append(entry.kind() == TimelineEntry.Kind.LAB ? " lab: " : " app: ")
                    .append(e(entry.text())).append("</td><td></td>");
            case NOTE -> html.append("<td></td><td class=\"note\"><b>").append(e(entry.text())).append("</b></td><td></td>");
        }
        html.append("</tr>\n");
    }

    private static void list(StringBuilder html, String title, List<String> items) {
        html.append("<h2>").append(e(title)).append("</h2><ul>");
        for (String item : items) {
            html.append("<li>").append(e(item)).append("</li>");
        }
        html.append("</ul>\n");
    }

    private static String e(String text) {
        return StateDiagramSvg.escape(text);
    }
}
