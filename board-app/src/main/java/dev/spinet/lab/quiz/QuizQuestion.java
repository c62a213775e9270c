package dev.spinet.lab.quiz;

import java.util.Locale;

/**
 * One machine-checked question of a lab's quiz: its wording in English and in Simplified Chinese,
 * and the expression ({@link QuizExpression}) that computes its answer from a run of the lab, so the
 * answer cannot drift from what the lab does.
 *
 * @param id     a short name, unique in its lab ("syn-ack-ack")
 * @param answer the expression, e.g. {@code state B 2}
 */
public record QuizQuestion(String id, String english, String chinese, QuizExpression answer) {

    /** The wording in {@code language}. */
    public String text(QuizLanguage language) {
        return language == QuizLanguage.ZH ? chinese : english;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %s [%s]", id, english, answer);
    }
}
