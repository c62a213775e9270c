package dev.spinet.harness.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.spinet.harness.mock.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

class SeedsTest {

    @Test
    void fixedSeedComesFromTheSystemProperty() {
        String before = System.getProperty(Seeds.PROPERTY);
        try {
            System.setProperty(Seeds.PROPERTY, "-42");
            assertEquals(-42L, Seeds.seed());
            System.setProperty(Seeds.PROPERTY, "0xFFFFFFFFFFFFFFFF");
            assertEquals(-1L, Seeds.seed());
            System.setProperty(Seeds.PROPERTY, "banana");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Seeds::seed);
            assertTrue(e.getMessage().contains("spinet.seed"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(Seeds.PROPERTY);
            } else {
                System.setProperty(Seeds.PROPERTY, before);
            }
        }
    }

    @Test
    void freshSeedsDifferAndAreRecorded() {
        org.junit.jupiter.api.Assumptions.assumeTrue(!Seeds.fixed(), "spinet.seed is fixed in this run");
        Seeds.clearRecorded();
        long first = Seeds.seed();
        long second = Seeds.seed();
        assertNotEquals(first, second);
        Seeds.record(first);
        assertArrayEquals(new long[] {first, second}, Seeds.recorded());
    }

    @Test
    void splitMixIsTheReferenceSequence() {
        // First outputs of SplitMix64 seeded with 0 (the values of the reference C implementation).
        SplitMix64 random = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, random.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, random.nextLong());
        assertEquals(0x06C45D188009454FL, random.nextLong());
        for (int i = 0; i < 1000; i++) {
            long value = random.nextLong(7);
            assertTrue(value >= 0 && value < 7);
            double d = random.nextDouble();
            assertTrue(d >= 0.0 && d < 1.0);
        }
    }

    /** Run only through the EngineTestKit below (Surefire skips nested classes). */
    @ExtendWith(SeedReporter.class)
    static class FailsWithASeed {
        private final FaultInjector faults = new FaultInjector(
                new VirtualWire(new ManualClock()).connect("x", 1), new ManualClock(), 987654321L);

        @Test
        void fails() {
            assertEquals(1, faults.seed(), "deliberate failure");
        }
    }

    @Test
    void reporterAttachesAndPrintsTheRerunLine() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Event failure;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            failure = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailsWithASeed.class)).execute()
                    .testEvents().failed().list().getFirst();
        } finally {
            System.setErr(err);
        }
        Throwable thrown = failure.getPayload(org.junit.platform.engine.TestExecutionResult.class)
                .orElseThrow().getThrowable().orElseThrow();
        assertTrue(thrown instanceof AssertionError, thrown.toString());
        String notes = Arrays.toString(thrown.getSuppressed());
        assertTrue(notes.contains("seed=987654321 (rerun with -Dspinet.seed=987654321)"), notes);
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("FailsWithASeed.fails() failed with seed=987654321 (rerun with -Dspinet.seed=987654321)"), printed);
    }
}
