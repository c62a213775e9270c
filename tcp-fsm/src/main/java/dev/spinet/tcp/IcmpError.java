package dev.spinet.tcp;

/**
 * An ICMP error a router or the peer's host sent about one of a connection's segments, as the
 * application reads it ({@link TcpLayer#softError}, {@link TcbSnapshot#softError()}): RFC 1122
 * 4.2.3.9 asks that soft errors be reported to the application, which "SHOULD" hear of them.
 *
 * <p>Hard or soft is decided per ICMP code ({@link #isHard(int, int)}): RFC 1122 4.2.3.9 names
 * destination unreachable codes 2 to 4 hard and 0, 1 and 5 soft; the codes RFC 1812 5.2.7.1 added
 * later (6 to 15) follow Linux's {@code icmp_err_convert} table: the "unknown", "isolated" and
 * "prohibited" codes are hard, the type-of-service ones (11, 12) soft. A hard error ends only a
 * connection in SYN-SENT; in the synchronized states every error is soft (RFC 5927 5.2).
 */
public enum IcmpError {
    /** Destination unreachable, codes 0, 6 (network unknown), 11 (for the type of service). */
    NET_UNREACHABLE,
    /** Destination unreachable, codes 1, 7 (host unknown), 8 (source host isolated), 12 (for the type of service). */
    HOST_UNREACHABLE,
    /** Destination unreachable, code 2: the peer's host does not run TCP. */
    PROTOCOL_UNREACHABLE,
    /** Destination unreachable, code 3: nothing listens on the port (firewalls answer so too). */
    PORT_UNREACHABLE,
    /** Destination unreachable, code 4, while path MTU discovery is off (with it on, the MSS is lowered instead). */
    FRAGMENTATION_NEEDED,
    /** Destination unreachable, code 5. */
    SOURCE_ROUTE_FAILED,
    /** Destination unreachable, codes 9, 10, 13, 14, 15: a filter or policy refused the datagram. */
    ADMINISTRATIVELY_PROHIBITED,
    /** Destination unreachable with a code no RFC defines. */
    OTHER_UNREACHABLE,
    /** Time exceeded (type 11): a routing loop or a TTL too small. */
    TIME_EXCEEDED,
    /** Parameter problem (type 12). */
    PARAMETER_PROBLEM;

    static final int TYPE_DEST_UNREACHABLE = 3;
    static final int TYPE_TIME_EXCEEDED = 11;
    static final int TYPE_PARAMETER_PROBLEM = 12;

    /** The error a type and code name; null for types that are no error to a connection. */
    static IcmpError of(int type, int code) {
        if (type == TYPE_TIME_EXCEEDED) {
            return TIME_EXCEEDED;
        }
        if (type == TYPE_PARAMETER_PROBLEM) {
            return PARAMETER_PROBLEM;
        }
        if (type != TYPE_DEST_UNREACHABLE) {
            return null;
        }
        return switch (code) {
            case 0, 6, 11 -> NET_UNREACHABLE;
            case 1, 7, 8, 12 -> HOST_UNREACHABLE;
            case 2 -> PROTOCOL_UNREACHABLE;
            case 3 -> PORT_UNREACHABLE;
            case 4 -> FRAGMENTATION_NEEDED;
            case 5 -> SOURCE_ROUTE_FAILED;
            case 9, 10, 13, 14, 15 -> ADMINISTRATIVELY_PROHIBITED;
            default -> OTHER_UNREACHABLE;
        };
    }

    /**
     * Whether RFC 1122 4.2.3.9 calls this type and code a hard error ("codes 2-4: These are hard
     * error conditions, so TCP SHOULD abort the connection"; code 4 is path MTU discovery's here),
     * with codes 6 to 10 and 13 to 15 as Linux classifies them. Time exceeded and parameter problem
     * are soft ("handled the same way as Destination Unreachable codes 0, 1, 5").
     */
    public static boolean isHard(int type, int code) {
        if (type != TYPE_DEST_UNREACHABLE) {
            return false;
        }
        return switch (code) {
            case 2, 3, 6, 7, 8, 9, 10, 13, 14, 15 -> true;
            default -> false;
        };
    }
}
