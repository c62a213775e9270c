package dev.spinet.tcp.reference;

/**
 * A segment one of the stacks sent, as a driver saw it: absolute numbers, before normalising.
 *
 * @param atNanos when it left (simulated time for Spinet, System.nanoTime for Linux)
 */
record Captured(int stackPort, int peerPort, int flags, int seq, int ack, int window, int payloadLength, long atNanos) {
}
