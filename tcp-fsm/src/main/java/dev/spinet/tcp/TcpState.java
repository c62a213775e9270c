package dev.spinet.tcp;

/**
 * The connection states of RFC 9293 section 3.3.2 (figure 5), with the RFC's names.
 * {@link #LISTEN} is the state of a listener (and, for an instant, of each connection a
 * listener spawns); {@link #CLOSED} is "no TCB".
 */
public enum TcpState {
    CLOSED,
    LISTEN,
    SYN_SENT,
    SYN_RECEIVED,
    ESTABLISHED,
    FIN_WAIT_1,
    FIN_WAIT_2,
    CLOSE_WAIT,
    CLOSING,
    LAST_ACK,
    TIME_WAIT;

    private static final TcpState[] VALUES = values();

    /** The cached {@code values()} array (do not modify): iterate without allocating. */
    public static TcpState[] all() {
        return VALUES;
    }

    /**
     * RFC 9293 3.3.2: "synchronized" states are those after the handshake completed, where RST
     * and SYN are handled per RFC 5961.
     */
    public boolean isSynchronized() {
        return ordinal() >= ESTABLISHED.ordinal();
    }
}
