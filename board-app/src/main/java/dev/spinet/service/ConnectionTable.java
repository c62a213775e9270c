package dev.spinet.service;

import dev.spinet.tcp.CloseReason;

/**
 * What the services know about their connections, for the status page: one row per TCB slot
 * ({@code handle & 0xFFFF}), filled at accept and cleared at close, plus per-service totals.
 * Every array is allocated here; updating it allocates nothing. Owned by the stack thread; the
 * status page reads it on that thread too.
 */
public final class ConnectionTable {

    /** Connection handles keep their TCB slot in the low 16 bits (see TcpLayer "Handles"). */
    private static final int SLOT_MASK = 0xFFFF;

    private final int[] handle;
    private final ServiceKind[] service;
    private final int[] remoteAddress;
    private final int[] remotePort;
    private final long[] openedNanos;
    private final long[] bytesIn;
    private final long[] bytesOut;
    private final long[] acceptedTotal = new long[ServiceKind.all().length];
    private final long[] bytesInTotal = new long[ServiceKind.all().length];
    private final long[] bytesOutTotal = new long[ServiceKind.all().length];
    private final long[] closedByReason = new long[CloseReason.values().length];

    public ConnectionTable(int capacity) {
        if (capacity < 1 || capacity > SLOT_MASK + 1) {
            throw new IllegalArgumentException("connection table capacity must be 1..65536 (StackConfig tcpConnections), was " + capacity);
        }
        handle = new int[capacity];
        service = new ServiceKind[capacity];
        remoteAddress = new int[capacity];
        remotePort = new int[capacity];
        openedNanos = new long[capacity];
        bytesIn = new long[capacity];
        bytesOut = new long[capacity];
    }

    public int capacity() {
        return handle.length;
    }

    /** The row of a connection handle. */
    public static int slot(int connection) {
        return connection & SLOT_MASK;
    }

    void opened(int connection, ServiceKind kind, int address, int port, long nowNanos) {
        int slot = slot(connection);
        handle[slot] = connection;
        service[slot] = kind;
        remoteAddress[slot] = address;
        remotePort[slot] = port;
        openedNanos[slot] = nowNanos;
        bytesIn[slot] = 0;
        bytesOut[slot] = 0;
        acceptedTotal[kind.ordinal()]++;
    }

    void received(int connection, int bytes) {
        int slot = slot(connection);
        if (handle[slot] == connection && service[slot] != null) {
            bytesIn[slot] += bytes;
            bytesInTotal[service[slot].ordinal()] += bytes;
        }
    }

    void sent(int connection, int bytes) {
        int slot = slot(connection);
        if (handle[slot] == connection && service[slot] != null) {
            bytesOut[slot] += bytes;
            bytesOutTotal[service[slot].ordinal()] += bytes;
        }
    }

    void closed(int connection, CloseReason reason) {
        int slot = slot(connection);
        if (handle[slot] == connection) {
            service[slot] = null;
        }
        closedByReason[reason.ordinal()]++;
    }

    /** Whether row {@code slot} holds a live connection. */
    public boolean live(int slot) {
        return service[slot] != null;
    }

    public int handle(int slot) {
        return handle[slot];
    }

    public ServiceKind service(int slot) {
        return service[slot];
    }

    public int remoteAddress(int slot) {
        return remoteAddress[slot];
    }

    public int remotePort(int slot) {
        return remotePort[slot];
    }

    public long openedNanos(int slot) {
        return openedNanos[slot];
    }

    public long bytesIn(int slot) {
        return bytesIn[slot];
    }

    public long bytesOut(int slot) {
        return bytesOut[slot];
    }

    public long accepted(ServiceKind kind) {
        return acceptedTotal[kind.ordinal()];
    }

    public long bytesIn(ServiceKind kind) {
        return bytesInTotal[kind.ordinal()];
    }

    public long bytesOut(ServiceKind kind) {
        return bytesOutTotal[kind.ordinal()];
    }

    public long closed(CloseReason reason) {
        return closedByReason[reason.ordinal()];
    }

    /** Live connections. */
    public int liveCount() {
        int n = 0;
        for (int i = 0; i < service.length; i++) {
            if (service[i] != null) {
                n++;
            }
        }
        return n;
    }
}
