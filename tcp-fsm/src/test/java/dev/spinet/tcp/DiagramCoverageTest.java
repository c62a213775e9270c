package dev.spinet.tcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.scenario.Covers;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every edge of {@link StateDiagram} is declared by some per-state test with {@link Covers};
 * the fixture ({@link TcpScriptTest}) checks that each declared edge is really walked.
 */
class DiagramCoverageTest {

    static final List<Class<?>> STATE_TESTS = List.of(ClosedTest.class, ListenTest.class, SynSentTest.class,
            SynReceivedTest.class, EstablishedTest.class, FinWait1Test.class, FinWait2Test.class, CloseWaitTest.class,
            ClosingTest.class, LastAckTest.class, TimeWaitTest.class, SynReceivedNewSynTest.class);

    @Test
    void everyEdgeHasATest() {
        Set<StateDiagram.Edge> declared = new HashSet<>();
        List<String> unknown = new ArrayList<>();
        for (Class<?> type : STATE_TESTS) {
            for (Method method : type.getDeclaredMethods()) {
                for (Covers covers : method.getAnnotationsByType(Covers.class)) {
                    StateDiagram.Edge edge = StateDiagram.find(covers.from(), covers.to(), covers.cause());
                    if (edge == null) {
                        unknown.add(type.getSimpleName() + "." + method.getName());
                    } else {
                        declared.add(edge);
                    }
                }
            }
        }
        List<StateDiagram.Edge> missing = new ArrayList<>();
        for (StateDiagram.Edge edge : StateDiagram.edges()) {
            if (!declared.contains(edge)) {
                missing.add(edge);
            }
        }
        assertTrue(unknown.isEmpty(), () -> "@Covers naming no diagram edge: " + unknown);
        assertTrue(missing.isEmpty(), () -> missing.size() + " edges without a test:\n" + String.join("\n", missing.stream().map(Object::toString).toList()));
    }

    @Test
    void everyStateHasATestClass() {
        Set<String> classes = new HashSet<>();
        for (Class<?> type : STATE_TESTS) {
            classes.add(type.getSimpleName());
        }
        for (TcpState state : TcpState.all()) {
            String expected = camel(state.name()) + "Test";
            assertTrue(classes.contains(expected), "missing " + expected);
        }
    }

    private static String camel(String name) {
        StringBuilder text = new StringBuilder();
        for (String part : name.split("_")) {
            text.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
        }
        return text.toString().replace("Fin_wait", "FinWait");
    }
}
