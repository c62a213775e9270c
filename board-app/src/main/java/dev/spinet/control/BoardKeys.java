package dev.spinet.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code spinet/control.keys} on a lab image: one {@code NAME HEXKEY} line per board the image
 * serves (one line for a board's own image, one per roster row for a whole-class image), each key
 * {@link ControlToken#boardKey}. systemd hands the file to the service as a credential
 * ({@code LoadCredential=}), readable by the service alone.
 */
public final class BoardKeys {

    public static final String FILE = "control.keys";

    private final Map<String, byte[]> keys;

    private BoardKeys(Map<String, byte[]> keys) {
        this.keys = keys;
    }

    /** The file's text for these boards, keys derived from {@code token}. */
    public static String render(ControlToken token, Iterable<String> boards) {
        StringBuilder sb = new StringBuilder("# Spinet board control keys (written by `spinet image build --roster`).\n"
                + "# Each is HMAC-SHA256(class token, board name): it opens that board's control port, no other.\n");
        for (String board : boards) {
            sb.append(board.toLowerCase(Locale.ROOT)).append(' ').append(HexFormat.of().formatHex(token.boardKey(board))).append('\n');
        }
        return sb.toString();
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with the file
     */
    public static BoardKeys read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("--control-key " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n")) {
            lineNo++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] words = t.split("\\s+");
            if (words.length != 2 || !words[1].matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("--control-key " + file + " line " + lineNo + ": expected 'BOARD HEXKEY' (64 hex digits)");
            }
            keys.put(words[0].toLowerCase(Locale.ROOT), HexFormat.of().parseHex(words[1]));
        }
        return new BoardKeys(keys);
    }

    /**
     * @throws IllegalArgumentException when the file holds no key for that board
     */
    public byte[] keyFor(String board) {
        byte[] key = keys.get(board.toLowerCase(Locale.ROOT));
        if (key == null) {
            throw new IllegalArgumentException("the control key file has no key for board '" + board
                    + "'; rebuild the image from the roster that names it");
        }
        return key.clone();
    }
}
