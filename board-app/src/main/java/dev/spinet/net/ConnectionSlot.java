package dev.spinet.net;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One socket's half of the bridge, preallocated and reused: the two rings between the
 * application threads and the stack thread, the request word the application sets bits in, the
 * state the stack thread publishes, and the threads waiting on it.
 *
 * <p>Who writes what: the application thread that holds the socket's read lock consumes
 * {@link #inbound} and the one that holds its write lock produces {@link #outbound}; the stack
 * thread produces inbound, consumes outbound and alone writes the fields marked "stack". The
 * application never touches a slot after posting {@link #CLOSE} (its locks guarantee no read or
 * write is in flight then); the stack thread recycles the slot once the TCP connection is gone
 * too.
 */
final class ConnectionSlot {

    // ---- request bits (application to stack) ----
    static final int CONNECT = 1;
    static final int WRITE = 1 << 1;
    static final int READ_SPACE = 1 << 2;
    static final int SHUTDOWN_OUTPUT = 1 << 3;
    static final int OPTIONS = 1 << 4;
    static final int ABORT = 1 << 5;
    static final int CLOSE = 1 << 6;
    /** close() with a positive SO_LINGER waits: the stack sets {@link #lingerDone} once the FIN is acknowledged. */
    static final int LINGER = 1 << 7;

    // ---- phases (stack to application) ----
    static final int FREE = 0;
    static final int CONNECTING = 1;
    static final int OPEN = 2;
    /** The TCP connection is gone (closed normally or failed); the application has not closed yet. */
    static final int ENDED = 3;

    final int index;
    final SpscByteRing inbound;
    final SpscByteRing outbound;
    final AtomicInteger requests = new AtomicInteger();

    // ---- set by the application before posting CONNECT / OPTIONS ----
    int connectAddress;
    int connectPort;
    volatile boolean noDelay;
    volatile boolean keepAlive;

    // ---- stack ----
    volatile int phase = FREE;
    volatile SocketFailure failure;
    /** The peer's FIN was read: after {@link #inbound} is empty, reads return -1. */
    volatile boolean inputEnded;
    /** The stack stopped moving data into {@link #inbound} for lack of room: a read posts READ_SPACE. */
    volatile boolean inboundStalled;
    /**
     * The stack stopped moving {@link #outbound} into the TCP send ring because that ring is full:
     * the connection's next {@code onWritable} moves the rest, and what a writer adds meanwhile,
     * so a write need not post WRITE. The stack clears it before it looks at the ring for the
     * last time, the writer reads it after publishing its bytes (Dekker's pattern), so one of them
     * always sees the other's bytes.
     */
    volatile boolean outboundAwaitsRoom;
    /**
     * After {@link #LINGER}: everything sent, the FIN included, is acknowledged (FIN-WAIT-2,
     * TIME-WAIT) or the connection is gone, so a lingering close() may return.
     */
    volatile boolean lingerDone;
    volatile int localPort;
    volatile int remoteAddress;
    volatile int remotePort;

    // ---- waiting application threads (unparked through the ThreadWaker) ----
    volatile Thread reader;
    volatile Thread writer;
    /**
     * The reader made a bulk read, and no short read after a wait since, nor a park
     * (SocketBridge.leaseAfterRead): its leads are a bulk transfer's. Reader thread only.
     */
    volatile boolean bulkReader;
    /** The reader while it waits by running the stack itself ({@link StackLead}), else null. */
    volatile Thread leader;
    /**
     * The application closes the socket (close() on any thread; set before the threads blocked in
     * it are woken): a reader or writer that leads stops, as a parked one is unparked.
     */
    volatile boolean closing;
    /**
     * Whether a waiting reader has something to return, or must stop: data, the end, a failure,
     * the socket is closing or the sockets stopped ({@link StackLead}'s condition).
     */
    final BooleanSupplier readReady;
    /** The writer while it waits for room by running the stack itself ({@link StackLead}), else null. */
    volatile Thread writeLeader;
    /**
     * Whether a writer that found the outbound ring full may go on: half the ring is free (the
     * low-water mark at which a parked writer is woken, SocketBridge.drainOutbound), the
     * connection failed or ended, the socket is closing or the sockets stopped.
     */
    final BooleanSupplier writeReady;

    // ---- stack thread only ----
    /** The TCP connection handle, or -1 when there is none (yet, or any more). */
    int handle = -1;
    boolean appClosed;
    boolean shutdownPending;
    boolean closePending;
    boolean outputShut;
    /** In the stack's list of lingering closes, which it checks after each cycle. */
    boolean lingering;

    /** @param stopped whether the sockets stopped (SocketBridge.stop): every wait ends */
    ConnectionSlot(int index, int inboundBytes, int outboundBytes, BooleanSupplier stopped) {
        this.index = index;
        this.inbound = new SpscByteRing(inboundBytes);
        this.outbound = new SpscByteRing(outboundBytes);
        this.readReady = () -> inbound.size() > 0 || inputEnded || failure != null || closing || stopped.getAsBoolean();
        this.writeReady = () -> outbound.free() >= outbound.capacity() / 2 || failure != null || phase == ENDED || closing
                || stopped.getAsBoolean();
    }

    /** Back to FREE with empty rings (stack thread, once nobody else uses the slot). */
    void recycle() {
        inbound.reset();
        outbound.reset();
        requests.set(0);
        connectAddress = 0;
        connectPort = 0;
        noDelay = false;
        keepAlive = false;
        failure = null;
        inputEnded = false;
        inboundStalled = false;
        outboundAwaitsRoom = false;
        lingerDone = false;
        lingering = false;
        localPort = 0;
        remoteAddress = 0;
        remotePort = 0;
        bulkReader = false;
        reader = null;
        writer = null;
        leader = null;
        writeLeader = null;
        closing = false;
        handle = -1;
        appClosed = false;
        shutdownPending = false;
        closePending = false;
        outputShut = false;
        phase = FREE;
    }
}
