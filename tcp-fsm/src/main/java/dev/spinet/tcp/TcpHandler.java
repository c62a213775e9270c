package dev.spinet.tcp;

/**
 * Application callbacks for connections, registered at {@code listen} or {@code connect}. Called
 * on the stack thread from inside {@code receive}, {@code poll} or an API call; they may call the
 * API again (read, write, close...). Every method has an empty default.
 */
public interface TcpHandler {

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
