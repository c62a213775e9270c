package dev.spinet.net;

/** What the socket bridge counts (stack thread), in a {@link dev.spinet.stats.Counters}. */
public enum SocketCounter {
    /** Requests (socket slots taken off the command queue) served. */
    REQUESTS,
    CONNECTS,
    ACCEPTS,
    /** A connection arrived while its server socket already held {@code backlog} unaccepted ones: reset. */
    ACCEPT_QUEUE_FULL,
    /** A connection arrived while every socket slot was in use: reset. */
    ACCEPT_NO_SOCKET_FREE,
    /** A connection arrived for a server socket that was closing: reset. */
    ACCEPT_NO_LISTENER,
    /** The command queue refused a slot (cannot happen while each slot is queued at most once). */
    COMMAND_QUEUE_FULL,
    /** A defect caught on the stack thread; {@code SpinetSockets.lastInternalError()} has it. */
    INTERNAL_ERROR
}
