package dev.spinet.tcp;

/** Why a connection ended, as told to {@link TcpHandler#onClosed}. */
public enum CloseReason {
    /** Both sides closed (or the connection reached TIME-WAIT, which the stack finishes alone). */
    NORMAL,
    /** The peer sent a valid RST in a synchronized state. */
    RESET,
    /** The peer answered our SYN with RST: nobody listens there. */
    REFUSED,
    /** Retransmissions, the user timeout, keepalive or FIN-WAIT-2 ran out. */
    TIMED_OUT,
    /** This side aborted: {@code abort()}, a closed listener, or a reclaimed half-open slot. */
    ABORTED,
    /**
     * An ICMP error ended it: a hard one in SYN-SENT (host or network unknown, administratively
     * prohibited...; port and protocol unreachable are {@link #REFUSED}), or retransmissions ran out
     * after a soft one (host or network unreachable, time exceeded) named the cause.
     */
    UNREACHABLE
}
