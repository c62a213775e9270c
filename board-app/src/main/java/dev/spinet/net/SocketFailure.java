package dev.spinet.net;

import dev.spinet.tcp.CloseReason;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;

/**
 * Why a socket cannot go on, set by the stack thread and turned into the exception the JDK's
 * own sockets throw in the same situation (the messages are Linux's, as {@code java.net} shows
 * them), so that library code which catches {@code ConnectException} or looks for
 * "Connection reset" behaves the same over Spinet.
 */
enum SocketFailure {
    /** RST in answer to our SYN: nobody listens there. */
    REFUSED,
    /** RST on an established connection. */
    RESET,
    /** Retransmissions, the user timeout or keepalive ran out. */
    TIMED_OUT,
    /** The stack ended the connection itself (its listener closed, its backlog slot was reclaimed). */
    ABORTED,
    /** An ICMP error said the peer cannot be reached (CloseReason.UNREACHABLE). */
    UNREACHABLE,
    /** Every TCB or socket slot was in use. */
    NO_CONNECTION_FREE,
    /** Every server socket slot or TCP listener was in use. */
    NO_LISTENER_FREE,
    /** The port already has a listener. */
    PORT_IN_USE,
    /** The stack refused the address (broadcast, multicast, our own, 0.0.0.0). */
    BAD_ADDRESS,
    /** A defect in the stack; its counters tell more. */
    INTERNAL;

    /** The failure a TCP close reason means; null for a normal close. */
    static SocketFailure of(CloseReason reason) {
        return switch (reason) {
            case NORMAL -> null;
            case RESET -> RESET;
            case REFUSED -> REFUSED;
            case TIMED_OUT -> TIMED_OUT;
            case ABORTED -> ABORTED;
            case UNREACHABLE -> UNREACHABLE;
        };
    }

    /** The exception for an operation that met this failure; {@code connecting} while in connect(). */
    IOException exception(boolean connecting) {
        return switch (this) {
            case REFUSED -> new ConnectException("Connection refused");
            case RESET -> connecting ? new ConnectException("Connection reset") : new SocketException("Connection reset");
            case TIMED_OUT -> connecting ? new ConnectException("Connection timed out") : new SocketException("Connection timed out");
            case ABORTED -> new SocketException("Software caused connection abort");
            case UNREACHABLE -> new NoRouteToHostException("No route to host");
            case NO_CONNECTION_FREE -> new SocketException("No free Spinet connection: every TCB or socket slot is in use"
                    + " (raise StackConfig tcpConnections or SocketConfig sockets, or close sockets)");
            case NO_LISTENER_FREE -> new BindException("No free Spinet listener: every TCP listener or server socket slot is in use"
                    + " (raise StackConfig tcpListeners or SocketConfig serverSockets, or close server sockets)");
            case PORT_IN_USE -> new BindException("Address already in use");
            case BAD_ADDRESS -> connecting ? new ConnectException("Network is unreachable: not a unicast address other than this host's")
                    : new SocketException("Invalid argument");
            case INTERNAL -> new SocketException("Spinet stack error (see the TCP counters INTERNAL_ERROR)");
        };
    }
}
