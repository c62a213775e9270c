package dev.spinet.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The class's control secret: 32 random bytes that {@code spinet image build --roster} creates
 * once, next to the roster, and that only the instructor's machine keeps. A board never holds it:
 * it holds its own key, {@link #boardKey}, an HMAC of its name under the token, so a card read by a
 * student gives away that board's key and no other. The token never leaves the instructor's
 * machine; the key never leaves the board; only HMACs of fresh nonces go on the wire
 * ({@link ControlProtocol}).
 */
public final class ControlToken {

    /** Bytes of secret: the HMAC-SHA256 key size (RFC 2104 2: at least the hash output length). */
    public static final int BYTES = 32;
    private static final String KEY_LABEL = "spinet board control key 1\n";

    private final byte[] secret;

    private ControlToken(byte[] secret) {
        this.secret = secret.clone();
    }

    public static ControlToken generate(SecureRandom random) {
        byte[] secret = new byte[BYTES];
        random.nextBytes(secret);
        return new ControlToken(secret);
    }

    /**
     * Reads a token file (64 hex digits on the first line that is not a comment).
     *
     * @throws IllegalArgumentException saying what is wrong with the file
     */
    public static ControlToken read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("control token " + file + ": cannot read it (" + e.getMessage()
                    + "); it is made by spinet image build --roster, next to the roster");
        }
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            if (!t.matches("[0-9a-fA-F]{" + 2 * BYTES + "}")) {
                throw new IllegalArgumentException("control token " + file + ": expected " + 2 * BYTES + " hex digits");
            }
            return new ControlToken(HexFormat.of().parseHex(t));
        }
        throw new IllegalArgumentException("control token " + file + " is empty");
    }

    /**
     * The token in {@code file}, or a new one written there (owner read/write only) when there is
     * none yet, so every image built from one roster shares the token.
     *
     * @return the token, and whether it was created
     */
    public static Loaded readOrCreate(Path file, SecureRandom random) throws IOException {
        if (Files.exists(file)) {
            return new Loaded(read(file), false);
        }
        ControlToken token = generate(random);
        String text = "# Spinet class control token: keep it on the instructor's machine, never on a board.\n"
                + "# spinet class switch/reset read it; a new token needs new images.\n"
                + HexFormat.of().formatHex(token.secret) + "\n";
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            return new Loaded(read(file), false);
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (a FAT stick, say): the file keeps that system's permissions.
        }
        return new Loaded(token, true);
    }

    /** A token file's contents, and whether this call created it. */
    public record Loaded(ControlToken token, boolean created) {
    }

    /** The token file of a roster: {@code class.csv} -> {@code class.token}, beside it. */
    public static Path besideRoster(Path roster) {
        String name = roster.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return roster.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".token");
    }

    /** Board {@code name}'s key: HMAC-SHA256(token, label + lower-case name). */
    public byte[] boardKey(String boardName) {
        return ControlProtocol.hmac(secret, KEY_LABEL + boardName.toLowerCase(Locale.ROOT));
    }
}
