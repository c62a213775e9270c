package dev.spinet.hal.eth;

/**
 * What a {@link FrameDevice} does for the stack so that the stack need not: checksum offload.
 * A device declares it once ({@link FrameDevice#capabilities()}); the stack reads it at
 * construction and never asks again, so the value must not change for the device's life.
 *
 * <h2>Transmit</h2>
 * <ul>
 *   <li>{@code ipv4HeaderChecksumOnTransmit}: the device fills in the IPv4 header checksum; the
 *       stack leaves the field 0.</li>
 *   <li>{@code transportChecksumOnTransmit}: the device completes the TCP and UDP checksums of
 *       every <em>unfragmented</em> datagram. The stack writes into the checksum field the
 *       folded, uncomplemented one's complement sum of the pseudo-header (RFC 9293 3.1, RFC 768)
 *       and nothing of the header or data; the device (or the Linux kernel behind a TAP with
 *       {@code IFF_VNET_HDR}, flag {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}) sums from the transport
 *       header to the end of the datagram, the field included, and stores the complement: Linux's
 *       {@code CHECKSUM_PARTIAL} convention. ICMP checksums and the transport checksums of
 *       fragmented datagrams are always complete, since no device can finish a checksum whose
 *       data spans frames; a device tells them by protocol and by the fragment fields.</li>
 * </ul>
 *
 * <h2>Receive</h2>
 * <ul>
 *   <li>{@code ipv4HeaderChecksumVerifiedOnReceive}: frames the device hands over have had their
 *       IPv4 header checksum checked (bad ones dropped, or carried only from a source that
 *       cannot corrupt them, such as memory); the stack does not check it again.</li>
 *   <li>{@code transportChecksumVerifiedOnReceive}: the same for the TCP and UDP checksums of
 *       unfragmented datagrams (a frame may even carry only a pseudo-header sum, as frames from
 *       a local Linux kernel through a TAP do). Datagrams the stack reassembles from fragments
 *       are always checked.</li>
 * </ul>
 *
 * <p>A device that does none of this returns {@link #NONE} (the default): the stack computes and
 * checks every checksum itself, as RFC 1122 3.2.1.2 and 4.2.2.7 require of a host without help.
 */
public record DeviceCapabilities(boolean ipv4HeaderChecksumOnTransmit, boolean transportChecksumOnTransmit,
                                 boolean ipv4HeaderChecksumVerifiedOnReceive, boolean transportChecksumVerifiedOnReceive) {

    /** No offload: the stack computes and verifies every checksum (every real Ethernet controller Spinet drives). */
    public static final DeviceCapabilities NONE = new DeviceCapabilities(false, false, false, false);

    /**
     * Every IPv4, TCP and UDP checksum offloaded both ways: a device whose frames never leave
     * memory (a loopback or an in-memory link between stacks), where a checksum protects against
     * nothing. ICMP and fragmented datagrams keep theirs, as above.
     */
    public static final DeviceCapabilities CHECKSUMS_OFFLOADED = new DeviceCapabilities(true, true, true, true);

    /** Whether any checksum work is offloaded. */
    public boolean offloadsAny() {
        return ipv4HeaderChecksumOnTransmit || transportChecksumOnTransmit || ipv4HeaderChecksumVerifiedOnReceive
                || transportChecksumVerifiedOnReceive;
    }
}
