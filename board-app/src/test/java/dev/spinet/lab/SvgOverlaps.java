package dev.spinet.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Has headless Chromium lay out SVG drawings and measure every rectangle and text in them
 * ({@code getBBox}, in the drawing's own units), then checks that nothing covers anything it
 * should not: a text lies wholly inside a rectangle (its box or badge) or wholly outside every
 * rectangle, two rectangles are apart or one holds the other, and no two texts touch.
 */
final class SvgOverlaps {

    /** One measured element of a drawing. */
    record Element(String drawing, String tag, int index, double x, double y, double width, double height, String text) {

        boolean overlaps(Element other, double tolerance) {
            return x + tolerance < other.x + other.width && other.x + tolerance < x + width
                    && y + tolerance < other.y + other.height && other.y + tolerance < y + height;
        }

        boolean inside(Element other, double tolerance) {
            return x >= other.x - tolerance && y >= other.y - tolerance && x + width <= other.x + other.width + tolerance
                    && y + height <= other.y + other.height + tolerance;
        }

        @Override
        public String toString() {
            String what = tag.equals("text") ? "text \"" + text + "\"" : "rect #" + index;
            return String.format(java.util.Locale.ROOT, "%s [%.0f,%.0f %.0fx%.0f]", what, x, y, width, height);
        }
    }

    private static final String SCRIPT = """
            <script>
            var out = [];
            document.querySelectorAll('div.case').forEach(function (div) {
              var name = div.getAttribute('data-name');
              var svg = div.querySelector('svg');
              var width = svg.viewBox.baseVal.width;
              svg.querySelectorAll('rect, text').forEach(function (el, i) {
                if (el.closest('defs, clipPath, marker')) { return; }
                var b = el.getBBox();
                if (el.tagName === 'rect' && b.width >= width - 0.5) { return; }
                var text = el.tagName === 'text' ? el.textContent.replace(/[\\t\\n]/g, ' ') : '';
                out.push([name, el.tagName, i, b.x, b.y, b.width, b.height, text].join('\\t'));
              });
            });
            document.getElementById('measured').textContent = out.join('\\n');
            </script>
            """;

    private SvgOverlaps() {
    }

    /** Every rect and text of each drawing, as Chromium lays them out. */
    static Map<String, List<Element>> measure(Map<String, String> drawings, Path dir) throws IOException, InterruptedException {
        StringBuilder page = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"/></head><body>\n");
        for (Map.Entry<String, String> drawing : drawings.entrySet()) {
            page.append("<div class=\"case\" data-name=\"").append(drawing.getKey()).append("\">").append(drawing.getValue()).append("</div>\n");
        }
        page.append("<pre id=\"measured\"></pre>\n").append(SCRIPT).append("</body></html>\n");
        Path file = dir.resolve("drawings.html");
        Files.writeString(file, page);
        String dom = HeadlessChromium.dumpDom(file);
        Matcher measured = Pattern.compile("(?s)<pre id=\"measured\">(.*?)</pre>").matcher(dom);
        assertTrue(measured.find(), "Chromium returned no measurements: " + dom.substring(0, Math.min(500, dom.length())));
        Map<String, List<Element>> result = new LinkedHashMap<>();
        for (String name : drawings.keySet()) {
            result.put(name, new ArrayList<>());
        }
        for (String line : measured.group(1).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = unescape(line).split("\t", -1);
            result.get(f[0]).add(new Element(f[0], f[1], Integer.parseInt(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4]),
                    Double.parseDouble(f[5]), Double.parseDouble(f[6]), f[7]));
        }
        return result;
    }

    private static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }

    /** What covers what in one drawing (empty when nothing does). */
    static List<String> problems(List<Element> elements) {
        double tolerance = 0.5;
        List<Element> rects = elements.stream().filter(e -> e.tag.equals("rect")).toList();
        List<Element> texts = elements.stream().filter(e -> e.tag.equals("text") && !e.text.isBlank()).toList();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < rects.size(); i++) {
            for (int j = i + 1; j < rects.size(); j++) {
                Element a = rects.get(i);
                Element b = rects.get(j);
                if (a.overlaps(b, tolerance) && !a.inside(b, tolerance) && !b.inside(a, tolerance)) {
                    problems.add(a + " overlaps " + b);
                }
            }
        }
        for (Element text : texts) {
            for (Element rect : rects) {
                if (text.overlaps(rect, tolerance) && !text.inside(rect, 1.0)) {
                    problems.add(text + " is partly under " + rect);
                }
            }
        }
        for (int i = 0; i < texts.size(); i++) {
            for (int j = i + 1; j < texts.size(); j++) {
                if (texts.get(i).overlaps(texts.get(j), tolerance)) {
                    problems.add(texts.get(i) + " overlaps " + texts.get(j));
                }
            }
        }
        return problems;
    }
}
