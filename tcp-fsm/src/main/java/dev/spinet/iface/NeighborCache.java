package dev.spinet.iface;

/**
 * The ARP neighbor cache (RFC 826, RFC 1122 2.3.2.1): a fixed number of entries in parallel
 * arrays, linear search (the table is small by design). An entry is FREE, INCOMPLETE (a request
 * is out) or REACHABLE (MAC known until its lifetime ends). When all entries are in use the least
 * recently used one is evicted whatever its state, so a hostile flood of lookups or gratuitous
 * replies can churn the table but never grow it, and a neighbor in active use stays.
 *
 * <p>Stack thread only; no allocation after construction.
 */
public final class NeighborCache {

    /** Index returned when no entry matches. */
    public static final int NONE = -1;

    static final byte FREE = 0;
    static final byte INCOMPLETE = 1;
    static final byte REACHABLE = 2;

    private final int[] address;
    private final long[] mac;
    private final byte[] state;
    private final long[] expiresAt;
    private final long[] lastUsedAt;
    private final long[] nextRequestAt;
    private final int[] requestsSent;
    private final long lifetimeNanos;

    public NeighborCache(int entries, long lifetimeNanos) {
        this.address = new int[entries];
        this.mac = new long[entries];
        this.state = new byte[entries];
        this.expiresAt = new long[entries];
        this.lastUsedAt = new long[entries];
        this.nextRequestAt = new long[entries];
        this.requestsSent = new int[entries];
        this.lifetimeNanos = lifetimeNanos;
    }

    public int capacity() {
        return state.length;
    }

    /** The entry for {@code ip} in any non-free state, or {@link #NONE}. */
    public int find(int ip) {
        for (int i = 0; i < state.length; i++) {
            if (state[i] != FREE && address[i] == ip) {
                return i;
            }
        }
        return NONE;
    }

    /** The MAC for {@code ip} if REACHABLE and not expired, else -1; marks the entry used. */
    public long lookup(int ip, long nowNanos) {
        int i = find(ip);
        if (i == NONE || state[i] != REACHABLE) {
            return -1;
        }
        if (expiresAt[i] - nowNanos <= 0) {
            state[i] = FREE;
            return -1;
        }
        lastUsedAt[i] = nowNanos;
        return mac[i];
    }

    /**
     * Records {@code ip -> mac} (from a reply, or a request addressed to us). Returns the entry.
     * {@code evicted[0]} is set to true when a live entry had to go.
     */
    public int learn(int ip, long hardwareAddress, long nowNanos, boolean[] evicted) {
        int i = find(ip);
        if (i == NONE) {
            i = allocate(nowNanos, evicted);
            address[i] = ip;
        }
        mac[i] = hardwareAddress;
        state[i] = REACHABLE;
        expiresAt[i] = nowNanos + lifetimeNanos;
        lastUsedAt[i] = nowNanos;
        requestsSent[i] = 0;
        return i;
    }

    /** Updates an existing entry only (RFC 826 "merge flag"); returns whether one existed. */
    public boolean refresh(int ip, long hardwareAddress, long nowNanos) {
        int i = find(ip);
        if (i == NONE) {
            return false;
        }
        mac[i] = hardwareAddress;
        state[i] = REACHABLE;
        expiresAt[i] = nowNanos + lifetimeNanos;
        requestsSent[i] = 0;
        return true;
    }

    /** Creates an INCOMPLETE entry for {@code ip} (a request is about to go out). */
    public int startResolving(int ip, long nowNanos, boolean[] evicted) {
        int i = allocate(nowNanos, evicted);
        address[i] = ip;
        state[i] = INCOMPLETE;
        lastUsedAt[i] = nowNanos;
        requestsSent[i] = 0;
        nextRequestAt[i] = nowNanos;
        return i;
    }

    private int allocate(long nowNanos, boolean[] evicted) {
        int oldest = 0;
        for (int i = 0; i < state.length; i++) {
            if (state[i] == FREE) {
                evicted[0] = false;
                return i;
            }
            if (lastUsedAt[i] - lastUsedAt[oldest] < 0) {
                oldest = i;
            }
        }
        evicted[0] = state[oldest] == REACHABLE && expiresAt[oldest] - nowNanos > 0;
        state[oldest] = FREE;
        return oldest;
    }

    public void free(int entry) {
        state[entry] = FREE;
    }

    public boolean isIncomplete(int entry) {
        return state[entry] == INCOMPLETE;
    }

    public boolean isReachable(int entry) {
        return state[entry] == REACHABLE;
    }

    public boolean isFree(int entry) {
        return state[entry] == FREE;
    }

    public int address(int entry) {
        return address[entry];
    }

    public long mac(int entry) {
        return mac[entry];
    }

    public long expiresAt(int entry) {
        return expiresAt[entry];
    }

    public long nextRequestAt(int entry) {
        return nextRequestAt[entry];
    }

    public int requestsSent(int entry) {
        return requestsSent[entry];
    }

    /** Records that a request went out now; the next is due after {@code intervalNanos}. */
    public void requestSent(int entry, long nowNanos, long intervalNanos) {
        requestsSent[entry]++;
        nextRequestAt[entry] = nowNanos + intervalNanos;
    }

    /** Frees REACHABLE entries whose lifetime ended. */
    public void expire(long nowNanos) {
        for (int i = 0; i < state.length; i++) {
            if (state[i] == REACHABLE && expiresAt[i] - nowNanos <= 0) {
                state[i] = FREE;
            }
        }
    }

    /** Entries in use (REACHABLE or INCOMPLETE). */
    public int used() {
        int n = 0;
        for (byte s : state) {
            if (s != FREE) {
                n++;
            }
        }
        return n;
    }
}
