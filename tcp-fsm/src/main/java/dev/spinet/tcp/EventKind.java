package dev.spinet.tcp;

/** What kind of event moves a connection along an edge of the state diagram. */
public enum EventKind {
    /** The application called OPEN, SEND, CLOSE or ABORT (RFC 9293 3.10.1 to 3.10.5). */
    USER_CALL,
    /** A segment arrived (RFC 9293 3.10.7), or an ICMP error about one of ours (RFC 1122 4.2.3.9). */
    SEGMENT,
    /** A timer expired (RFC 9293 3.10.8). */
    TIMEOUT,
    /**
     * The stack reclaimed fixed memory: a half-open connection evicted from a full backlog or a
     * TIME-WAIT entry recycled early from a full table (the documented pool-full policies).
     */
    RESOURCE
}
