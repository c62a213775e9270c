package dev.spinet.lab.quiz;

import java.util.Locale;

/** The languages a quiz is asked in: every question carries both wordings. */
public enum QuizLanguage {
    EN,
    ZH;

    /** {@code en} or {@code zh} (any case); null for anything else. */
    public static QuizLanguage parse(String code) {
        return switch (code == null ? "" : code.toLowerCase(Locale.ROOT)) {
            case "en" -> EN;
            case "zh", "zh-cn", "zh-hans" -> ZH;
            default -> null;
        };
    }
}
