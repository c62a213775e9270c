package dev.spinet.lab.quiz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * Asks a quiz on a console: each question, one answer line read, right or wrong (with the run's
 * answer), and the score at the end. Reads plain lines, so answers can be piped in; a missing line
 * (end of input) counts as wrong.
 */
public final class QuizConsole {

    private QuizConsole() {
    }

    /** The result of one quiz: right answers out of questions asked. */
    public record Score(int right, int asked) {
    }

    public static Score ask(Quiz quiz, List<QuizValue> answers, QuizLanguage language, BufferedReader in, PrintWriter out)
            throws IOException {
        boolean zh = language == QuizLanguage.ZH;
        int right = 0;
        List<QuizQuestion> questions = quiz.questions();
        out.println(zh ? "实验 " + quiz.lab() + " 的测验：" + questions.size() + " 道题，答案由本实验的运行结果核对（spinet lab run "
                + quiz.lab() + "）。"
                : "Quiz on lab " + quiz.lab() + ": " + questions.size() + " questions, checked against a run of the lab (spinet lab run "
                + quiz.lab() + ").");
        for (int i = 0; i < questions.size(); i++) {
            QuizQuestion question = questions.get(i);
            QuizValue expected = answers.get(i);
            out.println();
            out.println((i + 1) + "/" + questions.size() + ". " + question.text(language));
            out.print((zh ? "（" + expected.kind().hint(language) + "）> " : "(" + expected.kind().hint(language) + ") > "));
            out.flush();
            String line = in.readLine();
            if (line == null) {
                out.println();
                out.println(zh ? "没有回答；答案是 " + expected : "no answer; the answer is " + expected);
            } else if (expected.accepts(line)) {
                right++;
                out.println(zh ? "正确。" : "right.");
            } else {
                out.println(zh ? "不对；运行结果是 " + expected : "wrong; the run says " + expected);
            }
        }
        out.println();
        out.println(zh ? "得分：" + right + "/" + questions.size() : "score: " + right + "/" + questions.size());
        out.flush();
        return new Score(right, questions.size());
    }
}
