package dev.spinet.iface;

/**
 * A transport protocol (TCP, UDP) plugged into an {@link Ipv4Output}-owning interface. The
 * interface calls it on the stack thread only, in the duty-cycle order: {@link #receive} for
 * each datagram drained this cycle, then {@link #poll} once.
 */
public interface TransportLayer {

    /** The IPv4 protocol number this layer handles (6 = TCP, 17 = UDP). */
    int protocol();

    /**
     * A validated IPv4 datagram for this protocol, addressed to this host (or broadcast). The
     * bytes {@code buffer[offset, offset + length)} are the transport header and data; they are
     * valid only during the call. Must not throw: malformed input is counted and dropped.
     */
    void receive(int source, int destination, boolean broadcast, byte[] buffer, int offset, int length, long nowNanos);

    /** Fires due timers and sends pending output. Returns the amount of work done (0 = idle). */
    int poll(long nowNanos);

    /**
     * The absolute time at which {@link #poll} next has work, or {@code nowNanos + Long.MAX_VALUE / 4}
     * when nothing is scheduled. Compared wrap-safely by the caller.
     */
    long nextDeadline(long nowNanos);
}
