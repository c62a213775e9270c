package dev.spinet.tcp.reference;

import dev.spinet.tcp.scenario.Seg;

/**
 * A segment one of the stacks sent, as a driver saw it: absolute numbers, before normalising.
 *
 * @param options the segment as read back, for its options (SACK-permitted, timestamps, SACK blocks)
 * @param atNanos when it left (simulated time for Spinet, System.nanoTime for Linux)
 */
record Captured(int stackPort, int peerPort, int flags, int seq, int ack, int window, int payloadLength, Seg options,
                long atNanos) {
}
