package dev.spinet.studio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.lab.LabLanguage;
import dev.spinet.lab.LabSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The studio's captions: English and Simplified Chinese carry the same keys, every caption the
 * page asks for exists in both (the page would show the bare key), the Chinese ones are Chinese,
 * and {@code --lang} picks the language (or the JVM's locale does).
 */
class StudioCaptionsTest {

    /** t('key'...) and data-caption="key" in the page; the command and notice keys the page builds from the API. */
    private static final Pattern CAPTION_CALL = Pattern.compile("(?<![\\w.])t\\('([a-z0-9.\\-]+)'|data-caption=\"([a-z0-9.\\-]+)\"");
    private static final Set<String> NOTICE_KEYS = Set.of("queued", "done", "refused", "no-connection", "no-open-connection",
            "nothing-to-close");

    @Test
    void bothLanguagesHaveEveryCaptionThePageAsksFor() throws IOException {
        Set<String> wanted = new TreeSet<>();
        for (String file : new String[] {"studio.js", "studio.html"}) {
            Matcher m = CAPTION_CALL.matcher(resource(file));
            while (m.find()) {
                String key = m.group(1) != null ? m.group(1) : m.group(2);
                if (key.endsWith(".")) {
                    // t('command.' + command): the keys built from the API's values, listed below
                    assertTrue(Set.of("command.", "notice.").contains(key), "a caption key built at run time: " + key);
                } else {
                    wanted.add(key);
                }
            }
        }
        for (LabSession.Command command : LabSession.Command.values()) {
            wanted.add("command." + command);
        }
        NOTICE_KEYS.forEach(key -> wanted.add("notice." + key));
        assertTrue(wanted.size() > 40, "the page asks for its captions by key: " + wanted);
        Map<String, String> en = StudioCaptions.load("en");
        Map<String, String> zh = StudioCaptions.load("zh");
        assertEquals(en.keySet(), zh.keySet(), "English and Chinese must have the same keys");
        for (String key : wanted) {
            assertTrue(en.containsKey(key), "studio_en.properties has no " + key);
        }
        for (String key : en.keySet()) {
            assertFalse(en.get(key).isBlank(), key);
            assertFalse(zh.get(key).isBlank(), key);
            assertEquals(placeholders(en.get(key)), placeholders(zh.get(key)), key + ": the same {n} in both languages");
        }
    }

    @Test
    void theChineseCaptionsAreChinese() {
        Map<String, String> zh = StudioCaptions.load("zh");
        long chinese = zh.values().stream().filter(v -> v.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)).count();
        // The few that are not: a state-free time line ("t = {0} 秒" has one) and proper names.
        assertTrue(chinese >= zh.size() - 2, chinese + " of " + zh.size() + " captions are Chinese");
        assertEquals("发送", zh.get("next.pass"));
        assertEquals("Send it", StudioCaptions.load("en").get("next.pass"));
    }

    @Test
    void everyLanguageTheLabCommandsTakeHasTheStudiosCaptions() {
        Map<String, String> en = StudioCaptions.load("en");
        for (LabLanguage language : LabLanguage.values()) {
            assertEquals(en.keySet(), StudioCaptions.load(language.code()).keySet(), language.code());
        }
    }

    private static Set<String> placeholders(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = Pattern.compile("\\{\\d}").matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = StudioServer.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
