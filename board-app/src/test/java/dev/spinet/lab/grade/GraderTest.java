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
        System.out.println(report.format());
        assertTrue(report.passed(), report.format());
        assertEquals(List.of(), report.unexercised(), "the labs walk every edge");
    }
}
