package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
 * Every lab's Chinese text ({@code text/zh/NAME.txt}) is the English one's counterpart, entry for
 * entry, so the two cannot drift apart: the same keys in the same order, as many predictions,
 * questions, answers and notes, each translated (Chinese characters in it), each citing the same
 * timeline times, and each naming the same RFC states, causes and segment types, which stay
 * untranslated.
 */
class LabTextTranslationTest {

    /** A time of the timeline as the texts cite it, "0.213 s" (the English writes "at 0.213 s"). */
    private static final Pattern TIME = Pattern.compile("(?<![\\d.])(\\d+\\.\\d{3}) s\\b");
    /** RFC state and cause names (SYN_SENT, RCV_ACK_OF_SYN) and segment names (SYN, ACK, FIN, RST; "SYNs" as SYN). */
    private static final Pattern PROTOCOL_NAME = Pattern.compile("(?<![A-Za-z0-9_])([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|SYN|ACK|FIN|RST)s?(?![A-Za-z0-9_])");

    static Stream<String> labNames() {
        return LabCatalogue.standard().names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labNames")
    void theChineseTextHasTheEnglishKeysInTheEnglishOrder(String name) throws IOException {
        assertEquals(keys(raw(name, LabLanguage.EN)), keys(raw(name, LabLanguage.ZH)),
                name + ": text/zh/" + name + ".txt must have the entries of text/" + name + ".txt, in the same order");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labNames")
    void everyEnglishEntryHasATranslatedCounterpart(String name) {
        List<String> english = entries(LabText.load(name, LabLanguage.EN));
        List<String> chinese = entries(LabText.load(name, LabLanguage.ZH));
        assertEquals(english.size(), chinese.size(), name + ": as many entries in both languages");
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < english.size(); i++) {
            String en = english.get(i);
            String zh = chinese.get(i);
            if (zh.codePoints().noneMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN)) {
                problems.add("not translated: " + zh);
            }
            if (!found(TIME, en).equals(found(TIME, zh))) {
                problems.add("times " + found(TIME, en) + " in English but " + found(TIME, zh) + " in: " + zh);
            }
            if (!new TreeSet<>(found(PROTOCOL_NAME, en)).equals(new TreeSet<>(found(PROTOCOL_NAME, zh)))) {
                problems.add("protocol names " + new TreeSet<>(found(PROTOCOL_NAME, en)) + " in English but "
                        + new TreeSet<>(found(PROTOCOL_NAME, zh)) + " in: " + zh);
            }
        }
        assertEquals(List.of(), problems, name + ": Chinese entries that do not match their English counterpart");
    }

    @Test
    void theChecksCatchAMissingAnswerAChangedTimeAndATranslatedStateName() {
        String english = "title: T\nsummary: S.\nboards: a b\ngoal: G.\npredict: P?\nanswer: At 0.213 s, SYN_SENT.\n"
                + "question: Q?\nanswer: A.\nboard role: R.\n";
        LabText en = LabText.parse("en", english);
        LabText zh = LabText.parse("zh", "title: 题\nsummary: 述。\nboards: 甲 乙\ngoal: 目标。\npredict: 预测？\n"
                + "answer: 在 0.214 s，已发送同步。\nquestion: 问？\nboard role: 板。\n");
        assertEquals(List.of("title", "summary", "boards", "goal", "predict", "answer", "question", "answer", "board role"), keys(english));
        assertTrue(entries(en).size() != entries(zh).size(), "the missing answer changes the count");
        assertEquals(List.of("0.213"), found(TIME, en.predictAnswers().get(0)));
        assertEquals(List.of("0.214"), found(TIME, zh.predictAnswers().get(0)));
        assertEquals(List.of("SYN_SENT"), found(PROTOCOL_NAME, en.predictAnswers().get(0)));
        assertEquals(List.of(), found(PROTOCOL_NAME, zh.predictAnswers().get(0)));
    }

    @Test
    void aLabWithoutItsChineseTextSaysWhichFileIsMissing() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LabText.load("no-such-lab", LabLanguage.ZH));
        assertEquals("lab no-such-lab has no text: resource dev/spinet/lab/text/zh/no-such-lab.txt is missing", e.getMessage());
    }

    /** Every prose entry of a text, in a fixed order (answers and notes included, empty answers kept). */
    private static List<String> entries(LabText text) {
        List<String> all = new ArrayList<>(List.of(text.title(), text.summary(), text.goal(), text.boardRole()));
        all.addAll(text.predict());
        all.addAll(text.predictAnswers());
        all.addAll(text.questions());
        all.addAll(text.questionAnswers());
        all.addAll(text.notes());
        all.removeIf(String::isEmpty);
        return all;
    }

    private static List<String> found(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    /** The keys of a text file's entries, in order (comments and continuation lines skipped). */
    private static List<String> keys(String content) {
        List<String> keys = new ArrayList<>();
        for (String line : content.split("\r?\n")) {
            if (!line.isBlank() && !line.startsWith("#") && !line.startsWith(" ") && !line.startsWith("\t")) {
                keys.add(line.substring(0, line.indexOf(':')));
            }
        }
        return keys;
    }

    private static String raw(String name, LabLanguage language) throws IOException {
        try (InputStream in = LabText.class.getResourceAsStream(LabText.resource(name, language))) {
            assertTrue(in != null, () -> "no " + LabText.resource(name, language));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
