package dev.spinet.tcp;

/** Why a connection changed state: the label of an edge of {@link StateDiagram}. */
public enum TransitionCause {
    PASSIVE_OPEN(EventKind.USER_CALL),
    ACTIVE_OPEN(EventKind.USER_CALL),
    /** SEND on a listener with a foreign socket: the passive open becomes active (RFC 9293 3.10.2). */
    SEND(EventKind.USER_CALL),
    CLOSE(EventKind.USER_CALL),
    ABORT(EventKind.USER_CALL),
    RCV_SYN(EventKind.SEGMENT),
    RCV_SYN_ACK(EventKind.SEGMENT),
    RCV_ACK_OF_SYN(EventKind.SEGMENT),
    RCV_FIN(EventKind.SEGMENT),
    RCV_ACK_OF_FIN(EventKind.SEGMENT),
    /** One segment both acknowledging our FIN and carrying the peer's FIN. */
    RCV_FIN_ACK(EventKind.SEGMENT),
    RCV_RST(EventKind.SEGMENT),
    /** An ICMP hard error about our SYN (RFC 1122 4.2.3.9, RFC 5927 5.2: SYN-SENT only). */
    RCV_ICMP_HARD_ERROR(EventKind.SEGMENT),
    RETRANSMISSION_TIMEOUT(EventKind.TIMEOUT),
    USER_TIMEOUT(EventKind.TIMEOUT),
    KEEPALIVE_TIMEOUT(EventKind.TIMEOUT),
    FIN_WAIT_2_TIMEOUT(EventKind.TIMEOUT),
    TIME_WAIT_TIMEOUT(EventKind.TIMEOUT),
    BACKLOG_EVICTED(EventKind.RESOURCE),
    TIME_WAIT_RECYCLED(EventKind.RESOURCE);

    private static final TransitionCause[] VALUES = values();

    private final EventKind kind;

    TransitionCause(EventKind kind) {
        this.kind = kind;
    }

    public EventKind kind() {
        return kind;
    }

    /** The cached {@code values()} array (do not modify). */
    public static TransitionCause[] all() {
        return VALUES;
    }
}
