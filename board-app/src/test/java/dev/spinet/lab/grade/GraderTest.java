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
    void thePerStateScenariosExpectWhatTheRfcSays() {
        List<String> answers = new ArrayList<>();
        for (Trace trace : StateScenarios.traces()) {
            for (TraceEvent e : trace.events()) {
                if (e.expected().transition() == null && !e.expected().sends().isEmpty()) {
                    answers.add(trace.scenario().substring(0, trace.scenario().indexOf(':')) + " " + e.event() + " -> "
                            + ControlSegments.of(e.event(), e.expected()));
                }
            }
        }
        int iss = StateScenarios.ISS;
        int peer = StateScenarios.PEER_ISS;
        // RFC 9293 3.10.7.3: an unacceptable ACK in SYN-SENT gets <SEQ=SEG.ACK><CTL=RST>
        assertTrue(answers.contains("SYN-SENT rcv [S. seq=5000 ack=10099] -> [[R seq=" + (iss + 99) + "]]"), answers.toString());
        // 3.10.7.4 fifth check: the same in SYN-RECEIVED
        assertTrue(answers.contains("SYN-RECEIVED rcv [. seq=5001 ack=10050] -> [[R seq=" + (iss + 50) + "]]"), answers.toString());
        // RFC 5961 3.2 and 4.2: challenge ACKs <SEQ=SND.NXT><ACK=RCV.NXT>
        assertTrue(answers.contains("ESTABLISHED rcv [R seq=5101] -> [[. seq=" + (iss + 1) + " ack=" + (peer + 1) + "]]"), answers.toString());
        assertTrue(answers.contains("ESTABLISHED rcv [S seq=5050] -> [[. seq=" + (iss + 1) + " ack=" + (peer + 1) + "]]"), answers.toString());
        // 3.10.7.4 TIME-WAIT: a retransmitted FIN is acknowledged again
        assertTrue(answers.contains("TIME-WAIT rcv [F. seq=5001 ack=10002] -> [[. seq=" + (iss + 2) + " ack=" + (peer + 2) + "]]"),
                answers.toString());
        // 3.8.1: the FIN goes again with its own sequence number
        assertTrue(answers.contains("LAST-ACK RETRANSMIT -> [[F. seq=" + (iss + 1) + " ack=" + (peer + 2) + "]]"), answers.toString());
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
