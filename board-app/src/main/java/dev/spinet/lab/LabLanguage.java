package dev.spinet.lab;

import java.util.Locale;

/**
 * The language a lab is read in: its text ({@code text/NAME.txt}, or {@code text/zh/NAME.txt} for
 * Simplified Chinese), the fixed words of the console output and of the report ({@link LabMessages}).
 * Commands take it from {@code --lang en|zh} and otherwise from the JVM's locale.
 */
public enum LabLanguage {
    /** English, the labs' original text. */
    EN("en", Locale.ENGLISH),
    /** Simplified Chinese. */
    ZH("zh", Locale.SIMPLIFIED_CHINESE);

    private final String code;
    private final Locale locale;

    LabLanguage(String code, Locale locale) {
        this.code = code;
        this.locale = locale;
    }

    /** The code {@code --lang} takes and the report's {@code lang} attribute uses: "en", "zh". */
    public String code() {
        return code;
    }

    public Locale locale() {
        return locale;
    }

    /** The value of the HTML {@code lang} attribute (zh-Hans: Simplified script, so browsers pick a Simplified font). */
    public String htmlLang() {
        return this == ZH ? "zh-Hans" : "en";
    }

    /**
     * The language {@code code} names: "en" or "zh", any case, a region or script after '-' or '_'
     * ignored ("zh-CN", "zh_Hans"). IllegalArgumentException, one line saying what is accepted, otherwise.
     */
    public static LabLanguage parse(String code) {
        String primary = code == null ? "" : code.strip().split("[-_]", 2)[0].toLowerCase(Locale.ROOT);
        for (LabLanguage language : values()) {
            if (language.code.equals(primary)) {
                return language;
            }
        }
        throw new IllegalArgumentException("no lab language '" + code + "'; give en (English) or zh (Simplified Chinese)");
    }

    /** Chinese for a locale whose language is Chinese, English for every other. */
    public static LabLanguage fromLocale(Locale locale) {
        return locale != null && "zh".equals(locale.getLanguage()) ? ZH : EN;
    }

    /** The language of the JVM's default locale (from LANG/LC_ALL, or -Duser.language). */
    public static LabLanguage fromDefaultLocale() {
        return fromLocale(Locale.getDefault());
    }
}
