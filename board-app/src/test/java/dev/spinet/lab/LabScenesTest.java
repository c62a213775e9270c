package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.TcpState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scenes of every lab are well formed without running them: each expected step is a diagram
 * edge and leaves a state its side is in, the shared step sequences are paths, and the accept
 * sequence is named once in {@link Scenes}, not spelled out in the labs.
 */
class LabScenesTest {

    static Stream<String> labNames() {
        return LabCatalogue.standard().names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labNames")
    void everyExpectedStepIsADiagramEdgeFromAStateItsSideIsIn(String name) {
        Lab lab = LabCatalogue.standard().lab(name);
        assertFalse(lab.expectedA().isEmpty() && lab.expectedB().isEmpty(), "a lab expects transitions");
        for (Side side : Side.values()) {
            Map<TcpState, Integer> live = new EnumMap<>(TcpState.class); // connections of this side, by state
            List<Step> steps = lab.expected(side);
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                String where = name + " " + side + " step " + (i + 1) + " " + step;
                assertTrue(step.edge() != null, where + " is not an edge of the state diagram");
                if (step.from() == TcpState.CLOSED) {
                    add(live, step.to());
                    continue;
                }
                assertTrue(live.getOrDefault(step.from(), 0) > 0, () -> where + ": no connection of " + side + " is in "
                        + step.from() + " (live: " + live + ")");
                // A listener stays in LISTEN while a SYN gives birth to a connection in SYN_RECEIVED;
                // that connection, reset, goes back to the listener it came from (RFC 9293 3.10.7.4).
                boolean listenerSpawns = step.from() == TcpState.LISTEN && step.to() == TcpState.SYN_RECEIVED;
                if (!listenerSpawns) {
                    remove(live, step.from());
                }
                if (step.to() != TcpState.CLOSED && !(step.to() == TcpState.LISTEN && live.getOrDefault(TcpState.LISTEN, 0) > 0)) {
                    add(live, step.to());
                }
            }
        }
    }

    @Test
    void everySharedStepSequenceIsAPathThroughTheDiagram() {
        Map<String, List<Step>> shared = Map.of("CONNECT", Scenes.CONNECT, "ACCEPT", Scenes.ACCEPT,
                "CONNECT_FROM_FIXED_PORT", Scenes.CONNECT_FROM_FIXED_PORT, "SYNS_CROSS", Scenes.SYNS_CROSS,
                "CLOSE_FIRST_INTO_TIME_WAIT", Scenes.CLOSE_FIRST_INTO_TIME_WAIT,
                "CLOSE_FIRST_ANSWERED_BY_FIN_ACK", Scenes.CLOSE_FIRST_ANSWERED_BY_FIN_ACK, "CLOSE_SECOND", Scenes.CLOSE_SECOND);
        shared.forEach((name, steps) -> {
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                assertTrue(step.edge() != null, name + ": " + step + " is not a diagram edge");
                if (i > 0) {
                    assertEquals(steps.get(i - 1).to(), step.from(), name + " step " + (i + 1));
                }
            }
        });
        assertEquals(Scenes.CONNECT, Scenes.A_CONNECTS_B_ACCEPTS.expectedA());
        assertEquals(Scenes.ACCEPT, Scenes.A_CONNECTS_B_ACCEPTS.expectedB());
    }

    @Test
    void theAcceptAndConnectSequencesAreNamedOnceNotSpelledOutInTheLabs() throws IOException {
        Path sources = Path.of("src/main/java/dev/spinet/lab");
        assertTrue(Files.isDirectory(sources), "Surefire runs in board-app, where " + sources + " is");
        Pattern accept = Pattern.compile("t\\(LISTEN, SYN_RECEIVED, RCV_SYN\\),\\s*t\\(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN\\)");
        Pattern connect = Pattern.compile("t\\(CLOSED, SYN_SENT, ACTIVE_OPEN\\),\\s*t\\(SYN_SENT, ESTABLISHED, RCV_SYN_ACK\\)");
        List<String> spelledOut = new ArrayList<>();
        int labFiles = 0;
        try (Stream<Path> files = Files.list(sources)) {
            for (Path file : files.filter(LabScenesTest::isALab).toList()) {
                labFiles++;
                String source = Files.readString(file);
                if (accept.matcher(source).find()) {
                    spelledOut.add(file.getFileName() + ": the accept sequence (use Scenes.ACCEPT or A_CONNECTS_B_ACCEPTS)");
                }
                if (connect.matcher(source).find()) {
                    spelledOut.add(file.getFileName() + ": the connect sequence (use Scenes.CONNECT or A_CONNECTS_B_ACCEPTS)");
                }
            }
        }
        assertEquals(LabCatalogue.standard().names().size(), labFiles, "one *Lab.java per lab");
        assertEquals(List.of(), spelledOut);
        String scenes = Files.readString(sources.resolve("Scenes.java"));
        assertEquals(1, accept.matcher(scenes).results().count(), "Scenes names the accept sequence once");
        assertEquals(1, connect.matcher(scenes).results().count(), "Scenes names the connect sequence once");
    }

    /** {@code HandshakeLab.java}..., not the {@code Lab} record itself. */
    private static boolean isALab(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith("Lab.java") && !name.equals("Lab.java");
    }

    private static void add(Map<TcpState, Integer> live, TcpState state) {
        live.merge(state, 1, Integer::sum);
    }

    private static void remove(Map<TcpState, Integer> live, TcpState state) {
        live.merge(state, -1, Integer::sum);
    }
}
