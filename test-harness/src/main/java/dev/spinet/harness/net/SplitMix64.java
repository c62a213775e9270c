package dev.spinet.harness.net;

/**
 * A tiny seeded PRNG (SplitMix64, Steele, Lea and Flood, OOPSLA 2014): one {@code long} of
 * state, no allocation per call, and the same sequence for the same seed on every JVM, so a
 * fault pattern is reproducible from the seed alone. Not for cryptography. Not thread-safe.
 */
public final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9E37_79B9_7F4A_7C15L;

    private long state;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /** The next 64 random bits. */
    public long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** Uniform in [0, 1) with 53 bits of precision. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound) for {@code bound > 0} (Lemire's multiply-shift without rejection: bias below bound / 2^64). */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, was " + bound);
        }
        return Math.unsignedMultiplyHigh(nextLong(), bound);
    }

    /** SplitMix64's finalizer (a variant of MurmurHash3's fmix64): a good 64-bit mixer on its own. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
