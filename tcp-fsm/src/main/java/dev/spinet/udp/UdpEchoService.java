package dev.spinet.udp;

/**
 * The UDP echo service (RFC 862, port 7): "When a datagram is received, the data from it is sent
 * back in an answering datagram." Unicast only (broadcast echo is an amplifier; the endpoint does
 * not opt in), and nothing is sent back to source port 0 (RFC 768: no reply expected).
 * Allocation-free: the data is copied from the receive frame straight into the transmit frame;
 * a datagram that arrived in fragments (reassembled by the interface) goes back in fragments.
 */
public final class UdpEchoService implements UdpHandler {

    /** The well-known port (RFC 862). */
    public static final int PORT = 7;

    private final UdpLayer udp;
    private final int handle;
    private long echoed;

    /** Binds {@code port} on {@code udp}. */
    public UdpEchoService(UdpLayer udp, int port) {
        this.udp = udp;
        this.handle = udp.open(port, false, this);
    }

    @Override
    public void onDatagram(int sourceIp, int sourcePort, int destinationIp, byte[] buffer, int offset, int length, long nowNanos) {
        if (sourcePort == 0 || length > udp.maxDatagramLength()) {
            return;
        }
        if (udp.send(handle, sourceIp, sourcePort, buffer, offset, length, nowNanos)) {
            echoed++;
        }
    }

    /** Datagrams echoed so far. */
    public long echoed() {
        return echoed;
    }

    /** The endpoint's handle in the UDP layer. */
    public int handle() {
        return handle;
    }
}
