package dev.spinet.service;

import dev.spinet.config.StackConfig;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.TransitionCause;
import dev.spinet.tcp.TransitionObserver;
import java.util.Set;

/**
 * A board running a lab ({@code spinet run --lab NAME}) has two kinds of connections: the lab's
 * (port 4000, or the role's own connects) and those of its services, above all the status page
 * that the student's browser fetches every few seconds. Only the lab's are the exercise: this
 * observer passes their transitions on (to the {@link EdgeRecorder}, and from there to
 * {@code --trace}) and only counts the services'.
 *
 * <p>A connection is told apart by its local port when it is first seen (a listener on
 * CLOSED -> LISTEN, a connection on LISTEN -> SYN_RECEIVED or on entering SYN_SENT, when the
 * handle is live). The answer must outlive the TCB: a connection that reaches TIME-WAIT gives its
 * TCB back and its last transition, TIME_WAIT -> CLOSED, comes from the TIME-WAIT table under the
 * same id. So each id is kept in a fixed open-addressing table, sized for every listener, TCB and
 * TIME-WAIT entry twice over, until its last transition (to CLOSED, or SYN_RECEIVED -> LISTEN).
 * The table also keeps each connection's last state and peer for the status page, TIME_WAIT
 * included. Recording is array work only: it runs on the packet path and allocates nothing.
 */
public final class LabConnections implements TransitionObserver {

    /** Distinct local ports of the lab's connections the status page names. */
    private static final int PORT_SLOTS = 8;

    private final TransitionObserver next;
    private final int[] servicePorts;
    private final int mask;
    private final boolean[] used;
    private final int[] ids;
    private final boolean[] lab;
    private final int[] localPort;
    private final int[] remoteAddress;
    private final int[] remotePort;
    private final TcpState[] state;
    private final int[] labPorts = new int[PORT_SLOTS];
    private final long[] labPortOpened = new long[PORT_SLOTS];
    private TcpLayer tcp;
    private long labTransitions;
    private long serviceTransitions;
    private long untracked;

    /**
     * @param services the board's services: transitions of connections on their ports are counted, not passed on
     * @param config   the stack's configuration (sizes the table)
     * @param next     where the lab's transitions go (the edge recorder)
     */
    public LabConnections(Set<ServiceKind> services, StackConfig config, TransitionObserver next) {
        this.next = next == null ? TransitionObserver.NONE : next;
        this.servicePorts = new int[services.size()];
        int i = 0;
        for (ServiceKind kind : services) {
            servicePorts[i++] = kind.port();
        }
        int needed = 2 * (config.tcpConnections + config.tcpTimeWaitEntries + config.tcpListeners);
        int capacity = Integer.highestOneBit(Math.max(16, needed - 1)) << 1;
        mask = capacity - 1;
        used = new boolean[capacity];
        ids = new int[capacity];
        lab = new boolean[capacity];
        localPort = new int[capacity];
        remoteAddress = new int[capacity];
        remotePort = new int[capacity];
        state = new TcpState[capacity];
    }

    /** The stack's TCP layer, once the stack is built (the stack needs this observer first). */
    public LabConnections attach(TcpLayer tcp) {
        this.tcp = tcp;
        return this;
    }

    @Override
    public void onTransition(int connection, TcpState from, TcpState to, TransitionCause cause) {
        int slot = find(connection);
        if (slot < 0) {
            slot = firstSeen(connection, from, to, cause);
        }
        boolean isLab = slot < 0 || lab[slot];
        if (slot >= 0) {
            state[slot] = to;
            if (isLab && to == TcpState.ESTABLISHED) {
                notePort(localPort[slot], 1);
            }
        }
        if (isLab) {
            labTransitions++;
            next.onTransition(connection, from, to, cause);
        } else {
            serviceTransitions++;
        }
        // The id's last transition: to CLOSED, or a half-open connection's TCB freed back to LISTEN.
        if (slot >= 0 && (to == TcpState.CLOSED || (from == TcpState.SYN_RECEIVED && to == TcpState.LISTEN))) {
            remove(slot);
        }
    }

    private int firstSeen(int connection, TcpState from, TcpState to, TransitionCause cause) {
        int port = tcp == null ? 0 : tcp.portOf(connection);
        if (from == TcpState.LISTEN && to == TcpState.SYN_SENT && cause == TransitionCause.SEND) {
            // RFC 9293 3.10.2: SEND on a listener makes it active; the engine reports the new
            // connection's id, and the listener's id ends without a transition of its own.
            forgetListener(port);
        }
        int slot = insert(connection);
        if (slot < 0) {
            untracked++; // the table is sized to hold every id; passed on as the lab's
            return -1;
        }
        lab[slot] = !isServicePort(port);
        localPort[slot] = port;
        if (lab[slot] && port != 0) {
            notePort(port, 0);
        }
        boolean tcbLive = port != 0 && to != TcpState.LISTEN;
        remoteAddress[slot] = tcbLive ? tcp.remoteAddress(connection) : 0;
        remotePort[slot] = tcbLive ? tcp.remotePort(connection) : 0;
        return slot;
    }

    private boolean isServicePort(int port) {
        for (int servicePort : servicePorts) {
            if (servicePort == port) {
                return true;
            }
        }
        return false;
    }

    private void forgetListener(int port) {
        for (int slot = 0; slot <= mask; slot++) {
            if (used[slot] && state[slot] == TcpState.LISTEN && localPort[slot] == port) {
                remove(slot);
                return;
            }
        }
    }

    /** Remembers a local port of the lab (the first {@link #PORT_SLOTS}) and adds {@code opened} to its count. */
    private void notePort(int port, int opened) {
        for (int i = 0; i < PORT_SLOTS; i++) {
            if (labPorts[i] == port || labPorts[i] == 0) {
                labPorts[i] = port;
                labPortOpened[i] += opened;
                return;
            }
        }
    }

    // ---- the table: linear probing, backward-shift deletion ----

    private static int hash(int id) {
        int h = id * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private int find(int id) {
        for (int i = 0, slot = hash(id) & mask; i <= mask; i++, slot = (slot + 1) & mask) {
            if (!used[slot]) {
                return -1;
            }
            if (ids[slot] == id) {
                return slot;
            }
        }
        return -1;
    }

    private int insert(int id) {
        for (int i = 0, slot = hash(id) & mask; i <= mask; i++, slot = (slot + 1) & mask) {
            if (!used[slot]) {
                used[slot] = true;
                ids[slot] = id;
                state[slot] = TcpState.CLOSED;
                return slot;
            }
        }
        return -1;
    }

    private void remove(int slot) {
        used[slot] = false;
        state[slot] = null;
        // Move later members of the probe run back so find() never stops at the hole too early.
        int hole = slot;
        for (int next = (slot + 1) & mask; used[next]; next = (next + 1) & mask) {
            int home = hash(ids[next]) & mask;
            boolean homeInRange = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
            if (!homeInRange) {
                used[hole] = true;
                ids[hole] = ids[next];
                lab[hole] = lab[next];
                localPort[hole] = localPort[next];
                remoteAddress[hole] = remoteAddress[next];
                remotePort[hole] = remotePort[next];
                state[hole] = state[next];
                used[next] = false;
                state[next] = null;
                hole = next;
            }
        }
    }

    // ---- for the status page ----

    /** Slots of the table (iterate 0..capacity-1 with {@link #isLabConnection}). */
    public int capacity() {
        return mask + 1;
    }

    /** Whether the slot holds one of the lab's listeners or connections (not a service's). */
    public boolean isLabConnection(int slot) {
        return used[slot] && lab[slot];
    }

    public int id(int slot) {
        return ids[slot];
    }

    /** The last state the engine reported for the slot's connection (TIME_WAIT included). */
    public TcpState state(int slot) {
        return state[slot];
    }

    public int localPort(int slot) {
        return localPort[slot];
    }

    /** The peer's address; 0 for a listener. */
    public int remoteAddress(int slot) {
        return remoteAddress[slot];
    }

    public int remotePort(int slot) {
        return remotePort[slot];
    }

    /** The local ports the lab's connections used, in the order first opened (0 ends the list). */
    public int labPort(int index) {
        return index < PORT_SLOTS ? labPorts[index] : 0;
    }

    /** Connections of the lab on {@link #labPort}(index) that reached ESTABLISHED. */
    public long labPortOpened(int index) {
        return labPortOpened[index];
    }

    /** Transitions of the lab's connections (passed on). */
    public long labTransitions() {
        return labTransitions;
    }

    /** Transitions of the services' connections (counted, not passed on). */
    public long serviceTransitions() {
        return serviceTransitions;
    }

    /** Ids the table had no room for (0 unless the table is sized wrong); they were treated as the lab's. */
    public long untracked() {
        return untracked;
    }
}
