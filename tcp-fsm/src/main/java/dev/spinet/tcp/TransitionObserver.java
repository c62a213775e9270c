package dev.spinet.tcp;

/**
 * Told about every state change of every connection, on the stack thread, synchronously. The
 * arguments are an int and enum constants, so reporting allocates nothing; an implementation
 * that wants to stay on the packet path must not allocate either.
 */
@FunctionalInterface
public interface TransitionObserver {

    /** Ignores everything. */
    TransitionObserver NONE = (connection, from, to, cause) -> { };

    /**
     * @param connection the connection's id: its handle (listeners: the listener handle; a
     *                   TIME-WAIT entry keeps the id of the connection it came from)
     */
    void onTransition(int connection, TcpState from, TcpState to, TransitionCause cause);
}
