package dev.spinet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LabCommandTest {

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

    @Test
    void listNamesEveryLab() {
        Run run = spinet("lab", "list");
        assertEquals(0, run.status);
        for (String name : new String[] {"handshake", "close", "simultaneous-open", "simultaneous-close", "time-wait", "syn-sent",
                "reset", "retransmission", "flow-control"}) {
            assertTrue(run.out.contains(name + " "), name + " in\n" + run.out);
        }
    }

    @Test
    void showPrintsTextAndExpectedTransitions() {
        Run run = spinet("lab", "show", "simultaneous-close");
        assertEquals(0, run.status);
        assertTrue(run.out.contains("Predict before you run it:"), run.out);
        assertTrue(run.out.contains("FIN_WAIT_1 -> CLOSING (RCV_FIN)"), run.out);
        assertTrue(run.out.contains("spinet run --lab simultaneous-close"), run.out);
    }

    @Test
    void runWritesPcapSvgAndHtmlAndExitsZero(@TempDir Path dir) throws Exception {
        Run run = spinet("lab", "run", "handshake", "--out", dir.toString(), "--seed", "7");
        assertEquals(0, run.status, run.out + run.err);
        assertTrue(run.out.contains("RESULT: both sides walked the expected edges"), run.out);
        assertTrue(Files.size(dir.resolve("handshake.pcapng")) > 24);
        assertTrue(Files.readString(dir.resolve("handshake.svg")).startsWith("<?xml"));
        assertTrue(Files.readString(dir.resolve("handshake.html")).contains("<svg"));
    }

    @Test
    void unknownLabIsAUsageErrorListingTheLabs() {
        Run run = spinet("lab", "run", "no-such-lab");
        assertEquals(2, run.status);
        assertTrue(run.err.contains("handshake"), run.err);
    }
}
