package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class LabReportHtmlTest {

    @Test
    void reportParsesAndReferencesNothingOutsideItself() throws Exception {
        LabResult result = LabRun.run(LabCatalogue.standard().lab("simultaneous-close"), 1);
        String html = LabReportHtml.render(result, "simultaneous-close.pcapng");
        Document document = StateDiagramSvgTest.parse(html);
        assertEquals("html", document.getDocumentElement().getNodeName());
        assertEquals(2, document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg").getLength(), "the diagram and the ladder are inline");
        Matcher urls = Pattern.compile("(?i)(https?:|ftp:|//[a-z])[^\"' <]*").matcher(html);
        while (urls.find()) {
            assertEquals("http://www.w3.org/2000/svg", urls.group(), "only the SVG namespace name may look like a URL");
        }
        for (String attribute : new String[] {"src=", "href=", "@import", "<script", "<link"}) {
            assertFalse(html.contains(attribute), attribute);
        }
        assertTrue(html.contains("FIN_WAIT_1 &#8594; CLOSING <span class=\"small\">(rcv FIN)</span>"), "the steps are listed, in the figure's words");
        assertTrue(html.contains("Both sides walked the expected edges"), "the result is stated");
    }

    @Test
    void chromiumOpensTheReportOffline(@TempDir Path dir) throws Exception {
        LabResult result = LabRun.run(LabCatalogue.standard().lab("handshake"), 1);
        Path file = dir.resolve("handshake.html");
        Files.writeString(file, LabReportHtml.render(result, "handshake.pcapng"));
        BufferedImage image = HeadlessChromium.screenshot(file, dir.resolve("handshake.png"), 1200, 1600);
        assertTrue(HeadlessChromium.luminanceVariance(image) > 100, "the page rendered something");
    }

    static Stream<String> labNames() {
        return LabCatalogue.standard().names().stream();
    }

    /** The lab texts mark commands and names as `code`: the page sets them as code, and no backtick is left. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("labNames")
    void everyReportHasItsCodeSetAsCodeTheLadderTheStepsAndItsPlots(String name) throws Exception {
        Lab lab = LabCatalogue.standard().lab(name);
        LabResult result = LabRun.run(lab, 1);
        String html = LabReportHtml.render(result, name + ".pcapng");
        Document document = StateDiagramSvgTest.parse(html);
        assertFalse(html.contains("`"), "a backtick left in the page");
        String text = String.join(" ", lab.summary(), lab.goal(), String.join(" ", lab.predict()), String.join(" ", lab.questions()),
                lab.boardRole());
        Matcher code = Pattern.compile("`([^`]+)`").matcher(text);
        while (code.find()) {
            assertTrue(html.contains("<code>" + StateDiagramSvgTest.escapeForTest(code.group(1)) + "</code>"), code.group(1));
        }

        NodeList svgs = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");
        List<String> kinds = new java.util.ArrayList<>();
        for (int i = 0; i < svgs.getLength(); i++) {
            kinds.add(((Element) svgs.item(i)).getAttribute("class"));
        }
        List<String> expected = new java.util.ArrayList<>(List.of("state-diagram", "ladder"));
        if (!lab.plots().isEmpty()) {
            expected.add("plots");
        }
        assertEquals(expected, kinds);
        assertEquals(name.equals("retransmission") || name.equals("flow-control"), !lab.plots().isEmpty(), "the labs that list plots");

        // One radio button and one numbered, anchored list entry per step of either side, in time order.
        List<String> steps = LabReportHtml.stepIds(result);
        assertEquals(result.actualA().size() + result.actualB().size(), steps.size());
        for (String step : steps) {
            assertTrue(html.contains("<input type=\"radio\" name=\"walk\" id=\"w-" + step + "\"/>"), step);
            assertTrue(html.contains("<li id=\"step-" + step + "\"><label for=\"w-" + step + "\">"), step);
        }
    }

    /**
     * Stepping without a script: with step A3 checked (as a click on its line does), Chromium draws
     * A3's edge at full strength, dims every other walked edge, and lights the state A3 ends in.
     */
    @Test
    void choosingAStepSinglesItOutInTheDiagram(@TempDir Path dir) throws Exception {
        LabResult result = LabRun.run(LabCatalogue.standard().lab("close"), 1);
        String html = LabReportHtml.render(result, "close.pcapng")
                .replace("id=\"w-all\" checked=\"checked\"/>", "id=\"w-all\"/>")
                .replace("id=\"w-a3\"/>", "id=\"w-a3\" checked=\"checked\"/>")
                .replace("</body>", """
                        <pre id="measured"></pre><script>
                        var out = [];
                        document.querySelectorAll('svg.state-diagram path.walk').forEach(function (p) {
                          out.push((p.classList.contains('s-a3') ? 'chosen ' : 'other ') + getComputedStyle(p).opacity);
                        });
                        document.querySelectorAll('svg.state-diagram g.state').forEach(function (g) {
                          if (g.classList.contains('at-a3')) { out.push('box ' + getComputedStyle(g.querySelector('rect')).fill); }
                        });
                        document.getElementById('measured').textContent = out.join(';');
                        </script></body>""");
        Path file = dir.resolve("close.html");
        Files.writeString(file, html);
        String dom = HeadlessChromium.dumpDom(file);
        Matcher measured = Pattern.compile("<pre id=\"measured\">([^<]*)</pre>").matcher(dom);
        assertTrue(measured.find(), dom.substring(0, Math.min(300, dom.length())));
        List<String> values = List.of(measured.group(1).split(";"));
        assertTrue(values.contains("chosen 1"), values.toString());
        assertTrue(values.stream().filter(v -> v.startsWith("other")).allMatch(v -> v.equals("other 0.12")), values.toString());
        assertTrue(values.stream().filter(v -> v.startsWith("other")).count() >= 5, values.toString());
        assertTrue(values.contains("box rgb(255, 230, 128)"), "the state A3 ends in is lit: " + values);
    }
}
