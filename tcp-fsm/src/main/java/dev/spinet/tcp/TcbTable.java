package dev.spinet.tcp;

import dev.spinet.config.StackConfig;
import dev.spinet.storage.IndexPool;

/**
 * The fixed table of connections: N {@link Tcb}s built at start-up, a free list of slot
 * indices, and lookup by 4-tuple. The local address is the interface's one address, so the
 * tuple is (local port, remote address, remote port). Lookup is a linear scan: N is small on
 * the boards this stack targets (default 8), and the scan touches one int per slot first.
 */
final class TcbTable {

    private final Tcb[] tcbs;
    private final IndexPool free;
    /** localPort of each slot in use, or -1: the scan reads this dense array before the Tcb. */
    private final int[] portOfSlot;

    TcbTable(StackConfig config) {
        int connections = config.tcpConnections;
        tcbs = new Tcb[connections];
        portOfSlot = new int[connections];
        for (int i = 0; i < connections; i++) {
            tcbs[i] = new Tcb(i, config);
            portOfSlot[i] = -1;
        }
        free = new IndexPool(connections);
    }

    int capacity() {
        return tcbs.length;
    }

    int inUse() {
        return free.inUseCount();
    }

    int available() {
        return free.available();
    }

    Tcb slot(int index) {
        return tcbs[index];
    }

    /** A fresh, reset TCB, or null when all are in use. */
    Tcb allocate(int localPort, int remoteAddress, int remotePort) {
        int index = free.acquire();
        if (index == IndexPool.NONE) {
            return null;
        }
        Tcb tcb = tcbs[index];
        tcb.reset();
        tcb.inUse = true;
        tcb.localPort = localPort;
        tcb.remoteAddress = remoteAddress;
        tcb.remotePort = remotePort;
        portOfSlot[index] = localPort;
        return tcb;
    }

    void release(Tcb tcb) {
        tcb.inUse = false;
        tcb.state = TcpState.CLOSED;
        tcb.handler = null;
        tcb.sendRing.clear();
        tcb.receiveRing.clear();
        tcb.assembler.clear();
        portOfSlot[tcb.slot] = -1;
        free.release(tcb.slot);
    }

    /**
     * Takes a TCB out of demultiplexing (its 4-tuple now belongs to a TIME-WAIT entry, then to
     * whoever uses it next) while it stays allocated for its handle.
     */
    void detach(Tcb tcb) {
        portOfSlot[tcb.slot] = -1;
    }

    Tcb find(int localPort, int remoteAddress, int remotePort) {
        for (int i = 0; i < portOfSlot.length; i++) {
            if (portOfSlot[i] == localPort) {
                Tcb tcb = tcbs[i];
                if (tcb.remotePort == remotePort && tcb.remoteAddress == remoteAddress) {
                    return tcb;
                }
            }
        }
        return null;
    }

    boolean localPortInUse(int localPort) {
        for (int i = 0; i < portOfSlot.length; i++) {
            if (portOfSlot[i] == localPort) {
                return true;
            }
        }
        return false;
    }

    /** The TCB a handle names, or null if the handle is stale or was never valid. */
    Tcb byHandle(int handle) {
        int index = handle & 0xFFFF;
        if ((handle & Listener.LISTENER_BIT) != 0 || index >= tcbs.length) {
            return null;
        }
        Tcb tcb = tcbs[index];
        return tcb.inUse && tcb.handle == handle ? tcb : null;
    }
}
