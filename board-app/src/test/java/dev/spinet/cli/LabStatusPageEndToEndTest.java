package dev.spinet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.Netns;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The status page of a board running a lab, as a student's browser meets it: {@code spinet run
 * --lab handshake --services http --trace} on a TAP in a namespace of its own, fetched with curl,
 * read by Python's json module, and rendered by headless Chromium.
 *
 * <p>The page is fetched many times before and after one student connection to the lab's port
 * 4000, so the board walks the status page's own edges (it closes each HTTP connection first:
 * ESTABLISHED -> FIN_WAIT_1 -> ... -> TIME_WAIT) far more often than the lab's. The lab's diagram,
 * its JSON and --trace must show the student's connection only. Skips without root, ip, curl or
 * python3 (and the browser part without Chromium) unless CI=true.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabStatusPageEndToEndTest {

    private static final String BOARD = "10.78.0.2";
    private static final String PAGE = "http://" + BOARD + "/";

    /** One student connection to the lab port: send a line, read the echo, close first. */
    private static final String STUDENT = """
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
            print("echo-ok" if got == b"hello, board\\n" else "echo-bad %r" % got)
            """;

    /** Prints the facts of /status.json this test checks, one {@code key=value} per line. */
    private static final String READ_STATUS = """
            import json, sys, urllib.request
            d = json.load(urllib.request.urlopen("http://%s/status.json" % sys.argv[1], timeout=10))
            lab = d.get("lab") or {}
            print("lab.name=%s" % lab.get("name"))
            print("lab.title=%s" % lab.get("title"))
            for p in lab.get("ports", []):
                print("lab.port.%d=%d" % (p["port"], p["established"]))
            print("diagram.not_drawn=%s" % d["diagram"].get("not_drawn"))
            print("diagram.transitions=%s" % d["diagram"]["transitions"])
            for e in d["diagram"]["edges"]:
                if e["walked"]:
                    print("edge.%s->%s.%s=%d" % (e["from"], e["to"], e["cause"], e["walked"]))
            for c in d["connections"]:
                print("connection.%s.%d=%s" % (c["service"], c["local_port"], c["state"]))
            """;

    private Netns netns;
    private SpinetProcess spinet;

    @BeforeAll
    void startBoard() throws Exception {
        netns = Netns.create("lpg", "curl", "python3");
        spinet = new SpinetProcess(netns, "run", "--hal", "tap", "--tap", "lpg0", "--ip", BOARD + "/24",
                "--services", "http", "--lab", "handshake", "--trace");
        String ready = spinet.awaitLine("spinet ready", 60_000);
        assertNotNull(ready, () -> "no ready line; stdout:\n" + spinet.stdout() + "\nstderr:\n" + spinet.stderr());
        netns.execOk(10, "ip", "addr", "add", "10.78.0.1/24", "dev", "lpg0");
        netns.execOk(10, "ip", "link", "set", "lpg0", "up");
        for (int i = 0; i < 4; i++) {
            curl("/");
        }
        assertEquals("echo-ok", netns.execOk(30, "python3", "-c", STUDENT, BOARD).strip());
        for (int i = 0; i < 4; i++) {
            curl("/");
            curl("/diagram.svg");
        }
    }

    @AfterAll
    void stopBoard() throws Exception {
        try {
            if (spinet != null) {
                spinet.close();
            }
        } finally {
            if (netns != null) {
                netns.close();
            }
        }
    }

    private String curl(String path) throws Exception {
        return netns.execOk(20, "curl", "-sS", "--max-time", "10", "http://" + BOARD + path);
    }

    private Map<String, String> status() throws Exception {
        Map<String, String> facts = new HashMap<>();
        for (String line : netns.execOk(20, "python3", "-c", READ_STATUS, BOARD).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                facts.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return facts;
    }

    @Test
    @Order(1)
    @Timeout(60)
    void theDiagramAndItsJsonHoldOnlyTheStudentsConnection() throws Exception {
        Map<String, String> status = status();
        assertEquals("handshake", status.get("lab.name"), status::toString);
        assertEquals("The three-way handshake", status.get("lab.title"), status::toString);
        assertEquals("1", status.get("lab.port.4000"), () -> "one student connection reached ESTABLISHED on 4000: " + status);
        // The student's connection: passive open, handshake, the student closes first.
        assertEquals("1", status.get("edge.CLOSED->LISTEN.PASSIVE_OPEN"), () -> "only the lab's listener: " + status);
        assertEquals("1", status.get("edge.LISTEN->SYN_RECEIVED.RCV_SYN"), () -> "one SYN on the lab's port: " + status);
        assertEquals("1", status.get("edge.SYN_RECEIVED->ESTABLISHED.RCV_ACK_OF_SYN"), status::toString);
        assertEquals("1", status.get("edge.ESTABLISHED->CLOSE_WAIT.RCV_FIN"), status::toString);
        // The status page's connections (this request too) close first on the board's side: none of that is the lab's.
        assertFalse(status.containsKey("edge.ESTABLISHED->FIN_WAIT_1.CLOSE"), () -> "the page's own connections leaked in: " + status);
        assertTrue(Long.parseLong(status.get("diagram.not_drawn")) >= 12 * 3,
                () -> "at least 12 page fetches of 3+ transitions each are counted apart: " + status);
        assertEquals("LISTEN", status.get("connection.lab.4000"), () -> "the lab's listener is listed: " + status);
    }

    @Test
    @Order(2)
    @Timeout(60)
    void thePageNamesTheLabListsItsPortSaysTheTrueColourAndRefreshes() throws Exception {
        String page = curl("/");
        assertTrue(page.contains("<title>spinet " + BOARD + " &middot; lab handshake</title>"), page);
        assertTrue(page.contains("Lab handshake: The three-way handshake."), page);
        assertTrue(page.contains("<tr><td>lab handshake</td><td class=\"n\">4000</td>"), () -> "port 4000 in the services table:\n" + page);
        assertTrue(page.contains("<meta http-equiv=\"refresh\"") && page.contains("fetch('/'"), "refreshes itself:\n" + page);

        // The colour the text names must be the colour the inline diagram draws walked edges in.
        Matcher named = Pattern.compile("drawn <span class=\"walked\">solid (\\w+)</span>").matcher(page);
        assertTrue(named.find(), page);
        List<String> strokes = new ArrayList<>();
        Matcher stroke = Pattern.compile("stroke=\"(#[0-9a-fA-F]{6})\"").matcher(page.substring(page.indexOf("<svg")));
        while (stroke.find()) {
            strokes.add(stroke.group(1));
        }
        List<String> coloured = strokes.stream().filter(c -> saturation(c) > 0.3).distinct().toList();
        assertEquals(1, coloured.size(), () -> "one highlight colour (a single board's walk): " + coloured);
        assertEquals(named.group(1), colourName(coloured.getFirst()), "the text names the colour the SVG uses");
    }

    @Test
    @Order(3)
    @Timeout(60)
    void traceShowsTheLabsConnectionOnly() {
        String out = spinet.stdout();
        assertEquals(1, count(out, "LISTEN -> SYN_RECEIVED (RCV_SYN)"), () -> "one SYN on the lab's port in --trace:\n" + out);
        assertEquals(0, count(out, "ESTABLISHED -> FIN_WAIT_1"), () -> "no status-page connection in --trace:\n" + out);
        assertEquals(1, count(out, "CLOSED -> LISTEN (PASSIVE_OPEN)"), () -> "only the lab's listener in --trace:\n" + out);
    }

    @Test
    @Order(4)
    @Timeout(240)
    void aBrowserRendersThePageAndItUpdatesItself() throws Exception {
        ChromiumInNamespace chromium = new ChromiumInNamespace(netns);
        Path dir = Path.of("target", "lab-status-page");
        Files.createDirectories(dir);
        Path png = dir.resolve("handshake-status-page.png");
        chromium.screenshot(PAGE, png, 1100, 1500, 1000);
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(pixelsNear(image, 0x1f5fbf, 40) > 500, "the walked edges are drawn in blue on the rendered page (" + png + ")");

        // Let the page's timer run: after one refresh the note says when it updated.
        String dom = chromium.dumpDom(PAGE, 5000);
        assertTrue(dom.contains("Updated at "), () -> "the page fetched itself again:\n" + dom);
        assertTrue(dom.contains("Lab handshake: The three-way handshake."), dom);
        assertEquals(1, count(spinet.stdout(), "LISTEN -> SYN_RECEIVED (RCV_SYN)"), "the browser's fetches stay out of --trace");
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    private static double saturation(String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        int r = rgb >> 16 & 0xFF;
        int g = rgb >> 8 & 0xFF;
        int b = rgb & 0xFF;
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        return max == 0 ? 0 : (max - min) / (double) max;
    }

    /** The colour word for a saturated colour, by hue: red, orange, yellow, green, blue or purple. */
    private static String colourName(String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        float[] hsb = java.awt.Color.RGBtoHSB(rgb >> 16 & 0xFF, rgb >> 8 & 0xFF, rgb & 0xFF, null);
        double hue = hsb[0] * 360;
        if (hue < 15 || hue >= 345) {
            return "red";
        } else if (hue < 45) {
            return "orange";
        } else if (hue < 70) {
            return "yellow";
        } else if (hue < 170) {
            return "green";
        } else if (hue < 260) {
            return "blue";
        }
        return "purple";
    }

    private static long pixelsNear(BufferedImage image, int rgb, int tolerance) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs((p >> 16 & 0xFF) - (rgb >> 16 & 0xFF)) <= tolerance && Math.abs((p >> 8 & 0xFF) - (rgb >> 8 & 0xFF)) <= tolerance
                        && Math.abs((p & 0xFF) - (rgb & 0xFF)) <= tolerance) {
                    n++;
                }
            }
        }
        return n;
    }
}
