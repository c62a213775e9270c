package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The lab text resources parse, belong to a lab, and cite only files that exist; the parser rejects malformed text. */
class LabTextTest {

    private static final String VALID = """
            # a comment
            title: A title
            summary: One
              sentence folded
            \tat two spaces.
            boards: client server

            goal: The goal.
            predict: First?
            predict: Second?
            question: Why?
            board role: Listens.
            """;

    static Stream<String> labNames() {
        return LabCatalogue.standard().names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labNames")
    void everyLabTakesItsWordsFromItsTextResource(String name) {
        LabText text = LabText.load(name);
        Lab lab = LabCatalogue.standard().lab(name);
        assertEquals(text.title(), lab.title());
        assertEquals(text.summary(), lab.summary());
        assertEquals(text.goal(), lab.goal());
        assertEquals(text.predict(), lab.predict());
        assertEquals(text.questions(), lab.questions());
        assertEquals(text.boardRole(), lab.boardRole());
        assertEquals(List.of(text.boardA(), text.boardB()), List.of(lab.boardA(), lab.boardB()));
        assertFalse(lab.predict().isEmpty(), "predictions");
        assertFalse(lab.questions().isEmpty(), "questions");
    }

    @Test
    void everyTextResourceBelongsToALabOfTheCatalogue() throws IOException, URISyntaxException {
        Path dir = Path.of(LabText.class.getResource("text/").toURI());
        List<String> orphans = new ArrayList<>();
        int files = 0;
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.filter(Files::isRegularFile).toList()) {
                files++;
                String name = file.getFileName().toString().replaceFirst("\\.txt$", "");
                if (!LabCatalogue.standard().exists(name)) {
                    orphans.add(file.getFileName().toString());
                }
            }
        }
        assertEquals(List.of(), orphans, "text resources of no lab");
        assertEquals(LabCatalogue.standard().names().size(), files);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labNames")
    void labTextCitesOnlyDocumentsThatExistInTheRepository(String name) {
        Path root = repositoryRoot();
        List<String> words = new ArrayList<>();
        for (LabLanguage language : LabLanguage.values()) {
            LabText text = LabText.load(name, language);
            words.addAll(List.of(text.title(), text.summary(), text.goal(), text.boardRole()));
            words.addAll(text.predict());
            words.addAll(text.questions());
            words.addAll(text.predictAnswers());
            words.addAll(text.questionAnswers());
            words.addAll(text.notes());
        }
        Matcher cited = Pattern.compile("[A-Za-z0-9_./-]+\\.md\\b").matcher(String.join("\n", words));
        while (cited.find()) {
            String document = cited.group();
            assertTrue(Files.isRegularFile(root.resolve(document)), () -> name + " cites " + document + ", which is not in " + root);
        }
    }

    @Test
    void aContinuationLineJoinsItsEntryWithOneSpace() {
        LabText text = LabText.parse("valid", VALID);
        assertEquals("One sentence folded at two spaces.", text.summary());
        assertEquals("A title", text.title());
        assertEquals(List.of("First?", "Second?"), text.predict());
        assertEquals(List.of("Why?"), text.questions());
        assertEquals("client", text.boardA());
        assertEquals("server", text.boardB());
        assertEquals("Listens.", text.boardRole());
    }

    @Test
    void aContinuationBetweenTwoChineseCharactersJoinsWithoutASpace() {
        LabText text = LabText.parse("zh", VALID.replace("summary: One\n  sentence folded\n\tat two spaces.",
                "summary: 两个 SYN 交错\n  而过，进入 SYN_RECEIVED\n  状态。\n  `nc` 也可以，FIN\n  （一个）"));
        assertEquals("两个 SYN 交错而过，进入 SYN_RECEIVED 状态。`nc` 也可以，FIN（一个）", text.summary());
    }

    @Test
    void notesAreOptionalAndRepeatable() {
        assertEquals(List.of(), LabText.parse("valid", VALID).notes());
        LabText text = LabText.parse("notes", VALID + "note: First\n  remark.\nnote: Second.\n");
        assertEquals(List.of("First remark.", "Second."), text.notes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labNames")
    void aLabInChineseKeepsItsScenarioAndTakesItsWordsFromTheChineseText(String name) {
        Lab english = LabCatalogue.standard().lab(name);
        Lab chinese = english.in(LabLanguage.ZH);
        LabText text = LabText.load(name, LabLanguage.ZH);
        assertEquals(LabLanguage.ZH, chinese.language());
        assertEquals(text.title(), chinese.title());
        assertEquals(text.predict(), chinese.predict());
        assertEquals(text.notes(), chinese.notes());
        assertEquals(english.expectedA(), chinese.expectedA());
        assertEquals(english.expectedB(), chinese.expectedB());
        assertEquals(english.script(), chinese.script());
        assertEquals(english, chinese.in(LabLanguage.EN));
    }

    @Test
    void anUnknownKeyIsRejectedWithItsLineNumber() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LabText.parse("x.txt", VALID.replace("goal:", "gaol:")));
        assertEquals("x.txt line 8: 'gaol' is not a key (the keys: title, summary, boards, goal, predict, question, board role, answer, note)",
                e.getMessage());
    }

    @Test
    void aMissingKeyIsRejected() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LabText.parse("x.txt", VALID.replace("question: Why?\n", "")));
        assertEquals("x.txt: no 'question:' entry (give at least one)", e.getMessage());
    }

    @Test
    void aSingleKeyGivenTwiceIsRejected() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LabText.parse("x.txt", VALID + "title: Another\n"));
        assertEquals("x.txt line 13: 'title' given twice", e.getMessage());
    }

    @Test
    void aContinuationAfterABlankLineIsRejected() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LabText.parse("x.txt", VALID.replace("goal: The goal.", "goal: The goal.\n\n  more")));
        assertEquals("x.txt line 10: continues nothing: a continuation line must follow a 'key: value' line", e.getMessage());
    }

    @Test
    void boardsNeedsOneWordForEachBoard() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LabText.parse("x.txt", VALID.replace("boards: client server", "boards: client")));
        assertEquals("x.txt: 'boards' needs two words, what A is and what B is; got 'client'", e.getMessage());
    }

    /** The directory above the module (Surefire runs tests in board-app). */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("docs")))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "the repository root (mvnw and docs/) above " + Path.of("").toAbsolutePath());
        return dir;
    }
}
