package dev.spinet.cli;

import static dev.spinet.cli.SpinetRun.spinet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --lang en|zh} on the lab commands, the locale default, and Chinese folded for a terminal. */
class LabCommandLanguageTest {

    @Test
    void showInChineseHasTheChineseTextTheNoteAndFitsA100ColumnTerminal() {
        SpinetRun run = spinet("lab", "show", "simultaneous-open", "--lang", "zh");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("simultaneous-open: 同时打开：两个 SYN 交错而过\n"), run.out());
        assertTrue(run.out().contains("运行之前，先预测：\n  1. 同时打开一共需要多少个报文段？"), run.out());
        assertTrue(run.out().contains("注意：\n  1. 有些教程说"), "the note is shown:\n" + run.out());
        assertTrue(run.out().contains("下一步：spinet lab run simultaneous-open --lang zh --out simultaneous-open/"), run.out());
        assertFalse(run.out().contains("答案："), "no answers in the student's copy:\n" + run.out());
        for (String line : run.out().lines().toList()) {
            assertTrue(ConsoleFold.columns(line) <= LabCommand.WIDTH, () -> ConsoleFold.columns(line) + " columns: " + line);
            assertFalse(line.strip().startsWith("，") || line.strip().startsWith("。"), () -> "a line starts with punctuation: " + line);
        }
    }

    @Test
    void theInstructorsCopyInChineseHasEveryAnswer() {
        SpinetRun run = spinet("lab", "show", "simultaneous-close", "--answers", "--lang", "zh");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("（教师版，附答案）"), run.out());
        assertEquals(4, run.out().lines().filter(line -> line.strip().startsWith("答案：")).count(), run.out());
        assertTrue(run.out().contains("FIN_WAIT_1 -> CLOSING (RCV_FIN)"), "the expected transitions keep the RFC names:\n" + run.out());
    }

    @Test
    void theEnglishShowHasTheNoteToo() {
        SpinetRun run = spinet("lab", "show", "simultaneous-open", "--lang", "en");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("Note:\n  1. Some tutorials say"), run.out());
        assertTrue(run.out().replace("\n     ", " ").contains("RFC 9293 section 3.5 (figure 7; figure 8 in RFC 793)"), run.out());
    }

    @Test
    void listInChineseAndTheLocaleDefault() {
        assertTrue(spinet("lab", "list", "--lang", "zh").out().contains("handshake          三次握手\n"));
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.SIMPLIFIED_CHINESE);
            assertTrue(spinet("lab", "list").out().contains("handshake          三次握手\n"), "zh locale: Chinese by default");
            assertTrue(spinet("lab", "list", "--lang", "en").out().contains("handshake          The three-way handshake\n"));
            Locale.setDefault(Locale.GERMANY);
            assertTrue(spinet("lab", "list").out().contains("handshake          The three-way handshake\n"), "any other locale: English");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void runInChineseWritesAChineseReportAndTimeline(@TempDir Path dir) throws Exception {
        SpinetRun run = spinet("lab", "run", "handshake", "--lang", "zh", "--out", dir.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("实验 handshake：三次握手（种子 1）\n"), run.out());
        assertTrue(run.out().contains("结果：双方都走过了状态图中预期的边。"), run.out());
        assertTrue(run.out().contains("已写入 "), run.out());
        String html = Files.readString(dir.resolve("handshake.html"));
        assertTrue(html.contains("<html lang=\"zh-Hans\">"), "the page says its language, so browsers choose a Chinese font");
        assertTrue(html.contains("<h2>运行之前，先预测</h2>"), "the headings are Chinese");
        assertTrue(html.contains("TCP 状态图（RFC 9293 图 5）"), "so is the diagram's title");
        assertTrue(html.contains("LISTEN &#8594; SYN_RECEIVED"), "the state names stay as the RFC writes them");
        assertTrue(Files.readString(dir.resolve("handshake.svg")).contains("A：客户端（实线）"), "the legend of the diagram file");
    }

    @Test
    void anUnknownLanguageIsOneLineSayingWhatToGive() {
        SpinetRun run = spinet("lab", "show", "handshake", "--lang", "fr");
        assertEquals(2, run.status());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains("--lang fr: no lab language 'fr'; give en (English) or zh (Simplified Chinese)"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void chineseFoldsBetweenCharactersButNotBeforeClosingPunctuation() {
        String text = "一".repeat(45) + "，二三 SYN_RECEIVED 四五";
        List<String> lines = ConsoleFold.fold(text, 90, "", "");
        assertEquals(List.of("一".repeat(44), "一，二三 SYN_RECEIVED 四五"), lines, "the comma stays with the character before it");
        assertEquals(List.of("一二", "（三）"), ConsoleFold.fold("一二（三）", 5, "", ""), "an opening mark goes with what follows");
        assertEquals(List.of("a b", "c"), ConsoleFold.fold("a b c", 3, "", ""));
        assertEquals(List.of("  1. word", "     more"), ConsoleFold.fold("word more", 10, "  1. ", "     "));
    }
}
