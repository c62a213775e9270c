package dev.spinet.tcp.reference;

/** The RFC 9293 3.10 user calls a scenario makes on the stack side. */
enum UserCall {
    /** Passive OPEN on the connection's stack port. */
    LISTEN,
    /** Active OPEN to the connection's peer port. */
    CONNECT,
    /** SEND of {@code amount} bytes. */
    SEND,
    /** RECEIVE of up to {@code amount} bytes. */
    READ,
    /** CLOSE (3.10.4). */
    CLOSE,
    /** Half-close: FIN after the queued data, the application keeps reading (shutdown(SHUT_WR)). */
    SHUTDOWN,
    /** ABORT (3.10.5). */
    ABORT,
    /**
     * Keepalive on this connection (RFC 1122 4.2.3.6, SO_KEEPALIVE): a probe after 1 s idle, then
     * every second, three unanswered probes end the connection.
     */
    KEEPALIVE
}
