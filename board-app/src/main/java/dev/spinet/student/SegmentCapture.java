package dev.spinet.student;

import dev.spinet.iface.Ipv4Output;
import dev.spinet.wire.TcpSegment;

/**
 * An {@link Ipv4Output} that sends nothing: it hands each TCP segment an engine writes to
 * {@link #segment}, where a replay or an adapter records it. Used where Spinet's engine is the
 * oracle (the lab grader's replay, {@link SpinetMachine}); not on any packet path.
 */
public abstract class SegmentCapture implements Ipv4Output {

    /** Where the TCP header starts in the buffer: after Ethernet (14) and IPv4 (20) headers. */
    protected static final int TCP_OFFSET = 34;

    private final int address;
    private final byte[] buffer = new byte[2048];

    protected SegmentCapture(int address) {
        this.address = address;
    }

    /** A TCP segment the engine sent: {@code length} bytes from {@code offset} of {@code buffer}. */
    protected abstract void segment(byte[] buffer, int offset, int length);

    @Override
    public final int localAddress() {
        return address;
    }

    @Override
    public final byte[] transmitBuffer() {
        return buffer;
    }

    @Override
    public final int transportOffset() {
        return TCP_OFFSET;
    }

    @Override
    public final int maxTransportLength() {
        return 1480;
    }

    @Override
    public final boolean send(int destination, int protocol, int transportLength, long nowNanos) {
        if (protocol == TcpSegment.PROTOCOL) {
            segment(buffer, TCP_OFFSET, transportLength);
        }
        return true;
    }
}
