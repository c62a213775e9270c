package dev.spinet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.Netns;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instructor's side of a class, for real: one whole-class image built from a roster of four
 * boards; three Spinet boards started from it as the image configures them (each finds its row
 * by its MAC), on the W5500 emulator bridged to TAPs on one bridge in a namespace; the fourth
 * board absent. Inside the same namespace the instructor runs {@code spinet class status} (the page
 * and /class.txt), a student holds connections open, and {@code spinet class switch}/{@code reset}
 * change a board's lab over its control port. Headless Chromium takes a picture of the page
 * (kept as {@code target/class-status.png}).
 *
 * <p>Skips without root, ip, python3 or curl unless CI=true.
 */
class ClassStatusEndToEndTest {

    static final String ROSTER = """
            # Room 204, Tuesday
            board,match,ip,gateway,lab,peer
            bench-01,02:53:4e:88:00:01,10.88.0.11/24,,handshake,
            bench-02,02:53:4e:88:00:02,10.88.0.12/24,,syn-sent,10.88.0.1
            bench-03,02:53:4e:88:00:03,10.88.0.13/24,,time-wait,
            bench-04,02:53:4e:88:00:04,10.88.0.14/24,,close,
            """;

    /** A student: one connection to bench-01's lab port held open, and port 50000 for bench-02's role. */
    static final String STUDENT = """
            import socket, time
            listener = socket.socket()
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("10.88.0.1", 50000))
            listener.listen(1)
            s = socket.create_connection(("10.88.0.11", 4000), timeout=10)
            s.sendall(b"hello\\n")
            s.recv(100)
            listener.settimeout(60)
            peer, _ = listener.accept()
            time.sleep(120)
            """;

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void theClassPageShowsEveryBoardLiveAndTheInstructorSwitchesALab() throws Exception {
        Path roster = Files.writeString(dir.resolve("class.csv"), ROSTER);
        ImagedBoard image = ImagedBoard.build(dir, "--roster", roster.toString());
        assertTrue(Files.exists(dir.resolve("class.token")));
        List<AutoCloseable> running = new ArrayList<>();
        try (Netns netns = Netns.create("cls", "python3", "curl")) {
            netns.execOk(10, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            netns.execOk(10, "ip", "link", "add", "br0", "type", "bridge");
            netns.execOk(10, "ip", "addr", "add", "10.88.0.1/24", "dev", "br0");
            netns.execOk(10, "ip", "link", "set", "br0", "up");
            List<SpinetProcess> boards = new ArrayList<>();
            for (int n = 1; n <= 3; n++) {
                ImagedBoard board = image.installAt(dir.resolve("root-" + n));
                String tap = "cls" + n;
                SpinetProcess process = new SpinetProcess(netns, board.command(tap, "--mac", "02:53:4e:88:00:0" + n));
                running.add(process);
                boards.add(process);
                String ready = process.awaitLine("spinet ready", 60_000);
                assertNotNull(ready, () -> "no ready line; stdout:\n" + process.stdout() + "\nstderr:\n" + process.stderr());
                assertTrue(ready.startsWith("spinet ready ip=10.88.0.1" + n + " "), ready);
                netns.execOk(10, "ip", "link", "set", tap, "master", "br0");
                netns.execOk(10, "ip", "link", "set", tap, "up");
            }
            Process student = new ProcessBuilder(netns.inside("python3", "-c", STUDENT)).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("student.out").toFile()).start();
            running.add(student::destroyForcibly);

            SpinetProcess status = new SpinetProcess(netns, "class", "status", roster.toString(), "--serve", "127.0.0.1:0", "--interval", "1");
            running.add(status);
            String served = status.awaitLine("class page: ", 30_000);
            assertNotNull(served, () -> status.stdout() + status.stderr());
            String page = served.substring("class page: ".length());

            String text = awaitClassText(netns, page, t -> t.split("link up", -1).length == 4, "three boards answer");
            assertTrue(text.contains("bench-01     10.88.0.11      handshake                    link up"), text);
            assertTrue(text.contains("bench-02     10.88.0.12      syn-sent                     link up"), text);
            assertTrue(text.contains("bench-03     10.88.0.13      time-wait                    link up"), text);
            assertTrue(text.contains("bench-04     10.88.0.14      close                        UNREACHABLE: "), text);
            text = awaitClassText(netns, page, t -> t.matches("(?s).*\\n +4000  10\\.88\\.0\\.1:\\d+  ESTABLISHED.*")
                    && t.contains(" 40000  10.88.0.1:50000  ESTABLISHED"), "the lab roles' connections, with their states");
            assertTrue(text.contains("SYN_RECEIVED -> ESTABLISHED (RCV_ACK_OF_SYN)"), text);

            // Switch bench-03 to another lab over its control port, with the class token.
            SpinetProcess switched = new SpinetProcess(netns, "class", "switch", roster.toString(), "--board", "bench-03", "--lab", "abort");
            running.add(switched);
            assertEquals(0, switched.waitForExit(30), () -> switched.stdout() + switched.stderr());
            assertTrue(switched.stdout().matches("bench-03 +10\\.88\\.0\\.13 +ok lab abort"), switched.stdout());
            text = awaitClassText(netns, page, t -> t.contains("abort (instructor)"), "bench-03 runs the lab it was switched to");
            assertTrue(boards.get(2).stdout().contains("spinet: switching from lab time-wait to lab abort (instructor)"), boards.get(2).stdout());

            Path png = screenshot(netns, page, dir.resolve("class-status.png"));
            Files.createDirectories(Path.of("target"));
            Files.copy(png, Path.of("target/class-status.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            BufferedImage picture = ImageIO.read(png.toFile());
            assertTrue(picture.getWidth() == 1280 && luminanceVariance(picture) > 200, "the page rendered");

            // A wrong token is refused by the board; the lab stays.
            Files.writeString(dir.resolve("other.token"), "ab".repeat(32) + "\n");
            SpinetProcess forged = new SpinetProcess(netns, "class", "reset", roster.toString(), "--board", "bench-03",
                    "--token", dir.resolve("other.token").toString());
            running.add(forged);
            assertEquals(1, forged.waitForExit(30), () -> forged.stdout() + forged.stderr());
            assertTrue(forged.stdout().contains("error the proof does not match"), forged.stdout());

            SpinetProcess reset = new SpinetProcess(netns, "class", "reset", roster.toString(), "--board", "bench-03");
            running.add(reset);
            assertEquals(0, reset.waitForExit(30), () -> reset.stdout() + reset.stderr());
            awaitClassText(netns, page, t -> t.contains("bench-03     10.88.0.13      time-wait                    link up"),
                    "bench-03 is back on its roster's lab");

            for (SpinetProcess board : boards) {
                assertEquals(0, board.interruptAndWait(20), () -> board.stdout() + "\n" + board.stderr());
            }
        } finally {
            for (AutoCloseable r : running.reversed()) {
                r.close();
            }
        }
    }

    /** /class.txt, polled until it satisfies {@code done} (at most 30 s). */
    private static String awaitClassText(Netns netns, String page, Predicate<String> done, String what) throws IOException, InterruptedException {
        String text = "";
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() - deadline < 0) {
            text = netns.execOk(10, "curl", "-sS", "--max-time", "5", page + "class.txt");
            if (done.test(text)) {
                return text;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(what + "; the class page says:\n" + text);
    }

    private static Path screenshot(Netns netns, String page, Path png) throws IOException, InterruptedException {
        Path chromium = Path.of("/usr/bin/chromium");
        Netns.requireOrSkip(Files.isExecutable(chromium), "needs headless Chromium (Debian package chromium) for the picture");
        Path profile = Files.createTempDirectory("spinet-chromium-");
        Process p = new ProcessBuilder(netns.inside(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=1280,800", "--screenshot=" + png, page))
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("headless Chromium did not finish within 60 s");
        }
        assertTrue(Files.exists(png), () -> "no screenshot: " + readQuietly(profile.resolve("chromium.log")));
        return png;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static double luminanceVariance(BufferedImage image) {
        double sum = 0;
        double squares = 0;
        long n = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                double l = 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
                sum += l;
                squares += l * l;
                n++;
            }
        }
        double mean = sum / n;
        return squares / n - mean * mean;
    }
}
