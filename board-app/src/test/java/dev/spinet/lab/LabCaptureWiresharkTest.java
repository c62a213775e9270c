package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.Tshark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every lab's capture as Wireshark shows it ({@code tshark -z expert}): plain TCP on every frame
 * (or ARP; no application protocol dissected, so nothing reassembled or called malformed), a comment on
 * exactly the frames the lab dropped, held or replayed, and no expert item but the opening and
 * closing every capture has and those the lab is about, listed here per lab.
 */
class LabCaptureWiresharkTest {

    private static final String RETRANSMISSION = "This frame is a (suspected) retransmission";
    private static final String FAST_RETRANSMISSION = "This frame is a (suspected) fast retransmission";
    private static final String DUPLICATE_ACK = "Duplicate ACK";
    private static final String RESET = "Connection reset (RST)";
    private static final String PORTS_REUSED = "A new tcp session is started with the same ports as an earlier session in this trace";

    /** In every capture: the connections open and close. */
    private static final Set<String> EVERY_LAB = Set.of("Connection establish request (SYN)", "Connection establish acknowledge (SYN+ACK)",
            "Connection finish (FIN)", "This frame initiates the connection closing", "This frame undergoes the connection closing");

    /** What each lab is about, as Wireshark's expert items name it. */
    private static final Map<String, Set<String>> EXPECTED = Map.ofEntries(
            Map.entry("handshake", Set.of()),
            Map.entry("close", Set.of()),
            // The crossing SYNs are answered with SYN,ACKs that repeat each side's ISN (Wireshark calls them
            // retransmissions); in the second part one side aborts.
            Map.entry("simultaneous-open", Set.of(RETRANSMISSION, RESET)),
            Map.entry("simultaneous-close", Set.of()),
            // The 4-tuple reused in TIME_WAIT; the late duplicate FIN (replayed) and TIME_WAIT's ACK of it; RFC 1337's RST.
            Map.entry("time-wait", Set.of(PORTS_REUSED, RETRANSMISSION, DUPLICATE_ACK, RESET)),
            // SYN backoff.
            Map.entry("syn-sent", Set.of(RETRANSMISSION)),
            Map.entry("reset", Set.of(RESET, PORTS_REUSED, RETRANSMISSION)),
            Map.entry("retransmission", Set.of(RETRANSMISSION, FAST_RETRANSMISSION, DUPLICATE_ACK)),
            Map.entry("flow-control", Set.of("TCP Zero Window segment", "TCP Zero Window Probe", "ACK to a TCP Zero Window Probe",
                    "TCP window update", "TCP window specified by the receiver is now completely full")),
            Map.entry("give-up", Set.of(RETRANSMISSION, DUPLICATE_ACK, RESET)),
            Map.entry("keepalive", Set.of("TCP keep-alive segment", "ACK to a TCP keep-alive segment", RETRANSMISSION, DUPLICATE_ACK, RESET)),
            Map.entry("abort", Set.of(RESET, RETRANSMISSION, DUPLICATE_ACK)),
            Map.entry("resources", Set.of(RESET, RETRANSMISSION)));

    private static final Pattern ITEM = Pattern.compile("^\\s+\\d+\\s+(\\S+)\\s+(\\S+)\\s+(.*)$");

    static Stream<String> labNames() {
        return LabCatalogue.standard().names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labNames")
    void wiresharkShowsPlainTcpTheLabsMarksAndOnlyTheExpertItemsTheLabIsAbout(String name, @TempDir Path dir) throws Exception {
        Tshark.requireOrSkip();
        assertTrue(EXPECTED.containsKey(name), "list what Wireshark should flag in the capture of lab " + name);
        LabResult result = LabRun.run(LabCatalogue.standard().lab(name), 1);
        Path capture = dir.resolve(name + ".pcapng");
        Files.write(capture, result.pcapng());
        String output = Tshark.run("-r", capture.toString(), "-T", "fields", "-E", "separator=\u0001", "-e", "frame.number",
                "-e", "_ws.col.Protocol", "-e", "frame.comment", "-e", "_ws.col.Info", "-z", "expert");

        List<String> frames = new ArrayList<>();
        List<String> expert = new ArrayList<>();
        boolean inExpert = false;
        for (String line : output.lines().toList()) {
            if (!inExpert && line.matches("\\d+\u0001.*")) {
                frames.add(line);
            } else {
                inExpert = true;
                expert.add(line);
            }
        }
        assertEquals(result.frames().size(), frames.size(), "one frame in the capture per frame the boards sent");
        for (int i = 0; i < frames.size(); i++) {
            String[] fields = frames.get(i).split("\u0001", -1);
            // ARP: a rebooted board asks for its peer's address again; ICMP: a firewall's reject (syn-sent).
            assertTrue(fields[1].equals("TCP") || fields[1].equals("ARP") || fields[1].equals("ICMP"),
                    () -> "frame " + fields[0] + " is dissected as " + fields[1] + ", not plain TCP");
            assertTrue(!fields[3].contains("reassembled PDU"), () -> "frame " + fields[0] + " is taken for part of an application message: " + fields[3]);
            String comment = result.frames().get(i).comment();
            assertEquals(comment == null ? "" : comment, fields[2], "frame " + fields[0] + "'s comment");
            assertTrue(comment == null || result.frames().get(i).fate() != LabFrame.Fate.DELIVERED, "only frames the lab touched carry a comment");
        }

        Set<String> unexpected = new TreeSet<>();
        Set<String> seen = new TreeSet<>();
        String severity = "";
        for (String line : expert) {
            if (line.matches("^[A-Z][a-z]+ \\(\\d+\\)$")) {
                severity = line.substring(0, line.indexOf(' '));
                continue;
            }
            Matcher item = ITEM.matcher(line);
            if (!item.matches() || item.group(1).equals("Group")) {
                continue;
            }
            if (severity.equals("Comments")) {
                assertTrue(item.group(3).startsWith("LOST:") || item.group(3).startsWith("HELD:") || item.group(3).startsWith("REPLAYED:"),
                        "a comment the lab wrote: " + line);
                continue;
            }
            String summary = item.group(3).replaceAll(" \\(#\\d+\\)$", "").replaceAll(": server port \\d+$", "");
            seen.add(summary);
            if (!EVERY_LAB.contains(summary) && !EXPECTED.get(name).contains(summary)) {
                unexpected.add(severity + " " + item.group(2) + ": " + summary);
            }
        }
        assertTrue(seen.contains("Connection establish request (SYN)"), () -> "tshark's expert output was read: " + expert);
        assertEquals(Set.of(), unexpected, () -> "expert items lab " + name + " is not about:\n" + String.join("\n", expert));
    }
}
