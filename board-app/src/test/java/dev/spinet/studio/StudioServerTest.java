package dev.spinet.studio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.lab.LabCatalogue;
import dev.spinet.lab.LabLanguage;
import dev.spinet.lab.LabReportHtml;
import dev.spinet.lab.LabResult;
import dev.spinet.lab.LabRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The studio's JSON API without a browser: only its own page may call it (token, Host), a session
 * steps, takes commands and predictions, and saves what {@code lab run} writes; mistakes are one
 * JSON line with a status, never a stack trace.
 */
class StudioServerTest {

    @TempDir
    Path out;
    private StudioServer studio;
    private final HttpClient http = HttpClient.newHttpClient();
    private String token;

    @BeforeEach
    void start() throws Exception {
        studio = StudioServer.start(0, dev.spinet.lab.LabLanguage.ZH, "close", out);
        String page = get("/").body();
        Matcher m = Pattern.compile("\"token\":\"([0-9a-f]{32})\"").matcher(page);
        assertTrue(m.find(), page);
        token = m.group(1);
    }

    @AfterEach
    void stop() {
        studio.close();
    }

    @Test
    void thePageCarriesTheChosenLanguageAndLab() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<html lang=\"zh\">"), page.body());
        assertTrue(page.body().contains("<title>Spinet 实验工作室</title>"), page.body());
        assertTrue(page.body().contains("\"lab\":\"close\""));
        assertTrue(page.body().contains("\"title\":" + JsonText.string(LabCatalogue.standard().lab("handshake").in(LabLanguage.ZH).title())),
                "the lab list is in the studio's language: " + page.body());
        assertTrue(page.body().contains("\"saveDir\":" + JsonText.string(out.toAbsolutePath().normalize().toString())));
        assertEquals(200, get("/studio.js").statusCode());
        assertEquals(200, get("/studio.css").statusCode());
        assertEquals(404, get("/etc/passwd").statusCode());
    }

    @Test
    void onlyThePageMayCallTheApi() throws Exception {
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(studio.uri().resolve("/api/new"))
                .POST(HttpRequest.BodyPublishers.ofString("lab=close")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, noToken.statusCode());
        assertEquals("{\"error\":\"token\",\"detail\":\"API calls come from the studio's own page\"}", noToken.body());
        String rebound = raw("GET / HTTP/1.1\r\nHost: attacker.example:" + studio.port() + "\r\nConnection: close\r\n\r\n");
        assertTrue(rebound.startsWith("HTTP/1.1 421"), rebound);
    }

    @Test
    void aSessionStepsAndSavesWhatLabRunWrites() throws Exception {
        String state = post("new", "lab=close").body();
        String session = field(state, "session");
        assertEquals("READY", field(state, "phase"));
        int steps = 0;
        while (!field(state, "phase").equals("FINISHED") && steps++ < 500) {
            state = post("step", "session=" + session + "&verdict=PASS").body();
        }
        assertEquals("FINISHED", field(state, "phase"));
        assertTrue(state.contains("\"passed\":true"), state);
        HttpResponse<String> saved = post("save", "session=" + session + "&dir=runs");
        assertEquals(200, saved.statusCode(), saved.body());
        // The studio speaks Chinese here, so it saves what `spinet lab run close --lang zh` writes.
        LabResult expected = LabRun.run(LabCatalogue.standard().lab("close").in(LabLanguage.ZH), 1);
        assertArrayEquals(expected.pcapng(), Files.readAllBytes(out.resolve("runs/close.pcapng")));
        assertEquals(LabReportHtml.render(expected, "close.pcapng"), Files.readString(out.resolve("runs/close.html")));
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(studio.uri().resolve("/api/pcapng?session=" + session)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertArrayEquals(expected.pcapng(), download.body());
        assertEquals("attachment; filename=\"close.pcapng\"", download.headers().firstValue("Content-Disposition").orElse(""));
    }

    @Test
    void commandsAndPredictionsAnswerTheSession() throws Exception {
        String session = field(post("new", "lab=handshake").body(), "session");
        String paused = post("step", "session=" + session + "&verdict=PASS").body();
        assertEquals("PAUSED", field(paused, "phase"));
        assertEquals(200, post("predict", "session=" + session + "&state=SYN_RECEIVED").statusCode());
        String queued = post("command", "session=" + session + "&side=B&command=SEND").body();
        assertTrue(queued.contains("\"notices\":[{\"key\":\"queued\",\"side\":\"B\",\"command\":\"SEND\",\"detail\":\"\"}]"), queued);
        String after = post("step", "session=" + session + "&verdict=PASS").body();
        assertTrue(after.contains("\"predictions\":[{\"side\":\"B\",\"predicted\":\"SYN_RECEIVED\""), after);
        assertTrue(after.contains("\"right\":true"), after);
        assertTrue(after.contains("B has no open connection") || after.contains("no-open-connection"), after);
    }

    @Test
    void mistakesAreOneJsonLine() throws Exception {
        String session = field(post("new", "lab=handshake").body(), "session");
        HttpResponse<String> badVerdict = post("step", "session=" + session + "&verdict=EXPLODE");
        assertEquals(400, badVerdict.statusCode());
        assertTrue(badVerdict.body().startsWith("{\"error\":\"argument\""), badVerdict.body());
        HttpResponse<String> early = post("predict", "session=" + session + "&state=LISTEN");
        assertEquals(409, early.statusCode());
        assertEquals(404, post("step", "session=nope&verdict=PASS").statusCode());
        assertEquals(404, post("new", "lab=handshak").statusCode());
        assertEquals(405, http.send(request("/api/step").GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(studio.uri().resolve(path)).header(StudioServer.TOKEN_HEADER, token);
    }

    private HttpResponse<String> post(String call, String form) throws IOException, InterruptedException {
        return http.send(request("/api/" + call).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(studio.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", studio.port())) {
            socket.setSoTimeout(10_000);
            OutputStream o = socket.getOutputStream();
            o.write(request.getBytes(StandardCharsets.US_ASCII));
            o.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
