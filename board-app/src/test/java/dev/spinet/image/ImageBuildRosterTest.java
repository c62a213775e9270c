package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.control.BoardKeys;
import dev.spinet.control.ControlToken;
import dev.spinet.lab.CatalogueLabNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spinet image build --roster}: one image for a class (each board picks its row at start)
 * or one board's own image, every row checked on the desk, and the class control token made once.
 */
class ImageBuildRosterTest {

    @TempDir
    Path dir;

    private final ImageEnvironment env = ImageEnvironment.system(new CatalogueLabNames());

    static final String ROSTER = """
            # bench 1-3, room 204
            board,match,ip,gateway,lab,peer
            bench-01,02:53:4e:00:00:01,10.0.0.21/24,10.0.0.1,handshake,
            bench-02,02:53:4e:00:00:02,10.0.0.22/24,10.0.0.1,simultaneous-open,10.0.0.122
            bench-03,host:pi-bench-03,dhcp,,time-wait,
            """;

    private Path boot;

    private CommandRun build(String... options) throws IOException {
        boot = Files.createDirectories(dir.resolve("bootfs-" + System.nanoTime()));
        List<String> args = new ArrayList<>(List.of("build", "--chip", "w5500", "--jar", TestDisks.fakeJar(dir, 100).toString(),
                "--overlay", boot.toString()));
        args.addAll(List.of(options));
        return CommandRun.image(env, args.toArray(new String[0]));
    }

    private Path roster(String text) throws IOException {
        return Files.writeString(dir.resolve("class.csv"), text);
    }

    @Test
    void oneImageForTheClassCarriesTheRosterAndEveryBoardsKeyButNotTheToken() throws IOException {
        Path roster = roster(ROSTER);
        CommandRun build = build("--roster", roster.toString());
        assertEquals(0, build.exitCode(), build.toString());
        Path token = dir.resolve("class.token");
        assertTrue(build.err().contains("control token: created " + token), build.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));

        assertEquals(ROSTER, Files.readString(boot.resolve("spinet/roster.csv")));
        String properties = Files.readString(boot.resolve("spinet/spinet.properties"));
        assertTrue(properties.contains("\nroster=/opt/spinet/roster.csv\n") && properties.contains("\nlab-file=/boot/firmware/spinet/lab.txt\n")
                && !properties.contains("\nlab=") && !properties.contains("\nip="), properties);
        String unit = Files.readString(boot.resolve("spinet/spinet.service"));
        assertTrue(unit.contains("\nLoadCredential=control.keys:/opt/spinet/control.keys\n")
                && unit.contains(" --state-dir %S/spinet --control-key %d/control.keys\n") && unit.contains("\nStateDirectory=spinet\n"), unit);

        ControlToken secret = ControlToken.read(token);
        BoardKeys keys = BoardKeys.read(boot.resolve("spinet/control.keys"));
        for (String board : List.of("bench-01", "bench-02", "bench-03")) {
            assertArrayEquals(secret.boardKey(board), keys.keyFor(board));
        }
        String tokenHex = Files.readAllLines(token).getLast();
        try (var files = Files.walk(boot)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertFalse(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).contains(tokenHex), "the token is in " + f);
            }
        }
        String script = Files.readString(boot.resolve("spinet/provision.sh"));
        assertTrue(script.contains("install -m 0600 spinet/control.keys /opt/spinet/control.keys") && script.contains("rm -f spinet/control.keys"),
                script);
        assertEquals(0, shellParses(boot.resolve("spinet/provision.sh")), "provision.sh is valid shell");

        CommandRun inspect = CommandRun.image(env, "inspect", boot.toString());
        assertEquals(0, inspect.exitCode(), inspect.toString());
        assertTrue(inspect.out().contains("spinet/control.keys") && inspect.out().contains("spinet/roster.csv"), inspect.out());

        // A second image from the same roster shares the token: the keys do not change.
        CommandRun again = build("--roster", roster.toString());
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(again.err().contains("control token: " + token) && !again.err().contains("control token: created"), again.err());
        assertArrayEquals(secret.boardKey("bench-02"), BoardKeys.read(boot.resolve("spinet/control.keys")).keyFor("bench-02"));
    }

    @Test
    void systemdAcceptsTheUnitWithItsCredentialAndStateDirectory() throws Exception {
        ExternalTools.require("systemd-analyze", "systemd");
        assertEquals(0, build("--roster", roster(ROSTER).toString()).exitCode());
        // The unit as written, but for the Java it starts, which this machine does not have at /opt/spinet.
        Path unit = dir.resolve("spinet.service");
        Files.writeString(unit, Files.readString(boot.resolve("spinet/spinet.service")).replace("/opt/spinet/java ", "/bin/true "));
        ExternalTools.Result verified = ExternalTools.run("systemd-analyze", "verify", "--man=no", unit.toString());
        assertEquals(0, verified.exitCode(), verified.stdout() + verified.stderr());
        assertEquals("", verified.stderr().strip(), "systemd-analyze has nothing to say about the unit");
    }

    /** {@code sh -n}: parses the script without running it. */
    private static int shellParses(Path script) throws IOException {
        try {
            Process p = new ProcessBuilder("sh", "-n", script.toString()).redirectErrorStream(true).start();
            return p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Test
    void aBoardsOwnImageCarriesItsRowAndOnlyItsKey() throws IOException {
        Path roster = roster(ROSTER);
        CommandRun build = build("--roster", roster.toString(), "--board", "bench-02");
        assertEquals(0, build.exitCode(), build.toString());
        assertTrue(build.out().startsWith("image of board bench-02, lab 'simultaneous-open'"), build.out());
        String properties = Files.readString(boot.resolve("spinet/spinet.properties"));
        assertTrue(properties.contains("\nboard=bench-02\nlab=simultaneous-open\nhal=w5500\n") && properties.contains("\nip=10.0.0.22/24\n")
                && properties.contains("\ngateway=10.0.0.1\n") && properties.contains("\npeer=10.0.0.122\n")
                && !properties.contains("roster="), properties);
        assertFalse(Files.exists(boot.resolve("spinet/roster.csv")));
        BoardKeys keys = BoardKeys.read(boot.resolve("spinet/control.keys"));
        assertArrayEquals(ControlToken.read(dir.resolve("class.token")).boardKey("bench-02"), keys.keyFor("bench-02"));
        assertEquals(1, Files.readAllLines(boot.resolve("spinet/control.keys")).stream().filter(l -> !l.startsWith("#")).count());
        assertTrue(Files.readString(boot.resolve("spinet/MANIFEST.txt")).contains("\nboard: bench-02\n"));
    }

    @Test
    void everyProblemOfTheRosterFailsOnTheDeskAndNoTokenIsMade() throws IOException {
        Path roster = roster("""
                board,match,ip,gateway,lab,peer
                bench-01,02:53:4e:00:00:01,10.0.0.21/24,10.0.1.1,handshake,
                bench-02,02:53:4e:00:00:02,10.0.0.21/24,,syn-sent,
                """);
        CommandRun build = build("--roster", roster.toString());
        assertEquals(ImageException.BAD_INPUT, build.exitCode(), build.toString());
        assertEquals(List.of(
                "spinet image build: " + roster + " line 2 (bench-01): gateway 10.0.1.1 is not inside 10.0.0.21/24; a gateway must be on the local subnet",
                "spinet image build: " + roster + " line 3 (bench-02): lab syn-sent connects to the student's computer: give its address in the peer column",
                "spinet image build: " + roster + " line 3 (bench-02): address 10.0.0.21 is also bench-01's (line 2)"),
                build.err().strip().lines().toList());
        assertFalse(Files.exists(dir.resolve("class.token")));
    }

    @Test
    void oneImageForSeveralBoardsNeedsAMatchInEveryRow() throws IOException {
        Path roster = roster("""
                board,match,ip,lab
                bench-01,,10.0.0.21/24,handshake
                bench-02,02:53:4e:00:00:02,10.0.0.22/24,close
                """);
        CommandRun build = build("--roster", roster.toString());
        assertEquals(ImageException.BAD_INPUT, build.exitCode(), build.toString());
        assertTrue(build.err().contains("line 2 (bench-01): one image serves every row, so each row needs a match")
                && build.err().contains("--board bench-01"), build.err());
        assertEquals(0, build("--roster", roster.toString(), "--board", "bench-01").exitCode(), "its own image needs no match");
    }

    @Test
    void eachRowIsCheckedWithTheImagesSettingsAsTheBoardWillReadThem() throws IOException {
        Path roster = roster(ROSTER);
        // run refuses an INT pin equal to its default RESET pin; so must every row's settings here.
        CommandRun build = build("--roster", roster.toString(), "--int-pin", "24");
        assertEquals(ImageException.BAD_INPUT, build.exitCode(), build.toString());
        assertEquals(3, build.err().lines().filter(l -> l.contains("--int-pin and --reset-pin are both GPIO24")).count(), build.err());

        CommandRun mixed = build("--roster", roster.toString(), "--lab", "handshake");
        assertTrue(mixed.err().contains("with --roster each board's lab, ip, gateway and peer come from its row"), mixed.err());
        CommandRun unknownBoard = build("--roster", roster.toString(), "--board", "bench-09");
        assertTrue(unknownBoard.err().contains("no board 'bench-09' in " + roster + "; its boards: bench-01, bench-02, bench-03"), unknownBoard.err());
        CommandRun labWithoutRoster = build("--board", "bench-01", "--lab", "handshake");
        assertTrue(labWithoutRoster.err().contains("--board names a row of a --roster"), labWithoutRoster.err());
    }
}
