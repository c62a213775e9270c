package dev.spinet.tcp;

/**
 * Connections in TIME-WAIT, kept as compact entries (a few ints, the timestamps state of RFC 7323
 * and a deadline) instead of full
 * TCBs: when a connection enters TIME-WAIT its TCB and rings go back to the pool at once, and
 * this table alone honours 2*MSL (RFC 9293 3.6.1). lwIP keeps full PCBs in TIME-WAIT, a known
 * way to run out of them under connection churn.
 *
 * <p>When the table is full the entry closest to expiry is recycled early (counted), which is
 * what an operating system does under TIME-WAIT pressure.
 */
final class TimeWaitTable {

    private final boolean[] used;
    private final int[] localPort;
    private final int[] remoteAddress;
    private final int[] remotePort;
    /** RCV.NXT at entry: the next sequence number the old incarnation expected. */
    private final int[] rcvNxt;
    /** SND.NXT at entry: a new incarnation must start above it. */
    private final int[] sndNxt;
    /**
     * RCV.WND at entry, in bytes: what is left of the window already announced (its right edge,
     * RCV.NXT + RCV.WND, stays where it was). TIME-WAIT answers show it instead of zero, so the
     * window is not shrunk (RFC 9293 3.8.6: shrinking the window "is strongly discouraged"), and it
     * bounds the in-window test for RST (RFC 5961 3.2).
     */
    private final int[] rcvWnd;
    /** Window scale shift for our window field (RFC 7323 2.3), as the connection used it. */
    private final int[] rcvScale;
    /** The connection used RFC 7323 timestamps: answers carry them, PAWS and RFC 6191 use them. */
    private final boolean[] timestamps;
    /** TS.Recent at entry (RFC 7323 4.3): the peer's last TSval, for PAWS and a reopening SYN. */
    private final int[] tsRecent;
    /** The connection's TSval offset, so the entry's answers continue its clock. */
    private final int[] tsOffset;
    private final int[] connectionId;
    private final long[] deadline;
    /** When the entry last answered an unacceptable segment (its out-of-window ACK throttle). */
    private final long[] lastOutOfWindowAckNanos;
    private final boolean[] outOfWindowAckSent;
    /** RFC 5961 section 7: each entry throttles its own challenge ACKs (see ChallengeAckLimiter). */
    private final ChallengeAckLimiter[] challengeAcks;
    private int count;

    TimeWaitTable(int entries, int challengeAcksPerSecond) {
        used = new boolean[entries];
        localPort = new int[entries];
        remoteAddress = new int[entries];
        remotePort = new int[entries];
        rcvNxt = new int[entries];
        sndNxt = new int[entries];
        rcvWnd = new int[entries];
        rcvScale = new int[entries];
        timestamps = new boolean[entries];
        tsRecent = new int[entries];
        tsOffset = new int[entries];
        connectionId = new int[entries];
        deadline = new long[entries];
        lastOutOfWindowAckNanos = new long[entries];
        outOfWindowAckSent = new boolean[entries];
        challengeAcks = new ChallengeAckLimiter[entries];
        for (int i = 0; i < entries; i++) {
            challengeAcks[i] = new ChallengeAckLimiter(challengeAcksPerSecond);
        }
    }

    int capacity() {
        return used.length;
    }

    int size() {
        return count;
    }

    /** A free index, or -1 when full. */
    int freeIndex() {
        if (count == used.length) {
            return -1;
        }
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                return i;
            }
        }
        return -1;
    }

    /** The entry that expires first (the one to recycle when full), or -1 if empty. */
    int oldest() {
        int best = -1;
        for (int i = 0; i < used.length; i++) {
            if (used[i] && (best < 0 || deadline[i] - deadline[best] < 0)) {
                best = i;
            }
        }
        return best;
    }

    void put(int index, int localPort, int remoteAddress, int remotePort, int rcvNxt, int sndNxt, int rcvWnd, int rcvScale,
            int id, long deadline) {
        if (!used[index]) {
            count++;
        }
        used[index] = true;
        this.localPort[index] = localPort;
        this.remoteAddress[index] = remoteAddress;
        this.remotePort[index] = remotePort;
        this.rcvNxt[index] = rcvNxt;
        this.sndNxt[index] = sndNxt;
        this.rcvWnd[index] = Math.max(0, rcvWnd);
        this.rcvScale[index] = rcvScale;
        this.connectionId[index] = id;
        this.deadline[index] = deadline;
        challengeAcks[index].reset();
        outOfWindowAckSent[index] = false;
        timestamps[index] = false;
    }

    /** The connection of entry {@code index} used timestamps: TS.Recent and the TSval offset it had. */
    void putTimestamps(int index, int tsRecent, int tsOffset) {
        this.timestamps[index] = true;
        this.tsRecent[index] = tsRecent;
        this.tsOffset[index] = tsOffset;
    }

    boolean timestamps(int index) {
        return timestamps[index];
    }

    int tsRecent(int index) {
        return tsRecent[index];
    }

    void setTsRecent(int index, int value) {
        tsRecent[index] = value;
    }

    int tsOffset(int index) {
        return tsOffset[index];
    }

    /** Whether the entry may answer an unacceptable segment now (at most one per {@code intervalNanos}). */
    boolean tryOutOfWindowAck(int index, long nowNanos, long intervalNanos) {
        if (outOfWindowAckSent[index] && nowNanos - lastOutOfWindowAckNanos[index] < intervalNanos) {
            return false;
        }
        outOfWindowAckSent[index] = true;
        lastOutOfWindowAckNanos[index] = nowNanos;
        return true;
    }

    void remove(int index) {
        if (used[index]) {
            used[index] = false;
            count--;
        }
    }

    int find(int localPort, int remoteAddress, int remotePort) {
        if (count == 0) {
            return -1;
        }
        for (int i = 0; i < used.length; i++) {
            if (used[i] && this.localPort[i] == localPort && this.remotePort[i] == remotePort
                    && this.remoteAddress[i] == remoteAddress) {
                return i;
            }
        }
        return -1;
    }

    boolean isUsed(int index) {
        return used[index];
    }

    int localPort(int index) {
        return localPort[index];
    }

    int remoteAddress(int index) {
        return remoteAddress[index];
    }

    int remotePort(int index) {
        return remotePort[index];
    }

    int rcvNxt(int index) {
        return rcvNxt[index];
    }

    int sndNxt(int index) {
        return sndNxt[index];
    }

    int rcvWnd(int index) {
        return rcvWnd[index];
    }

    /** The window field of this entry's answers: RCV.WND scaled as the connection did. */
    int windowField(int index) {
        return Math.min(rcvWnd[index] >>> rcvScale[index], 0xFFFF);
    }

    int connectionId(int index) {
        return connectionId[index];
    }

    long deadline(int index) {
        return deadline[index];
    }

    /** Whether entry {@code index} may send one more challenge ACK now (counted if so). */
    boolean tryChallengeAck(int index, long nowNanos) {
        return challengeAcks[index].tryAcquire(nowNanos);
    }

    void setDeadline(int index, long value) {
        deadline[index] = value;
    }

    boolean localPortInUse(int port) {
        if (count == 0) {
            return false;
        }
        for (int i = 0; i < used.length; i++) {
            if (used[i] && localPort[i] == port) {
                return true;
            }
        }
        return false;
    }
}
