package dev.spinet.udp;

/**
 * Receives the datagrams addressed to one {@link UdpLayer} endpoint. Called on the stack thread
 * during the interface's receive step; zero-copy: {@code buffer[offset, offset + length)} is the
 * datagram's data inside the interface's receive frame, valid only during the call. Copy what you
 * keep; do not hold on to {@code buffer}.
 *
 * <p>An implementation may call {@link UdpLayer#send} from inside this method (an echo service
 * does): the receive and transmit buffers are different arrays.
 */
@FunctionalInterface
public interface UdpHandler {

    /**
     * One datagram for this endpoint.
     *
     * @param sourceIp the sender's IPv4 address (0 from an unconfigured DHCP client)
     * @param sourcePort the sender's UDP port (0 means "no reply expected", RFC 768)
     * @param destinationIp the address the datagram was sent to: ours, or a broadcast address
     *     (a DHCP server tells a RENEWING from a REBINDING request by it, RFC 2131 4.3.2)
     * @param buffer the receive frame; the data starts at {@code offset}
     * @param length data bytes (the UDP header is not included)
     * @param nowNanos the duty cycle's time
     */
    void onDatagram(int sourceIp, int sourcePort, int destinationIp, byte[] buffer, int offset, int length, long nowNanos);
}
