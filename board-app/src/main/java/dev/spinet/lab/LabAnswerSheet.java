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
        LabLanguage language = labs.isEmpty() ? LabLanguage.EN : labs.get(0).language();
        LabMessages words = LabMessages.of(language);
        html.append("<!DOCTYPE html>\n<html lang=\"").append(language.htmlLang()).append("\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<title>").append(e(words.get("sheet.title"))).append("</title>\n<style>\n")
                .append("body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:24px;color:#111;max-width:1100px}\n")
                .append("h1{font-size:24px} h2{font-size:20px;margin-top:36px;border-bottom:2px solid #333}\n")
                .append("h3{font-size:15px;margin:18px 0 6px} ol{padding-left:1.6em} li{margin-bottom:10px}\n")
                .append(".answer{margin-top:4px;padding:4px 8px;background:#eef5ee;border-left:3px solid #2e7d32}\n")
                .append(".small{color:#555;font-size:13px} code{font-size:13px}\n")
                .append("table{border-collapse:collapse;font-size:13px} td,th{padding:1px 8px;text-align:left;vertical-align:top}\n")
                .append("svg{max-width:100%;height:auto}\n")
                .append("@media print{section.lab{page-break-before:always} .toc{page-break-after:always}}\n")
                .append("</style>\n</head>\n<body>\n");
        // The intro carries its own markup (code); only the version is escaped.
        html.append("<h1>").append(e(words.get("sheet.title"))).append("</h1>\n<p class=\"small\">")
                .append(words.format("sheet.intro", e(version))).append("</p>\n");
        html.append("<div class=\"toc\"><h3>").append(e(words.get("sheet.labs"))).append("</h3><ol>");
        for (Lab lab : labs) {
            html.append("<li><a href=\"#").append(e(lab.name())).append("\">").append(e(lab.name())).append("</a>: ")
                    .append(e(lab.title())).append("</li>");
        }
        html.append("</ol></div>\n");
        for (Lab lab : labs) {
            section(html, lab.in(language), LabText.load(lab.name(), language), words);
        }
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private static void section(StringBuilder html, Lab lab, LabText text, LabMessages words) {
        String run = "spinet lab run " + lab.name() + (lab.language() == LabLanguage.EN ? "" : " --lang " + lab.language().code()) + " --out DIR";
        html.append("<section class=\"lab\" id=\"").append(e(lab.name())).append("\">\n<h2>").append(e(lab.name())).append(": ")
                .append(e(lab.title())).append("</h2>\n<p>").append(e(lab.summary())).append("</p>\n<p class=\"small\">")
                .append(e(words.format("sheet.boards", lab.boardA(), lab.boardB(), LabRun.WIRE_DELAY_NANOS / 1_000_000)))
                .append(" <code>").append(e(run)).append("</code></p>\n<p><b>").append(e(words.get("sheet.goal"))).append("</b> ")
                .append(e(lab.goal())).append("</p>\n");
        items(html, words.get("sheet.predictions"), text.predict(), text.predictAnswers(), words);
        items(html, words.get("report.questions"), text.questions(), text.questionAnswers(), words);
        if (!text.notes().isEmpty()) {
            html.append("<h3>").append(e(words.get("report.notes"))).append("</h3>\n");
            for (String note : text.notes()) {
                html.append("<p>").append(e(note)).append("</p>\n");
            }
        }
        quiz(html, lab);
        html.append("<h3>").append(e(words.get("report.board"))).append("</h3><p><code>spinet run --lab ").append(e(lab.name())).append("</code>: ")
                .append(e(lab.boardRole())).append("</p>\n");
        html.append("<h3>").append(e(words.get("sheet.expected"))).append("</h3>\n<table><tr><th>#</th><th>A (").append(e(lab.boardA())).append(")</th><th>B (")
                .append(e(lab.boardB())).append(")</th></tr>\n");
        List<Step> a = lab.expected(Side.A);
        List<Step> b = lab.expected(Side.B);
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            html.append("<tr><td>").append(i + 1).append("</td><td>").append(i < a.size() ? e(a.get(i).toString()) : "")
                    .append("</td><td>").append(i < b.size() ? e(b.get(i).toString()) : "").append("</td></tr>\n");
        }
        html.append("</table>\n<div>").append(StateDiagramSvg.render(edges(a), edges(b), "A: " + lab.boardA(), "B: " + lab.boardB(), lab.language()))
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

    private static void items(StringBuilder html, String heading, List<String> items, List<String> answers, LabMessages words) {
        html.append("<h3>").append(e(heading)).append("</h3>\n<ol>\n");
        for (int i = 0; i < items.size(); i++) {
            String answer = answers.get(i).isEmpty() ? words.get("cli.show.no.answer") : answers.get(i);
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
