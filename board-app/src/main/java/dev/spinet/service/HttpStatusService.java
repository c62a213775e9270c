package dev.spinet.service;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.lab.StateDiagramSvg;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.StateDiagram;
import dev.spinet.tcp.TcpLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * The status server (HTTP/1.1, TCP port 80): {@code GET /} the HTML status page,
 * {@code GET /status.json} the same data as JSON, {@code GET /diagram.svg} the state diagram
 * with the edges this board walked highlighted. {@code HEAD} works on all three.
 *
 * <h2>Protocol choices</h2>
 * <ul>
 *   <li>One request per connection: every response carries {@code Connection: close} and the
 *       server closes after sending it (RFC 9112 9.6), which keeps the per-connection state to
 *       one request buffer and one response buffer. Clients (curl, browsers) reconnect.</li>
 *   <li>The request head (request line and header fields) must fit in {@link #REQUEST_LIMIT}
 *       bytes: a longer one gets {@code 431 Request Header Fields Too Large} (RFC 6585 5).
 *       A request line that is not {@code METHOD SP target SP HTTP/1.x} gets {@code 400};
 *       methods other than GET and HEAD get {@code 405} with {@code Allow}; unknown paths
 *       {@code 404}. A query string is ignored. Request bodies are not read.</li>
 * </ul>
 *
 * <h2>Memory</h2>
 * Request and response buffers are preallocated per TCB slot. The page itself is produced at
 * request time into one reused StringBuilder (this allocates: it is the status page, not the
 * packet path), then copied as ASCII into the slot's response buffer and sent as the send ring
 * takes it.
 */
public final class HttpStatusService extends TcpService {

    /** Largest request head accepted. */
    public static final int REQUEST_LIMIT = 4096;
    /** Largest response (head and body). */
    public static final int RESPONSE_CAPACITY = 96 * 1024;

    private final StatusReport report;
    private final byte[][] request;
    private final int[] requestLength;
    private final byte[][] response;
    private final int[] responseLength;
    private final int[] responseSent;
    private final boolean[] responding;
    private final byte[] scratch = new byte[1024];
    private final StringBuilder body = new StringBuilder(RESPONSE_CAPACITY);
    private final StringBuilder head = new StringBuilder(512);
    private long requests;
    private long errors;

    public HttpStatusService(TcpLayer tcp, ConnectionTable table, NanoClock clock, StatusReport report) {
        super(ServiceKind.HTTP, tcp, table, clock);
        this.report = report;
        int n = table.capacity();
        request = new byte[n][REQUEST_LIMIT];
        requestLength = new int[n];
        response = new byte[n][RESPONSE_CAPACITY];
        responseLength = new int[n];
        responseSent = new int[n];
        responding = new boolean[n];
    }

    /** Requests answered (any status). */
    public long requests() {
        return requests;
    }

    /** Requests answered with a 4xx or 5xx status. */
    public long errors() {
        return errors;
    }

    @Override
    protected void accepted(int connection) {
        int slot = ConnectionTable.slot(connection);
        requestLength[slot] = 0;
        responseLength[slot] = 0;
        responseSent[slot] = 0;
        responding[slot] = false;
    }

    @Override
    protected void closed(int connection, CloseReason reason) {
        responding[ConnectionTable.slot(connection)] = false;
    }

    @Override
    public void onReadable(int connection) {
        int slot = ConnectionTable.slot(connection);
        if (responding[slot]) {
            discardInput(connection);
            return;
        }
        byte[] buffer = request[slot];
        while (true) {
            int room = REQUEST_LIMIT - requestLength[slot];
            if (room == 0) {
                respondError(connection, slot, 431, "Request Header Fields Too Large",
                        "request head longer than " + REQUEST_LIMIT + " bytes\n");
                return;
            }
            int n = tcp.read(connection, buffer, requestLength[slot], room);
            if (n <= 0) {
                return;
            }
            table.received(connection, n);
            int searchFrom = Math.max(0, requestLength[slot] - 3);
            requestLength[slot] += n;
            int end = headEnd(buffer, searchFrom, requestLength[slot]);
            if (end >= 0) {
                handle(connection, slot, buffer, requestLength[slot]);
                return;
            }
        }
    }

    @Override
    public void onWritable(int connection) {
        int slot = ConnectionTable.slot(connection);
        if (responding[slot]) {
            flush(connection, slot);
        }
    }

    @Override
    public void onPeerClosed(int connection) {
        int slot = ConnectionTable.slot(connection);
        if (!responding[slot]) {
            // The client gave up (or sent an incomplete request and half-closed): nothing to answer.
            discardInput(connection);
            closeOnce(connection);
        }
    }

    private void discardInput(int connection) {
        int n;
        while ((n = tcp.read(connection, scratch, 0, scratch.length)) > 0) {
            table.received(connection, n);
        }
    }

    /** Index just past the blank line ending the head (CRLF CRLF, or bare LF LF), or -1. */
    static int headEnd(byte[] buffer, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == '\n') {
                if (i + 1 < to && buffer[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < to && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    private void handle(int connection, int slot, byte[] buffer, int length) {
        int lineEnd = 0;
        while (lineEnd < length && buffer[lineEnd] != '\r' && buffer[lineEnd] != '\n') {
            lineEnd++;
        }
        int sp1 = indexOf(buffer, 0, lineEnd, (byte) ' ');
        int sp2 = sp1 < 0 ? -1 : indexOf(buffer, sp1 + 1, lineEnd, (byte) ' ');
        if (sp1 <= 0 || sp2 <= sp1 + 1 || indexOf(buffer, sp2 + 1, lineEnd, (byte) ' ') >= 0
                || !startsWith(buffer, sp2 + 1, lineEnd, "HTTP/1.")) {
            respondError(connection, slot, 400, "Bad Request", "expected: METHOD SP target SP HTTP/1.1\n");
            return;
        }
        boolean get = equalsAscii(buffer, 0, sp1, "GET");
        boolean headOnly = equalsAscii(buffer, 0, sp1, "HEAD");
        if (!get && !headOnly) {
            respondError(connection, slot, 405, "Method Not Allowed", "only GET and HEAD\n");
            return;
        }
        int pathEnd = indexOf(buffer, sp1 + 1, sp2, (byte) '?');
        if (pathEnd < 0) {
            pathEnd = sp2;
        }
        body.setLength(0);
        String type;
        if (equalsAscii(buffer, sp1 + 1, pathEnd, "/") || equalsAscii(buffer, sp1 + 1, pathEnd, "/index.html")) {
            report.appendHtml(body);
            type = "text/html; charset=utf-8";
        } else if (equalsAscii(buffer, sp1 + 1, pathEnd, "/status.json")) {
            report.appendJson(body);
            type = "application/json";
        } else if (equalsAscii(buffer, sp1 + 1, pathEnd, "/diagram.svg")) {
            // The same drawing as the lab reports: this board's walked edges highlighted, each with how often.
            List<StateDiagram.Edge> walked = report.edges().walkedEdges();
            List<Long> counts = new ArrayList<>(walked.size());
            for (StateDiagram.Edge edge : walked) {
                counts.add(report.edges().walked(report.edges().edges().indexOf(edge)));
            }
            body.append(StateDiagramSvg.renderCounts(walked, counts, "this board (edges walked since start)"));
            type = "image/svg+xml";
        } else {
            respondError(connection, slot, 404, "Not Found", "try /, /status.json or /diagram.svg\n");
            return;
        }
        respond(connection, slot, 200, "OK", type, headOnly);
    }

    private void respondError(int connection, int slot, int status, String reason, String text) {
        body.setLength(0);
        body.append(status).append(' ').append(reason).append(": ").append(text);
        respond(connection, slot, status, reason, "text/plain; charset=utf-8", false);
    }

    private void respond(int connection, int slot, int status, String reason, String type, boolean headOnly) {
        requests++;
        if (status >= 400) {
            errors++;
        }
        head.setLength(0);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        if (head.length() + body.length() + 200 > RESPONSE_CAPACITY) {
            body.setLength(0);
            body.append("500 Internal Server Error: the page is larger than the response buffer (")
                    .append(RESPONSE_CAPACITY).append(" bytes)\n");
            head.setLength(0);
            head.append("HTTP/1.1 500 Internal Server Error\r\n");
            type = "text/plain; charset=utf-8";
            errors++;
        }
        head.append("Content-Type: ").append(type).append("\r\nContent-Length: ").append(body.length())
                .append("\r\nConnection: close\r\nCache-Control: no-store\r\nServer: spinet\r\n");
        if (status == 405) {
            head.append("Allow: GET, HEAD\r\n");
        }
        head.append("\r\n");
        byte[] out = response[slot];
        int n = copyAscii(head, out, 0);
        if (!headOnly) {
            n = copyAscii(body, out, n);
        }
        responseLength[slot] = n;
        responseSent[slot] = 0;
        responding[slot] = true;
        flush(connection, slot);
    }

    private static int copyAscii(CharSequence text, byte[] out, int at) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out[at++] = c < 0x80 ? (byte) c : (byte) '?';
        }
        return at;
    }

    private void flush(int connection, int slot) {
        if (!mayWrite(connection)) {
            return;
        }
        int left = responseLength[slot] - responseSent[slot];
        if (left > 0) {
            if (tcp.writable(connection) == 0) {
                awaitWritable(connection);
                return;
            }
            responseSent[slot] += send(connection, response[slot], responseSent[slot], left);
        }
        if (responseSent[slot] == responseLength[slot]) {
            discardInput(connection);
            closeOnce(connection);
        }
    }

    private static int indexOf(byte[] buffer, int from, int to, byte value) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static boolean equalsAscii(byte[] buffer, int from, int to, String text) {
        if (to - from != text.length()) {
            return false;
        }
        return startsWith(buffer, from, to, text);
    }

    private static boolean startsWith(byte[] buffer, int from, int to, String text) {
        if (to - from < text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (buffer[from + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
