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

    /**
     * An ICMP error (RFC 792: destination unreachable, source quench, time exceeded, parameter
     * problem) about a datagram of this protocol that this host sent. The interface has checked
     * the ICMP checksum and that the quoted IPv4 header is ours (our source address, first
     * fragment, the 8 octets RFC 792 promises present); what the quoted transport bytes name is for
     * the transport to check. Valid only during the call; must not throw. The default ignores it.
     *
     * @param type              ICMP type (3, 4, 11 or 12)
     * @param code              ICMP code
     * @param restOfHeader      ICMP octets 4..7 (for "fragmentation needed" the next-hop MTU in the
     *                          low 16 bits, RFC 1191)
     * @param quotedDestination the destination address of the datagram we sent
     * @param quotedTotalLength its IPv4 total length, as quoted
     * @param buffer            holds the quoted transport bytes at {@code offset}: at least 8 of them
     */
    default void receiveIcmpError(int type, int code, int restOfHeader, int quotedDestination, int quotedTotalLength,
                                  byte[] buffer, int offset, int length, long nowNanos) {
    }
}
