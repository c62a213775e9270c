package dev.spinet.tcp.scenario;

import dev.spinet.wire.TcpSegment;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An {@link Ipv4Output} for tests without an IP layer: every segment a transport sends is parsed
 * into a {@link Seg} (after checking its checksum) and queued for the test to inspect.
 */
public final class CapturingIpv4Output extends FrameBufferIpv4Output {

    private final Deque<Seg> sent = new ArrayDeque<>();
    private final TcpSegment view = new TcpSegment();
    private int lastDestination;
    private boolean lastDontFragment;
    private boolean refuse;
    private final int segmentedLimit;

    public CapturingIpv4Output(int localAddress, int mtu) {
        this(localAddress, mtu, 0);
    }

    /**
     * One that offers segmentation offload up to {@code segmentedLimit} TCP bytes per segment (0:
     * none); each segment is captured whole, as the stack built it, before a device would cut it.
     */
    public CapturingIpv4Output(int localAddress, int mtu, int segmentedLimit) {
        super(localAddress, mtu, segmentedLimit);
        this.segmentedLimit = segmentedLimit;
    }

    @Override
    public int maxSegmentedTransportLength() {
        return segmentedLimit;
    }

    @Override
    public boolean sendSegmented(int destination, int transportLength, int segmentPayload, long nowNanos) {
        if (transportLength > Math.max(segmentedLimit, maxTransportLength())) {
            throw new AssertionError("the stack emitted a segment of " + transportLength + " bytes, above the limit " + segmentedLimit);
        }
        return send(destination, TcpSegment.PROTOCOL, transportLength, nowNanos);
    }

    /** Makes {@link #send} report failure (a full device), for tests of that path. */
    public void refuse(boolean refuse) {
        this.refuse = refuse;
    }

    @Override
    public boolean send(int destination, int protocol, int transportLength, long nowNanos) {
        if (protocol != TcpSegment.PROTOCOL) {
            throw new AssertionError("transport sent protocol " + protocol + ", expected TCP");
        }
        var error = view.wrap(transmitBuffer(), TRANSPORT_OFFSET, transportLength);
        if (error != dev.spinet.wire.WireError.OK) {
            throw new AssertionError("the stack emitted a malformed segment: " + error);
        }
        if (!view.checksumValid(localAddress(), destination)) {
            throw new AssertionError("the stack emitted a segment with a bad checksum: " + Seg.from(view));
        }
        lastDestination = destination;
        if (refuse) {
            return false;
        }
        sent.add(Seg.from(view));
        return true;
    }

    @Override
    public boolean send(int destination, int protocol, int transportLength, boolean dontFragment, long nowNanos) {
        lastDontFragment = dontFragment;
        return send(destination, protocol, transportLength, nowNanos);
    }

    /** The IPv4 DF flag the transport asked for on its last segment. */
    public boolean lastDontFragment() {
        return lastDontFragment;
    }

    public Deque<Seg> sent() {
        return sent;
    }

    public int lastDestination() {
        return lastDestination;
    }
}
