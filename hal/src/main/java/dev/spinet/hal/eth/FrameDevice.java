package dev.spinet.hal.eth;

/**
 * Raw Ethernet II frames in and out: a controller driver, a Linux TAP device, a chip emulator,
 * or a decorator (pcap capture, fault injection).
 *
 * <p>Frames are passed without preamble and without FCS: destination MAC first, at most
 * {@link #maxFrameLength()} bytes. One thread owns a device; no method allocates.
 */
public interface FrameDevice extends AutoCloseable {

    /** {@link #receive} found no frame waiting. */
    int NO_FRAME = 0;

    /**
     * {@link #receive} found a frame longer than the caller's capacity. The frame was consumed
     * and discarded (never truncated, never left to block the queue); the caller counts it.
     */
    int FRAME_TOO_LONG = -1;

    /** The Ethernet II header: destination, source, EtherType. */
    int ETHERNET_HEADER_LENGTH = 14;

    /**
     * Takes the next received frame, if any, and copies it to {@code buffer[offset..]}.
     *
     * @return the frame length (&gt; 0), {@link #NO_FRAME}, or {@link #FRAME_TOO_LONG} when the
     *     next frame did not fit in {@code capacity} bytes and was discarded
     */
    int receive(byte[] buffer, int offset, int capacity);

    /**
     * Queues one frame for sending. Frames shorter than 60 bytes are padded by the device (or
     * the hardware); the caller never pads.
     *
     * @return {@code true} if the frame was accepted; {@code false} if the device has no room
     *     now (transmit buffer full, link down): the caller keeps or drops it and counts that
     * @throws IllegalArgumentException if {@code length} is below 14 or above
     *     {@link #maxFrameLength()} (a caller bug, not a network condition)
     */
    boolean transmit(byte[] frame, int offset, int length);

    /**
     * The longest frame {@link #transmitSegmented} takes, or 0 (the default) when the device
     * cannot segment: every Ethernet controller Spinet drives. A Linux TAP with offloads takes
     * up to a 65535-byte IPv4 datagram. Constant for the device's life.
     */
    default int maxSegmentedFrameLength() {
        return 0;
    }

    /**
     * Queues one TCP/IPv4 segment longer than the MTU that the device (or the kernel behind it)
     * sends as segments of {@code segmentPayload} data bytes each, with the same headers and
     * consecutive sequence numbers: TCP segmentation offload. Only if
     * {@link #maxSegmentedFrameLength()} is above 0; the default refuses.
     *
     * @return as {@link #transmit}
     */
    default boolean transmitSegmented(byte[] frame, int offset, int length, int segmentPayload) {
        return false;
    }

    /** The device's MAC address as 48 bits in the low bits of a long (first octet highest). */
    long macAddress();

    /** Whether the link is up (carrier present). Devices without a link notion return true. */
    boolean linkUp();

    /** The largest IP datagram a frame can carry: 1500 for Ethernet. */
    default int mtu() {
        return 1500;
    }

    /**
     * The largest frame {@link #receive} returns or {@link #transmit} accepts: MTU + header, the
     * size every frame buffer of a stack on this device is allocated with. A device with
     * segmentation offload (a Linux TAP with offloads) answers more: the large segments it hands
     * over and takes ({@link #maxSegmentedFrameLength()}); ordinary frames stay within the MTU.
     */
    default int maxFrameLength() {
        return mtu() + ETHERNET_HEADER_LENGTH;
    }

    /**
     * The checksum work this device does for the stack ({@link DeviceCapabilities}); read once
     * when a stack is built on the device. The default, {@link DeviceCapabilities#NONE}, leaves
     * every checksum to the stack.
     */
    default DeviceCapabilities capabilities() {
        return DeviceCapabilities.NONE;
    }

    /**
     * Whether the TCP or UDP checksum of the frame the last {@link #receive} returned is known
     * good, frame by frame, where {@link #capabilities()} speaks for every frame: a Linux TAP
     * with offloads says so for a segment the kernel marked {@code VIRTIO_NET_HDR_F_NEEDS_CSUM}
     * (its checksum field holds only the pseudo-header sum: the data never left the host's
     * memory, and Linux itself treats such a packet as verified, {@code skb_csum_unnecessary()})
     * or {@code VIRTIO_NET_HDR_F_DATA_VALID}. The stack then skips its own check of that
     * datagram (unfragmented TCP or UDP only; ICMP and reassembled datagrams are always checked).
     * A decorator that changes the bytes of received frames must answer false. Default: false.
     */
    default boolean receivedTransportChecksumVerified() {
        return false;
    }

    /**
     * Blocks until a frame may be waiting or {@code timeoutNanos} pass (an interrupt pin, a
     * file descriptor's poll). Spurious returns are fine. The default sleeps for the timeout,
     * which suits devices that are only polled.
     */
    default void awaitReceive(long timeoutNanos) throws InterruptedException {
        if (timeoutNanos > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(timeoutNanos);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    @Override
    default void close() {
    }
}
