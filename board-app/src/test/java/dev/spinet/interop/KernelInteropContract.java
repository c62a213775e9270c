package dev.spinet.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.w3c.dom.Document;

/**
 * Spinet against the Linux kernel's TCP with real clients: one
 * {@code spinet run} per subclass (one HAL), in a network namespace of its own, served to curl,
 * nc, ping and the Python kernel-socket client from the kernel's side of the TAP. Every client
 * runs with a timeout, every loop is bounded; the board must exit 0 on SIGINT at the end.
 * Skips without root, {@code ip}, python3, curl, nc or ping, unless CI=true (then fails).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class KernelInteropContract {

    InteropBoard board;

    /** The {@code --hal} value. */
    abstract String hal();

    /** Namespace purpose (unique per subclass) and the third octet of its 10.79.N.0/24 subnet. */
    abstract String purpose();

    abstract int subnet();

    /** Bytes for the upload to discard and the download from chargen. */
    abstract int bulkBytes();

    /** Bytes for the byte-exact echo checks. */
    abstract int echoBytes();

    /** Sequential short connections. */
    abstract int shortConnections();

    /**
     * Whether the board's device takes and gives large segments (a TAP with offloads, the
     * default of {@code --hal tap} on a kernel with {@code IFF_VNET_HDR}); then the transfers
     * above must have gone through them. False: no frame may have been a large segment.
     */
    boolean expectOffload() {
        return false;
    }

    /**
     * Whether the device writes frames on a transmit thread and hands it the pure ACKs of a bulk
     * receive (a TAP without offloads: TapDevice's {@code TX_QUEUED_ACKS}); then the upload must
     * have sent some of its ACKs that way.
     */
    boolean expectQueuedAcks() {
        return false;
    }

    /**
     * Whether the device's transmit thread hands the kernel several frames per system call
     * (io_uring, TapDevice's {@code TX_BATCHES}); then the download's frames must have left
     * that way, more of them than calls.
     */
    boolean expectBatchedWrites() {
        return false;
    }

    /** Further {@code spinet run} options for this HAL (none by default). */
    String[] extraRunArgs() {
        return new String[0];
    }

    @BeforeAll
    void startBoard() throws Exception {
        board = InteropBoard.start(purpose(), hal(), "10.79." + subnet() + ".2", "10.79." + subnet() + ".1", extraRunArgs());
    }

    @AfterAll
    void stopBoard() throws Exception {
        if (board == null) {
            return;
        }
        String diagnostics = board.diagnostics();
        board.close();
        assertEquals(0, board.exitStatus(), () -> hal() + ": exit status after SIGINT" + diagnostics);
    }

    @Test
    @Order(1)
    @Timeout(60)
    void pingIsAnswered() throws Exception {
        String small = board.netns.execOk(20, "ping", "-n", "-c", "20", "-i", "0.05", "-W", "2", board.boardIp);
        assertTrue(small.contains("20 received"), small);
        String large = board.netns.execOk(20, "ping", "-n", "-c", "3", "-i", "0.1", "-W", "2", "-s", "1400", board.boardIp);
        assertTrue(large.contains("3 received"), large);
    }

    @Test
    @Order(2)
    @Timeout(60)
    void curlFetchesStatusPageJsonAndDiagram() throws Exception {
        String page = board.curl("/");
        assertTrue(page.contains("<h1>spinet " + board.boardIp + "/24</h1>"), page);
        assertTrue(page.contains("<td>http:80</td>"), () -> "the page lists the connection fetching it: " + page);

        Map<String, String> status = board.status();
        assertEquals("\"" + board.boardIp + "\"", status.get("board.ip"));
        assertEquals("24", status.get("board.prefix"));
        assertEquals("\"" + hal() + "\"", status.get("board.hal"));
        assertEquals("true", status.get("board.link_up"));
        assertTrue(InteropBoard.number(status, "connections.length") >= 1, "the request fetching status.json is listed");
        assertEquals("\"ESTABLISHED\"", status.get("connections[0].state"), () -> InteropBoard.summary(status));
        assertTrue(InteropBoard.number(status, "tcp.connection_capacity") >= 1);

        String svg = board.curl("/diagram.svg");
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", document.getDocumentElement().getLocalName() != null
                ? document.getDocumentElement().getLocalName() : document.getDocumentElement().getTagName());
        assertTrue(svg.contains(">LISTEN<") && svg.contains(">CLOSE_WAIT<"), "the diagram names the states (RFC 9293 figure 5 labels)");
    }

    @Test
    @Order(3)
    @Timeout(60)
    void echoIsByteExactWithNetcat() throws Exception {
        byte[] data = new byte[Math.min(echoBytes(), 65_536)];
        new Random(7).nextBytes(data);
        Path in = board.workDir.resolve("nc-in.bin");
        Path out = board.workDir.resolve("nc-out.bin");
        Files.write(in, data);
        // -N: shut the socket down for writing at EOF on stdin; nc then reads until the board's FIN.
        board.netns.execOk(40, "sh", "-c", "timeout 30 nc -N -w 10 " + board.boardIp + " 7 < " + in + " > " + out);
        assertArrayEquals(data, Files.readAllBytes(out), hal() + ": nc echo differs");
    }

    @Test
    @Order(4)
    @Timeout(90)
    void echoIsByteExactWithPythonClient() throws Exception {
        String result = board.python(80, "echo", board.boardIp, Integer.toString(echoBytes()), "4242");
        assertTrue(result.contains("bytes=" + echoBytes()), result);
    }

    @Test
    @Order(5)
    @Timeout(120)
    void uploadToDiscardIsCountedExactly() throws Exception {
        Map<String, String> start = board.status();
        long before = serviceCounter(start, "discard", "bytes_in");
        long queuedAcksBefore = deviceCounter(start, "TX_QUEUED_ACKS");
        String result = board.python(110, "upload", board.boardIp, Integer.toString(bulkBytes()));
        assertTrue(result.contains("bytes=" + bulkBytes()), result);
        Map<String, String> end = board.status();
        long after = serviceCounter(end, "discard", "bytes_in");
        assertEquals(bulkBytes(), after - before, hal() + ": discard counted every byte of the upload once");
        if (expectQueuedAcks()) {
            assertTrue(deviceCounter(end, "TX_QUEUED_ACKS") > queuedAcksBefore,
                    () -> hal() + ": the upload's ACKs went through the transmit thread: " + InteropBoard.summary(end));
        }
    }

    @Test
    @Order(6)
    @Timeout(120)
    void downloadFromChargenFollowsRfc864() throws Exception {
        Map<String, String> start = board.status();
        String result = board.python(110, "download", board.boardIp, Integer.toString(bulkBytes()));
        assertTrue(result.contains("bytes=" + bulkBytes()), result);
        if (expectBatchedWrites()) {
            Map<String, String> end = board.status();
            long frames = deviceCounter(end, "TX_FRAMES") - deviceCounter(start, "TX_FRAMES");
            long calls = deviceCounter(end, "TX_BATCHES") - deviceCounter(start, "TX_BATCHES");
            assertTrue(calls > 0 && frames > calls,
                    () -> hal() + ": the download's frames left several per io_uring_enter (" + frames + " frames, " + calls
                            + " calls): " + InteropBoard.summary(end));
        }
    }

    @Test
    @Order(7)
    @Timeout(120)
    void manyShortConnectionsInARowLeakNothing() throws Exception {
        Map<String, String> before = board.status();
        long inUseBefore = InteropBoard.number(before, "tcp.connections_in_use");
        long acceptedBefore = serviceCounter(before, "echo", "accepted");
        board.python(100, "churn", board.boardIp, Integer.toString(shortConnections()));
        // HTTP/1.0: the board closes first, so these end in its TIME-WAIT table, not in TCBs.
        board.python(100, "http-churn", board.boardIp, Integer.toString(Math.max(10, shortConnections() / 4)));
        Map<String, String> status = awaitConnectionsInUseBackTo(inUseBefore,
                "TCBs in use before and after the churn (the status request itself counts)");
        assertEquals(shortConnections(), serviceCounter(status, "echo", "accepted") - acceptedBefore);
    }

    @Test
    @Order(8)
    @Timeout(120)
    void clientResetMidDownloadIsCountedAndFreed() throws Exception {
        Map<String, String> before = board.status();
        long inUseBefore = InteropBoard.number(before, "tcp.connections_in_use");
        board.python(60, "reset", board.boardIp, Integer.toString(Math.min(bulkBytes(), 1_000_000)));
        Map<String, String> after = awaitConnectionsInUseBackTo(inUseBefore, "the reset connection's TCB is freed");
        assertTrue(InteropBoard.number(after, "tcp.counters.RST_ACCEPTED") > InteropBoard.number(before, "tcp.counters.RST_ACCEPTED"),
                () -> hal() + ": the RST is counted: " + InteropBoard.summary(after));
        assertEquals(InteropBoard.number(before, "closed.RESET") + 1, InteropBoard.number(after, "closed.RESET"),
                () -> hal() + ": the chargen connection closed with reason RESET: " + InteropBoard.summary(after));
        // And it keeps serving.
        board.python(60, "download", board.boardIp, Integer.toString(Math.min(bulkBytes(), 1_000_000)));
        board.python(60, "echo", board.boardIp, "2000", "99");
    }

    @Test
    @Order(9)
    @Timeout(60)
    void largeSegmentsFlowExactlyWhenOffloadsAreOn() throws Exception {
        Map<String, String> status = board.status();
        long received = deviceCounter(status, "RX_SEGMENTED");
        long sent = deviceCounter(status, "TX_SEGMENTED");
        if (expectOffload()) {
            // The byte-exact transfers above (upload, download, echo) went through 64 KiB segments.
            assertTrue(received > 0, () -> hal() + ": the kernel sent large segments (TSO to the TAP): " + InteropBoard.summary(status));
            assertTrue(sent > 0, () -> hal() + ": the board sent large segments: " + InteropBoard.summary(status));
            assertTrue(InteropBoard.number(status, "tcp.counters.SEGMENTED_SENDS") > 0);
        } else {
            assertEquals(0, received, () -> hal() + ": no large segment without offloads");
            assertEquals(0, sent, () -> hal() + ": no large segment without offloads");
        }
        assertEquals(0, deviceCounter(status, "RX_BAD_VNET_HEADER"));
        assertEquals(0, InteropBoard.number(status, "tcp.counters.DROP_BAD_CHECKSUM"), () -> InteropBoard.summary(status));
    }

    /** A device counter from status.json, 0 if this device has no such counter. */
    private static long deviceCounter(Map<String, String> status, String name) {
        String value = status.get("device.counters." + name);
        return value == null ? 0 : Long.parseLong(value);
    }

    /**
     * Waits up to 5 s for the board's TCBs in use to fall back to {@code inUseBefore}, and fails
     * with {@code what} and the board's status otherwise. Returns that status.
     */
    private Map<String, String> awaitConnectionsInUseBackTo(long inUseBefore, String what) throws Exception {
        Map<String, String> status = board.awaitConnectionsInUseAtMost(inUseBefore, 5_000);
        assertEquals(inUseBefore, InteropBoard.number(status, "tcp.connections_in_use"),
                () -> hal() + ": " + what + ": " + InteropBoard.summary(status));
        return status;
    }

    /** {@code services[i].KEY} for the service named {@code name}. */
    static long serviceCounter(Map<String, String> status, String name, String key) {
        long count = InteropBoard.number(status, "services.length");
        for (int i = 0; i < count; i++) {
            if (("\"" + name + "\"").equals(status.get("services[" + i + "].name"))) {
                return InteropBoard.number(status, "services[" + i + "]." + key);
            }
        }
        throw new AssertionError("status.json lists no service " + name + ": " + InteropBoard.summary(status));
    }
}
