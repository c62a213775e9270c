package dev.spinet.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The class token, the board keys derived from it, and the files that hold them. */
class ControlTokenTest {

    @TempDir
    Path dir;

    @Test
    void theTokenFileIsMadeOnceOwnerOnlyAndReused() throws IOException {
        Path file = ControlToken.besideRoster(dir.resolve("class.csv"));
        assertEquals(dir.resolve("class.token"), file);
        ControlToken.Loaded first = ControlToken.readOrCreate(file, new SecureRandom());
        assertTrue(first.created());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        ControlToken.Loaded again = ControlToken.readOrCreate(file, new SecureRandom());
        assertFalse(again.created());
        assertArrayEquals(first.token().boardKey("bench-01"), again.token().boardKey("bench-01"));
    }

    @Test
    void aBoardKeyIsHmacSha256OfTheLabelledNameUnderTheToken() throws Exception {
        Path file = dir.resolve("t.token");
        String hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        Files.writeString(file, "# comment\n" + hex + "\n");
        ControlToken token = ControlToken.read(file);
        // An independent HMAC computation (the JDK's Mac, RFC 2104) of what ControlToken documents.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(hex), "HmacSHA256"));
        byte[] expected = mac.doFinal("spinet board control key 1\nbench-01".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(expected, token.boardKey("Bench-01"));
        assertFalse(java.util.Arrays.equals(token.boardKey("bench-01"), token.boardKey("bench-02")));

        Path keys = Files.writeString(dir.resolve("control.keys"), BoardKeys.render(token, List.of("bench-01", "bench-02")));
        assertArrayEquals(expected, BoardKeys.read(keys).keyFor("BENCH-01"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> BoardKeys.read(keys).keyFor("bench-03"));
        assertTrue(missing.getMessage().contains("no key for board 'bench-03'"), missing.getMessage());
        assertTrue(Files.readString(keys).lines().noneMatch(l -> l.contains(hex)), "the token itself is not in the keys file");
    }

    @Test
    void badTokenFilesSayWhatIsWrong() throws IOException {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ControlToken.read(dir.resolve("none.token")))
                .getMessage().contains("made by spinet image build --roster"));
        Path shortOne = Files.writeString(dir.resolve("short.token"), "abcd\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ControlToken.read(shortOne)).getMessage().contains("64 hex digits"));
    }

    @Test
    void theProofCoversVersionBoardNonceAndCommand() {
        byte[] key = new byte[32];
        String proof = ControlProtocol.proof(key, "bench-01", "00".repeat(16), "lab close");
        assertTrue(ControlProtocol.verify(key, "BENCH-01", "00".repeat(16), "lab close", proof));
        assertFalse(ControlProtocol.verify(key, "bench-02", "00".repeat(16), "lab close", proof));
        assertFalse(ControlProtocol.verify(key, "bench-01", "01".repeat(16), "lab close", proof));
        assertFalse(ControlProtocol.verify(key, "bench-01", "00".repeat(16), "lab abort", proof));
        assertEquals(new ControlProtocol.Greeting("bench-01", "ab".repeat(16)),
                ControlProtocol.parseGreeting(ControlProtocol.greeting("bench-01", "ab".repeat(16))));
        assertThrows(IllegalArgumentException.class, () -> ControlProtocol.parseGreeting("SSH-2.0-OpenSSH_9.6"));
        assertEquals(new ControlCommand("syn-sent", 0x0A000079), ControlCommand.parse("lab syn-sent peer 10.0.0.121"));
        assertEquals("lab syn-sent peer 10.0.0.121", ControlCommand.parse("lab syn-sent peer 10.0.0.121").text());
        assertThrows(IllegalArgumentException.class, () -> ControlCommand.parse("lab"));
        assertThrows(IllegalArgumentException.class, () -> ControlCommand.parse("rm -rf /"));
    }
}
