package dev.spinet.instructor;

import dev.spinet.classroom.RosterRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One board as the class page shows it: what its {@code /status.json} said at the last poll, or
 * why there was no answer.
 *
 * @param row          the board's roster row (name, address, the lab the roster gives it)
 * @param reach        whether it answered
 * @param problem      why not (for {@link Reach#UNREACHABLE}, {@link Reach#NOT_SPINET}, {@link Reach#NOT_POLLED})
 * @param polledMillis when this was learnt (epoch milliseconds)
 * @param lastSeenMillis when the board last answered, 0 if never
 * @param lab          the lab the board says it runs (null if unknown)
 * @param labOrigin    where that lab came from: image, instructor, boot file
 * @param linkUp       its Ethernet link
 * @param uptimeMs     time since its stack started
 * @param connections  every connection it holds
 * @param recent       its last transitions, newest first
 * @param counters     a few TCP counters that tell the labs apart, those not at zero
 */
public record BoardStatus(RosterRow row, Reach reach, String problem, long polledMillis, long lastSeenMillis, String lab,
                          String labOrigin, boolean linkUp, long uptimeMs, List<Connection> connections,
                          List<Transition> recent, Map<String, Long> counters) {

    /** Whether the board answered. */
    public enum Reach {
        /** It answered with a Spinet status page. */
        UP,
        /** No answer (no route, no ARP reply, refused, timed out). */
        UNREACHABLE,
        /** Something answered, but not with a Spinet status page. */
        NOT_SPINET,
        /** Not asked: the roster gives no address to ask (DHCP). */
        NOT_POLLED
    }

    /** A connection the board holds. */
    public record Connection(long localPort, String remote, long remotePort, String state, long ageMs) {
    }

    /** A state transition the board walked. */
    public record Transition(long ageMs, long handle, String from, String to, String cause) {
    }

    /** The TCP counters shown, in this order, when not zero. */
    static final List<String> COUNTERS = List.of("PASSIVE_OPENS", "ACTIVE_OPENS", "SEGMENTS_RECEIVED", "SEGMENTS_SENT",
            "RETRANSMITTED_SEGMENTS", "FAST_RETRANSMITS", "PERSIST_PROBES", "KEEPALIVE_PROBES", "RST_SENT_NO_CONNECTION",
            "CLOSED_RESET", "CLOSED_TIMED_OUT", "BACKLOG_EVICTED", "TIME_WAIT_RECYCLED");

    public BoardStatus {
        connections = List.copyOf(connections);
        recent = List.copyOf(recent);
        counters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }

    /** A board the poller does not ask. */
    static BoardStatus notPolled(RosterRow row, String why, long now) {
        return new BoardStatus(row, Reach.NOT_POLLED, why, now, 0, null, null, false, 0, List.of(), List.of(), Map.of());
    }

    /** No answer this time; what was seen before stays visible, marked stale by {@link #reach}. */
    static BoardStatus unreachable(RosterRow row, Reach reach, String problem, long now, BoardStatus before) {
        if (before == null || before.lastSeenMillis == 0) {
            return new BoardStatus(row, reach, problem, now, 0, null, null, false, 0, List.of(), List.of(), Map.of());
        }
        return new BoardStatus(row, reach, problem, now, before.lastSeenMillis, before.lab, before.labOrigin, false, before.uptimeMs,
                List.of(), before.recent, before.counters);
    }

    /**
     * Reads a board's {@code /status.json}.
     *
     * @throws IllegalArgumentException when it is not JSON, or not a Spinet status page
     */
    static BoardStatus fromJson(RosterRow row, String json, long now) {
        Map<String, Object> status = object(Json.parse(json), "the page");
        Map<String, Object> board = object(status.get("board"), "board");
        Map<String, Object> tcp = object(status.get("tcp"), "tcp");
        Map<String, Object> tcpCounters = object(tcp.get("counters"), "tcp.counters");
        Object activityValue = status.get("activity");
        String lab = null;
        String origin = null;
        List<Connection> connections = new ArrayList<>();
        List<Transition> recent = new ArrayList<>();
        if (activityValue != null) {
            Map<String, Object> activity = object(activityValue, "activity");
            lab = text(activity.get("lab"));
            origin = text(activity.get("lab_origin"));
            for (Object c : list(activity.get("connections"), "activity.connections")) {
                Map<String, Object> m = object(c, "connection");
                connections.add(new Connection(number(m.get("local_port")), text(m.get("remote")), number(m.get("remote_port")),
                        text(m.get("state")), number(m.get("age_ms"))));
            }
            for (Object t : list(activity.get("recent_transitions"), "activity.recent_transitions")) {
                Map<String, Object> m = object(t, "transition");
                recent.add(new Transition(number(m.get("age_ms")), number(m.get("handle")), text(m.get("from")), text(m.get("to")),
                        text(m.get("cause"))));
            }
        } else {
            // A board without the activity member: its services' connections are all there is.
            for (Object c : list(status.get("connections"), "connections")) {
                Map<String, Object> m = object(c, "connection");
                connections.add(new Connection(number(m.get("local_port")), text(m.get("remote")), number(m.get("remote_port")),
                        text(m.get("state")), number(m.get("age_ms"))));
            }
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        for (String name : COUNTERS) {
            long value = number(tcpCounters.get(name));
            if (value != 0) {
                counters.put(name, value);
            }
        }
        return new BoardStatus(row, Reach.UP, null, now, now, lab, origin, Boolean.TRUE.equals(board.get("link_up")),
                number(board.get("uptime_ms")), connections, recent, counters);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String what) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("not a Spinet status page: " + what + " is not an object");
    }

    private static List<?> list(Object value, String what) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return l;
        }
        throw new IllegalArgumentException("not a Spinet status page: " + what + " is not an array");
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static long number(Object value) {
        return value instanceof Long l ? l : value instanceof Double d ? d.longValue() : 0;
    }
}
