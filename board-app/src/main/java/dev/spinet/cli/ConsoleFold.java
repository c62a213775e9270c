package dev.spinet.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Folds prose to a console width, in English and in Chinese. A Chinese character takes two columns
 * on a terminal (East Asian Width "W"/"F", Unicode UAX #11) and Chinese has no spaces, so a line may
 * also break between two characters when either is Chinese, except before a closing punctuation mark
 * or after an opening one (the line-start and line-end rules of Chinese typesetting: no line begins
 * with ，。、；：？！）」》 and none ends with （「《).
 */
final class ConsoleFold {

    private static final String NO_LINE_START = "，。、；：？！）」》”’…";
    private static final String NO_LINE_END = "（「《“‘";

    private ConsoleFold() {
    }

    /** {@code text} in lines of at most {@code width} columns where a break allows, the first after {@code first}, the others after {@code rest}. */
    static List<String> fold(String text, int width, String first, String rest) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder(first);
        int columns = columns(first);
        int start = line.length();
        for (String piece : pieces(text)) {
            boolean space = piece.equals(" ");
            if (space && line.length() == start) {
                continue;
            }
            int pieceColumns = columns(piece);
            if (!space && line.length() > start && columns + pieceColumns > width) {
                lines.add(line.toString().stripTrailing());
                line.setLength(0);
                line.append(rest);
                columns = columns(rest);
                start = line.length();
            }
            line.append(piece);
            columns += pieceColumns;
        }
        lines.add(line.toString().stripTrailing());
        return lines;
    }

    /** The text cut where a line may break: words, single spaces, and each Chinese character with the marks that must follow it. */
    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean glued = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (glued && c != ' ') {
                // The character after an opening mark stays with it.
                word.append(c);
                glued = false;
            } else if (NO_LINE_END.indexOf(c) >= 0) {
                flush(pieces, word);
                word.append(c);
                glued = true;
            } else if (c == ' ') {
                flush(pieces, word);
                pieces.add(" ");
            } else if (wide(c) && NO_LINE_START.indexOf(c) < 0) {
                flush(pieces, word);
                word.append(c);
            } else if (NO_LINE_START.indexOf(c) >= 0 || word.isEmpty() || !wide(word.charAt(word.length() - 1))) {
                word.append(c);
            } else {
                // A Latin letter after a Chinese character: a break is allowed between them.
                flush(pieces, word);
                word.append(c);
            }
        }
        flush(pieces, word);
        return pieces;
    }

    private static void flush(List<String> pieces, StringBuilder word) {
        if (!word.isEmpty()) {
            pieces.add(word.toString());
            word.setLength(0);
        }
    }

    /** Terminal columns of {@code text}: two for each wide character, one for the others. */
    static int columns(String text) {
        int columns = 0;
        for (int i = 0; i < text.length(); i++) {
            columns += wide(text.charAt(i)) ? 2 : 1;
        }
        return columns;
    }

    /** A character a terminal draws two columns wide: CJK ideographs, CJK punctuation, full-width forms. */
    static boolean wide(char c) {
        return c >= 0x1100 && (c <= 0x115f || c >= 0x2e80 && c <= 0xa4cf || c >= 0xac00 && c <= 0xd7a3
                || c >= 0xf900 && c <= 0xfaff || c >= 0xfe30 && c <= 0xfe4f || c >= 0xff00 && c <= 0xff60 || c >= 0xffe0 && c <= 0xffe6);
    }
}
