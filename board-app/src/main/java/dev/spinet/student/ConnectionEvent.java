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
 * @param code    for {@link Kind#ICMP_UNREACHABLE}: the ICMP destination unreachable code
 *                (RFC 792: 0 net, 1 host, 2 protocol, 3 port unreachable, 4 fragmentation
 *                needed, ...); else 0
 */
public record ConnectionEvent(Kind kind, int iss, int length, Segment segment, int code) {

    /** ICMP destination unreachable, code 2: the peer's host does not run TCP (RFC 792). */
    public static final int PROTOCOL_UNREACHABLE = 2;
    /** ICMP destination unreachable, code 3: nothing takes the port (a firewall's "reject" says so too). */
    public static final int PORT_UNREACHABLE = 3;

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
        /**
         * An ICMP destination unreachable arrived quoting this connection's own segment (its ports
         * and a sequence number in flight, RFC 5927 4.1). RFC 1122 4.2.3.9: codes 2 (protocol) and 3
         * (port unreachable) are hard errors, and "TCP SHOULD abort the connection"; the others
         * (network, host unreachable, ...) are soft and MUST NOT abort it. RFC 5927 5.2: once
         * synchronized, hard errors too are taken as soft, so only SYN_SENT ends (in CLOSED).
         */
        ICMP_UNREACHABLE,
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
        return new ConnectionEvent(Kind.PASSIVE_OPEN, iss, 0, null, 0);
    }

    public static ConnectionEvent activeOpen(int iss) {
        return new ConnectionEvent(Kind.ACTIVE_OPEN, iss, 0, null, 0);
    }

    public static ConnectionEvent send(int length) {
        return new ConnectionEvent(Kind.SEND, 0, length, null, 0);
    }

    public static ConnectionEvent segment(Segment segment) {
        return new ConnectionEvent(Kind.SEGMENT, 0, 0, segment, 0);
    }

    /** An ICMP destination unreachable with {@code code} about this connection's segment. */
    public static ConnectionEvent icmpUnreachable(int code) {
        return new ConnectionEvent(Kind.ICMP_UNREACHABLE, 0, 0, null, code);
    }

    /**
     * Whether this is an ICMP error the reference engine takes as hard: RFC 1122 4.2.3.9's
     * protocol and port unreachable (codes 2, 3), and the codes RFC 1812 5.2.7.1 added that Linux's
     * {@code icmp_err_convert} also calls hard (6 to 10: network or host unknown, source host
     * isolated, network or host prohibited; 13 to 15: communication prohibited, host precedence
     * violation, precedence cut-off). Code 4, fragmentation needed, belongs to path MTU discovery:
     * the segment is made smaller instead.
     */
    public boolean icmpHardError() {
        return kind == Kind.ICMP_UNREACHABLE && switch (code) {
            case PROTOCOL_UNREACHABLE, PORT_UNREACHABLE, 6, 7, 8, 9, 10, 13, 14, 15 -> true;
            default -> false;
        };
    }

    /** CLOSE, ABORT or one of the timers: an event that carries nothing. */
    public static ConnectionEvent of(Kind kind) {
        return new ConnectionEvent(kind, 0, 0, null, 0);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case PASSIVE_OPEN, ACTIVE_OPEN -> kind + " iss=" + Integer.toUnsignedString(iss);
            case SEND -> "SEND " + length + " bytes";
            case SEGMENT -> "rcv " + segment;
            case ICMP_UNREACHABLE -> "rcv ICMP destination unreachable code " + code;
            default -> kind.toString();
        };
    }
}
