package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every note a lab writes into its timeline has a Chinese counterpart in {@code notes_zh.txt}: run
 * in Chinese, the lab writes as many notes at the same instants as in English, each in Chinese,
 * none left in English, each keeping the English one's numbers and protocol names.
 */
class LabNotesTest {

    private static final Pattern HAN = Pattern.compile("\\p{IsHan}");
    /** A number the note states (a port, a time, an RFC section), not one inside a word such as "4-tuple" (四元组). */
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?(?![\\d-])");
    /** RFC state and cause names (SYN_SENT, TIME_WAIT), segment names, and the other upper-case words kept as they are (RTO, ICMP). */
    private static final Pattern KEPT_NAME = Pattern.compile("(?<![A-Za-z0-9_])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)s?(?![A-Za-z0-9_])");

    static Stream<String> labNames() {
        return LabCatalogue.standard().names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labNames")
    void everyNoteOfTheLabIsInChinese(String name) {
        Lab english = LabCatalogue.standard().lab(name);
        LabResult en = LabRun.run(english, 1);
        LabResult zh = LabRun.run(english.in(LabLanguage.ZH), 1);
        assertNull(en.failure(), name + " in English");
        assertNull(zh.failure(), name + " in Chinese");
        List<TimelineEntry> enNotes = notes(en);
        List<TimelineEntry> zhNotes = notes(zh);
        assertEquals(enNotes.size(), zhNotes.size(), name + ": as many notes in Chinese as in English");
        for (int i = 0; i < enNotes.size(); i++) {
            String e = enNotes.get(i).text();
            String z = zhNotes.get(i).text();
            assertEquals(enNotes.get(i).nanos(), zhNotes.get(i).nanos(), name + ": the note \"" + e + "\" at the same instant");
            assertNotEquals(e, z, name + ": the note \"" + e + "\" has no Chinese in notes_zh.txt");
            assertTrue(HAN.matcher(z).find(), name + ": \"" + z + "\" is not Chinese");
            assertEquals(all(NUMBER, e), all(NUMBER, z), name + ": \"" + z + "\" keeps the numbers of \"" + e + "\"");
            // Which names, not how often: Chinese may repeat a name where English says "it" or "the SYNs".
            assertEquals(new TreeSet<>(all(KEPT_NAME, e)), new TreeSet<>(all(KEPT_NAME, z)),
                    name + ": \"" + z + "\" keeps the names of \"" + e + "\"");
        }
    }

    @Test
    void everyLabWritesNotes() {
        int count = 0;
        for (String name : LabCatalogue.standard().names()) {
            count += notes(LabRun.run(LabCatalogue.standard().lab(name).in(LabLanguage.ZH), 1)).size();
        }
        assertTrue(count >= 45, "the labs write " + count + " notes; the test above would check nothing if they wrote none");
    }

    @Test
    void everyTranslationIsOfANoteSomeLabWrites() {
        List<String> written = new ArrayList<>();
        for (String name : LabCatalogue.standard().names()) {
            notes(LabRun.run(LabCatalogue.standard().lab(name), 1)).forEach(e -> written.add(e.text()));
        }
        for (String entry : LabNotes.chineseEntries()) {
            assertTrue(written.stream().anyMatch(note -> LabNotes.isEntry(entry, note)),
                    "notes_zh.txt translates \"" + entry + "\", which no lab writes any more: change or remove it");
        }
    }

    @Test
    void englishNotesAreTheCodesWords() {
        assertEquals("A's RTO is 200 ms", LabNotes.in(LabLanguage.EN, "A's RTO is 200 ms"));
        assertEquals("anything else", LabNotes.in(LabLanguage.EN, "anything else"));
    }

    @Test
    void aNumberInTheEnglishIsFilledIntoTheChinese() {
        assertEquals("A 的 RTO 为 1234 ms", LabNotes.in(LabLanguage.ZH, "A's RTO is 1234 ms"));
        assertEquals("两块板子在同一时刻从固定端口打开连接：A 7 -> B 9，B 9 -> A 7",
                LabNotes.in(LabLanguage.ZH, "both boards open at the same instant from fixed ports: A 7 -> B 9, B 9 -> A 7"));
        // A slot that repeats must repeat the same number, or the note is not the template's.
        String crossed = "both boards open at the same instant from fixed ports: A 7 -> B 9, B 8 -> A 7";
        assertEquals(crossed, LabNotes.in(LabLanguage.ZH, crossed));
    }

    @Test
    void aNoteTheFileLacksStaysEnglish() {
        String failure = "the scenario stopped: B in ESTABLISHED never came";
        assertEquals(failure, LabNotes.in(LabLanguage.ZH, failure));
        assertFalse(HAN.matcher(LabNotes.in(LabLanguage.ZH, failure)).find());
    }

    private static List<TimelineEntry> notes(LabResult result) {
        return result.timeline().stream().filter(e -> e.kind() == TimelineEntry.Kind.NOTE).toList();
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.groupCount() > 0 ? m.group(1) : m.group());
        }
        return found;
    }
}
