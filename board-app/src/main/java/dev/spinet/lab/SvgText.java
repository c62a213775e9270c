package dev.spinet.lab;

import java.util.Locale;

/**
 * Text in the report's SVG drawings: escaping, number formatting, and how wide a string will be
 * drawn, so layouts can keep labels off boxes and off each other without a browser to measure.
 * Widths come from DejaVu Sans's advance widths (the first font the drawings ask for, and one of
 * the widest sans-serif fonts: Helvetica and Arial, the fallbacks, draw narrower), in 1/2048 em.
 */
final class SvgText {

    /** The font stack every drawing uses. */
    static final String FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";
    /** Monospaced stack (ladder labels); DejaVu Sans Mono advances 0.602 em per character. */
    static final String MONO = "DejaVu Sans Mono, Menlo, Consolas, monospace";

    // DejaVu Sans (Book and Bold), advance widths of ' ' (32) to '~' (126) in 1/2048 em.
    private static final short[] REGULAR = {651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651,
        690, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087, 2048, 1401, 1405,
        1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612, 1235, 1612, 1423, 1300, 1251, 1499, 1401,
        2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186,
        569, 1995, 1298, 1253, 1300, 1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716};
    private static final short[] BOLD = {713, 934, 1067, 1716, 1425, 2052, 1786, 627, 936, 936, 1071, 1716, 778, 850, 778, 748,
        1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 819, 819, 1716, 1716, 1716, 1188, 2048, 1585, 1561, 1503,
        1700, 1399, 1399, 1681, 1714, 762, 762, 1587, 1305, 2038, 1714, 1741, 1501, 1741, 1577, 1475, 1397, 1663, 1585, 2259,
        1579, 1483, 1485, 936, 748, 936, 1716, 1024, 1024, 1382, 1466, 1214, 1466, 1389, 891, 1466, 1458, 702, 702, 1362, 702,
        2134, 1458, 1407, 1466, 1466, 1010, 1219, 979, 1458, 1335, 1892, 1321, 1335, 1192, 1458, 748, 1458, 1716};
    /** Characters outside the table (arrows, symbols) are taken as one em wide. */
    private static final int WIDE = 2048;

    private SvgText() {
    }

    /** Drawn width of {@code text} at {@code size} px in DejaVu Sans (bold or regular). */
    static double width(String text, double size, boolean bold) {
        short[] table = bold ? BOLD : REGULAR;
        long units = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            units += c >= 32 && c <= 126 ? table[c - 32] : WIDE;
        }
        return units * size / 2048.0;
    }

    /**
     * Drawn width of {@code text} at {@code size} px in a monospaced font. A Chinese character (or
     * full-width mark) comes from a CJK font, two columns wide: one em.
     */
    static double monoWidth(String text, double size) {
        double width = 0;
        for (int i = 0; i < text.length(); i++) {
            width += LabText.isHan(text.charAt(i)) ? size : size * 0.602;
        }
        return width;
    }

    /** XML text: the five characters with a meaning escaped. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    /** A coordinate with one decimal, locale-independent. */
    static String f(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
