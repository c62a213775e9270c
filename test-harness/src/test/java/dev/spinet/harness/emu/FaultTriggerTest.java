package dev.spinet.harness.emu;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** When a chip fault fires: after traffic or after time, as the command line writes it. */
class FaultTriggerTest {

    @ParameterizedTest
    @CsvSource({
            "500ms, 0, 500000000",
            "10s, 0, 10000000000",
            "1MB, 1000000, 0",
            "1MiB, 1048576, 0",
            "64kb, 64000, 0",
            "64KiB, 65536, 0",
            "100000B, 100000, 0"})
    void parsesTimesAndAmountsOfTraffic(String text, long bytes, long nanos) {
        assertEquals(new FaultTrigger(bytes, nanos), FaultTrigger.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "0s", "-5ms", "1GB", "ms", "seed:x", "99999999999999999s"})
    void refusesAnythingElseInOneLine(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FaultTrigger.parse(text));
        assertTrue(e.getMessage().endsWith("give a time (500ms, 10s), an amount of traffic through the chip (1MB, 64KiB, 100000B) or seed:N"),
                e.getMessage());
    }

    @Test
    void aSeededMomentIsReproducibleAndInsideItsRange() {
        FaultTrigger a = FaultTrigger.parse("seed:42");
        assertEquals(a, FaultTrigger.seeded(42));
        assertNotEquals(a, FaultTrigger.seeded(43));
        for (long seed = 0; seed < 100; seed++) {
            long bytes = FaultTrigger.seeded(seed).afterBytes();
            assertTrue(bytes >= FaultTrigger.SEEDED_MIN_BYTES && bytes < FaultTrigger.SEEDED_MAX_BYTES, seed + ": " + bytes);
        }
    }
}
