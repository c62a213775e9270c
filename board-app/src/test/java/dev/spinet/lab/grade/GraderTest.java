package dev.spinet.lab.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.lab.Lab;
import dev.spinet.lab.LabCatalogue;
import dev.spinet.student.SpinetMachine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraderTest {

    static List<Trace> allLabTraces() {
        List<Trace> traces = new ArrayList<>();
        for (Lab lab : LabCatalogue.standard().labs()) {
            traces.addAll(LabTraces.of(lab).traces());
        }
        return traces;
    }

    @Test
    void spinetsOwnEngineBehindTheInterfacePassesEveryEdge() {
        GradeReport report = Grader.grade("SpinetMachine", "13 labs", allLabTraces(), t -> new SpinetMachine(t.config()));
        assertTrue(report.passed(), report.format());
        assertEquals(List.of(), report.unexercised(), "the labs walk every edge");
        assertEquals(report.edgesGraded(), report.edgesPassed());
    }

    @Test
    void spinetsOwnEnginePassesThePerStateScenarios() {
        List<Trace> traces = StateScenarios.traces();
        GradeReport report = Grader.grade("SpinetMachine", "per-state scenarios", traces, t -> new SpinetMachine(t.config()));
        assertTrue(report.passed(), report.format());
        // what the scenarios are for: answers a state gives without moving (RST to a bad ACK, challenge
        // ACKs, the ACK of a retransmitted FIN in TIME-WAIT, the FIN retransmitted on its timer)
        long stayingAnswers = traces.stream().flatMap(t -> t.events().stream())
                .filter(e -> e.expected().transition() == null && !ControlSegments.of(e.event(), e.expected()).isEmpty()).count();
        assertTrue(stayingAnswers >= 6, stayingAnswers + " control answers without a transition");
        assertTrue(traces.stream().flatMap(t -> t.events().stream())
                .anyMatch(e -> e.event().kind() == dev.spinet.student.ConnectionEvent.Kind.RETRANSMIT), "a FIN retransmitted on its timer");
    }

    @Test
    void aMachineThatAnswersNothingFailsTheFirstEdgeOfEveryConnectionAndReachesNoOther() {
        dev.spinet.student.ConnectionMachine mute = new dev.spinet.student.ConnectionMachine() {
            @Override
            public dev.spinet.tcp.TcpState state() {
                return dev.spinet.tcp.TcpState.CLOSED;
            }

            @Override
            public dev.spinet.student.Reaction handle(dev.spinet.student.ConnectionEvent event) {
                return dev.spinet.student.Reaction.stay();
            }
        };
        List<Trace> traces = LabTraces.of(LabCatalogue.standard().lab("handshake")).traces();
        GradeReport report = Grader.grade("mute", "handshake", traces, t -> mute);
        assertTrue(!report.passed());
        assertEquals(0, report.edgesPassed(), report.format());
        assertTrue(report.format().contains("CLOSED -> SYN_SENT (ACTIVE_OPEN)                   FAIL (1 of 1)"), report.format());
        assertTrue(report.format().contains("      got:      no transition (stays CLOSED), sends nothing"), report.format());
        assertTrue(report.format().contains("RFC 9293 3.10.1 (OPEN Call)"), report.format());
    }
}
