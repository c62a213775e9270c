package dev.spinet.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.instructor.Json;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpState;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The services over two whole stacks on a virtual wire: byte-exact data, counts, HTTP answers. */
class ServicesOverVirtualWireTest {

    private static final long FIVE_SECONDS = 5_000_000_000L;
    private final TwoBoards boards = new TwoBoards();

    private static byte[] randomBytes(int n, long seed) {
        byte[] data = new byte[n];
        new Random(seed).nextBytes(data);
        return data;
    }

    @Test
    void echoReturnsEveryByteInOrderThenClosesAfterTheClient() {
        byte[] data = randomBytes(100_000, 862);
        TestClient c = boards.connect(ServiceKind.ECHO, data.length + 10);
        c.send(data, data.length, true);
        // After our shutdownOutput the server's FIN may take us straight to TIME-WAIT (closed).
        boolean closedByServer = boards.sim.runUntil(() -> c.peerClosed || c.closed, FIVE_SECONDS * 4);
        assertTrue(closedByServer, () -> "echo closed after our FIN; client got " + c.receivedLength + " sent " + c.sent
                + " state " + boards.client.tcp().state(c.handle) + "; server " + boards.server.tcp().counters());
        assertEquals(data.length, c.receivedLength);
        assertArrayEquals(data, Arrays.copyOf(c.received, c.receivedLength));
        if (!c.closed) {
            boards.client.tcp().close(c.handle);
        }
        assertTrue(boards.sim.runUntil(() -> c.closed && boards.server.tcp().connectionsInUse() == 0, FIVE_SECONDS));
        assertEquals(CloseReason.NORMAL, c.reason);
        assertEquals(data.length, boards.services.table().bytesIn(ServiceKind.ECHO));
        assertEquals(data.length, boards.services.table().bytesOut(ServiceKind.ECHO));
    }

    @Test
    void discardCountsEveryByteAndSendsNothing() {
        byte[] data = randomBytes(70_000, 863);
        TestClient c = boards.connect(ServiceKind.DISCARD, 16);
        c.send(data, data.length, true);
        assertTrue(boards.sim.runUntil(() -> c.peerClosed || c.closed, FIVE_SECONDS * 4));
        assertEquals(0, c.receivedTotal, "discard sends nothing");
        assertEquals(data.length, boards.services.table().bytesIn(ServiceKind.DISCARD));
        assertEquals(0, boards.services.table().bytesOut(ServiceKind.DISCARD));
    }

    @Test
    void chargenSendsTheRfc864PatternExactlyUntilTheClientCloses() {
        int wanted = 3 * ChargenPattern.PERIOD + 1234;
        TestClient c = boards.connect(ServiceKind.CHARGEN, wanted);
        assertTrue(boards.sim.runUntil(() -> c.receivedLength >= wanted, FIVE_SECONDS));
        for (int i = 0; i < wanted; i++) {
            if (c.received[i] != ChargenPattern.byteAt(i)) {
                throw new AssertionError("chargen byte " + i + " is " + c.received[i] + ", expected " + ChargenPattern.byteAt(i));
            }
        }
        // Independent check of the pattern against RFC 864's text: the first two lines.
        String firstLines = new String(c.received, 0, 2 * ChargenPattern.LINE_BYTES, StandardCharsets.US_ASCII);
        assertEquals("!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefgh\r\n".substring(0, 0)
                + " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg\r\n"
                + "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefgh\r\n", firstLines);
        boards.client.tcp().close(c.handle);
        assertTrue(boards.sim.runUntil(() -> c.closed && boards.server.tcp().connectionsInUse() == 0, FIVE_SECONDS * 4),
                "chargen stops and closes when the client closes");
    }

    // ---- HTTP ----

    private String http(String request) {
        TestClient c = boards.connect(ServiceKind.HTTP, HttpStatusService.RESPONSE_CAPACITY);
        byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
        c.send(bytes, bytes.length, false);
        assertTrue(boards.sim.runUntil(() -> c.peerClosed, FIVE_SECONDS), "the server closes after one response");
        boards.client.tcp().close(c.handle);
        boards.sim.runUntil(() -> c.closed, FIVE_SECONDS);
        return new String(c.received, 0, c.receivedLength, StandardCharsets.ISO_8859_1);
    }

    private static String body(String response) {
        int split = response.indexOf("\r\n\r\n");
        assertTrue(split > 0, response);
        String head = response.substring(0, split);
        String body = response.substring(split + 4);
        int length = Integer.parseInt(head.replaceAll("(?s).*\r\nContent-Length: (\\d+).*", "$1"));
        assertEquals(length, body.length(), "Content-Length matches the body");
        return body;
    }

    @Test
    void statusPageListsTheConnectionFetchingIt() {
        String response = http("GET / HTTP/1.1\r\nHost: board\r\nUser-Agent: test\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
        assertTrue(response.contains("\r\nConnection: close\r\n"));
        String page = body(response);
        assertTrue(page.contains("<h1>spinet 10.77.0.2/24</h1>"), page);
        assertTrue(page.contains("<td>http:80</td><td>10.77.0.1:"), "the connection itself is listed: " + page);
        assertTrue(page.contains("<td>ESTABLISHED</td>"), page);
    }

    @Test
    void statusJsonParsesAndCarriesTheSameData() {
        http("GET / HTTP/1.1\r\n\r\n"); // one earlier connection, so counters are not all zero
        String response = http("GET /status.json?pretty=no HTTP/1.1\r\nHost: board\r\n\r\n");
        assertTrue(response.contains("Content-Type: application/json"), response);
        Object parsed = Json.parse(body(response));
        Map<?, ?> root = (Map<?, ?>) parsed;
        Map<?, ?> board = (Map<?, ?>) root.get("board");
        assertEquals("10.77.0.2", board.get("ip"));
        assertEquals(24L, board.get("prefix"));
        List<?> connections = (List<?>) root.get("connections");
        assertEquals(1, connections.size(), "only the request's own connection is live: " + connections);
        Map<?, ?> own = (Map<?, ?>) connections.get(0);
        assertEquals("http", own.get("service"));
        assertEquals("ESTABLISHED", own.get("state"));
        assertEquals("10.77.0.1", own.get("remote"));
        List<?> services = (List<?>) root.get("services");
        assertEquals(4, services.size());
        Map<?, ?> http = (Map<?, ?>) services.get(3);
        assertEquals("http", http.get("name"));
        assertEquals(2L, http.get("accepted"));
        Map<?, ?> diagram = (Map<?, ?>) root.get("diagram");
        assertEquals(0L, diagram.get("off_diagram"));
        long walked = 0;
        for (Object edge : (List<?>) diagram.get("edges")) {
            Map<?, ?> e = (Map<?, ?>) edge;
            if (e.get("from").equals("LISTEN") && e.get("to").equals("SYN_RECEIVED")) {
                walked = (Long) e.get("walked");
            }
        }
        assertEquals(2, walked, "two connections came in through LISTEN -> SYN_RECEIVED");
    }

    @Test
    void diagramSvgIsWellFormedXmlWithWalkedEdgesHighlighted() throws Exception {
        http("GET / HTTP/1.1\r\n\r\n");
        String response = http("GET /diagram.svg HTTP/1.1\r\n\r\n");
        assertTrue(response.contains("Content-Type: image/svg+xml"), response);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document svg = factory.newDocumentBuilder().parse(new ByteArrayInputStream(body(response).getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", svg.getDocumentElement().getLocalName());
        String text = body(response);
        // The shared RFC-figure drawing (dev.spinet.lab.StateDiagramSvg): a box for every state,
        // and the edges this board walked (here LISTEN -> SYN_RECEIVED -> ESTABLISHED) drawn in
        // the highlight colour, each badge saying how often ("2x").
        for (TcpState state : TcpState.all()) {
            assertTrue(text.contains("id=\"state-" + state.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')),
                    "a box for " + state + " in:\n" + text);
        }
        assertTrue(text.contains("stroke=\"#1f5fbf\""), "walked edges highlighted");
        assertTrue(text.contains("this board (edges walked since start, numbered in first-walked order)"), "legend");
    }


    @Test
    void headAnswersWithTheHeadOnly() {
        String response = http("HEAD /status.json HTTP/1.1\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"));
        assertTrue(response.endsWith("\r\n\r\n"), "no body after the head");
    }

    @Test
    void unknownPathIs404() {
        assertTrue(http("GET /nothing-here HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404 Not Found\r\n"));
    }

    @Test
    void malformedRequestLineIs400() {
        assertTrue(http("HELLO\r\n\r\n").startsWith("HTTP/1.1 400 Bad Request\r\n"));
        assertTrue(http("GET / SPDY/3\r\n\r\n").startsWith("HTTP/1.1 400 Bad Request\r\n"));
    }

    @Test
    void otherMethodsAre405WithAllow() {
        String response = http("POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 405 Method Not Allowed\r\n"), response);
        assertTrue(response.contains("\r\nAllow: GET, HEAD\r\n"));
    }

    @Test
    void oversizedRequestHeadIs431() {
        String big = "GET / HTTP/1.1\r\nX-Filler: " + "a".repeat(HttpStatusService.REQUEST_LIMIT) + "\r\n\r\n";
        assertTrue(http(big).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
    }

    @Test
    void requestSplitAcrossSegmentsIsAssembled() {
        TestClient c = boards.connect(ServiceKind.HTTP, HttpStatusService.RESPONSE_CAPACITY);
        byte[] first = "GET /status.json HT".getBytes(StandardCharsets.US_ASCII);
        c.send(first, first.length, false);
        boards.sim.runFor(10_000_000L);
        assertEquals(0, c.receivedLength, "no answer before the head is complete");
        byte[] rest = "TP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        c.send(rest, rest.length, false);
        assertTrue(boards.sim.runUntil(() -> c.peerClosed, FIVE_SECONDS));
        assertTrue(new String(c.received, 0, c.receivedLength, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200 OK"));
    }

    @Test
    void gracefulCloseAllFinishesEveryConnection() {
        TestClient echo = boards.connect(ServiceKind.ECHO, 1024);
        TestClient chargen = boards.connect(ServiceKind.CHARGEN, 1024);
        assertEquals(2, boards.services.closeAll());
        // The clients see FIN and close too, as nc and curl do.
        assertTrue(boards.sim.runUntil(() -> echo.peerClosed && chargen.peerClosed, FIVE_SECONDS));
        boards.client.tcp().close(echo.handle);
        boards.client.tcp().close(chargen.handle);
        assertTrue(boards.sim.runUntil(() -> boards.server.tcp().connectionsInUse() == 0, FIVE_SECONDS));
        assertEquals(0, boards.services.abortAll());
        assertEquals(0, boards.server.tcp().listenersInUse(), "listeners closed");
    }
}
