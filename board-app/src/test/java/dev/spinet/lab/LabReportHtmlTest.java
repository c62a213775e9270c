package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class LabReportHtmlTest {

    @Test
    void reportParsesAndReferencesNothingOutsideItself() throws Exception {
        LabResult result = LabRun.run(LabCatalogue.standard().lab("simultaneous-close"), 1);
        String html = LabReportHtml.render(result, "simultaneous-close.pcap");
        Document document = StateDiagramSvgTest.parse(html);
        assertEquals("html", document.getDocumentElement().getNodeName());
        assertEquals(1, document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg").getLength(), "the diagram is inline");
        Matcher urls = Pattern.compile("(?i)(https?:|ftp:|//[a-z])[^\"' <]*").matcher(html);
        while (urls.find()) {
            assertEquals("http://www.w3.org/2000/svg", urls.group(), "only the SVG namespace name may look like a URL");
        }
        for (String attribute : new String[] {"src=", "href=", "@import", "<script", "<link"}) {
            assertFalse(html.contains(attribute), attribute);
        }
        assertTrue(html.contains("FIN_WAIT_1 -&gt; CLOSING (RCV_FIN)"), "the steps are listed");
        assertTrue(html.contains("Both sides walked the expected edges"), "the result is stated");
    }

    @Test
    void chromiumOpensTheReportOffline(@TempDir Path dir) throws Exception {
        LabResult result = LabRun.run(LabCatalogue.standard().lab("handshake"), 1);
        Path file = dir.resolve("handshake.html");
        Files.writeString(file, LabReportHtml.render(result, "handshake.pcap"));
        BufferedImage image = HeadlessChromium.screenshot(file, dir.resolve("handshake.png"), 1200, 1600);
        assertTrue(HeadlessChromium.luminanceVariance(image) > 100, "the page rendered something");
    }
}
