package dev.spinet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code spinet lab studio}'s mistakes: each one line saying what to do, before anything is served. */
class LabStudioCommandTest {

    private record Run(int status, String out, String err) {
    }

    private static Run spinet(String... args) {
        CommandLine cli = SpinetMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static void assertOneLine(Run run) {
        assertEquals(1, run.err.strip().lines().count(), run.err);
        assertFalse(run.err.contains("Exception") || run.err.contains("\tat "), run.err);
    }

    @Test
    void anUnknownLanguageNamesTheTwoThereAre() {
        Run run = spinet("lab", "studio", "--lang", "fr", "--port", "0");
        assertEquals(2, run.status, run.err);
        assertOneLine(run);
        assertTrue(run.err.contains("--lang fr: the studio speaks en and zh"), run.err);
    }

    @Test
    void anUnknownLabSuggestsTheClosestName() {
        Run run = spinet("lab", "studio", "--lab", "handshak", "--port", "0");
        assertEquals(2, run.status, run.err);
        assertOneLine(run);
        assertTrue(run.err.contains("did you mean handshake"), run.err);
    }

    @Test
    void aTakenPortSaysToPickAnother() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = spinet("lab", "studio", "--port", String.valueOf(taken.getLocalPort()));
            assertEquals(1, run.status, run.err);
            assertOneLine(run);
            assertTrue(run.err.contains("is taken; give another port (or --port 0)"), run.err);
        }
    }

    @Test
    void helpSaysWhatTheStudioDoes() {
        Run run = spinet("lab", "studio", "--help");
        assertEquals(0, run.status, run.err);
        assertTrue(run.out.contains("--lang=en|zh") && run.out.contains("--port=N") && run.out.contains("--out=DIR"), run.out);
    }
}
