package dev.spinet.tcp.scenario;

import dev.spinet.iface.Ipv4Output;

/**
 * An {@link Ipv4Output} for tests without an IP layer: one transmit buffer, laid out as the real
 * interface lays frames out, for a given local address and MTU. What {@link #send} does with the
 * transport bytes is the subclass's.
 */
public abstract class FrameBufferIpv4Output implements Ipv4Output {

    /** Ethernet 14 + IPv4 20, as the real interface lays frames out. */
    public static final int TRANSPORT_OFFSET = 34;

    private final int localAddress;
    private final int maxTransportLength;
    private final byte[] buffer;

    protected FrameBufferIpv4Output(int localAddress, int mtu) {
        this(localAddress, mtu, 0);
    }

    /** With room in the buffer for segments of up to {@code segmentedLimit} TCP bytes (segmentation offload). */
    protected FrameBufferIpv4Output(int localAddress, int mtu, int segmentedLimit) {
        this.localAddress = localAddress;
        this.maxTransportLength = mtu - 20;
        this.buffer = new byte[TRANSPORT_OFFSET + Math.max(maxTransportLength, segmentedLimit)];
    }

    @Override
    public final int localAddress() {
        return localAddress;
    }

    @Override
    public final byte[] transmitBuffer() {
        return buffer;
    }

    @Override
    public final int transportOffset() {
        return TRANSPORT_OFFSET;
    }

    @Override
    public final int maxTransportLength() {
        return maxTransportLength;
    }
}
