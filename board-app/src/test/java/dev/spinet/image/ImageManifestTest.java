package dev.spinet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageManifestTest {

    @Test
    void roundTripAndSha256sumFormat() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("lab", "time-wait");
        facts.put("built", "2026-01-02T03:04:05Z");
        String jarHash = Sha256.hex(new byte[] {1, 2, 3});
        ImageManifest m = new ImageManifest(facts, List.of(new ImageManifest.Entry(jarHash, "spinet/spinet.jar")));
        String text = m.render();
        assertTrue(text.contains("\n" + jarHash + "  spinet/spinet.jar\n"), "sha256sum -c format: " + text);
        assertEquals(m, ImageManifest.parse(text));
    }

    @Test
    void sha256OfKnownInput() {
        // FIPS 180-2 example: SHA-256("abc").
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.hex("abc".getBytes()));
    }

    @Test
    void garbageAndEmptyManifestsAreRejected() {
        ImageException e = assertThrows(ImageException.class, () -> ImageManifest.parse("lab: x\nnot a line at all\n"));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        assertThrows(ImageException.class, () -> ImageManifest.parse("lab: x\n"));
    }
}
