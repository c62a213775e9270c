package dev.spinet.control;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The control conversation on TCP port {@value #PORT}: how the instructor switches a board's lab
 * or resets it, proving knowledge of the board's key without sending it (HMAC-SHA256, RFC 2104).
 *
 * <pre>
 * board:      spinet-control 1 board=bench-03 nonce=5f0c...32 hex digits\n
 * instructor: lab time-wait proof=HMAC(key, "spinet-control 1\nbench-03\n5f0c...\nlab time-wait")\n
 * board:      ok lab time-wait\n        (or: error what went wrong\n), then it closes
 * </pre>
 * Commands: {@code lab NAME}, {@code lab NAME peer A.B.C.D}, {@code reset}. The nonce is 16 random
 * bytes drawn for each connection, good for one command and for {@value #ANSWER_WITHIN_SECONDS} s,
 * so a recorded conversation cannot be replayed and a proof cannot be moved to another board (the
 * board's name is in what is signed) or to another command. See docs/labs-images.md ("Switching
 * labs without reflashing") for the threat model.
 */
public final class ControlProtocol {

    /** The board's control port. */
    public static final int PORT = 7070;
    /** How long the board waits for the command after its greeting. */
    public static final int ANSWER_WITHIN_SECONDS = 10;
    public static final int NONCE_BYTES = 16;
    /** Longest line either side sends, newline included. */
    public static final int LINE_LIMIT = 256;
    static final String VERSION = "spinet-control 1";

    private ControlProtocol() {
    }

    /** The board's first line. */
    public static String greeting(String board, String nonce) {
        return VERSION + " board=" + board + " nonce=" + nonce + "\n";
    }

    /** The board name and nonce of a greeting. */
    public record Greeting(String board, String nonce) {
    }

    /**
     * @throws IllegalArgumentException when the line is not a greeting of this protocol version
     */
    public static Greeting parseGreeting(String line) {
        String[] words = line.strip().split(" ");
        if (words.length != 4 || !(words[0] + " " + words[1]).equals(VERSION) || !words[2].startsWith("board=")
                || !words[3].matches("nonce=[0-9a-f]{" + 2 * NONCE_BYTES + "}")) {
            throw new IllegalArgumentException("not a Spinet control greeting: '" + line.strip() + "'");
        }
        return new Greeting(words[2].substring("board=".length()), words[3].substring("nonce=".length()));
    }

    /** The instructor's line: the command and its proof. */
    public static String request(byte[] key, String board, String nonce, String command) {
        return command + " proof=" + proof(key, board, nonce, command) + "\n";
    }

    /** HMAC-SHA256 in hex of the version, the board's name, the nonce and the command, one per line. */
    public static String proof(byte[] key, String board, String nonce, String command) {
        return HexFormat.of().formatHex(hmac(key, VERSION + "\n" + board.toLowerCase(Locale.ROOT) + "\n" + nonce + "\n" + command));
    }

    /** Whether {@code proof} is the command's proof, compared in constant time. */
    public static boolean verify(byte[] key, String board, String nonce, String command, String proof) {
        byte[] expected = proof(key, board, nonce, command).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, proof.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no HmacSHA256, which every Java SE must provide", e);
        }
    }
}
