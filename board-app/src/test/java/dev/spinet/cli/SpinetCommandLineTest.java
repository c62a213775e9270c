package dev.spinet.cli;

import static dev.spinet.cli.SpinetRun.spinet;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import picocli.CommandLine;

/**
 * Every {@code spinet} command, found by walking the command tree (so a command added later is
 * covered without editing this test): {@code --help} and {@code -h} print its usage and exit 0,
 * and errors are one line on stderr that names the command and says what to do, never a stack
 * trace or a page of usage.
 */
class SpinetCommandLineTest {

    /** Every command's path below {@code spinet} ({@code []}, {@code [lab]}, {@code [lab, run]}...). */
    private static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        walk(SpinetMain.commandLine(), new ArrayList<>(), paths);
        return paths;
    }

    private static void walk(CommandLine command, List<String> path, List<List<String>> paths) {
        paths.add(List.copyOf(path));
        for (CommandLine sub : command.getSubcommands().values().stream().distinct().toList()) {
            List<String> next = new ArrayList<>(path);
            next.add(sub.getCommandName());
            walk(sub, next, paths);
        }
    }

    @Test
    void theWalkFindsTheCommandsThisTestIsAbout() {
        List<List<String>> paths = commandPaths();
        for (List<String> expected : List.of(List.of("lab", "run"), List.of("lab", "show"), List.of("lab", "list"), List.of("run"),
                List.of("image", "build"), List.of("doctor"), List.of("selftest"), List.of("demo"))) {
            assertTrue(paths.contains(expected), () -> expected + " in " + paths);
        }
    }

    @Test
    void everyCommandPrintsItsUsageForHelpAndH() {
        List<Executable> checks = new ArrayList<>();
        for (List<String> path : commandPaths()) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                checks.add(() -> {
                    SpinetRun run = spinet(args);
                    assertEquals(0, run.status(), () -> run.describe(args));
                    String usage = "Usage: spinet" + (path.isEmpty() ? "" : " " + String.join(" ", path));
                    assertTrue(run.out().contains(usage), () -> "usage on stdout: " + run.describe(args));
                    assertEquals("", run.err(), () -> run.describe(args));
                });
            }
        }
        assertAll(checks);
    }

    @Test
    void anUnknownOptionIsOneLineNamingTheCommandAndItsHelp() {
        List<Executable> checks = new ArrayList<>();
        for (List<String> path : commandPaths()) {
            if (path.equals(List.of("help"))) {
                continue; // `spinet help X` takes a command name, not options
            }
            List<String> args = new ArrayList<>(path);
            args.add("--no-such-option");
            checks.add(() -> {
                SpinetRun run = spinet(args);
                assertEquals(2, run.status(), () -> run.describe(args));
                assertOneLineError(run, args);
                String command = "spinet" + (path.isEmpty() ? "" : " " + String.join(" ", path));
                assertTrue(run.err().startsWith(command + ": "), () -> "names the command: " + run.describe(args));
                assertTrue(run.err().contains("--no-such-option") && run.err().contains(command + " --help"),
                        () -> "says what was wrong and where to look: " + run.describe(args));
            });
        }
        assertAll(checks);
    }

    @Test
    void labRunAndShowWithoutANameSayWhichNamesThereAre() {
        for (String command : List.of("run", "show")) {
            List<String> args = List.of("lab", command);
            SpinetRun run = spinet(args);
            assertEquals(2, run.status(), () -> run.describe(args));
            assertOneLineError(run, args);
            assertTrue(run.err().contains("handshake") && run.err().contains("spinet lab list"), () -> run.describe(args));
        }
    }

    @Test
    void anUnwritableOutDirectoryIsOneLineNotAStackTrace() {
        List<String> args = List.of("lab", "run", "handshake", "--out", "/proc/nope");
        SpinetRun run = spinet(args);
        assertEquals(1, run.status(), () -> run.describe(args));
        assertOneLineError(run, args);
        assertTrue(run.err().startsWith("spinet lab run: ") && run.err().contains("/proc/nope"), () -> run.describe(args));
    }

    @Test
    void aMistypedLabNameGetsTheClosestNames() {
        for (String[] typo : new String[][] {{"handshak", "handshake"}, {"timewait", "time-wait"}, {"keep-alive", "keepalive"},
                {"Handshake", "handshake"}, {"retransmit", "retransmission"}, {"simultanous-close", "simultaneous-close"}}) {
            for (String command : List.of("run", "show")) {
                List<String> args = List.of("lab", command, typo[0]);
                SpinetRun run = spinet(args);
                assertEquals(2, run.status(), () -> run.describe(args));
                assertOneLineError(run, args);
                assertTrue(run.err().contains("did you mean " + typo[1]), () -> run.describe(args));
            }
        }
        List<String> both = List.of("lab", "show", "simultaneous");
        SpinetRun run = spinet(both);
        assertTrue(run.err().contains("simultaneous-open") && run.err().contains("simultaneous-close"), () -> run.describe(both));
    }

    @Test
    void aMistypedLabNameForABoardGetsTheClosestNamesToo() {
        List<String> args = List.of("run", "--hal", "tap", "--ip", "10.0.0.2/24", "--lab", "handshak");
        SpinetRun run = spinet(args);
        assertEquals(2, run.status(), () -> run.describe(args));
        assertTrue(run.err().contains("did you mean handshake"), () -> run.describe(args));
    }

    @Test
    void aMistypedCommandIsOneLineWithTheClosestCommand() {
        List<String> args = List.of("lab", "lst");
        SpinetRun run = spinet(args);
        assertEquals(2, run.status(), () -> run.describe(args));
        assertOneLineError(run, args);
        assertTrue(run.err().contains("list"), () -> run.describe(args));
    }

    private static void assertOneLineError(SpinetRun run, List<String> args) {
        assertEquals(1, run.err().lines().count(), () -> "one line on stderr: " + run.describe(args));
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), () -> "no stack trace: " + run.describe(args));
        assertEquals("", run.out(), () -> "nothing on stdout: " + run.describe(args));
    }
}
