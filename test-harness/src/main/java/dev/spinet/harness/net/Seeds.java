package dev.spinet.harness.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Seeds for randomized tests: fixed with {@code -Dspinet.seed=N} to replay a run, otherwise a
 * fresh one per call. Every seed handed out (and every {@link FaultInjector}'s seed) is recorded,
 * so {@link SeedReporter} can print the rerun command when a test fails.
 *
 * <p>Recording is global (tests in this project run sequentially in one fork); the reporter
 * clears it before each test instance is built, so seeds taken in field initializers,
 * {@code @BeforeEach} methods and test bodies are all reported.
 *
 * <p>Rerun one failing test with its seed:
 * <pre>./mvnw -B -q -pl test-harness -am verify -Dtest=SomeTest -Dsurefire.failIfNoSpecifiedTests=false -Dspinet.seed=N</pre>
 */
public final class Seeds {

    /** The system property that fixes the seed. */
    public static final String PROPERTY = "spinet.seed";

    private static final int MAX_RECORDED = 16;
    private static final AtomicLong FRESH = new AtomicLong(SplitMix64.mix(System.nanoTime() ^ System.currentTimeMillis()));
    private static final long[] RECORDED = new long[MAX_RECORDED];
    private static int recordedCount;

    private Seeds() {
    }

    /**
     * The seed for this test: the value of {@code -Dspinet.seed} (decimal, or hex with {@code 0x})
     * if set, else a new random one. Recorded for {@link SeedReporter}.
     *
     * @throws IllegalArgumentException if the property is set but is not a number
     */
    public static long seed() {
        String fixed = System.getProperty(PROPERTY);
        long seed = fixed == null || fixed.isBlank() ? fresh() : parse(fixed.trim());
        record(seed);
        return seed;
    }

    /** Whether {@code -Dspinet.seed} fixes the seed in this run. */
    public static boolean fixed() {
        String fixed = System.getProperty(PROPERTY);
        return fixed != null && !fixed.isBlank();
    }

    private static long fresh() {
        return SplitMix64.mix(FRESH.addAndGet(0x9E37_79B9_7F4A_7C15L) ^ System.nanoTime());
    }

    static long parse(String text) {
        try {
            if (text.startsWith("0x") || text.startsWith("0X")) {
                return Long.parseUnsignedLong(text.substring(2), 16);
            }
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + text + " is not a seed: give a decimal long (as printed on failure) or 0x-hex", e);
        }
    }

    /** Remembers a seed used by the running test (duplicates are ignored; at most 16 kept). */
    public static synchronized void record(long seed) {
        for (int i = 0; i < recordedCount; i++) {
            if (RECORDED[i] == seed) {
                return;
            }
        }
        if (recordedCount < MAX_RECORDED) {
            RECORDED[recordedCount++] = seed;
        }
    }

    /** The seeds recorded since the last {@link #clearRecorded()}, oldest first. */
    public static synchronized long[] recorded() {
        return java.util.Arrays.copyOf(RECORDED, recordedCount);
    }

    /** Forgets recorded seeds (the reporter calls this before each test). */
    public static synchronized void clearRecorded() {
        recordedCount = 0;
    }

    /** {@code seed=N (rerun with -Dspinet.seed=N)}. */
    public static String rerunHint(long seed) {
        return "seed=" + seed + " (rerun with -D" + PROPERTY + "=" + seed + ")";
    }
}
