package dev.spinet.udp;

/**
 * What the application-socket bridge ({@link UdpSockets}) counts on the stack thread. Every
 * datagram that reaches an open application socket ends in {@link #RX_QUEUED} or an
 * {@code RX_DROP_*} counter; every one an application queued ends in {@link #TX_SENT} or
 * {@link #TX_DROPPED}.
 */
public enum UdpSocketCounter {
    /** Sockets opened (a port bound for an application). */
    OPENS,
    /** Opens refused: the port was bound already. */
    OPEN_PORT_IN_USE,
    /** Opens refused: every UDP endpoint (StackConfig udpSockets) or every dynamic port was in use. */
    OPEN_NO_ENDPOINT,
    CLOSES,
    /** Datagrams queued for an application. */
    RX_QUEUED,
    /** The application's receive queue was full (it reads too slowly): dropped, as UDP may. */
    RX_DROP_QUEUE_FULL,
    /** Longer than a queue slot (StackConfig udpAppSockets datagramBytes): dropped. */
    RX_DROP_TOO_LONG,
    /** From another address or port than the one a connected socket is connected to: dropped, as Linux does. */
    RX_DROP_NOT_CONNECTED_PEER,
    /**
     * A hard ICMP error from a connected socket's peer (port, protocol or prohibited unreachable,
     * parameter problem): its next receive or send throws (PortUnreachableException for a port
     * unreachable).
     */
    ICMP_HARD_ERRORS,
    /** An ICMP error not taken: the socket is not connected, the error names another peer, or it is soft. */
    ICMP_IGNORED,
    /** Datagrams an application queued that the UDP layer sent (or queued for ARP). */
    TX_SENT,
    /** Datagrams an application queued that the interface dropped (no route, device busy, ARP queue full). */
    TX_DROPPED
}
