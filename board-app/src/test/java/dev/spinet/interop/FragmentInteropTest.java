package dev.spinet.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.Netns;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * IPv4 reassembly and fragmentation against the Linux kernel through a TAP in the test's own
 * namespace ({@code spinet run --hal tap}, board 10.79.7.2, kernel 10.79.7.1): a 4000-byte UDP
 * datagram the kernel fragments (MTU 1500) comes back from Spinet's UDP echo equal, in fragments
 * the kernel reassembles; a 3000-byte ping is answered; two fragments crafted through a raw socket
 * are echoed when they fit together and dropped whole, and counted, when the second overlaps the
 * first with other bytes (RFC 5722). Skips without root, ip, python3, curl, nc or ping unless CI=true.
 */
@Timeout(180)
class FragmentInteropTest {

    private static final String BOARD = "10.79.7.2";
    private static final String KERNEL = "10.79.7.1";

    private static Path script(InteropBoard board) throws Exception {
        Path script = board.workDir.resolve("fragments.py");
        try (InputStream in = FragmentInteropTest.class.getResourceAsStream("fragments.py")) {
            assertNotNull(in, "fragments.py is missing from the test resources");
            Files.copy(in, script);
        }
        return script;
    }

    private static String python(InteropBoard board, Path script, String... args) throws Exception {
        String[] command = new String[2 + args.length];
        command[0] = "python3";
        command[1] = script.toString();
        System.arraycopy(args, 0, command, 2, args.length);
        Netns.Result result = board.netns.exec(30, command);
        assertEquals(0, result.status(), () -> String.join(" ", args) + ": " + result.output() + board.diagnostics());
        return result.output().strip();
    }

    @Test
    void fragmentedDatagramsAreReassembledEchoedInFragmentsAndOverlapsDroppedWhole() throws Exception {
        try (InteropBoard board = InteropBoard.start("dnsfrag", "tap", BOARD, KERNEL)) {
            Path script = script(board);
            assertEquals("fragments-ok", python(board, script, "echo", BOARD, "4000"));
            assertEquals("fragments-ok", python(board, script, "echo", BOARD, "8000"));
            String ping = board.netns.execOk(20, "ping", "-n", "-c", "2", "-i", "0.2", "-W", "2", "-M", "dont", "-s", "3000", BOARD);
            assertTrue(ping.contains("2 received"), ping);

            assertEquals("echo equal", python(board, script, "crafted", BOARD, KERNEL, "clean"));
            assertEquals("no echo", python(board, script, "crafted", BOARD, KERNEL, "overlap"));

            Map<String, String> status = board.status();
            assertEquals(1, InteropBoard.number(status, "interface.counters.IP_REASM_DROP_OVERLAP"), () -> InteropBoard.summary(status));
            assertEquals(1, InteropBoard.number(status, "interface.counters.IP_REASM_ABANDONED"), () -> InteropBoard.summary(status));
            // 4000 and 8000 bytes, two pings, the clean pair; retransmissions by the script would add more.
            assertTrue(InteropBoard.number(status, "interface.counters.IP_REASM_COMPLETED") >= 5, () -> InteropBoard.summary(status));
            assertTrue(InteropBoard.number(status, "interface.counters.IP_TX_FRAGMENTED_DATAGRAMS") >= 4, () -> InteropBoard.summary(status));
            assertEquals(0, InteropBoard.number(status, "interface.counters.INTERNAL_ERRORS"));
        }
    }
}
