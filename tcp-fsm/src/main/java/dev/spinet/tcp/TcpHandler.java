package dev.spinet.tcp;

/**
 * Application callbacks for connections, registered at {@code listen} or {@code connect}. Called
 * on the stack thread from inside {@code receive}, {@code poll} or an API call; they may call the
 * API again (read, write, close...). Every method has an empty default.
 */
public interface TcpHandler {

    /**
     * Whether the application's queue of connections accepted and not yet taken is full for this
     * listener (asked on the stack thread; must not throw nor allocate). While it is, the listener
     * answers no SYN and drops the ACK that would complete a handshake, so the connection stays in
     * SYN-RECEIVED and the peer retransmits until there is room: Linux's accept queue with
     * {@code net.ipv4.tcp_abort_on_overflow=0}, its default (tcp_conn_request drops the SYN when
     * the accept queue is full; tcp_check_req drops the final ACK). The default is never full: a
     * handler that takes every connection in {@link #onAccepted} has no such queue.
     */
    default boolean acceptQueueFull(int listener) {
        return false;
    }

    /** A passively opened connection completed its handshake; it uses this same handler. */
    default void onAccepted(int listener, int connection) {
    }

    /** An actively opened connection completed its handshake. */
    default void onConnected(int connection) {
    }

    /** New in-order data can be read. */
    default void onReadable(int connection) {
    }

    /** Send-buffer space freed after a write accepted less than it was given. */
    default void onWritable(int connection) {
    }

    /** The peer sent FIN: after the buffered data, reads return -1. */
    default void onPeerClosed(int connection) {
    }

    /** The connection is gone and its handle is invalid from now on. Called exactly once. */
    default void onClosed(int connection, CloseReason reason) {
    }
}
