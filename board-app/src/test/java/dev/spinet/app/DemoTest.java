package dev.spinet.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.cli.SpinetMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoTest {

    @Test
    void demoShowsTheArpExchangeThenAnsweredPingsAndExitsZero() {
        StringWriter text = new StringWriter();
        CommandLine cli = SpinetMain.commandLine();
        cli.setOut(new PrintWriter(text, true));
        int status = cli.execute("demo");
        String out = text.toString();
        assertEquals(0, status, out);
        int request = out.indexOf("ARP, Request who-has 10.0.0.2 tell 10.0.0.1");
        int reply = out.indexOf("ARP, Reply 10.0.0.2 is-at 02:00:00:00:00:02");
        int firstEcho = out.indexOf("ICMP echo request");
        assertTrue(request >= 0 && reply > request && firstEcho > reply, "ARP request, reply, then the first echo:\n" + out);
        for (int seq = 1; seq <= 4; seq++) {
            assertTrue(out.contains("icmp_seq=" + seq + " time="), "reply " + seq + ":\n" + out);
        }
        assertTrue(out.contains("4 packets transmitted, 4 received, 0% packet loss"), out);
        // Simulated time: two wire hops of 50 us once ARP is resolved.
        assertTrue(out.contains("icmp_seq=2 time=0.100 ms"), out);

        // The TCP echo session: each board's transitions appear in the order of the diagram.
        assertInOrder(out,
                "B    TCP", "CLOSED -> LISTEN (PASSIVE_OPEN)",
                "A    TCP", "CLOSED -> SYN_SENT (ACTIVE_OPEN)",
                "Flags [S], seq",
                "LISTEN -> SYN_RECEIVED (RCV_SYN)",
                "Flags [S.]",
                "SYN_SENT -> ESTABLISHED (RCV_SYN_ACK)",
                "SYN_RECEIVED -> ESTABLISHED (RCV_ACK_OF_SYN)",
                "A    reads \"hello, spinet\"",
                "A    reads \"goodbye\"",
                "ESTABLISHED -> FIN_WAIT_1 (CLOSE)",
                "Flags [F.]",
                "ESTABLISHED -> CLOSE_WAIT (RCV_FIN)",
                "CLOSE_WAIT -> LAST_ACK (CLOSE)",
                "FIN_WAIT_1 -> TIME_WAIT (RCV_FIN_ACK)",
                "LAST_ACK -> CLOSED (RCV_ACK_OF_FIN)");
        assertTrue(out.contains("echoed 3 of 3 messages; client closed: true (NORMAL); server connections in use: 0"), out);
    }

    private static void assertInOrder(String text, String... parts) {
        int at = 0;
        for (String part : parts) {
            int found = text.indexOf(part, at);
            assertTrue(found >= 0, "expected '" + part + "' after position " + at + " in:\n" + text);
            at = found + part.length();
        }
    }

    @Test
    void pingsOptionIsValidated() {
        StringWriter err = new StringWriter();
        CommandLine cli = SpinetMain.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        assertEquals(2, cli.execute("demo", "--pings", "0"));
        assertTrue(err.toString().contains("--pings must be 1..10000"), err.toString());
    }
}
