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
        long greyPaths = countPaths(svg, "#b8b8b8", null);
        assertEquals(21, greyPaths, "one grey line per edge of RFC 9293 figure 5 (each joins its own pair of boxes)");
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
        assertTrue(text.contains(">A1<") && text.contains(">A2<") && text.contains(">A3<") && text.contains(">B1<"), text);
        assertTrue(text.contains(">rcv rst<"), "an edge outside the figure is labelled with its cause");
        assertFalse(text.contains("http://") && text.replace("http://www.w3.org/2000/svg", "").contains("http://"),
                "no references outside the namespace");
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
