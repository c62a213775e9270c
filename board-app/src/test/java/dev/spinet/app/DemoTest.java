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
    void pcapOptionCapturesTheWholeDemoAndTsharkDecodesIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("demo.pcap");
        CommandLine cli = SpinetMain.commandLine();
        StringWriter text = new StringWriter();
        cli.setOut(new PrintWriter(text, true));
        assertEquals(0, cli.execute("demo", "--pcap", file.toString()), text.toString());
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        assertEquals(0x4d, bytes[0] & 0xFF, "nanosecond pcap magic, little-endian (4d 3c b2 a1)");
        // 2 ARP + 8 ICMP + the TCP session (handshake, 3 exchanges, close): well over 20 frames.
        int records = 0;
        for (int at = 24; at + 16 <= bytes.length; records++) {
            int captured = (bytes[at + 8] & 0xFF) | (bytes[at + 9] & 0xFF) << 8 | (bytes[at + 10] & 0xFF) << 16;
            at += 16 + captured;
        }
        assertTrue(records >= 20, "frames captured: " + records);
        String tshark = dev.spinet.app.DemoTest.tshark();
        if (tshark == null) {
            org.junit.jupiter.api.Assumptions.assumeFalse("true".equals(System.getenv("CI")), "CI=true needs tshark");
            org.junit.jupiter.api.Assumptions.abort("tshark not installed: the pcap's structure was checked, not its decoding");
        }
        Process p = new ProcessBuilder(tshark, "-r", file.toString(), "-Y", "tcp.flags.syn==1 || icmp || arp", "-T", "fields",
                "-e", "frame.protocols").redirectErrorStream(true).start();
        String decoded = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertTrue(decoded.contains("eth:ethertype:arp") && decoded.contains("icmp") && decoded.contains("tcp"), decoded);
    }

    static String tshark() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(dir, "tshark"))) {
                return java.nio.file.Path.of(dir, "tshark").toString();
            }
        }
        return null;
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
