package dev.spinet.lab;

import dev.spinet.lab.quiz.Quiz;
import dev.spinet.lab.quiz.QuizQuestion;
import dev.spinet.lab.quiz.QuizValue;
import dev.spinet.tcp.StateDiagram;
import java.util.ArrayList;
import java.util.List;

/**
 * The instructor's answer sheet ({@code spinet lab answers --out DIR}): for every lab its goal,
 * each prediction and question with its answer ({@link LabText}), its machine-checked quiz with the
 * answers a run of the lab gives ({@link Quiz}), what a board does, and both
 * sides' expected transitions, listed and drawn on the state diagram. One self-contained HTML page
 * (no scripts, fonts or links outside it) that prints with one lab per page.
 */
public final class LabAnswerSheet {

    private LabAnswerSheet() {
    }

    /** The sheet for {@code labs}, in the order given. */
    public static String render(List<Lab> labs, String version) {
        StringBuilder html = new StringBuilder(256 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<title>Spinet labs: answers for the instructor</title>\n<style>\n")
                .append("body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:24px;color:#111;max-width:1100px}\n")
                .append("h1{font-size:24px} h2{font-size:20px;margin-top:36px;border-bottom:2px solid #333}\n")
                .append("h3{font-size:15px;margin:18px 0 6px} ol{padding-left:1.6em} li{margin-bottom:10px}\n")
                .append(".answer{margin-top:4px;padding:4px 8px;background:#eef5ee;border-left:3px solid #2e7d32}\n")
                .append(".small{color:#555;font-size:13px} code{font-size:13px}\n")
                .append("table{border-collapse:collapse;font-size:13px} td,th{padding:1px 8px;text-align:left;vertical-align:top}\n")
                .append("svg{max-width:100%;height:auto}\n")
                .append("@media print{section.lab{page-break-before:always} .toc{page-break-after:always}}\n")
                .append("</style>\n</head>\n<body>\n");
        html.append("<h1>Spinet labs: answers for the instructor</h1>\n<p class=\"small\">").append(e(version))
                .append(". Times are those of <code>spinet lab run NAME</code> (simulated time, the same on every run; ")
                .append("sequence numbers change with <code>--seed</code>, times do not). Keep this sheet from the students: ")
                .append("<code>spinet lab show NAME</code> shows them the questions without the answers.</p>\n");
        html.append("<div class=\"toc\"><h3>Labs</h3><ol>");
        for (Lab lab : labs) {
            html.append("<li><a href=\"#").append(e(lab.name())).append("\">").append(e(lab.name())).append("</a>: ")
                    .append(e(lab.title())).append("</li>");
        }
        html.append("</ol></div>\n");
        for (Lab lab : labs) {
            section(html, lab, LabText.load(lab.name()));
        }
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private static void section(StringBuilder html, Lab lab, LabText text) {
        html.append("<section class=\"lab\" id=\"").append(e(lab.name())).append("\">\n<h2>").append(e(lab.name())).append(": ")
                .append(e(lab.title())).append("</h2>\n<p>").append(e(lab.summary())).append("</p>\n<p class=\"small\">A = ")
                .append(e(lab.boardA())).append(", B = ").append(e(lab.boardB())).append(", one-way delay ")
                .append(LabRun.WIRE_DELAY_NANOS / 1_000_000).append(" ms. Run: <code>spinet lab run ").append(e(lab.name()))
                .append(" --out DIR</code></p>\n<p><b>Goal.</b> ").append(e(lab.goal())).append("</p>\n");
        items(html, "Predictions", text.predict(), text.predictAnswers());
        items(html, "Questions", text.questions(), text.questionAnswers());
        quiz(html, lab);
        html.append("<h3>On a board</h3><p><code>spinet run --lab ").append(e(lab.name())).append("</code>: ")
                .append(e(lab.boardRole())).append("</p>\n");
        html.append("<h3>Expected transitions</h3>\n<table><tr><th>#</th><th>A (").append(e(lab.boardA())).append(")</th><th>B (")
                .append(e(lab.boardB())).append(")</th></tr>\n");
        List<Step> a = lab.expected(Side.A);
        List<Step> b = lab.expected(Side.B);
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            html.append("<tr><td>").append(i + 1).append("</td><td>").append(i < a.size() ? e(a.get(i).toString()) : "")
                    .append("</td><td>").append(i < b.size() ? e(b.get(i).toString()) : "").append("</td></tr>\n");
        }
        html.append("</table>\n<div>").append(StateDiagramSvg.render(edges(a), edges(b), "A: " + lab.boardA(), "B: " + lab.boardB()))
                .append("</div>\n</section>\n");
    }

    /** The lab's machine-checked quiz with each answer computed from a run of the lab (seed 1, as {@code spinet lab run}). */
    private static void quiz(StringBuilder html, Lab lab) {
        if (!Quiz.exists(lab.name())) {
            return;
        }
        Quiz quiz = Quiz.load(lab.name());
        List<QuizValue> answers = quiz.answers(LabRun.run(lab, 1));
        html.append("<h3>Quiz (<code>spinet lab quiz ").append(e(lab.name()))
                .append("</code>; answers computed from a run of the lab)</h3>\n<table class=\"quiz\"><tr><th>#</th><th>question</th>")
                .append("<th lang=\"zh-Hans\">问题</th><th>answer</th><th>computed as</th></tr>\n");
        for (int i = 0; i < quiz.questions().size(); i++) {
            QuizQuestion question = quiz.questions().get(i);
            html.append("<tr><td>").append(i + 1).append("</td><td>").append(e(question.english())).append("</td><td lang=\"zh-Hans\">")
                    .append(e(question.chinese())).append("</td><td><b>").append(e(answers.get(i).toString())).append("</b></td><td><code>")
                    .append(e(question.answer().toString())).append("</code></td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static void items(StringBuilder html, String heading, List<String> items, List<String> answers) {
        html.append("<h3>").append(heading).append("</h3>\n<ol>\n");
        for (int i = 0; i < items.size(); i++) {
            String answer = answers.get(i).isEmpty() ? "(no answer written yet)" : answers.get(i);
            html.append("<li>").append(e(items.get(i))).append("<div class=\"answer\">").append(e(answer)).append("</div></li>\n");
        }
        html.append("</ol>\n");
    }

    private static List<StateDiagram.Edge> edges(List<Step> steps) {
        List<StateDiagram.Edge> edges = new ArrayList<>(steps.size());
        for (Step step : steps) {
            StateDiagram.Edge edge = step.edge();
            if (edge != null) {
                edges.add(edge);
            }
        }
        return edges;
    }

    /** Escapes text for HTML (and XML: the sheet stays well-formed). */
    private static String e(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
