package dev.spinet.storage;

/**
 * Application code that works on a ring's bytes where they lie, without a copy in between: it is
 * handed one contiguous region of the ring's array and returns how many of its bytes it used
 * (filled, for a send ring; consumed, for a receive ring). Implement it once, as a field or a
 * non-capturing lambda, so that handing it over allocates nothing.
 */
@FunctionalInterface
public interface RingRegion {

    /**
     * Uses bytes {@code array[offset, offset + length)}.
     *
     * @return how many bytes from {@code offset} on were used, 0..{@code length}
     */
    int use(byte[] array, int offset, int length);
}
