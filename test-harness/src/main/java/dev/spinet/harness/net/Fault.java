package dev.spinet.harness.net;

/** What a {@link FaultInjector} did to transmitted frames: the names of its counters. */
public enum Fault {
    /** Frames handed to {@code transmit}. */
    OFFERED,
    /** Frames (and duplicates) passed on to the inner device, at once or later. */
    FORWARDED,
    /** Dropped by random loss. */
    LOST,
    /** Sent twice. */
    DUPLICATED,
    /** Held back to leave after the next frame (or after the hold time). */
    REORDERED,
    /** One bit flipped after the Ethernet header. */
    CORRUPTED,
    /** Held for the configured delay and jitter. */
    DELAYED,
    /** Dropped because the partition was on. */
    PARTITIONED,
    /** Not accepted because the hold ring was full ({@code transmit} returned false). */
    HOLD_RING_FULL,
    /** The inner device refused a frame (its {@code transmit} returned false). */
    INNER_REJECTED
}
