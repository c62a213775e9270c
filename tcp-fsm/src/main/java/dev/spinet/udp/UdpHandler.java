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

    /**
     * An ICMP error about a datagram this endpoint sent (RFC 1122 4.1.3.3: "UDP MUST pass to the
     * application layer all ICMP error messages that it receives from the IP layer"). The UDP
     * layer has checked that the quote names this endpoint's port as its source and a real
     * destination; whether the endpoint sent that datagram (a request in flight to that address
     * and port, its identifier in {@code quote}) is the handler's to check, since ICMP is easy to
     * forge (RFC 5927 4). Same thread and lifetime rules as {@link #onDatagram}. The default
     * ignores it.
     *
     * @param type ICMP type (3 destination unreachable, 11 time exceeded, 12 parameter problem, 4 source quench)
     * @param code ICMP code (for type 3: 3 port unreachable, 2 protocol, 1 host, 0 net, 13 prohibited...)
     * @param remoteIp the destination of the datagram the error is about
     * @param remotePort its destination port
     * @param quote the data of that datagram after its UDP header, as far as the error quotes it
     * @param quoteLength quoted data bytes (0 when only the UDP header was quoted)
     */
    default void onIcmpError(int type, int code, int remoteIp, int remotePort, byte[] quote, int quoteOffset, int quoteLength,
                             long nowNanos) {
    }
}
