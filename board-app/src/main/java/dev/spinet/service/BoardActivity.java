package dev.spinet.service;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import dev.spinet.tcp.TransitionObserver;
import dev.spinet.wire.Ipv4Packet;

/**
 * What a board is doing, for the instructor's class page ({@code spinet class status}): its name
 * and lab, every connection the stack holds whoever opened it (the lab role's, the services', the
 * control port's; not the status page's own, which the class page's polling would otherwise fill
 * the list with) with its state, and the last {@value #RECENT} state transitions of those
 * connections (a listener's opening at start is left out). Served as the {@code activity} member
 * of {@code /status.json}.
 *
 * <p>It learns the connections from the transitions themselves, so it needs nothing from the TCP
 * engine beyond the observer every stack has. A connection in TIME-WAIT has given its TCB back
 * (docs/design.md, "Memory"), so a new connection may take its slot while it waits: it then moves
 * to a table of its own until its TIME-WAIT ends. Recording a transition writes a few array elements
 * and reads the clock: nothing is allocated, so it may sit on the packet path.
 */
public final class BoardActivity implements TransitionObserver, StatusSection {

    /** Transitions kept for the page. */
    public static final int RECENT = 32;
    /** Listener handles have this bit set (connections do not). */
    private static final int LISTENER_BIT = 1 << 30;
    private static final int SLOT_MASK = 0xFFFF;

    private final String board;
    private final String lab;
    private final String labOrigin;
    private final NanoClock clock;
    private final TransitionObserver next;
    private final int quietPort;
    private TcpLayer tcp;

    private final int[] handle;
    private final TcpState[] state;
    private final int[] localPort;
    private final int[] remoteAddress;
    private final int[] remotePort;
    private final long[] sinceNanos;

    /** Connections in TIME-WAIT whose slot a newer connection took (handle -1: free). */
    private final int[] waitingHandle;
    private final int[] waitingLocalPort;
    private final int[] waitingRemoteAddress;
    private final int[] waitingRemotePort;
    private final long[] waitingSinceNanos;

    private final long[] recentAt = new long[RECENT];
    private final int[] recentHandle = new int[RECENT];
    private final TcpState[] recentFrom = new TcpState[RECENT];
    private final TcpState[] recentTo = new TcpState[RECENT];
    private final TransitionCause[] recentCause = new TransitionCause[RECENT];
    private long transitions;

    /**
     * @param board     the board's name in the class roster, or null
     * @param lab       the lab it runs, or null
     * @param labOrigin where that lab came from (image, instructor, boot file), or null
     * @param slots     the stack's TCB count (connection handles carry their slot in the low 16 bits)
     * @param quietPort connections to this local port are left out: the status page's own (port 80),
     *                  or the class page's polling would fill the list; -1 for none
     * @param next      the next observer (the edge counter, the trace)
     */
    public BoardActivity(String board, String lab, String labOrigin, int slots, int quietPort, NanoClock clock, TransitionObserver next) {
        this.board = board;
        this.quietPort = quietPort;
        this.lab = lab;
        this.labOrigin = labOrigin;
        this.clock = clock;
        this.next = next == null ? TransitionObserver.NONE : next;
        handle = new int[slots];
        state = new TcpState[slots];
        localPort = new int[slots];
        remoteAddress = new int[slots];
        remotePort = new int[slots];
        sinceNanos = new long[slots];
        waitingHandle = new int[slots];
        java.util.Arrays.fill(waitingHandle, -1);
        waitingLocalPort = new int[slots];
        waitingRemoteAddress = new int[slots];
        waitingRemotePort = new int[slots];
        waitingSinceNanos = new long[slots];
    }

    /** The stack's TCP layer, for the ports of new connections (the stack is built after its observer). */
    public BoardActivity attach(TcpLayer layer) {
        this.tcp = layer;
        return this;
    }

    @Override
    public String name() {
        return "activity";
    }

    @Override
    public void onTransition(int connection, TcpState from, TcpState to, TransitionCause cause) {
        long now = clock.nanoTime();
        if (track(connection, from, to, now)) {
            int at = (int) (transitions % RECENT);
            recentAt[at] = now;
            recentHandle[at] = connection;
            recentFrom[at] = from;
            recentTo[at] = to;
            recentCause[at] = cause;
            transitions++;
        }
        next.onTransition(connection, from, to, cause);
    }

    /** Updates the connection tables; returns whether the transition belongs on the page. */
    private boolean track(int connection, TcpState from, TcpState to, long now) {
        if ((connection & LISTENER_BIT) != 0) {
            return false; // the board's own listeners, opened at start: not what the class watches
        }
        int slot = connection & SLOT_MASK;
        if (slot >= handle.length) {
            return false;
        }
        boolean followed = handle[slot] == connection && state[slot] != null;
        if (!followed && from == TcpState.TIME_WAIT) {
            return forgetWaiting(connection);
        }
        if (!followed) {
            if (from != TcpState.CLOSED && from != TcpState.LISTEN) {
                return false; // a connection not followed from its start: the status page's own
            }
            boolean open = tcp != null && tcp.state(connection) != TcpState.CLOSED;
            int port = open ? tcp.localPort(connection) : 0;
            if (port == quietPort) {
                return false;
            }
            if (state[slot] == TcpState.TIME_WAIT) {
                keepWaiting(slot);
            }
            handle[slot] = connection;
            sinceNanos[slot] = now;
            localPort[slot] = port;
            remoteAddress[slot] = open ? tcp.remoteAddress(connection) : 0;
            remotePort[slot] = open ? tcp.remotePort(connection) : 0;
        }
        state[slot] = to == TcpState.CLOSED ? null : to;
        return true;
    }

    private void keepWaiting(int slot) {
        for (int i = 0; i < waitingHandle.length; i++) {
            if (waitingHandle[i] == -1) {
                waitingHandle[i] = handle[slot];
                waitingLocalPort[i] = localPort[slot];
                waitingRemoteAddress[i] = remoteAddress[slot];
                waitingRemotePort[i] = remotePort[slot];
                waitingSinceNanos[i] = sinceNanos[slot];
                return;
            }
        }
        // More connections in TIME-WAIT than TCBs: the oldest stays off the page.
    }

    /** Whether the connection was waiting in TIME-WAIT aside (and now no longer is). */
    private boolean forgetWaiting(int connection) {
        for (int i = 0; i < waitingHandle.length; i++) {
            if (waitingHandle[i] == connection) {
                waitingHandle[i] = -1;
                return true;
            }
        }
        return false;
    }

    /** Transitions recorded since the stack started (the status page's own left out). */
    public long transitions() {
        return transitions;
    }

    /** The state of a connection as the transitions left it (TIME_WAIT included), or null. */
    public TcpState state(int connection) {
        int slot = connection & SLOT_MASK;
        if (slot < handle.length && handle[slot] == connection) {
            return state[slot];
        }
        for (int i = 0; i < waitingHandle.length; i++) {
            if (waitingHandle[i] == connection && connection != -1) {
                return TcpState.TIME_WAIT;
            }
        }
        return null;
    }

    @Override
    public void appendJson(StringBuilder out) {
        long now = clock.nanoTime();
        out.append('{');
        text(out, "board", board).append(',');
        text(out, "lab", lab).append(',');
        text(out, "lab_origin", labOrigin).append(",\"connections\":[");
        boolean first = true;
        for (int slot = 0; slot < handle.length; slot++) {
            if (state[slot] == null) {
                continue;
            }
            out.append(first ? "{" : ",{");
            first = false;
            out.append("\"handle\":").append(handle[slot]).append(",\"local_port\":").append(localPort[slot]).append(',');
            text(out, "remote", Ipv4Packet.formatAddress(remoteAddress[slot])).append(",\"remote_port\":").append(remotePort[slot]).append(',');
            text(out, "state", state[slot].name()).append(",\"age_ms\":").append((now - sinceNanos[slot]) / 1_000_000).append('}');
        }
        for (int i = 0; i < waitingHandle.length; i++) {
            if (waitingHandle[i] == -1) {
                continue;
            }
            out.append(first ? "{" : ",{");
            first = false;
            out.append("\"handle\":").append(waitingHandle[i]).append(",\"local_port\":").append(waitingLocalPort[i]).append(',');
            text(out, "remote", Ipv4Packet.formatAddress(waitingRemoteAddress[i])).append(",\"remote_port\":").append(waitingRemotePort[i])
                    .append(',');
            text(out, "state", TcpState.TIME_WAIT.name()).append(",\"age_ms\":").append((now - waitingSinceNanos[i]) / 1_000_000).append('}');
        }
        out.append("],\"transitions\":").append(transitions).append(",\"recent_transitions\":[");
        long shown = Math.min(transitions, RECENT);
        for (long i = 0; i < shown; i++) {
            int at = (int) ((transitions - 1 - i) % RECENT); // newest first
            out.append(i == 0 ? "{" : ",{");
            out.append("\"age_ms\":").append((now - recentAt[at]) / 1_000_000).append(",\"handle\":").append(recentHandle[at]).append(',');
            text(out, "from", recentFrom[at].name()).append(',');
            text(out, "to", recentTo[at].name()).append(',');
            text(out, "cause", recentCause[at].name()).append('}');
        }
        out.append("]}");
    }

    private static StringBuilder text(StringBuilder out, String name, String value) {
        out.append('"').append(name).append("\":");
        if (value == null) {
            return out.append("null");
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c < 0x20 ? ' ' : c);
        }
        return out.append('"');
    }
}
