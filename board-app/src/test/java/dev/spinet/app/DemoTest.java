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
