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

    public CapturingIpv4Output(int localAddress, int mtu) {
        super(localAddress, mtu);
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
