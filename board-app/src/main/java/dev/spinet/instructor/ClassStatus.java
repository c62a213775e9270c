package dev.spinet.instructor;

import dev.spinet.classroom.Roster;
import dev.spinet.classroom.RosterRow;
import dev.spinet.wire.Ipv4Packet;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Polls every board of a roster for its {@code /status.json}, all at once, and keeps the latest
 * {@link BoardStatus} of each. It asks exactly the addresses the roster gives, nothing a board's
 * answer names, and without any proxy: the class page never talks to a machine the instructor did
 * not list.
 */
public final class ClassStatus {

    /** Gets a page's body, or fails with why. */
    @FunctionalInterface
    public interface Fetcher {
        String get(URI uri) throws IOException;
    }

    /** A status page is at most the board's response buffer (96 KiB); anything far larger is not one. */
    static final int BODY_LIMIT = 256 * 1024;

    private final Roster roster;
    private final Fetcher fetcher;
    private final LongSupplier clockMillis;
    private final Duration timeout;
    private final Map<String, BoardStatus> latest = new LinkedHashMap<>();

    /**
     * @param timeout how long one board may take to answer
     */
    public ClassStatus(Roster roster, Fetcher fetcher, LongSupplier clockMillis, Duration timeout) {
        this.roster = roster;
        this.fetcher = fetcher;
        this.clockMillis = clockMillis;
        this.timeout = timeout;
    }

    public Roster roster() {
        return roster;
    }

    /** The board's status page address, from the roster alone; null for a board with a DHCP address. */
    public static URI statusUri(RosterRow row) {
        return row.address() == 0 ? null : URI.create("http://" + Ipv4Packet.formatAddress(row.address()) + "/status.json");
    }

    /** Asks every board once (in parallel) and returns what each said, in roster order. */
    public synchronized List<BoardStatus> poll() {
        long now = clockMillis.getAsLong();
        List<RosterRow> rows = roster.rows();
        List<Future<String>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (RosterRow row : rows) {
                URI uri = statusUri(row);
                answers.add(uri == null ? null : pool.submit(() -> fetcher.get(uri)));
            }
            List<BoardStatus> result = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                RosterRow row = rows.get(i);
                BoardStatus before = latest.get(row.board());
                BoardStatus status = answers.get(i) == null
                        ? BoardStatus.notPolled(row, "address from DHCP: not in the roster, so not asked", now)
                        : read(row, answers.get(i), now, before);
                latest.put(row.board(), status);
                result.add(status);
            }
            return result;
        }
    }

    private BoardStatus read(RosterRow row, Future<String> answer, long now, BoardStatus before) {
        String body;
        try {
            body = answer.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            return BoardStatus.unreachable(row, BoardStatus.Reach.UNREACHABLE, "no answer within " + timeout.toMillis() + " ms", now, before);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
            return BoardStatus.unreachable(row, BoardStatus.Reach.UNREACHABLE, why, now, before);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return BoardStatus.unreachable(row, BoardStatus.Reach.UNREACHABLE, "interrupted", now, before);
        }
        try {
            return BoardStatus.fromJson(row, body, now);
        } catch (IllegalArgumentException e) {
            return BoardStatus.unreachable(row, BoardStatus.Reach.NOT_SPINET, e.getMessage(), now, before);
        }
    }

    /** The last poll's answers, in roster order (empty before the first). */
    public synchronized List<BoardStatus> latest() {
        List<BoardStatus> result = new ArrayList<>();
        for (RosterRow row : roster.rows()) {
            BoardStatus status = latest.get(row.board());
            if (status != null) {
                result.add(status);
            }
        }
        return result;
    }

    /**
     * GET over HTTP/1.1 with {@code timeout} for connecting and for the answer, no proxy (whatever
     * the machine's settings), no redirects, and a body limit.
     */
    public static Fetcher http(Duration timeout) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
        return uri -> {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode() + " from " + uri);
                }
                byte[] body = in.readNBytes(BODY_LIMIT + 1);
                if (body.length > BODY_LIMIT) {
                    throw new IOException("answer longer than " + BODY_LIMIT + " bytes: not a status page");
                }
                return new String(body, StandardCharsets.UTF_8);
            }
        };
    }
}
