package dev.spinet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The known names closest to a mistyped one, for "did you mean ...?" in an error line: the names
 * at the smallest edit distance (optimal string alignment: insert, delete, substitute, or swap
 * two neighbouring letters, so {@code handshkae} is one step from {@code handshake}) within a
 * third of the typed length; the names the typed text begins or (from four letters) appears in
 * ({@code simultaneous}, {@code wait}); and the names that share two thirds of the typed text as
 * their beginning ({@code retransmit} for {@code retransmission}). Case is ignored.
 */
public final class Suggestions {

    private Suggestions() {
    }

    /** Close names in the order {@code known} lists them; empty when nothing is close. */
    public static List<String> closest(String typed, List<String> known) {
        String t = typed.strip().toLowerCase(Locale.ROOT);
        int limit = Math.min(3, Math.max(1, t.length() / 3));
        int best = Integer.MAX_VALUE;
        for (String name : known) {
            best = Math.min(best, distance(t, name.toLowerCase(Locale.ROOT)));
        }
        List<String> close = new ArrayList<>();
        for (String name : known) {
            String n = name.toLowerCase(Locale.ROOT);
            boolean nearest = best <= limit && distance(t, n) == best;
            boolean contained = (t.length() >= 3 && n.startsWith(t)) || (t.length() >= 4 && n.contains(t));
            boolean sameStart = commonPrefix(t, n) >= Math.max(4, (2 * t.length() + 2) / 3);
            if (nearest || contained || sameStart) {
                close.add(name);
            }
        }
        return close;
    }

    /**
     * {@code "did you mean handshake?"}, {@code "did you mean simultaneous-open or
     * simultaneous-close?"}, or empty when nothing is close.
     */
    public static String didYouMean(String typed, List<String> known) {
        List<String> close = closest(typed, known);
        if (close.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("did you mean ");
        for (int i = 0; i < close.size(); i++) {
            text.append(i == 0 ? "" : i == close.size() - 1 ? " or " : ", ").append(close.get(i));
        }
        return text.append('?').toString();
    }

    private static int commonPrefix(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return n;
    }

    /** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
