package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.StateDiagram;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class StateDiagramSvgTest {

    static String escapeForTest(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void emptyDiagramIsValidSvgWithEveryStateAndTheFigureEdges() throws Exception {
        Document svg = parse(StateDiagramSvg.render());
        Element root = svg.getDocumentElement();
        assertEquals("svg", root.getLocalName());
        assertEquals("http://www.w3.org/2000/svg", root.getNamespaceURI());
        NodeList texts = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < texts.getLength(); i++) {
            all.append(texts.item(i).getTextContent()).append('|');
        }
        for (String state : List.of("CLOSED", "LISTEN", "SYN_RCVD", "SYN_SENT", "ESTAB", "FIN_WAIT_1", "FIN_WAIT_2",
                "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT")) {
            assertTrue(all.toString().contains("|" + state + "|") || all.toString().startsWith(state + "|"), state);
        }
        assertEquals(21, countClass(svg, "path", "figure-edge"), "one grey line per edge of RFC 9293 figure 5 (each joins its own pair of boxes)");
        assertEquals(0, countClass(svg, "path", "outside-edge"), "edges outside the figure only when walked");
        assertEquals(3, countClass(svg, "g", "state") - 10, "three CLOSED boxes: top, bottom right, and bottom left for RST, ABORT and timeouts");
    }

    private static long countClass(Document svg, String tag, String cssClass) {
        NodeList elements = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
        long n = 0;
        for (int i = 0; i < elements.getLength(); i++) {
            if (List.of(((Element) elements.item(i)).getAttribute("class").split(" ")).contains(cssClass)) {
                n++;
            }
        }
        return n;
    }

    private static long countPaths(Document svg, String stroke, String dash) {
        NodeList paths = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path");
        long n = 0;
        for (int i = 0; i < paths.getLength(); i++) {
            Element path = (Element) paths.item(i);
            if (stroke.equals(path.getAttribute("stroke")) && (dash == null || dash.equals(path.getAttribute("stroke-dasharray")))) {
                n++;
            }
        }
        return n;
    }

    @Test
    void walkedEdgesAreHighlightedSolidForAAndDashedForBAndNumbered() throws Exception {
        List<StateDiagram.Edge> a = List.of(StateDiagram.find(TcpState.CLOSED, TcpState.SYN_SENT, TransitionCause.ACTIVE_OPEN),
                StateDiagram.find(TcpState.SYN_SENT, TcpState.ESTABLISHED, TransitionCause.RCV_SYN_ACK),
                StateDiagram.find(TcpState.ESTABLISHED, TcpState.CLOSED, TransitionCause.RCV_RST));
        List<StateDiagram.Edge> b = List.of(StateDiagram.find(TcpState.CLOSED, TcpState.LISTEN, TransitionCause.PASSIVE_OPEN));
        String text = StateDiagramSvg.render(a, b, "A: client (solid)", "B: server (dashed)");
        Document svg = parse(text);
        assertEquals(3, countPaths(svg, "#1f5fbf", null), "A's three edges");
        assertEquals(1, countPaths(svg, "#d9660b", "7,5"), "B's edge, dashed");
        assertTrue(text.contains(">A 1<") && text.contains(">A 2<") && text.contains(">A 3: rcv RST<") && text.contains(">B 1<"), text);
        assertEquals(1, countClass(svg, "path", "outside-edge"), "the edge outside the figure is drawn, into the CLOSED box bottom left");
        assertTrue(text.contains("class=\"state at-a3\" id=\"state-closed-outside\""), "A3 ends in the CLOSED box bottom left");
        assertFalse(text.contains("http://") && text.replace("http://www.w3.org/2000/svg", "").contains("http://"),
                "no references outside the namespace");
    }

    @Test
    void aBoardsOwnDiagramSaysHowOftenEachEdgeWasWalked() throws Exception {
        StateDiagram.Edge open = StateDiagram.find(TcpState.CLOSED, TcpState.LISTEN, TransitionCause.PASSIVE_OPEN);
        StateDiagram.Edge reset = StateDiagram.find(TcpState.ESTABLISHED, TcpState.CLOSED, TransitionCause.RCV_RST);
        StateDiagram.Edge abort = StateDiagram.find(TcpState.ESTABLISHED, TcpState.CLOSED, TransitionCause.ABORT);
        String text = StateDiagramSvg.renderCounts(List.of(open, reset, abort), List.of(1L, 12L, 3L), "this board");
        parse(text);
        assertTrue(text.contains(">1x<") && text.contains(">12x: rcv RST<") && text.contains(">3x: ABORT<"), text);
        assertFalse(text.contains(">A 1<"), "no step numbers: a board's edges are not in any order");
    }

    /**
     * docs/labs.md: edges the figure leaves to the text (RST, ABORT, timeouts) go "into a third
     * CLOSED box bottom left": the walked line of each of them ends on that box.
     */
    @Test
    void everyEdgeOutsideTheFigureEndsInTheClosedBoxBottomLeft() throws Exception {
        List<String> wrong = new java.util.ArrayList<>();
        for (StateDiagram.Edge edge : StateDiagram.edges()) {
            if (edge.to() != TcpState.CLOSED || isFigureEdge(edge)) {
                continue;
            }
            Document svg = parse(StateDiagramSvg.render(List.of(edge), List.of(), "A", ""));
            double[] box = bottomLeftClosedBox(svg);
            double[] end = lastPoint(walkedPath(svg));
            boolean onBox = end[0] >= box[0] - 12 && end[0] <= box[0] + box[2] + 12 && end[1] >= box[1] - 12 && end[1] <= box[1] + box[3] + 12;
            if (!onBox) {
                wrong.add(edge + " ends at " + end[0] + "," + end[1]);
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static boolean isFigureEdge(StateDiagram.Edge edge) {
        return edge.from() == TcpState.LISTEN && edge.cause() == TransitionCause.CLOSE
                || edge.from() == TcpState.SYN_SENT && edge.cause() == TransitionCause.CLOSE
                || edge.from() == TcpState.LAST_ACK && edge.cause() == TransitionCause.RCV_ACK_OF_FIN
                || edge.from() == TcpState.TIME_WAIT && edge.cause() == TransitionCause.TIME_WAIT_TIMEOUT;
    }

    /** {x, y, width, height} of the lowest, then leftmost, CLOSED box. */
    private static double[] bottomLeftClosedBox(Document svg) {
        NodeList groups = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "g");
        double[] best = null;
        for (int i = 0; i < groups.getLength(); i++) {
            Element group = (Element) groups.item(i);
            if (!group.getAttribute("id").startsWith("state-closed")) {
                continue;
            }
            Element rect = (Element) group.getElementsByTagNameNS("http://www.w3.org/2000/svg", "rect").item(0);
            double[] r = {Double.parseDouble(rect.getAttribute("x")), Double.parseDouble(rect.getAttribute("y")),
                Double.parseDouble(rect.getAttribute("width")), Double.parseDouble(rect.getAttribute("height"))};
            if (best == null || r[1] > best[1] + 1 || Math.abs(r[1] - best[1]) <= 1 && r[0] < best[0]) {
                best = r;
            }
        }
        return best;
    }

    private static Element walkedPath(Document svg) {
        NodeList paths = svg.getElementsByTagNameNS("http://www.w3.org/2000/svg", "path");
        for (int i = 0; i < paths.getLength(); i++) {
            Element path = (Element) paths.item(i);
            if ("#1f5fbf".equals(path.getAttribute("stroke"))) {
                return path;
            }
        }
        throw new AssertionError("no walked (blue) path");
    }

    private static double[] lastPoint(Element path) {
        String[] numbers = path.getAttribute("d").replaceAll("[A-Za-z]", " ").trim().split("\\s+");
        return new double[] {Double.parseDouble(numbers[numbers.length - 2]), Double.parseDouble(numbers[numbers.length - 1])};
    }

    @Test
    void chromiumRendersTheLabDiagramToANonBlankImage(@TempDir Path dir) throws Exception {
        LabResult result = LabRun.run(LabCatalogue.standard().lab("close"), 1);
        Path file = dir.resolve("close.svg");
        Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + StateDiagramSvg.render(result));
        BufferedImage image = HeadlessChromium.screenshot(file, dir.resolve("close.png"), StateDiagramSvg.WIDTH, StateDiagramSvg.HEIGHT);
        assertTrue(HeadlessChromium.luminanceVariance(image) > 100, "the PNG is not blank");
        assertTrue(HeadlessChromium.pixelsNear(image, 0x1f5fbf, 40) > 500, "A's path (blue) is drawn");
        assertTrue(HeadlessChromium.pixelsNear(image, 0xd9660b, 40) > 500, "B's path (orange) is drawn");
    }
}
