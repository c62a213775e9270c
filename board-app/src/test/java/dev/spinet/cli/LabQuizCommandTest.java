package dev.spinet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code spinet lab quiz} driven by piped answers, and the instructor's page with the computed answers. */
class LabQuizCommandTest {

    /** The quiz command reading {@code answers} as its standard input. */
    private static SpinetRun quiz(String answers, String... args) {
        return SpinetRun.of(new CommandLine(new LabQuizCommand(new ByteArrayInputStream(answers.getBytes(StandardCharsets.UTF_8)))), args);
    }

    /*
     * The handshake quiz: B's state when the SYN arrives (SYN_RECEIVED, RFC 9293 figure 5), A's edge on
     * the SYN+ACK (SYN_SENT->ESTABLISHED), the SYN+ACK's relative ack (ISN + 1: the SYN occupies one
     * sequence number, RFC 9293 3.4), and B's transitions (its listener opens and closes, its
     * connection goes LISTEN->SYN_RECEIVED->ESTABLISHED: 4).
     */

    @Test
    void scriptedAnswersAllRightScoreFull() {
        SpinetRun run = quiz("syn-rcvd\nSYN_SENT -> ESTAB\n1\n4\n", "handshake");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().endsWith("score: 4/4\n"), run.out());
        assertEquals(4, count(run.out(), "right."), run.out());
    }

    @Test
    void wrongAnswersAreToldTheRunsAnswerAndCostTheirPoint() {
        SpinetRun run = quiz("ESTABLISHED\nLISTEN->SYN_RECEIVED\n1\n3\n", "handshake");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("wrong; the run says SYN_RECEIVED"), run.out());
        assertTrue(run.out().contains("wrong; the run says SYN_SENT->ESTABLISHED"), run.out());
        assertTrue(run.out().contains("wrong; the run says 4"), run.out());
        assertTrue(run.out().endsWith("score: 1/4\n"), run.out());
    }

    @Test
    void endOfInputCountsTheRestAsUnanswered() {
        SpinetRun run = quiz("SYN_RECEIVED\n", "handshake");
        assertTrue(run.out().contains("no answer; the answer is 1"), run.out());
        assertTrue(run.out().endsWith("score: 1/4\n"), run.out());
    }

    @Test
    void inChineseTheSameQuestionsScoreTheSame() {
        SpinetRun run = quiz("SYN_RECEIVED\nSYN_SENT->ESTABLISHED\n2\n4\n", "handshake", "--lang", "zh");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("A 的 SYN 到达时，B 进入哪个状态？"), run.out());
        assertTrue(run.out().contains("不对；运行结果是 1"), run.out());
        assertTrue(run.out().endsWith("得分：3/4\n"), run.out());
    }

    @Test
    void aLongerQuizWithSequenceNumbersAndCounts() {
        // close: A in FIN_WAIT_2 after its FIN is acknowledged; B ESTABLISHED->CLOSE_WAIT on the FIN;
        // the FIN's relative seq is 1 (SYN) + 7 bytes = 8; FIN+ACK in FIN_WAIT_1 -> TIME_WAIT; two
        // connections, so two 2*MSL expiries. Two answers deliberately wrong (the FIN's seq off by one, 1 expiry).
        SpinetRun run = quiz("FIN-WAIT-2\nESTABLISHED->CLOSE_WAIT\n7\nFIN_WAIT_1->TIME_WAIT\n1\n", "close");
        assertTrue(run.out().contains("wrong; the run says 8"), run.out());
        assertTrue(run.out().contains("wrong; the run says 2"), run.out());
        assertTrue(run.out().endsWith("score: 3/5\n"), run.out());
    }

    @Test
    void anUnknownLanguageIsAOneLineUsageError() {
        SpinetRun run = quiz("", "handshake", "--lang", "fr");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("--lang fr: say en or zh"), run.err());
    }

    @Test
    void quizIsASubcommandOfLab() {
        CommandLine cli = SpinetMain.commandLine();
        assertTrue(cli.getSubcommands().get("lab").getSubcommands().containsKey("quiz"));
    }

    @Test
    void answersHtmlHasEveryLabsTextAnswersAndComputedQuizAnswers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sheet/answers.html");
        SpinetRun run = SpinetRun.spinet("lab", "answers", "--html", file.toString());
        assertEquals(0, run.status(), run.toString());
        String html = Files.readString(file);
        assertEquals(13, count(html, "<section class=\"lab\""), "every lab");
        assertEquals(13, count(html, "<table class=\"quiz\">"), "every lab's quiz");
        assertTrue(html.contains("<td>What is the acknowledgment number of B&#39;s SYN+ACK")
                || html.contains("<td>What is the acknowledgment number of B's SYN+ACK"), "a quiz question");
        assertTrue(html.contains("A 的 SYN 到达时，B 进入哪个状态？"), "its Chinese wording");
        assertTrue(html.contains("<b>SYN_RECEIVED</b></td><td><code>state B 2</code>"), "its computed answer");
        assertTrue(html.contains("class=\"answer\""), "the text answers too");
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
