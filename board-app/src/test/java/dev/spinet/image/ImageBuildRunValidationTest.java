package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.cli.SpinetMain;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What {@code spinet image build} accepts, {@code spinet run} on the board accepts: a mistake fails
 * on the instructor's desk, once, not on thirty boards at first boot.
 */
class ImageBuildRunValidationTest {

    @TempDir
    Path dir;

    private final ImageEnvironment env = ImageEnvironment.system(new dev.spinet.lab.CatalogueLabNames());

    /** The boot partition folder of the last {@link #build}. */
    private Path boot;

    private CommandRun build(String... options) throws IOException {
        boot = dir.resolve("bootfs-" + Long.toHexString(System.nanoTime()));
        Files.createDirectories(boot);
        List<String> args = new ArrayList<>(List.of("build", "--chip", "w5500", "--jar", TestDisks.fakeJar(dir, 100).toString(),
                "--overlay", boot.toString()));
        args.addAll(List.of(options));
        return CommandRun.image(env, args.toArray(new String[0]));
    }

    /**
     * What {@code spinet run} says about an address and gateway: it checks them before the TAP
     * name, so a TAP name it refuses shows whether the addresses passed (nothing is opened).
     */
    private static String runVerdict(String ip, String gateway) {
        StringWriter err = new StringWriter();
        CommandLine cli = SpinetMain.commandLine();
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        List<String> args = new ArrayList<>(List.of("run", "--hal", "tap", "--tap", "not a name!", "--ip", ip));
        if (gateway != null) {
            args.addAll(List.of("--gateway", gateway));
        }
        assertEquals(2, cli.execute(args.toArray(new String[0])));
        String message = err.toString().strip();
        return message.startsWith("spinet run: --tap") ? "ok" : message.replace("spinet run: ", "");
    }

    @Test
    void aGatewayOutsideTheSubnetFailsOnTheDeskWithRunsMessage() throws IOException {
        CommandRun typo = build("--lab", "handshake", "--ip", "10.0.0.21/24", "--gateway", "10.0.1.1");
        assertEquals(ImageException.BAD_INPUT, typo.exitCode(), typo.toString());
        assertEquals("spinet image build: " + runVerdict("10.0.0.21/24", "10.0.1.1"), typo.err().strip());
        assertTrue(typo.err().contains("--gateway 10.0.1.1 is not inside 10.0.0.21/24"), typo.err());
    }

    @Test
    void imageBuildAcceptsExactlyTheAddressesRunAccepts() throws IOException {
        String[][] cases = {
            {"10.0.0.21/24", "10.0.0.1"}, {"10.0.0.21/24", "10.0.1.1"}, {"10.0.0.21/16", "10.0.1.1"},
            {"127.0.0.5/8", null}, {"0.0.0.0/24", null}, {"224.0.0.9/24", null}, {"10.0.0.21/0", null},
            {"10.0.0.21/32", "10.0.0.21"}, {"10.0.0.256/24", null}, {"dhcp", null},
        };
        for (String[] c : cases) {
            List<String> options = new ArrayList<>(List.of("--lab", "handshake", "--ip", c[0]));
            if (c[1] != null) {
                options.addAll(List.of("--gateway", c[1]));
            }
            CommandRun image = build(options.toArray(new String[0]));
            String run = runVerdict(c[0], c[1]);
            assertEquals(run.equals("ok"), image.exitCode() == 0, () -> String.join(" ", options) + ": run says " + run + "; image build: " + image);
        }
    }

    @Test
    void aLabThatConnectsToTheStudentNeedsPeerOnTheDesk() throws IOException {
        for (String lab : List.of("simultaneous-open", "syn-sent")) {
            CommandRun withoutPeer = build("--lab", lab);
            assertEquals(ImageException.BAD_INPUT, withoutPeer.exitCode(), withoutPeer.toString());
            assertTrue(withoutPeer.err().contains("--peer") && withoutPeer.err().contains("--roster"), withoutPeer.err());
        }
        CommandRun withPeer = build("--lab", "syn-sent", "--ip", "10.0.0.21/24", "--peer", "10.0.0.121");
        assertEquals(0, withPeer.exitCode(), withPeer.toString());
        assertTrue(Files.readString(boot.resolve("spinet/spinet.properties")).contains("\npeer=10.0.0.121\n"), withPeer.out());
    }
}
