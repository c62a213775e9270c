package dev.spinet.tcp.scenario;

import dev.spinet.iface.Ipv4Output;
import dev.spinet.wire.TcpSegment;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * An {@link Ipv4Output} for tests without an IP layer: every segment a transport sends is parsed
 * into a {@link Seg} (after checking its checksum) and queued for the test to inspect.
 */
public final class CapturingIpv4Output implements Ipv4Output {

    /** Ethernet 14 + IPv4 20, as the real interface lays frames out. */
    public static final int TRANSPORT_OFFSET = 34;

    private final int localAddress;
    private final byte[] buffer;
    private final int maxTransportLength;
    private final Deque<Seg> sent = new ArrayDeque<>();
    private final TcpSegment view = new TcpSegment();
    private int lastDestination;
    private boolean refuse;

    public CapturingIpv4Output(int localAddress, int mtu) {
        this.localAddress = localAddress;
        this.maxTransportLength = mtu - 20;
        this.buffer = new byte[TRANSPORT_OFFSET + maxTransportLength];
    }

    @Override
    public int localAddress() {
        return localAddress;
    }

    @Override
    public byte[] transmitBuffer() {
        return buffer;
    }

    @Override
    public int transportOffset() {
        return TRANSPORT_OFFSET;
    }

    @Override
    public int maxTransportLength() {
        return maxTransportLength;
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
        var error = view.wrap(buffer, TRANSPORT_OFFSET, transportLength);
        if (error != dev.spinet.wire.WireError.OK) {
            throw new AssertionError("the stack emitted a malformed segment: " + error);
        }
        if (!view.checksumValid(localAddress, destination)) {
            throw new AssertionError("the stack emitted a segment with a bad checksum: " + Seg.from(view));
        }
        lastDestination = destination;
        if (refuse) {
            return false;
        }
        sent.add(Seg.from(view));
        return true;
    }

    public Deque<Seg> sent() {
        return sent;
    }

    public int lastDestination() {
        return lastDestination;
    }
}
