package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.StateDiagram;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drawings of every lab's report, as Chromium lays them out, checked for covered text: no
 * edge label under a state box and no badge over a box, a label or another badge in the state
 * diagram (also the bare figure, and a board's status-page diagram with every edge walked, the
 * busiest there can be), no label over another in the ladder and the plots.
 */
class ReportDrawingsLayoutTest {

    private static List<String> problems(Map<String, String> drawings, Path dir, int minimumElements) throws Exception {
        Map<String, List<SvgOverlaps.Element>> measured = SvgOverlaps.measure(drawings, dir);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, List<SvgOverlaps.Element>> drawing : measured.entrySet()) {
            assertTrue(drawing.getValue().size() >= minimumElements,
                    drawing.getKey() + ": Chromium measured only " + drawing.getValue().size() + " elements");
            for (String problem : SvgOverlaps.problems(drawing.getValue())) {
                problems.add(drawing.getKey() + ": " + problem);
            }
        }
        return problems;
    }

    /** Labs whose Chinese drawings are measured too: translated causes, the plots, lost and held segments. */
    private static final List<String> CHINESE_CHECKED = List.of("give-up", "keepalive", "resources", "retransmission",
            "flow-control", "time-wait");

    @Test
    void noLabelOrBadgeIsCoveredInAnyStateDiagram(@TempDir Path dir) throws Exception {
        Map<String, String> drawings = new LinkedHashMap<>();
        drawings.put("figure only", StateDiagramSvg.render());
        drawings.put("every edge, both sides", StateDiagramSvg.render(StateDiagram.edges(), StateDiagram.edges(), "A: all (solid)", "B: all (dashed)"));
        List<Long> counts = new ArrayList<>();
        for (int i = 0; i < StateDiagram.edges().size(); i++) {
            counts.add(1L + 997L * i);
        }
        drawings.put("status page, every edge", StateDiagramSvg.renderCounts(StateDiagram.edges(), counts, "this board"));
        for (Lab lab : LabCatalogue.standard().labs()) {
            drawings.put(lab.name(), StateDiagramSvg.render(LabRun.run(lab, 1)));
        }
        // Chinese: the translated causes (the timeouts, full tables) and legends are wider per character.
        drawings.put("every edge, both sides, zh", StateDiagramSvg.render(StateDiagram.edges(), StateDiagram.edges(), "A：全部（实线）",
                "B：全部（虚线）", LabLanguage.ZH));
        for (String name : CHINESE_CHECKED) {
            drawings.put(name + " zh", StateDiagramSvg.render(LabRun.run(LabCatalogue.standard().lab(name).in(LabLanguage.ZH), 1)));
        }
        List<String> problems = problems(drawings, dir, 20);
        assertEquals(List.of(), problems, problems.size() + " overlaps");
    }

    @Test
    void noLabelIsCoveredInAnyLadderOrPlot(@TempDir Path dir) throws Exception {
        Map<String, String> drawings = new LinkedHashMap<>();
        for (Lab lab : LabCatalogue.standard().labs()) {
            LabResult result = LabRun.run(lab, 1);
            drawings.put(lab.name() + " ladder", LadderDiagramSvg.render(result));
            String plots = LabPlotsSvg.render(result);
            if (!plots.isEmpty()) {
                drawings.put(lab.name() + " plots", plots);
            }
        }
        for (String name : CHINESE_CHECKED) {
            LabResult result = LabRun.run(LabCatalogue.standard().lab(name).in(LabLanguage.ZH), 1);
            drawings.put(name + " ladder zh", LadderDiagramSvg.render(result));
            String plots = LabPlotsSvg.render(result);
            if (!plots.isEmpty()) {
                drawings.put(name + " plots zh", plots);
            }
        }
        assertTrue(drawings.containsKey("retransmission plots") && drawings.containsKey("flow-control plots"), drawings.keySet().toString());
        assertTrue(drawings.containsKey("retransmission plots zh"), drawings.keySet().toString());
        List<String> problems = problems(drawings, dir, 10);
        assertEquals(List.of(), problems, problems.size() + " overlaps");
    }
}
