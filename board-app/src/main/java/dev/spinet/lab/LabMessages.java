package dev.spinet.lab;

import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The fixed words around a lab's text (headings, legends, captions, console lines) in one
 * {@link LabLanguage}: the resource bundle {@code dev/spinet/lab/messages} ({@code messages.properties}
 * in English, {@code messages_zh.properties} in Chinese, both UTF-8). Values with arguments are
 * {@link String#format} patterns ({@code %s}, {@code %d}), not MessageFormat ones, so an apostrophe
 * in English needs no quoting. A test checks that both files have the same keys and the same
 * arguments.
 */
public final class LabMessages {

    static final String BUNDLE = "dev.spinet.lab.messages";

    private static final LabMessages EN = new LabMessages(LabLanguage.EN);
    private static final LabMessages ZH = new LabMessages(LabLanguage.ZH);

    private final LabLanguage language;
    private final ResourceBundle bundle;

    private LabMessages(LabLanguage language) {
        this.language = language;
        // No fallback to the JVM's locale: English is the base bundle, whatever the machine's LANG.
        Locale locale = language == LabLanguage.EN ? Locale.ROOT : language.locale();
        this.bundle = ResourceBundle.getBundle(BUNDLE, locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    public static LabMessages of(LabLanguage language) {
        return language == LabLanguage.ZH ? ZH : EN;
    }

    public LabLanguage language() {
        return language;
    }

    /** The words for {@code key}; IllegalStateException naming the key if the bundle lacks it. */
    public String get(String key) {
        try {
            return bundle.getString(key);
        } catch (MissingResourceException e) {
            throw new IllegalStateException("no message '" + key + "' in " + BUNDLE + " for " + language.code(), e);
        }
    }

    /** The words for {@code key} with {@code args} filled in ({@link String#format}, locale-independent numbers). */
    public String format(String key, Object... args) {
        return String.format(Locale.ROOT, get(key), args);
    }
}
