package dev.spinet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.Netns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code spinet run --lab handshake} as a student meets it, with the default services (echo,
 * discard, chargen, http) beside the lab role: the board listens on the lab port (4000) and
 * echoes, its --trace shows the handshake edges, and its status page keeps port 80 and draws the
 * edges walked. Runs in a network namespace of its own; skips without root/ip/curl/
 * python3 unless CI=true.
 */
class LabRoleEndToEndTest {

    static final String STUDENT = """
            import socket, sys
            s = socket.create_connection((sys.argv[1], 4000), timeout=10)
            s.sendall(b"hello, board\\n")
            got = b""
            while len(got) < 13:
                chunk = s.recv(100)
                if not chunk:
                    break
                got += chunk
            s.close()
            print("lab-echo-ok" if got == b"hello, board\\n" else "lab-echo-bad %r" % got)
            """;

    @Test
    @Timeout(120)
    void handshakeRoleEchoesOnTheLabPortAndTracesTheEdges() throws Exception {
        try (Netns netns = Netns.create("lab", "curl", "python3");
             SpinetProcess spinet = new SpinetProcess(netns, "run", "--hal", "tap", "--tap", "sp0", "--ip", "10.77.0.2/24",
                     "--lab", "handshake", "--trace")) {
            String ready = spinet.awaitLine("spinet ready", 60_000);
            assertNotNull(ready, () -> "no ready line; stdout:\n" + spinet.stdout() + "\nstderr:\n" + spinet.stderr());
            assertEquals(1, spinet.stdout().split("lab handshake: Listens on port 4000", -1).length - 1,
                    () -> "the board says what it does once:\n" + spinet.stdout());
            netns.execOk(10, "ip", "addr", "add", "10.77.0.1/24", "dev", "sp0");
            netns.execOk(10, "ip", "link", "set", "sp0", "up");

            assertEquals("lab-echo-ok", netns.execOk(30, "python3", "-c", STUDENT, "10.77.0.2").strip());
            String svg = netns.execOk(20, "curl", "-sS", "--max-time", "10", "http://10.77.0.2/diagram.svg");
            assertTrue(svg.contains("<svg") && svg.contains("#1f5fbf"), "the status page draws the walked edges:\n" + svg);

            int status = spinet.interruptAndWait(20);
            assertEquals(0, status, () -> "stdout:\n" + spinet.stdout() + "\nstderr:\n" + spinet.stderr());
            String out = spinet.stdout();
            assertTrue(out.contains("LISTEN -> SYN_RECEIVED (RCV_SYN)") && out.contains("SYN_RECEIVED -> ESTABLISHED (RCV_ACK_OF_SYN)"),
                    "--trace shows the handshake:\n" + out);
        }
    }
}
