package dev.spinet.cli;

import static dev.spinet.cli.SpinetRun.spinet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.student.SpinetMachine;
import dev.spinet.tcp.StateDiagram;
import dev.spinet.tcp.TcpState;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spinet lab grade --impl JAR}: machines compiled here from source into a jar, as a student
 * would, then loaded from it: two deliberately broken ones (a simultaneous open that stays in
 * SYN_SENT, a close without TIME-WAIT) and the skeleton students start from.
 */
class LabGradeCommandTest {

    /** Spinet's engine, except that a bare SYN in SYN_SENT "goes back" to SYN_SENT and sends nothing. */
    private static final String SIMULTANEOUS_OPEN = """
            package broken;
            import dev.spinet.student.*;
            import dev.spinet.tcp.*;
            public final class SimultaneousOpenBackToSynSent implements ConnectionMachine {
                private final SpinetMachine engine = new SpinetMachine();
                private boolean stuck;
                public TcpState state() { return stuck ? TcpState.SYN_SENT : engine.state(); }
                public void clock(long nanos) { engine.clock(nanos); }
                public Reaction handle(ConnectionEvent e) {
                    if (!stuck && engine.state() == TcpState.SYN_SENT && e.segment() != null
                            && e.segment().has(Segment.SYN) && !e.segment().has(Segment.ACK)) {
                        stuck = true;
                        return Reaction.move(TcpState.SYN_SENT, TcpState.SYN_SENT, TransitionCause.RCV_SYN);
                    }
                    return engine.handle(e);
                }
            }
            """;

    /** Spinet's engine, except that every edge into TIME_WAIT goes to CLOSED instead. */
    private static final String NO_TIME_WAIT = """
            package broken;
            import dev.spinet.student.*;
            import dev.spinet.tcp.*;
            public final class NoTimeWait implements ConnectionMachine {
                private final SpinetMachine engine = new SpinetMachine();
                private boolean closed;
                public TcpState state() { return closed ? TcpState.CLOSED : engine.state(); }
                public void clock(long nanos) { engine.clock(nanos); }
                public Reaction handle(ConnectionEvent e) {
                    Reaction r = engine.handle(e);
                    if (r.transition() != null && r.transition().to() == TcpState.TIME_WAIT) {
                        closed = true;
                        return new Reaction(new Reaction.Transition(r.transition().from(), TcpState.CLOSED, r.transition().cause()),
                                r.sends());
                    }
                    return r;
                }
            }
            """;

    @TempDir
    static Path dir;
    private static Path broken;
    private static Path skeleton;

    @BeforeAll
    static void compileJars() throws Exception {
        broken = jar("broken", Map.of("broken/SimultaneousOpenBackToSynSent.java", SIMULTANEOUS_OPEN,
                "broken/NoTimeWait.java", NO_TIME_WAIT));
        Path example = Path.of("..", "examples", "student-tcp", "src", "student", "MyConnection.java");
        skeleton = jar("skeleton", Map.of("student/MyConnection.java", Files.readString(example)));
    }

    /** Compiles {@code sources} against the spinet classes and puts the classes (only) in a jar. */
    private static Path jar(String name, Map<String, String> sources) throws IOException, URISyntaxException {
        Path src = Files.createDirectories(dir.resolve(name + "-src"));
        Path out = Files.createDirectories(dir.resolve(name + "-classes"));
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-cp", classpath()));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = src.resolve(source.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, source.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        int status = javac.getTask(errors, null, null, args.subList(0, 4), null,
                javac.getStandardFileManager(null, null, null).getJavaFileObjectsFromStrings(args.subList(4, args.size()))).call() ? 0 : 1;
        assertEquals(0, status, "javac: " + errors);
        Path jar = dir.resolve(name + ".jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(file);
             Stream<Path> classes = Files.walk(out)) {
            for (Path c : classes.filter(Files::isRegularFile).toList()) {
                jarOut.putNextEntry(new JarEntry(out.relativize(c).toString().replace('\\', '/')));
                jarOut.write(Files.readAllBytes(c));
                jarOut.closeEntry();
            }
        }
        return jar;
    }

    /** Where the student API (board-app) and the state enums (tcp-fsm) were compiled to. */
    private static String classpath() throws URISyntaxException {
        return Path.of(SpinetMachine.class.getProtectionDomain().getCodeSource().getLocation().toURI()) + java.io.File.pathSeparator
                + Path.of(TcpState.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void simultaneousOpenBackToSynSentFailsThatEdgeWithTheFirstDifferenceAndTheRfcClause() {
        SpinetRun run = spinet("lab", "grade", "--impl", broken.toString(), "--class", "broken.SimultaneousOpenBackToSynSent",
                "simultaneous-open", "handshake");
        assertEquals(1, run.status(), run.err() + run.out());
        assertTrue(run.out().contains("SYN_SENT -> SYN_RECEIVED (RCV_SYN)                 FAIL (4 of 4)"), run.out());
        assertTrue(run.out().contains("    first difference: simultaneous-open: A connection 40000 -> 50000 (from a listener), event 3: rcv [S seq="),
                run.out());
        assertTrue(run.out().contains("      expected: SYN_SENT -> SYN_RECEIVED (RCV_SYN), sends [[S. seq="), run.out());
        assertTrue(run.out().contains("      got:      SYN_SENT -> SYN_SENT (RCV_SYN), sends nothing"), run.out());
        assertTrue(run.out().contains("      hint:     RFC 9293 3.10.7.3 (SYN-SENT STATE, fourth: SYN bit)"), run.out());
        // the edges after it in the same connections cannot be graded; the handshake's still pass
        assertTrue(run.out().contains("SYN_RECEIVED -> ESTABLISHED (RCV_ACK_OF_SYN)       NOT REACHED"), run.out());
        assertTrue(run.out().contains("SYN_SENT -> ESTABLISHED (RCV_SYN_ACK)              pass (1x)"), run.out());
        assertTrue(run.out().contains("LISTEN -> SYN_RECEIVED (RCV_SYN)                   pass (1x)"), run.out());
    }

    @Test
    void noTimeWaitFailsEveryEdgeIntoTimeWait() {
        SpinetRun run = spinet("lab", "grade", "--impl", broken.toString(), "--class", "broken.NoTimeWait", "close", "simultaneous-close");
        assertEquals(1, run.status(), run.err() + run.out());
        assertTrue(run.out().contains("FIN_WAIT_2 -> TIME_WAIT (RCV_FIN)                  FAIL (1 of 1)"), run.out());
        assertTrue(run.out().contains("      expected: FIN_WAIT_2 -> TIME_WAIT (RCV_FIN), sends [[. seq="), run.out());
        assertTrue(run.out().contains("      got:      FIN_WAIT_2 -> CLOSED (RCV_FIN), sends [[. seq="), run.out());
        assertTrue(run.out().contains("FIN-WAIT-2: ACK the FIN, enter TIME-WAIT and start the 2 MSL timer"), run.out());
        assertTrue(run.out().contains("FIN_WAIT_1 -> TIME_WAIT (RCV_FIN_ACK)              FAIL"), run.out());
        assertTrue(run.out().contains("CLOSING -> TIME_WAIT (RCV_ACK_OF_FIN)              FAIL"), run.out());
        assertTrue(run.out().contains("TIME_WAIT -> CLOSED (TIME_WAIT_TIMEOUT)            NOT REACHED"), run.out());
        assertTrue(run.out().contains("ESTABLISHED -> CLOSE_WAIT (RCV_FIN)                pass"), run.out());
        assertTrue(run.out().contains("LAST_ACK -> CLOSED (RCV_ACK_OF_FIN)                pass"), run.out());
    }

    @Test
    void twoMachinesInOneJarNeedClass() {
        SpinetRun run = spinet("lab", "grade", "--impl", broken.toString(), "handshake");
        assertEquals(2, run.status());
        assertTrue(run.err().contains("several classes implement ConnectionMachine (broken."), run.err());
        assertTrue(run.err().contains("say which with --class"), run.err());
        assertTrue(run.err().lines().count() <= 3, "a one-line error and the usage hint:\n" + run.err());
    }

    @Test
    void theSkeletonIsFoundInItsJarAndPassesTheHandshakeItAlreadyHas() {
        SpinetRun run = spinet("lab", "grade", "--impl", skeleton.toString(), "handshake");
        assertTrue(run.out().startsWith("Graded student.MyConnection from skeleton.jar against 1 lab"), run.out());
        // the handshake edges are written in the skeleton; closing the listener is left to the student
        assertTrue(run.out().contains("CLOSED -> SYN_SENT (ACTIVE_OPEN)                   pass (1x)"), run.out());
        assertTrue(run.out().contains("SYN_RECEIVED -> ESTABLISHED (RCV_ACK_OF_SYN)       pass (1x)"), run.out());
        assertTrue(run.out().contains("LISTEN -> CLOSED (CLOSE)                           FAIL (1 of 1)"), run.out());
        assertEquals(1, run.status());
    }

    @Test
    void theSkeletonRunsThroughEveryScenarioWithoutCrashing() {
        SpinetRun run = spinet("lab", "grade", "--impl", skeleton.toString());
        assertEquals(1, run.status(), run.err());
        assertTrue(run.out().contains("against 13 labs and 8 per-state scenarios"), run.out());
        assertTrue(run.out().contains("Edges: "), run.out());
    }

    @Test
    void spinetsOwnEnginePassesEverything() {
        SpinetRun run = spinet("lab", "grade");
        assertEquals(0, run.status(), run.out());
        int edges = StateDiagram.edges().size();
        assertTrue(run.out().contains("Edges: " + edges + " of " + edges + " passed."), run.out());
    }

    @Test
    void aMissingJarOrClassIsAOneLineError() {
        SpinetRun missing = spinet("lab", "grade", "--impl", dir.resolve("nope.jar").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains("no such file; give the jar your machine is in"), missing.err());
        SpinetRun wrong = spinet("lab", "grade", "--impl", broken.toString(), "--class", "broken.Missing");
        assertEquals(2, wrong.status());
        assertTrue(wrong.err().contains("--class broken.Missing: not in"), wrong.err());
    }
}
