package dev.spinet.instructor;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * The class page on the instructor's machine ({@code spinet class status --serve}): {@code GET /}
 * is the page as of the last poll, {@code GET /class.txt} the same as text. Serving reads what the
 * poller already has: a visitor cannot make it ask a board, let alone another machine.
 */
public final class ClassStatusServer implements AutoCloseable {

    private final HttpServer server;

    private ClassStatusServer(HttpServer server) {
        this.server = server;
    }

    /**
     * Starts serving on {@code address} (port 0: any free port).
     */
    public static ClassStatusServer start(InetSocketAddress address, ClassStatus status, String rosterName, int refreshSeconds,
                                          LongSupplier clockMillis) throws IOException {
        HttpServer server = HttpServer.create(address, 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    send(exchange, 405, "text/plain; charset=utf-8", "only GET and HEAD\n");
                } else if (path.equals("/") || path.equals("/index.html")) {
                    send(exchange, 200, "text/html; charset=utf-8",
                            ClassStatusPage.render(status.latest(), rosterName, clockMillis.getAsLong(), refreshSeconds, ZoneId.systemDefault()));
                } else if (path.equals("/class.txt")) {
                    send(exchange, 200, "text/plain; charset=utf-8", ClassStatusText.render(status.latest()));
                } else {
                    send(exchange, 404, "text/plain; charset=utf-8", "try / or /class.txt\n");
                }
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return new ClassStatusServer(server);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Where it listens (the port chosen when 0 was asked). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
