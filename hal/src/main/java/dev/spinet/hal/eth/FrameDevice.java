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

    /** The device's MAC address as 48 bits in the low bits of a long (first octet highest). */
    long macAddress();

    /** Whether the link is up (carrier present). Devices without a link notion return true. */
    boolean linkUp();

    /** The largest IP datagram a frame can carry: 1500 for Ethernet. */
    default int mtu() {
        return 1500;
    }

    /** The largest frame {@link #receive} returns or {@link #transmit} accepts: MTU + header. */
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
