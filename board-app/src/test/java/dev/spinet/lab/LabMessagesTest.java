package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The fixed words in both languages: the same keys and arguments; {@link LabLanguage} parsing and the locale default. */
class LabMessagesTest {

    private static final Pattern ARGUMENT = Pattern.compile("%(\\d+\\$)?[-#+ 0,(]*\\d*(\\.\\d+)?[sdfn%]");

    @Test
    void bothLanguagesHaveTheSameKeysWithTheSameArguments() throws IOException {
        Properties english = load("messages.properties");
        Properties chinese = load("messages_zh.properties");
        assertEquals(new TreeMap<>(english).keySet(), new TreeMap<>(chinese).keySet(), "keys of messages.properties and messages_zh.properties");
        List<String> problems = new ArrayList<>();
        for (String key : english.stringPropertyNames()) {
            List<String> en = arguments(english.getProperty(key));
            List<String> zh = arguments(chinese.getProperty(key));
            if (!en.equals(zh)) {
                problems.add(key + ": " + en + " in English, " + zh + " in Chinese");
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void everyKeyIsTranslated() throws IOException {
        Properties chinese = load("messages_zh.properties");
        List<String> untranslated = new ArrayList<>();
        for (String key : chinese.stringPropertyNames()) {
            if (chinese.getProperty(key).chars().noneMatch(c -> LabText.isHan((char) c))) {
                untranslated.add(key);
            }
        }
        assertEquals(List.of(), untranslated, "Chinese messages without a Chinese character");
    }

    @Test
    void theBundleIgnoresTheMachinesLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.SIMPLIFIED_CHINESE);
            assertEquals("Questions", LabMessages.of(LabLanguage.EN).get("report.questions"));
            assertEquals("问题", LabMessages.of(LabLanguage.ZH).get("report.questions"));
        } finally {
            Locale.setDefault(before);
        }
        assertEquals("A: client (solid)", LabMessages.of(LabLanguage.EN).format("diagram.legend.a", "client"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LabMessages.of(LabLanguage.ZH).get("no.such.key"));
        assertEquals("no message 'no.such.key' in dev.spinet.lab.messages for zh", e.getMessage());
    }

    @Test
    void languageCodesParseWithOrWithoutRegion() {
        assertEquals(LabLanguage.ZH, LabLanguage.parse("zh"));
        assertEquals(LabLanguage.ZH, LabLanguage.parse("zh-CN"));
        assertEquals(LabLanguage.ZH, LabLanguage.parse("zh_Hans"));
        assertEquals(LabLanguage.EN, LabLanguage.parse("EN"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabLanguage.parse("fr"));
        assertEquals("no lab language 'fr'; give en (English) or zh (Simplified Chinese)", e.getMessage());
    }

    @Test
    void theLocaleChoosesChineseOnlyForChinese() {
        assertEquals(LabLanguage.ZH, LabLanguage.fromLocale(Locale.SIMPLIFIED_CHINESE));
        assertEquals(LabLanguage.ZH, LabLanguage.fromLocale(Locale.forLanguageTag("zh-TW")));
        assertEquals(LabLanguage.EN, LabLanguage.fromLocale(Locale.GERMANY));
        assertEquals(LabLanguage.EN, LabLanguage.fromLocale(Locale.ROOT));
        assertEquals(LabLanguage.EN, LabLanguage.fromLocale(null));
    }

    private static List<String> arguments(String value) {
        List<String> found = new ArrayList<>();
        Matcher matcher = ARGUMENT.matcher(value);
        while (matcher.find()) {
            found.add(matcher.group());
        }
        found.sort(null);
        return found;
    }

    private static Properties load(String file) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = LabMessages.class.getResourceAsStream(file)) {
            assertTrue(in != null, file);
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
