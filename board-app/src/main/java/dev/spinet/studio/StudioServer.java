package dev.spinet.studio;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spinet.lab.FilteredLink;
import dev.spinet.lab.Lab;
import dev.spinet.lab.LabCatalogue;
import dev.spinet.lab.LabLanguage;
import dev.spinet.lab.LabReportHtml;
import dev.spinet.lab.LabResult;
import dev.spinet.lab.LabSession;
import dev.spinet.lab.Side;
import dev.spinet.tcp.TcpState;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The lab studio's web server, on 127.0.0.1 only: the page, and a small JSON API over
 * {@link LabSession}s, one per browser tab, kept here so a saved capture and report are written
 * by the same writers as {@code spinet lab run}'s.
 *
 * <p>API (every POST takes form fields and answers the session as JSON, {@link SessionJson}):
 * {@code POST /api/new} (lab), {@code GET /api/state}, {@code POST /api/step} (verdict: PASS, DROP,
 * DELAY, DUPLICATE), {@code POST /api/command} (side, command: CLOSE, ABORT, SEND, SYN, RST),
 * {@code POST /api/predict} (state), {@code POST /api/save} (dir: writes NAME.pcapng and
 * NAME.html there); {@code GET /api/pcapng} and {@code GET /api/report} download them. Each
 * names its session ({@code session}).
 *
 * <p>Only the page may drive it: API calls carry the page's token in a header, which a page from
 * elsewhere can neither read nor send without a CORS preflight this server never grants, and the
 * Host header must name this server (no DNS rebinding).
 */
public final class StudioServer implements AutoCloseable {

    static final String TOKEN_HEADER = "X-Studio-Token";
    private static final int MAX_SESSIONS = 16;
    private static final int MAX_BODY = 16 * 1024;
    private static final long SEED = 1;

    private final HttpServer server;
    private final ExecutorService executor;
    private final String token;
    private final LabLanguage language;
    private final Map<String, String> captions;
    private final String initialLab;
    private final Path saveDirectory;
    private final SecureRandom random = new SecureRandom();
    /** Sessions by id, least recently used first; the oldest goes when there are too many. */
    private final Map<String, LabSession> sessions = new LinkedHashMap<>(16, 0.75f, true);

    private StudioServer(HttpServer server, LabLanguage language, String initialLab, Path saveDirectory) {
        this.server = server;
        this.language = language;
        this.captions = StudioCaptions.load(language.code());
        this.initialLab = initialLab;
        this.saveDirectory = saveDirectory;
        byte[] secret = new byte[16];
        random.nextBytes(secret);
        this.token = HexFormat.of().formatHex(secret);
        this.executor = Executors.newFixedThreadPool(4, Thread.ofPlatform().daemon().name("studio-http-", 0).factory());
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Starts the studio on 127.0.0.1:{@code port} (0: any free port).
     *
     * @param language      the studio's words and the labs' ({@code --lang}, {@code LabLanguageOption})
     * @param initialLab    the lab the page opens with
     * @param saveDirectory the directory the page offers for saving a run
     */
    public static StudioServer start(int port, LabLanguage language, String initialLab, Path saveDirectory) throws IOException {
        LabCatalogue.standard().lab(initialLab);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        StudioServer studio = new StudioServer(server, language, initialLab, saveDirectory.toAbsolutePath().normalize());
        server.start();
        return studio;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        synchronized (sessions) {
            sessions.values().forEach(LabSession::close);
            sessions.clear();
        }
    }

    // ---- requests ----

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String host = exchange.getRequestHeaders().getFirst("Host");
            if (host == null || !(host.equals("127.0.0.1:" + port()) || host.equals("localhost:" + port()))) {
                send(exchange, 421, "text/plain", "this studio answers only http://127.0.0.1:" + port() + "/");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            switch (path) {
                case "/" -> send(exchange, 200, "text/html; charset=utf-8", page());
                case "/studio.js" -> send(exchange, 200, "text/javascript; charset=utf-8", resource("studio.js"));
                case "/studio.css" -> send(exchange, 200, "text/css; charset=utf-8", resource("studio.css"));
                case "/favicon.ico" -> send(exchange, 204, "image/x-icon", new byte[0]);
                case "/api/pcapng", "/api/report" -> download(exchange, path.endsWith("pcapng"));
                default -> {
                    if (!path.startsWith("/api/")) {
                        send(exchange, 404, "text/plain", "no such page");
                    } else if (!token.equals(exchange.getRequestHeaders().getFirst(TOKEN_HEADER))) {
                        error(exchange, 403, "token", "API calls come from the studio's own page");
                    } else if (!method.equals(path.equals("/api/state") ? "GET" : "POST")) {
                        error(exchange, 405, "method", method + " " + path);
                    } else {
                        api(exchange, path.substring("/api/".length()), form(exchange));
                    }
                }
            }
        } catch (RuntimeException e) {
            // A request must not take the studio down; the page shows the one line.
            try {
                error(exchange, 500, "internal", String.valueOf(e.getMessage()));
            } catch (IOException | RuntimeException ignored) {
                // the answer had already begun: nothing more to say on this exchange
            }
        }
    }

    private void api(HttpExchange exchange, String call, Map<String, String> form) throws IOException {
        if (call.equals("new")) {
            String name = form.getOrDefault("lab", initialLab);
            if (!LabCatalogue.standard().exists(name)) {
                error(exchange, 404, "lab", name);
                return;
            }
            String id = newSession(LabCatalogue.standard().lab(name).in(language));
            answer(exchange, id);
            return;
        }
        String id = form.getOrDefault("session", "");
        LabSession session = session(id);
        if (session == null) {
            error(exchange, 404, "session", id);
            return;
        }
        try {
            switch (call) {
                case "state" -> {
                }
                case "step" -> session.step(FilteredLink.Verdict.valueOf(form.getOrDefault("verdict", "PASS")));
                case "command" -> session.command(Side.valueOf(form.getOrDefault("side", "")),
                        LabSession.Command.valueOf(form.getOrDefault("command", "")));
                case "predict" -> session.predict(TcpState.valueOf(form.getOrDefault("state", "")));
                case "save" -> {
                    save(exchange, session, form.getOrDefault("dir", ""));
                    return;
                }
                default -> {
                    error(exchange, 404, "call", call);
                    return;
                }
            }
        } catch (IllegalArgumentException e) {
            error(exchange, 400, "argument", e.getMessage());
            return;
        } catch (IllegalStateException e) {
            error(exchange, 409, "refused", e.getMessage());
            return;
        }
        answer(exchange, id);
    }

    private void answer(HttpExchange exchange, String id) throws IOException {
        LabSession session = session(id);
        String json;
        synchronized (session) {
            json = SessionJson.of(id, session);
        }
        send(exchange, 200, "application/json", json);
    }

    private String newSession(Lab lab) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        synchronized (sessions) {
            sessions.put(id, new LabSession(lab, SEED));
            while (sessions.size() > MAX_SESSIONS) {
                String oldest = sessions.keySet().iterator().next();
                sessions.remove(oldest).close();
            }
        }
        return id;
    }

    private LabSession session(String id) {
        synchronized (sessions) {
            return sessions.get(id);
        }
    }

    /** Writes NAME.pcapng and NAME.html into {@code dir}, as {@code spinet lab run --out DIR} names them. */
    private void save(HttpExchange exchange, LabSession session, String dir) throws IOException {
        Path directory = dir.isBlank() ? saveDirectory : Path.of(dir.trim());
        if (!directory.isAbsolute()) {
            directory = saveDirectory.resolve(directory).normalize();
        }
        LabResult result = session.result();
        String name = result.lab().name();
        Path pcap = directory.resolve(name + ".pcapng");
        Path html = directory.resolve(name + ".html");
        try {
            Files.createDirectories(directory);
            Files.write(pcap, result.pcapng());
            Files.writeString(html, LabReportHtml.render(result, pcap.getFileName().toString()), StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            error(exchange, 409, "save", directory + ": " + e.getMessage());
            return;
        }
        send(exchange, 200, "application/json", new JsonText().begin().field("pcapng", pcap.toString())
                .field("report", html.toString()).end());
    }

    private void download(HttpExchange exchange, boolean capture) throws IOException {
        LabSession session = session(query(exchange).getOrDefault("session", ""));
        if (session == null) {
            send(exchange, 404, "text/plain", "no such session; start the lab again in the studio");
            return;
        }
        LabResult result = session.result();
        String name = result.lab().name();
        String file = name + (capture ? ".pcapng" : ".html");
        exchange.getResponseHeaders().add("Content-Disposition", "attachment; filename=\"" + file + "\"");
        if (capture) {
            send(exchange, 200, "application/vnd.tcpdump.pcap", result.pcapng());
        } else {
            send(exchange, 200, "text/html; charset=utf-8", LabReportHtml.render(result, name + ".pcapng"));
        }
    }

    // ---- the page ----

    private String page() {
        StringBuilder labs = new StringBuilder("[");
        for (Lab standard : LabCatalogue.standard().labs()) {
            Lab lab = standard.in(language);
            if (labs.length() > 1) {
                labs.append(',');
            }
            labs.append(new JsonText().begin().field("name", lab.name()).field("title", lab.title()).end());
        }
        labs.append(']');
        String boot = new JsonText().begin().field("token", token).field("lab", initialLab).field("saveDir", saveDirectory.toString())
                .field("lang", language.code()).raw("labs", labs.toString()).raw("captions", JsonText.object(captions))
                .raw("states", JsonText.array(List.of(java.util.Arrays.stream(TcpState.values()).map(Enum::name).toArray(String[]::new))))
                .end();
        return resource("studio.html").replace("{{lang}}", language.code()).replace("{{title}}", escape(captions.get("page.title")))
                .replace("{{boot}}", boot);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String resource(String name) {
        try (InputStream in = StudioServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the studio's " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- HTTP plumbing ----

    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        Map<String, String> fields = new HashMap<>(query(exchange));
        byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new IllegalArgumentException("request body over " + MAX_BODY + " bytes");
        }
        fields.putAll(decode(new String(body, StandardCharsets.UTF_8)));
        return fields;
    }

    private static Map<String, String> query(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        return query == null ? Map.of() : decode(query);
    }

    private static Map<String, String> decode(String encoded) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            fields.put(key, value);
        }
        return fields;
    }

    private static void error(HttpExchange exchange, int status, String code, String detail) throws IOException {
        send(exchange, status, "application/json", new JsonText().begin().field("error", code).field("detail", detail).end());
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
