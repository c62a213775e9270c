package dev.spinet.student;

/**
 * What happens to one connection: a user call, a segment arriving, or a timer (or the stack's
 * memory) deciding. Timers are events, not clocks: the grader tells the machine which timer
 * expired, so a machine has no notion of time.
 *
 * @param iss     for {@link Kind#ACTIVE_OPEN} and {@link Kind#PASSIVE_OPEN}: the initial send
 *                sequence number this connection uses (RFC 9293 3.4.1); else 0
 * @param length  for {@link Kind#SEND}: how many bytes the application queued; else 0
 * @param segment for {@link Kind#SEGMENT}: the segment that arrived; else null
 */
public record ConnectionEvent(Kind kind, int iss, int length, Segment segment) {

    /** The events of RFC 9293 3.10 (user calls, SEGMENT ARRIVES, timeouts) and this stack's two pool-full policies. */
    public enum Kind {
        /** OPEN without a foreign socket: wait for a SYN (RFC 9293 3.10.1). */
        PASSIVE_OPEN,
        /** OPEN with a foreign socket: send a SYN (3.10.1). */
        ACTIVE_OPEN,
        /** SEND of {@code length} bytes; on a LISTEN connection it turns the passive open active (3.10.2). */
        SEND,
        /** CLOSE: no more data from this side (3.10.4). */
        CLOSE,
        /** ABORT (3.10.5). */
        ABORT,
        /** A segment arrived for this connection (3.10.7). */
        SEGMENT,
        /** The retransmission timer expired and retries are left: send the oldest unacknowledged SYN or FIN again (3.8.1). */
        RETRANSMIT,
        /** The retransmission timer expired and the retry limit is reached (RFC 1122 4.2.3.5, R2): give up. */
        GIVE_UP,
        /** The user timeout expired (3.10.8, RFC 5482). */
        USER_TIMEOUT,
        /** Keepalive probes went unanswered (RFC 1122 4.2.3.6): the peer is gone. */
        KEEPALIVE_TIMEOUT,
        /** An orphaned FIN-WAIT-2 waited long enough for the peer's FIN. */
        FIN_WAIT_2_TIMEOUT,
        /** 2*MSL has passed in TIME-WAIT (3.10.8). */
        TIME_WAIT_TIMEOUT,
        /** The listener's backlog is full and this half-open connection is the oldest: it is dropped. */
        BACKLOG_EVICTED,
        /** The TIME-WAIT table is full and a new connection takes this entry. */
        TIME_WAIT_RECYCLED
    }

    public static ConnectionEvent passiveOpen(int iss) {
        return new ConnectionEvent(Kind.PASSIVE_OPEN, iss, 0, null);
    }

    public static ConnectionEvent activeOpen(int iss) {
        return new ConnectionEvent(Kind.ACTIVE_OPEN, iss, 0, null);
    }

    public static ConnectionEvent send(int length) {
        return new ConnectionEvent(Kind.SEND, 0, length, null);
    }

    public static ConnectionEvent segment(Segment segment) {
        return new ConnectionEvent(Kind.SEGMENT, 0, 0, segment);
    }

    /** CLOSE, ABORT or one of the timers: an event that carries nothing. */
    public static ConnectionEvent of(Kind kind) {
        return new ConnectionEvent(kind, 0, 0, null);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case PASSIVE_OPEN, ACTIVE_OPEN -> kind + " iss=" + Integer.toUnsignedString(iss);
            case SEND -> "SEND " + length + " bytes";
            case SEGMENT -> "rcv " + segment;
            default -> kind.toString();
        };
    }
}
