package dev.spinet.cli;

import static dev.spinet.cli.SpinetRun.spinet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabCommandTest {

    @Test
    void listNamesEveryLab() {
        SpinetRun run = spinet("lab", "list");
        assertEquals(0, run.status());
        for (String name : new String[] {"handshake", "close", "simultaneous-open", "simultaneous-close", "time-wait", "syn-sent",
                "reset", "retransmission", "flow-control"}) {
            assertTrue(run.out().contains(name + " "), name + " in\n" + run.out());
        }
    }

    @Test
    void showPrintsTheStudentsTextWithoutAnswersOrExpectedTransitions() {
        SpinetRun run = spinet("lab", "show", "simultaneous-close");
        assertEquals(0, run.status());
        assertTrue(run.out().contains("Predict before you run it:\n  1. Which state does each side enter"), run.out());
        assertTrue(run.out().contains("spinet run --lab simultaneous-close"), run.out());
        assertTrue(run.out().contains("Next: spinet lab run simultaneous-close --out simultaneous-close/"), run.out());
        assertFalse(run.out().contains("Answer:"), "the predictions' answers would spoil them:\n" + run.out());
        assertFalse(run.out().contains("FIN_WAIT_1 -> CLOSING (RCV_FIN)"), "nor the expected transitions:\n" + run.out());
        assertTrue(run.out().lines().allMatch(line -> line.length() <= 100), "folded for a terminal:\n" + run.out());
    }

    @Test
    void showWithAnswersIsTheInstructorsCopy() {
        SpinetRun run = spinet("lab", "show", "simultaneous-close", "--answers");
        assertEquals(0, run.status());
        assertTrue(run.out().contains("instructor's copy"), run.out());
        assertTrue(run.out().contains("     Answer: CLOSING: each side is in FIN_WAIT_1"), run.out());
        assertTrue(run.out().contains("FIN_WAIT_1 -> CLOSING (RCV_FIN)"), run.out());
        long answers = run.out().lines().filter(line -> line.strip().startsWith("Answer: ")).count();
        assertEquals(4, answers, "two predictions and two questions:\n" + run.out());
    }

    @Test
    void answersWritesOneSheetForEveryLab(@TempDir Path dir) throws Exception {
        SpinetRun run = spinet("lab", "answers", "--out", dir.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        String sheet = Files.readString(dir.resolve("lab-answers.html"));
        for (String name : dev.spinet.lab.LabCatalogue.standard().names()) {
            assertTrue(sheet.contains("<section class=\"lab\" id=\"" + name + "\">"), name);
        }
        assertTrue(run.out().contains("lab-answers.html (13 labs"), run.out());
    }

    @Test
    void answersForNamedLabsPrintsThemInOrder() {
        SpinetRun run = spinet("lab", "answers", "reset", "handshake");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().indexOf("reset: Resets") < run.out().indexOf("handshake: The three-way handshake"), run.out());
        assertFalse(run.out().contains("time-wait:"), run.out());
    }

    @Test
    void runWritesPcapSvgAndHtmlAndExitsZero(@TempDir Path dir) throws Exception {
        SpinetRun run = spinet("lab", "run", "handshake", "--out", dir.toString(), "--seed", "7");
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.out().contains("RESULT: both sides walked the expected edges"), run.out());
        assertTrue(Files.size(dir.resolve("handshake.pcapng")) > 24);
        assertTrue(Files.readString(dir.resolve("handshake.svg")).startsWith("<?xml"));
        assertTrue(Files.readString(dir.resolve("handshake.html")).contains("<svg"));
    }

    @Test
    void unknownLabIsAUsageErrorListingTheLabs() {
        SpinetRun run = spinet("lab", "run", "no-such-lab");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("handshake"), run.err());
    }
}
