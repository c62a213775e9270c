package dev.spinet.studio;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.TreeMap;

/**
 * The studio's own words (buttons, prompts, messages) in the student's language, from the
 * resource bundles {@code dev/spinet/studio/studio_en.properties} and {@code studio_zh.properties}
 * (UTF-8, as Java reads property bundles since 9). The labs' texts come from the labs themselves
 * and the diagram keeps the RFC's state names, so neither is here. There is a bundle for every
 * {@link dev.spinet.lab.LabLanguage}, which {@code --lang} names ({@code LabLanguageOption}).
 */
final class StudioCaptions {

    private static final String BUNDLE = "dev.spinet.studio.studio";

    private StudioCaptions() {
    }

    /** Every caption of {@code language}, by key. */
    static Map<String, String> load(String language) {
        ResourceBundle bundle;
        try {
            bundle = ResourceBundle.getBundle(BUNDLE, Locale.of(language),
                    ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
        } catch (MissingResourceException e) {
            throw new IllegalStateException("the studio's captions for '" + language + "' are missing from the jar", e);
        }
        Map<String, String> captions = new TreeMap<>();
        for (String key : Collections.list(bundle.getKeys())) {
            captions.put(key, bundle.getString(key));
        }
        return captions;
    }
}
