package dev.spinet.iface;

/** Told about ICMP echo replies to requests sent with {@link Interface#ping}. Stack thread. */
@FunctionalInterface
public interface EchoReplyListener {

    /**
     * @param source who answered
     * @param identifier the identifier we sent
     * @param sequence the sequence number we sent
     * @param payloadLength bytes of echo data that came back
     * @param roundTripNanos now minus the send time carried in the request's data
     */
    void onEchoReply(int source, int identifier, int sequence, int payloadLength, long roundTripNanos);
}
