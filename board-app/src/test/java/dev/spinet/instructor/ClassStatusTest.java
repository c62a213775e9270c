package dev.spinet.instructor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.classroom.Roster;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The class page's poller, page and server with canned board answers: it asks the roster's
 * addresses and nothing else, shows what each board said, and shows the boards that did not answer.
 */
class ClassStatusTest {

    static final String ROSTER = """
            board,match,ip,lab,peer
            bench-01,02:53:4e:00:00:01,10.88.0.11/24,handshake,
            bench-02,02:53:4e:00:00:02,10.88.0.12/24,syn-sent,10.88.0.1
            bench-03,02:53:4e:00:00:03,10.88.0.13/24,time-wait,
            bench-04,host:pi-4,dhcp,close,
            """;

    /** A status page as a lab board serves it (trimmed to what the poller reads, plus a lure). */
    static String board(String lab, String origin, String connections, String recent) {
        return """
                {"board":{"ip":"10.88.0.11","prefix":24,"gateway":"0.0.0.0","mac":"02:53:4e:00:00:01","hal":"tap","link_up":true,"uptime_ms":61000},
                 "connections":[{"handle":1,"service":"http","local_port":80,"remote":"10.99.99.99","remote_port":1,"state":"ESTABLISHED",
                   "age_ms":1,"bytes_in":0,"bytes_out":0}],
                 "tcp":{"connections_in_use":1,"counters":{"PASSIVE_OPENS":3,"SEGMENTS_RECEIVED":40,"SEGMENTS_SENT":38,"KEEPALIVE_PROBES":0}},
                 "activity":{"board":"bench-01","lab":"%s","lab_origin":"%s","connections":[%s],"transitions":5,"recent_transitions":[%s]}}
                """.formatted(lab, origin, connections, recent);
    }

    private final List<URI> asked = new ArrayList<>();
    private final Map<String, String> answers = new HashMap<>();
    private long now = 1_700_000_000_000L;

    private ClassStatus status() {
        return new ClassStatus(Roster.parse(ROSTER, "class.csv"), uri -> {
            synchronized (asked) {
                asked.add(uri);
            }
            String body = answers.get(uri.getHost());
            if (body == null) {
                throw new ConnectException("Connection refused");
            }
            return body;
        }, () -> now, Duration.ofMillis(500));
    }

    @Test
    void itAsksTheRosterAddressesAndNothingElse() {
        answers.put("10.88.0.11", board("handshake", "image",
                "{\"handle\":65537,\"local_port\":4000,\"remote\":\"10.88.0.1\",\"remote_port\":43210,\"state\":\"ESTABLISHED\",\"age_ms\":3200}",
                "{\"age_ms\":3200,\"handle\":65537,\"from\":\"SYN_RECEIVED\",\"to\":\"ESTABLISHED\",\"cause\":\"RCV_ACK_OF_SYN\"}"));
        ClassStatus status = status();
        status.poll();
        status.poll();
        List<String> hosts = asked.stream().map(u -> u.getScheme() + "://" + u.getAuthority() + u.getPath()).sorted().distinct().toList();
        assertEquals(List.of("http://10.88.0.11/status.json", "http://10.88.0.12/status.json", "http://10.88.0.13/status.json"), hosts,
                "only the roster's static addresses; not 10.99.99.99 that a board's page names, not the DHCP board");
        assertEquals(6, asked.size());
    }

    @Test
    void eachBoardShowsItsLabConnectionsTransitionsAndCountersOrWhyNot() {
        answers.put("10.88.0.11", board("handshake", "image",
                "{\"handle\":65537,\"local_port\":4000,\"remote\":\"10.88.0.1\",\"remote_port\":43210,\"state\":\"ESTABLISHED\",\"age_ms\":3200}",
                "{\"age_ms\":3200,\"handle\":65537,\"from\":\"SYN_RECEIVED\",\"to\":\"ESTABLISHED\",\"cause\":\"RCV_ACK_OF_SYN\"}"));
        answers.put("10.88.0.12", "<html>a printer</html>");
        answers.put("10.88.0.13", board("abort", "instructor", "", ""));
        List<BoardStatus> boards = status().poll();
        assertEquals(List.of(BoardStatus.Reach.UP, BoardStatus.Reach.NOT_SPINET, BoardStatus.Reach.UP, BoardStatus.Reach.NOT_POLLED),
                boards.stream().map(BoardStatus::reach).toList());
        BoardStatus one = boards.getFirst();
        assertEquals("handshake", one.lab());
        assertEquals(List.of(new BoardStatus.Connection(4000, "10.88.0.1", 43210, "ESTABLISHED", 3200)), one.connections());
        assertEquals(Map.of("PASSIVE_OPENS", 3L, "SEGMENTS_RECEIVED", 40L, "SEGMENTS_SENT", 38L), one.counters(), "counters at zero are left out");
        assertTrue(one.linkUp());

        String text = ClassStatusText.render(boards);
        assertTrue(text.contains("bench-01     10.88.0.11      handshake                    link up, 1 connection"), text);
        assertTrue(text.contains(" 4000  10.88.0.1:43210  ESTABLISHED  3 s"), text);
        assertTrue(text.contains("#1 SYN_RECEIVED -> ESTABLISHED (RCV_ACK_OF_SYN)"), text);
        assertTrue(text.contains("bench-02     10.88.0.12      syn-sent                     NOT A SPINET BOARD: not JSON"), text);
        assertTrue(text.contains("bench-03     10.88.0.13      abort (instructor)"), text);
        assertTrue(text.contains("bench-04     dhcp            close                        not polled"), text);

        String page = ClassStatusPage.render(boards, "class.csv", now, 2, ZoneOffset.UTC);
        assertTrue(page.contains("<meta http-equiv=\"refresh\" content=\"2\">") && page.contains("4 boards, 2 answering"), page);
        assertTrue(page.contains("abort</span> (instructor, roster: time-wait)"), page);
        assertTrue(page.contains("<span class=\"s ESTABLISHED\">ESTABLISHED</span>"), page);
    }

    @Test
    void aBoardThatStopsAnsweringIsShownUnreachableWithWhenItLastAnswered() {
        answers.put("10.88.0.11", board("handshake", "image", "", ""));
        ClassStatus status = status();
        status.poll();
        answers.remove("10.88.0.11");
        now += 12_000;
        BoardStatus gone = status.poll().getFirst();
        assertEquals(BoardStatus.Reach.UNREACHABLE, gone.reach());
        assertEquals("Connection refused", gone.problem());
        assertEquals("handshake", gone.lab(), "what it ran is still shown");
        String page = ClassStatusPage.render(status.latest(), "class.csv", now, 2, ZoneOffset.UTC);
        assertTrue(page.contains("unreachable: Connection refused (last answer 12&nbsp;s ago)"), page);
        assertEquals(gone, status.latest().getFirst());
    }

    @Test
    void whatABoardSaysIsEscapedOnThePage() {
        answers.put("10.88.0.11", board("<script>alert(1)</script>", "image",
                "{\"handle\":1,\"local_port\":4000,\"remote\":\"<b>x</b>\",\"remote_port\":1,\"state\":\"<i>\",\"age_ms\":1}", ""));
        String page = ClassStatusPage.render(status().poll(), "class.csv", now, 2, ZoneOffset.UTC);
        assertFalse(page.contains("<script>") || page.contains("<b>x") || page.contains("<i>"), page);
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), page);
    }

    @Test
    void theServerShowsTheLastPollAndMakesNoneItself() throws Exception {
        answers.put("10.88.0.11", board("handshake", "image", "", ""));
        ClassStatus status = status();
        status.poll();
        int polls = asked.size();
        try (ClassStatusServer server = ClassStatusServer.start(new InetSocketAddress("127.0.0.1", 0), status, "class.csv", 2, () -> now)) {
            HttpClient client = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
            String base = "http://127.0.0.1:" + server.address().getPort();
            HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("bench-01") && page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            HttpResponse<String> text = client.send(HttpRequest.newBuilder(URI.create(base + "/class.txt")).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(text.body().contains("bench-01") && text.body().contains("UNREACHABLE"), text.body());
            HttpResponse<String> other = client.send(HttpRequest.newBuilder(URI.create(base + "/status.json?board=10.0.0.1")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode());
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "/")).POST(HttpRequest.BodyPublishers.ofString("x"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
        }
        assertEquals(polls, asked.size(), "visitors of the page do not make it ask the boards");
    }

    @Test
    void theHttpFetcherRefusesAnAnswerTooLongToBeAStatusPage() throws Exception {
        com.sun.net.httpserver.HttpServer fake = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1);
        fake.createContext("/", exchange -> {
            byte[] chunk = new byte[64 * 1024];
            exchange.sendResponseHeaders(200, 0);
            try (var out = exchange.getResponseBody()) {
                for (int i = 0; i < 8; i++) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                // The client hung up after its limit: that is the point.
            }
        });
        fake.start();
        try {
            IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                    () -> ClassStatus.http(Duration.ofSeconds(5)).get(URI.create("http://127.0.0.1:" + fake.getAddress().getPort() + "/status.json")));
            assertTrue(e.getMessage().contains("longer than"), e.getMessage());
        } finally {
            fake.stop(0);
        }
    }
}
