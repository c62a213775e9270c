package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.StateDiagram;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every lab runs on simulated boards and both sides walk exactly the expected edges. */
class LabsTest {

    static Stream<String> labNames() {
        return LabCatalogue.standard().names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labNames")
    void bothSidesWalkExactlyTheExpectedTransitions(String name) {
        Lab lab = LabCatalogue.standard().lab(name);
        LabResult result = LabRun.run(lab, 1);
        assertNull(result.failure(), () -> "scenario stopped early\n" + TimelineText.format(result));
        assertEquals(lab.expectedA(), result.actualA(), () -> "side A of " + name + "\n" + TimelineText.format(result));
        assertEquals(lab.expectedB(), result.actualB(), () -> "side B of " + name + "\n" + TimelineText.format(result));
        for (Step step : result.actualA()) {
            assertNotNull(step.edge(), () -> "A walked " + step + ", which is not a diagram edge");
        }
        for (Step step : result.actualB()) {
            assertNotNull(step.edge(), () -> "B walked " + step + ", which is not a diagram edge");
        }
        assertTrue(result.passed(), () -> String.join("\n", result.mismatches()));
        assertTrue(result.pcapng().length > 100, "the capture holds frames");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labNames")
    void transitionsDoNotDependOnTheSeed(String name) {
        Lab lab = LabCatalogue.standard().lab(name);
        LabResult result = LabRun.run(lab, 0xC0FFEEL);
        assertTrue(result.passed(), () -> "seed 0xC0FFEE: " + String.join("\n", result.mismatches()));
    }

    @Test
    void everyEdgeOfTheStateDiagramIsWalkedByAtLeastOneLab() {
        Set<StateDiagram.Edge> walked = new LinkedHashSet<>();
        for (Lab lab : LabCatalogue.standard().labs()) {
            // The expected sequences are what the per-lab test asserts the run walks.
            for (Step step : lab.expectedA()) {
                walked.add(step.edge());
            }
            for (Step step : lab.expectedB()) {
                walked.add(step.edge());
            }
        }
        List<String> missing = new ArrayList<>();
        for (StateDiagram.Edge edge : StateDiagram.edges()) {
            if (!walked.contains(edge)) {
                missing.add(edge.toString());
            }
        }
        assertEquals(List.of(), missing, "edges no lab walks");
    }

    @Test
    void aWrongExpectationIsReportedAsAMismatch() {
        Lab right = LabCatalogue.standard().lab("handshake");
        Lab wrong = Lab.named("handshake-wrong").title(right.title()).summary(right.summary()).goal(right.goal())
                .predict("p").questions("q").boardRole("r").script(right.script())
                .expectA(Step.of(TcpState.CLOSED, TcpState.SYN_SENT, TransitionCause.ACTIVE_OPEN),
                        Step.of(TcpState.SYN_SENT, TcpState.SYN_RECEIVED, TransitionCause.RCV_SYN))
                .expectB(right.expectedB().toArray(new Step[0]))
                .build();
        LabResult result = LabRun.run(wrong, 1);
        assertFalse(result.passed());
        assertEquals(List.of("A step 2: expected SYN_SENT -> SYN_RECEIVED (RCV_SYN), got SYN_SENT -> ESTABLISHED (RCV_SYN_ACK)"),
                result.mismatches());
    }

    @Test
    void aScenarioThatCannotGoOnIsAFailedLabWithItsTimeline() {
        Lab handshake = LabCatalogue.standard().lab("handshake");
        Lab stuck = Lab.named("stuck").title("t").summary("s").goal("g").predict("p").questions("q").boardRole("r")
                .script(run -> {
                    run.a().connect(LabCatalogue.PORT); // nobody listens: refused
                    run.runUntilState(run.a(), TcpState.ESTABLISHED);
                })
                .expectA(handshake.expectedA().toArray(new Step[0]))
                .build();
        LabResult result = LabRun.run(stuck, 1);
        assertFalse(result.passed());
        assertNotNull(result.failure());
        assertTrue(TimelineText.format(result).contains("the scenario stopped"));
    }

    @Test
    void catalogueHasTheLabsOfTheIssueAndRejectsUnknownNames() {
        List<String> names = LabCatalogue.standard().names();
        assertTrue(names.containsAll(List.of("handshake", "close", "simultaneous-open", "simultaneous-close", "time-wait",
                "syn-sent", "reset", "retransmission", "flow-control")), names::toString);
        assertTrue(LabCatalogue.standard().exists("time-wait"));
        assertFalse(LabCatalogue.standard().exists("nope"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LabCatalogue.standard().lab("nope"));
        assertTrue(e.getMessage().contains("handshake"), e.getMessage());
    }

    @Test
    void imageLabNamesAreTheCatalogue() {
        CatalogueLabNames names = new CatalogueLabNames();
        assertEquals(LabCatalogue.standard().names(), names.names());
        assertTrue(names.exists("simultaneous-open"));
        assertFalse(names.exists("simultaneous-opne"));
    }
}
