package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;

/**
 * The instructor's answers ({@code answer:} entries of the lab texts): every prediction and
 * question of every lab has one, every time an answer cites ("at 0.213 s") is the time of
 * something in that lab's timeline, and the answer sheet carries them all.
 */
class LabAnswersTest {

    /** How answers cite a moment of the timeline (rounded to the millisecond). */
    private static final Pattern CITED_TIME = Pattern.compile("\\bat (\\d+\\.\\d{3}) s\\b");

    static Stream<String> labNames() {
        return LabCatalogue.standard().names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labNames")
    void everyPredictionAndQuestionHasAnAnswer(String name) {
        LabText text = LabText.load(name);
        for (int i = 0; i < text.predict().size(); i++) {
            int item = i;
            assertFalse(text.predictAnswers().get(i).isBlank(), () -> name + ": no answer for '" + text.predict().get(item) + "'");
        }
        for (int i = 0; i < text.questions().size(); i++) {
            int item = i;
            assertFalse(text.questionAnswers().get(i).isBlank(), () -> name + ": no answer for '" + text.questions().get(item) + "'");
        }
        assertTrue(text.fullyAnswered());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labNames")
    void everyTimeAnAnswerCitesHappensInTheLabsTimeline(String name) {
        LabText text = LabText.load(name);
        LabResult result = LabRun.run(LabCatalogue.standard().lab(name), 1);
        assertTrue(result.passed(), () -> name + " runs as expected: " + result.mismatches());
        List<String> answers = new ArrayList<>(text.predictAnswers());
        answers.addAll(text.questionAnswers());
        answers.addAll(text.notes());
        List<String> unmatched = new ArrayList<>();
        int cited = 0;
        for (String answer : answers) {
            Matcher time = CITED_TIME.matcher(answer);
            while (time.find()) {
                cited++;
                double seconds = Double.parseDouble(time.group(1));
                boolean happens = result.timeline().stream().anyMatch(entry -> Math.abs(entry.seconds() - seconds) <= 0.0005 + 1e-9);
                if (!happens) {
                    unmatched.add(time.group() + " in: " + answer);
                }
            }
        }
        assertEquals(List.of(), unmatched, name + ": answers cite times at which nothing happens in the timeline");
        assertTrue(cited > 0, () -> name + ": the answers cite no time of the run at all");
    }

    @Test
    void aCitedTimeOffTheTimelineIsCaught() {
        // The check above must be able to fail: the handshake's timeline has nothing at 0.500 s.
        LabResult result = LabRun.run(LabCatalogue.standard().lab("handshake"), 1);
        assertFalse(result.timeline().stream().anyMatch(entry -> Math.abs(entry.seconds() - 0.5) <= 0.0005));
        assertTrue(result.timeline().stream().anyMatch(entry -> Math.abs(entry.seconds() - 0.003) <= 0.0005));
    }

    private static final String TEXT = """
            title: T
            summary: S
            boards: client server
            goal: G
            predict: First?
            answer: One,
              folded.
            predict: Second?
            question: Why?
            answer: Because.
            board role: Listens.
            """;

    @Test
    void anAnswerBelongsToTheItemRightAboveIt() {
        LabText text = LabText.parse("t.txt", TEXT);
        assertEquals(List.of("One, folded.", ""), text.predictAnswers());
        assertEquals(List.of("Because."), text.questionAnswers());
        assertFalse(text.fullyAnswered(), "the second prediction has none");
    }

    @Test
    void anAnswerAfterAnythingElseIsRejectedWithItsLine() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LabText.parse("t.txt", TEXT.replace("goal: G\n", "goal: G\nanswer: Misplaced.\n")));
        assertEquals("t.txt line 5: an 'answer:' must come right after the 'predict:' or 'question:' it answers", e.getMessage());
        assertThrows(IllegalStateException.class,
                () -> LabText.parse("t.txt", TEXT.replace("answer: Because.\n", "answer: Because.\nanswer: Twice.\n")));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(LabLanguage.class)
    void theAnswerSheetHasEveryLabsAnswersAndIsWellFormed(LabLanguage language) throws Exception {
        List<Lab> labs = LabCatalogue.standard().labs().stream().map(lab -> lab.in(language)).toList();
        String html = LabAnswerSheet.render(labs, "spinet test");
        assertTrue(html.contains("<html lang=\"" + language.htmlLang() + "\">"), "the sheet says its language");
        assertTrue(html.contains("<h1>" + LabMessages.of(language).get("sheet.title") + "</h1>"), "its heading is in that language");
        for (Lab lab : labs) {
            LabText text = LabText.load(lab.name(), language);
            for (String note : text.notes()) {
                assertTrue(html.contains(escape(note)), () -> lab.name() + ": " + note);
            }
            assertTrue(html.contains("id=\"" + lab.name() + "\""), lab.name());
            for (String answer : text.questionAnswers()) {
                assertTrue(html.contains(escape(answer)), () -> lab.name() + ": " + answer);
            }
            for (String answer : text.predictAnswers()) {
                assertTrue(html.contains(escape(answer)), () -> lab.name() + ": " + answer);
            }
        }
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        assertEquals(labs.size(), document.getElementsByTagName("section").getLength());
        assertEquals(labs.size(), document.getElementsByTagName("svg").getLength(), "one diagram of the expected walk per lab");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
