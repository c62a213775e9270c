package dev.spinet.net;

import dev.spinet.config.StackConfig;

/**
 * Capacities of the socket bridge, fixed when it is built: how many sockets (connected or
 * connecting) and server sockets can be open at once, and the size of each socket's two rings
 * between the application threads and the stack thread. Everything is allocated up front.
 *
 * <p>Each open socket holds one TCP connection (a TCB, {@code StackConfig.tcpConnections}) and
 * one slot here; a socket the application has not closed keeps its slot after the connection
 * ended, until {@code close()}, so the slots can outnumber the TCBs. Memory per socket is
 * {@code inboundRingBytes + outboundRingBytes} on top of the TCB's own rings.
 *
 * @param sockets           socket slots (connected, connecting, or accepted and not yet closed)
 * @param serverSockets     server socket slots (at most {@code StackConfig.tcpListeners} listen at once)
 * @param inboundRingBytes  per socket, stack to application; a power of two, at least 256
 * @param outboundRingBytes per socket, application to stack; a power of two, at least 256
 * @param spinNanos         how long the stack thread and the waker thread keep looking for the
 *                          next request after they handed something to an application thread,
 *                          before they sleep (Agrona's spin-then-park idling): a reply that comes
 *                          within it costs no wake-up of a sleeping thread; 0 never spins
 * @param leadNanos         how long a reader that finds no data waits by running the stack itself
 *                          ({@link StackLead}, where the host allows it) before it parks; 0 never
 */
public record SocketConfig(int sockets, int serverSockets, int inboundRingBytes, int outboundRingBytes, long spinNanos,
                           long leadNanos) {

    /**
     * {@link #spinNanos} unless changed: none. Spinning pays on an otherwise idle machine (a reply
     * inside the window costs no wake-up); on a busy one the spinning threads take the CPU the
     * others need, and a 64-byte echo through a TAP was measured 2 to 4 times slower with 50 µs
     * of spin than with none, under a load average of 15 on two cores (docs/benchmarks.md).
     */
    public static final long DEFAULT_SPIN_NANOS = 0;
    /** System property overriding {@link #DEFAULT_SPIN_NANOS} in {@link #defaultsFor} (for measurements). */
    public static final String SPIN_NANOS_PROPERTY = "spinet.sockets.spinNanos";

    public SocketConfig {
        require(sockets >= 1 && sockets <= 65_536, "sockets must be 1..65536, was " + sockets);
        require(serverSockets >= 1 && serverSockets <= 1024, "serverSockets must be 1..1024, was " + serverSockets);
        require(isRing(inboundRingBytes), "inboundRingBytes must be a power of two from 256 to 64 MiB, was " + inboundRingBytes);
        require(isRing(outboundRingBytes), "outboundRingBytes must be a power of two from 256 to 64 MiB, was " + outboundRingBytes);
        require(spinNanos >= 0 && spinNanos <= 10_000_000, "spinNanos must be 0..10 ms, was " + spinNanos);
        require(leadNanos >= 0 && leadNanos <= 100_000_000, "leadNanos must be 0..100 ms, was " + leadNanos);
    }

    /**
     * How many times the TCB's send ring the outbound ring holds by default. A writer that found
     * the ring full is woken when half of it is free (SocketBridge.drainOutbound); the stack
     * thread sends the other half meanwhile. With a ring as large as the send ring that half is
     * one round of ACKs, shorter than a virtual thread's wake-up under load, so the TCP send ring
     * ran empty while the writer was being woken; four times leaves two rounds
     * (docs/applications.md "Bulk transfers through the rings"). Memory: on the default
     * configuration (8 connections, 16 KiB send rings) 384 KiB more than rings as large as the
     * send ring.
     */
    public static final int OUTBOUND_RING_PER_SEND_RING = 4;

    /**
     * How many times the TCB's receive ring the inbound ring holds by default. The window the
     * peer sees is the free TCP receive ring only; with an inbound ring as large as it, a reader
     * that fell one ring behind left the TCP ring full and the window shut (in a bulk upload
     * through a TAP, 673 zero windows in 7,682 ACKs per 100 MB), and the sender waited for the
     * reader's next read. Four rings let the stack move each segment on at once while the reader
     * is up to three rings behind (docs/applications.md "Bulk transfers through the rings").
     * Memory: on the default configuration (8 connections, 16 KiB receive rings) 384 KiB more than
     * rings as large as the receive ring; on a TAP (64 KiB rings) 192 KiB more per socket.
     */
    public static final int INBOUND_RING_PER_RECEIVE_RING = 4;
    /** System property overriding {@link #INBOUND_RING_PER_RECEIVE_RING} in {@link #defaultsFor} (for measurements). */
    public static final String INBOUND_RING_PER_RECEIVE_RING_PROPERTY = "spinet.sockets.inboundRingPerReceiveRing";

    /**
     * As many sockets as the stack has TCBs, as many server sockets as it has listeners, an
     * inbound ring {@link #INBOUND_RING_PER_RECEIVE_RING} times the TCB's receive ring (unless
     * the system property {@value #INBOUND_RING_PER_RECEIVE_RING_PROPERTY} says otherwise), an outbound ring
     * {@link #OUTBOUND_RING_PER_SEND_RING} times the TCB's send ring, and
     * {@link #DEFAULT_SPIN_NANOS} unless the system property {@value #SPIN_NANOS_PROPERTY} says otherwise,
     * {@link StackLead#DEFAULT_LEAD_MICROS} unless {@value StackLead#PROPERTY} says otherwise.
     */
    public static SocketConfig defaultsFor(StackConfig stack) {
        return new SocketConfig(Math.max(1, stack.tcpConnections), Math.max(1, stack.tcpListeners),
                clampRing((long) Integer.getInteger(INBOUND_RING_PER_RECEIVE_RING_PROPERTY, INBOUND_RING_PER_RECEIVE_RING)
                        * stack.tcpReceiveBufferBytes), clampRing((long) OUTBOUND_RING_PER_SEND_RING * stack.tcpSendBufferBytes),
                Long.getLong(SPIN_NANOS_PROPERTY, DEFAULT_SPIN_NANOS), Math.min(100_000_000, StackLead.leadNanos()));
    }

    /** This configuration with {@code bytes} for both rings. */
    public SocketConfig withRingBytes(int bytes) {
        return new SocketConfig(sockets, serverSockets, bytes, bytes, spinNanos, leadNanos);
    }

    /** This configuration with {@code count} socket slots. */
    public SocketConfig withSockets(int count) {
        return new SocketConfig(count, serverSockets, inboundRingBytes, outboundRingBytes, spinNanos, leadNanos);
    }

    /** This configuration with another {@link #spinNanos} (0: sleep at once). */
    public SocketConfig withSpinNanos(long nanos) {
        return new SocketConfig(sockets, serverSockets, inboundRingBytes, outboundRingBytes, nanos, leadNanos);
    }

    /** This configuration with another {@link #leadNanos} (0: a reader always parks). */
    public SocketConfig withLeadNanos(long nanos) {
        return new SocketConfig(sockets, serverSockets, inboundRingBytes, outboundRingBytes, spinNanos, nanos);
    }

    private static int clampRing(long bytes) {
        return (int) Math.min(64 << 20, Math.max(256, bytes));
    }

    private static boolean isRing(int bytes) {
        return bytes >= 256 && bytes <= 64 << 20 && (bytes & (bytes - 1)) == 0;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("SocketConfig: " + message);
        }
    }
}
