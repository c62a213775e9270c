package dev.spinet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spinet.lab.LabCatalogue;
import dev.spinet.lab.LabRoles;
import dev.spinet.testkit.Netns;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every lab of the catalogue on a board started exactly as its lab image configures it: {@code
 * spinet image build --lab NAME --chip w5500} with the default options (DHCP, the default services,
 * trace on; {@code --peer} for the two labs whose board connects to the student), installed and
 * started as provision.sh and the image's spinet.service would ({@link ImagedBoard}), on the W5500
 * emulator bridged to a TAP in a namespace with dnsmasq handing out the address. The student's
 * side is the Linux kernel, driven by {@code lab_student.py}; the board must serve its lab role
 * and, beside it, its status page.
 *
 * <p>Skips without root, ip, dnsmasq, python3 or curl unless CI=true.
 */
class LabImageEndToEndTest {

    private static final String TAP = "lbi0";
    private static final String STUDENT = "10.66.0.1";
    private static final String BOARD = "10.66.0.2";

    @TempDir
    Path dir;

    static Stream<String> labs() {
        return LabCatalogue.standard().names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labs")
    @Timeout(150)
    void theBoardServesItsLabRoleAsTheImageConfiguresIt(String lab) throws Exception {
        List<String> imageOptions = new ArrayList<>(List.of("--lab", lab));
        if (LabRoles.forLab(lab).needsPeer()) {
            imageOptions.addAll(List.of("--peer", STUDENT));
        }
        ImagedBoard image = ImagedBoard.build(dir, imageOptions.toArray(new String[0])).install();
        String properties = image.properties();
        assertTrue(properties.contains("\nlab=" + lab + "\n") && properties.contains("\nip=dhcp\n")
                && properties.contains("\nservices=echo,discard,chargen,http\n"), properties);
        Path student = dir.resolve("lab_student.py");
        try (InputStream in = LabImageEndToEndTest.class.getResourceAsStream("lab_student.py")) {
            Files.copy(in, student);
        }

        try (Netns netns = Netns.create("lbi", "dnsmasq", "python3", "curl");
             Dnsmasq dhcp = new Dnsmasq(netns, dir);
             SpinetProcess board = new SpinetProcess(netns, image.command(TAP))) {
            String ready = board.awaitLine("spinet ready", 60_000);
            assertNotNull(ready, () -> "no ready line; stdout:\n" + board.stdout() + "\nstderr:\n" + board.stderr() + "\ndnsmasq:\n" + dhcp.log());
            assertTrue(ready.startsWith("spinet ready ip=" + BOARD + " hal=sim-w5500"), ready);

            String status = netns.execOk(20, "curl", "-sS", "--max-time", "10", "http://" + BOARD + "/status.json");
            assertTrue(status.contains("\"activity\":{\"board\":null,\"lab\":\"" + lab + "\",\"lab_origin\":\"image\""),
                    "the status page runs beside the lab role: " + status);

            Netns.Result result = netns.exec(90, "python3", student.toString(), lab, BOARD, STUDENT);
            assertTrue(result.output().startsWith("ok " + lab + ":"),
                    () -> result.output() + "\nboard stdout:\n" + board.stdout() + "\nstderr:\n" + board.stderr());

            assertEquals(0, board.interruptAndWait(20), () -> board.stdout() + "\n" + board.stderr());
            assertTrue(board.stdout().contains("lab " + lab + ": "), board.stdout());
        }
    }

    /** dnsmasq on a persistent TAP in the namespace, offering the board one address. */
    private static final class Dnsmasq implements AutoCloseable {
        private final Process process;
        private final Path log;

        Dnsmasq(Netns netns, Path dir) throws IOException, InterruptedException {
            log = dir.resolve("dnsmasq.log");
            netns.execOk(10, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            netns.execOk(10, "ip", "tuntap", "add", "dev", TAP, "mode", "tap");
            netns.execOk(10, "ip", "addr", "add", STUDENT + "/24", "dev", TAP);
            netns.execOk(10, "ip", "link", "set", TAP, "up");
            // --port=0: DHCP only; --conf-file=/dev/null: nothing from the host's configuration.
            process = new ProcessBuilder(netns.inside("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--port=0",
                    "--interface=" + TAP, "--bind-interfaces", "--dhcp-authoritative", "--no-ping",
                    "--dhcp-range=" + BOARD + "," + BOARD + ",255.255.255.0,10m", "--dhcp-leasefile=" + dir.resolve("leases"),
                    "--pid-file=" + dir.resolve("dnsmasq.pid"), "--log-dhcp", "--log-facility=" + log))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("dnsmasq.out").toFile()).start();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (process.isAlive() && !log().contains("DHCP, sockets bound") && System.nanoTime() - deadline < 0) {
                Thread.sleep(50);
            }
            if (!process.isAlive()) {
                fail("dnsmasq exited with " + process.exitValue() + ": " + Files.readString(dir.resolve("dnsmasq.out")));
            }
        }

        String log() {
            try {
                return Files.exists(log) ? Files.readString(log) : "";
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
