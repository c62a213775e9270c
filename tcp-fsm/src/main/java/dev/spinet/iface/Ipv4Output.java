package dev.spinet.iface;

/**
 * How a transport layer sends: it builds its header and data straight into the interface's
 * transmit buffer at {@link #transportOffset()} and calls {@link #send}; the interface writes
 * the IPv4 and Ethernet headers in front, resolves the next hop and transmits (or holds the
 * frame while ARP resolves). No copy, no allocation.
 */
public interface Ipv4Output {

    /** This host's IPv4 address. */
    int localAddress();

    /** The frame buffer to build into (owned by the interface; valid until {@link #send}). */
    byte[] transmitBuffer();

    /** Where the transport header starts in {@link #transmitBuffer()} (Ethernet 14 + IPv4 20). */
    int transportOffset();

    /** The most transport bytes one datagram can carry (MTU minus the IPv4 header). */
    int maxTransportLength();

    /**
     * Sends {@code transportLength} bytes from {@link #transportOffset()} to {@code destination}.
     *
     * @return {@code true} if the frame left or is queued for ARP resolution; {@code false} if it
     *     was dropped (no route, device full, pending queue full), already counted by the interface
     */
    boolean send(int destination, int protocol, int transportLength, long nowNanos);
}
