package dev.spinet.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the SPI controller on in the Pi firmware's {@code config.txt}: exactly one active
 * {@code dtparam=spi=on} line that applies to every board, whatever was there before, and nothing
 * else changed. Running it on its own output changes nothing (so two image builds give one line).
 *
 * <p>config.txt has conditional sections ({@code [pi4]}, {@code [cm5]}, ...): a line applies to
 * all boards only before the first section header or after an {@code [all]} header (Raspberry Pi
 * documentation, "Conditional filters"). So the line goes
 * <ol>
 *   <li>nowhere, if an all-boards {@code dtparam=spi=on} already exists (duplicates of it in the
 *       all-boards scope are removed);</li>
 *   <li>in place of an all-boards {@code #dtparam=spi=on} (the stock image ships it commented
 *       out) or {@code dtparam=spi=off};</li>
 *   <li>otherwise at the end, after an {@code [all]} header if the file ends inside a filter.</li>
 * </ol>
 * The file's line ending (LF or CRLF) is kept.
 */
public final class ConfigTxtEditor {

    public static final String SPI_ON = "dtparam=spi=on";

    private ConfigTxtEditor() {
    }

    public static String enableSpi(String original) {
        String eol = original.contains("\r\n") ? "\r\n" : "\n";
        List<String> lines = new ArrayList<>(List.of(original.split("\r?\n", -1)));
        boolean endsWithNewline = !lines.isEmpty() && lines.getLast().isEmpty();
        if (endsWithNewline) {
            lines.removeLast();
        }

        boolean allScope = true;
        int activeAt = -1;
        int replaceAt = -1;
        List<Integer> duplicates = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.get(i).strip();
            if (t.startsWith("[")) {
                allScope = t.equalsIgnoreCase("[all]");
                continue;
            }
            if (!allScope) {
                continue;
            }
            if (t.equals(SPI_ON)) {
                if (activeAt < 0) {
                    activeAt = i;
                } else {
                    duplicates.add(i);
                }
            } else if (replaceAt < 0 && isReplaceable(t)) {
                replaceAt = i;
            }
        }

        if (activeAt >= 0) {
            for (int d = duplicates.size() - 1; d >= 0; d--) {
                lines.remove((int) duplicates.get(d));
            }
        } else if (replaceAt >= 0) {
            lines.set(replaceAt, SPI_ON);
        } else {
            if (!allScope) {
                lines.add("[all]");
            }
            lines.add(SPI_ON);
        }
        String joined = String.join(eol, lines);
        return lines.isEmpty() ? joined : joined + eol;
    }

    /** "#dtparam=spi=on", "# dtparam=spi=on" or an active "dtparam=spi=off". */
    private static boolean isReplaceable(String stripped) {
        if (stripped.equals("dtparam=spi=off")) {
            return true;
        }
        if (!stripped.startsWith("#")) {
            return false;
        }
        return stripped.substring(1).strip().equals(SPI_ON);
    }

    /** How many all-boards {@code dtparam=spi=on} lines the text has (for tests and inspect). */
    public static int countActiveSpiOn(String text) {
        boolean allScope = true;
        int count = 0;
        for (String line : text.split("\r?\n")) {
            String t = line.strip();
            if (t.startsWith("[")) {
                allScope = t.equalsIgnoreCase("[all]");
            } else if (allScope && t.equals(SPI_ON)) {
                count++;
            }
        }
        return count;
    }
}
