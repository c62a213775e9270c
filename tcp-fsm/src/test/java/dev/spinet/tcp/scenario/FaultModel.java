package dev.spinet.tcp.scenario;

/**
 * Seeded faults for an in-memory link: loss, duplication, reordering (a segment held back by an
 * extra delay), corruption (one flipped bit, which the checksum must catch), and a fixed one-way
 * latency. A xorshift64* generator: no allocation, same seed = same run.
 */
public final class FaultModel {

    public final double loss;
    public final double duplicate;
    public final double reorder;
    public final double corrupt;
    public final long latencyNanos;
    /** Extra delay of a reordered segment. */
    public final long reorderDelayNanos;
    private long state;

    public FaultModel(long seed, double loss, double duplicate, double reorder, double corrupt, long latencyNanos) {
        this.loss = loss;
        this.duplicate = duplicate;
        this.reorder = reorder;
        this.corrupt = corrupt;
        this.latencyNanos = latencyNanos;
        this.reorderDelayNanos = Math.max(3 * latencyNanos, 1_000_000L);
        this.state = seed == 0 ? 0x9E37_79B9_7F4A_7C15L : seed;
    }

    /** No faults, the given latency. */
    public static FaultModel perfect(long latencyNanos) {
        return new FaultModel(1, 0, 0, 0, 0, latencyNanos);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    public long nextLong() {
        long x = state;
        x ^= x >>> 12;
        x ^= x << 25;
        x ^= x >>> 27;
        state = x;
        return x * 0x2545_F491_4F6C_DD1DL;
    }

    public int nextInt(int bound) {
        return (int) ((nextLong() >>> 33) % bound);
    }

    @Override
    public String toString() {
        return "loss=" + loss + " dup=" + duplicate + " reorder=" + reorder + " corrupt=" + corrupt + " latency=" + latencyNanos + "ns";
    }
}
