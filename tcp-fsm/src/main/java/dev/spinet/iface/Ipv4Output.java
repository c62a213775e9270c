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

    /**
     * As {@link #send(int, int, int, long)}, with the IPv4 "don't fragment" flag chosen by the
     * transport (RFC 791): TCP sets it while it discovers the path MTU (RFC 1191) and clears it
     * when it does not, or when its estimate is at its floor and a router must fragment. This
     * default, for outputs without the choice, ignores the flag.
     */
    default boolean send(int destination, int protocol, int transportLength, boolean dontFragment, long nowNanos) {
        return send(destination, protocol, transportLength, nowNanos);
    }

    /**
     * Whether the device completes TCP and UDP checksums of unfragmented datagrams
     * ({@code DeviceCapabilities.transportChecksumOnTransmit}): the transport then writes only the
     * pseudo-header sum into its checksum field before {@link #send} ({@code Checksum.partial}).
     * Never for {@link #sendLarge}, whose datagram may leave in fragments. Constant for the
     * output's life.
     */
    default boolean transportChecksumOnTransmit() {
        return false;
    }

    /**
     * Whether the datagram being delivered now to a transport's {@code receive} had its TCP or
     * UDP checksum verified by the device ({@code DeviceCapabilities.transportChecksumVerifiedOnReceive});
     * false for one reassembled from fragments. Only meaningful during that call.
     */
    default boolean transportChecksumVerified() {
        return false;
    }

    /**
     * Sends a transport datagram that may be longer than one frame: its first {@code headLength}
     * bytes (a transport header whose checksum already covers everything) from {@code head}, the
     * rest from {@code data[offset, offset + length)}. An {@link Interface} cuts it into RFC 791
     * fragments; this default, for outputs that cannot fragment, sends it when it fits one frame
     * and otherwise returns false.
     *
     * @return as {@link #send}
     */
    default boolean sendLarge(int destination, int protocol, byte[] head, int headLength, byte[] data, int offset, int length,
                              long nowNanos) {
        if (headLength + length > maxTransportLength()) {
            return false;
        }
        byte[] frame = transmitBuffer();
        System.arraycopy(head, 0, frame, transportOffset(), headLength);
        System.arraycopy(data, offset, frame, transportOffset() + headLength, length);
        return send(destination, protocol, headLength + length, nowNanos);
    }

    /**
     * The most TCP bytes (header and data) one {@link #sendSegmented} datagram carries, or 0 when
     * the device cannot segment (every board's controller): then no segment is longer than
     * {@link #maxTransportLength()}. Constant for the output's life.
     */
    default int maxSegmentedTransportLength() {
        return 0;
    }

    /**
     * Sends a TCP segment of {@code transportLength} bytes built at {@link #transportOffset()},
     * longer than one frame carries, for the device to cut into segments of
     * {@code segmentPayload} data bytes each (TCP segmentation offload). One that fits a frame
     * goes as {@link #send} would.
     *
     * @return as {@link #send}; false without a device that segments
     */
    default boolean sendSegmented(int destination, int transportLength, int segmentPayload, long nowNanos) {
        return transportLength <= maxTransportLength() && send(destination, 6, transportLength, nowNanos);
    }
}
