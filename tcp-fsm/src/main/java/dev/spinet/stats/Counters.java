package dev.spinet.stats;

/**
 * Event counters for one layer, indexed by an enum ({@code IfaceCounter}, {@code TcpCounter},
 * ...): a {@code long[]} and nothing else, so counting never allocates. Written by the stack
 * thread only; {@link #snapshot} copies them for readers (CLI, status page, tests).
 *
 * @param <E> the enum that names the counters of one layer
 */
public final class Counters<E extends Enum<E>> {

    private final E[] names;
    private final long[] values;

    public Counters(Class<E> counterEnum) {
        this.names = counterEnum.getEnumConstants();
        this.values = new long[names.length];
    }

    public void increment(E counter) {
        values[counter.ordinal()]++;
    }

    public void add(E counter, long amount) {
        values[counter.ordinal()] += amount;
    }

    public long get(E counter) {
        return values[counter.ordinal()];
    }

    /** The counter names, in index order (shared array: do not modify). */
    public E[] names() {
        return names;
    }

    /** Copies every value into {@code into} (length at least {@link #size()}), without allocating. */
    public void snapshot(long[] into) {
        System.arraycopy(values, 0, into, 0, values.length);
    }

    /** A fresh copy, for readers off the packet path. */
    public long[] snapshot() {
        return values.clone();
    }

    public int size() {
        return values.length;
    }

    /** Sum of all counters (a quick "did anything happen" check for tests). */
    public long total() {
        long sum = 0;
        for (long value : values) {
            sum += value;
        }
        return sum;
    }

    /** Non-zero counters as {@code name=value} lines; allocates, for the CLI and test messages. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != 0) {
                text.append(names[i].name().toLowerCase(java.util.Locale.ROOT)).append('=').append(values[i]).append('\n');
            }
        }
        return text.toString();
    }
}
