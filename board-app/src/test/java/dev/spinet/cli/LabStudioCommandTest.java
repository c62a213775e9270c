package dev.spinet.cli;

import static dev.spinet.cli.SpinetRun.spinet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code spinet lab studio}'s mistakes: each one line saying what to do, before anything is served. */
class LabStudioCommandTest {

    private static void assertOneLine(SpinetRun run) {
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
    }

    @Test
    void anUnknownLanguageNamesTheTwoThereAreAsTheOtherLabCommandsDo() {
        SpinetRun run = spinet("lab", "studio", "--lang", "fr", "--port", "0");
        assertEquals(2, run.status(), run.err());
        assertOneLine(run);
        assertTrue(run.err().contains("--lang fr: no lab language 'fr'; give en (English) or zh (Simplified Chinese)"), run.err());
        SpinetRun show = spinet("lab", "show", "handshake", "--lang", "fr");
        assertEquals(run.err().replace("spinet lab studio", "spinet lab show"), show.err(), "the same words as lab show");
    }

    @Test
    void anUnknownLabSuggestsTheClosestName() {
        SpinetRun run = spinet("lab", "studio", "--lab", "handshak", "--port", "0");
        assertEquals(2, run.status(), run.err());
        assertOneLine(run);
        assertTrue(run.err().contains("did you mean handshake"), run.err());
    }

    @Test
    void aTakenPortSaysToPickAnother() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SpinetRun run = spinet("lab", "studio", "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(1, run.status(), run.err());
            assertOneLine(run);
            assertTrue(run.err().contains("is taken; give another port (or --port 0)"), run.err());
        }
    }

    @Test
    void helpSaysWhatTheStudioDoes() {
        SpinetRun run = spinet("lab", "studio", "--help");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("--lang=en|zh") && run.out().contains("--port=N") && run.out().contains("--out=DIR"), run.out());
    }
}
