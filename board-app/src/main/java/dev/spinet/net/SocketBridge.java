package dev.spinet.net;

import dev.spinet.iface.DutyCycle;
import dev.spinet.stats.Counters;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TcpState;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The stack thread's side of the sockets: a duty cycle that first serves what application
 * threads asked for (the {@link CommandQueue}), then runs the stack, whose TCP events come back
 * here as a {@link TcpHandler} and move bytes between each connection's TCP rings and its
 * socket's {@link SpscByteRing}s. Everything is preallocated: the slots, the rings, the queues;
 * serving requests and events allocates nothing (SocketEchoAllocationTest).
 *
 * <p>The application side (the socket implementations) calls only {@link #post}, the slot pools
 * and the read-only getters; it never calls the {@link TcpLayer}.
 */
final class SocketBridge implements DutyCycle, IdleGate {

    private final TcpLayer tcp;
    private final DutyCycle stack;
    private final SocketConfig config;
    private final ConnectionSlot[] sockets;
    private final ListenerSlot[] listeners;
    /** The socket of each TCB slot ({@code handle & 0xFFFF}), or null. */
    private final ConnectionSlot[] socketByTcb;
    /** The server socket of each TCP listener slot ({@code handle & 0xFFFF}), or null. */
    private final ListenerSlot[] listenerByTcp;
    private final AtomicIntegerArray socketTaken;
    private final AtomicIntegerArray listenerTaken;
    private final AtomicInteger socketHint = new AtomicInteger();
    private final AtomicInteger listenerHint = new AtomicInteger();
    private final CommandQueue commands;
    private final ThreadWaker waker;
    private final Counters<SocketCounter> counters = new Counters<>(SocketCounter.class);
    private final Handler handler = new Handler();
    /** Reads that waited by running the stack themselves ({@link StackLead}); application threads count them. */
    private final java.util.concurrent.atomic.AtomicLong readsLed = new java.util.concurrent.atomic.AtomicLong();
    /** Writes that waited for room by running the stack themselves; application threads count them. */
    private final java.util.concurrent.atomic.AtomicLong writesLed = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean stackIdle;
    private volatile boolean stopped;
    private volatile StackWakeup wakeup = StackWakeup.NONE;
    /** How an application thread serves its own request while the stack thread idles. */
    private volatile StackTurn turn = StackTurn.NONE;
    /** How a reader that finds no data runs the stack itself while it waits. */
    private volatile StackLead lead = StackLead.NONE;
    private volatile NameResolver resolver = NameResolver.NUMERIC;
    private volatile Throwable lastInternalError;
    /** Sockets whose close() waits for the FIN to be acknowledged (SO_LINGER), {@link #lingeringCount} of them (stack thread). */
    private final int[] lingering;
    private int lingeringCount;
    /** Next candidate for a server socket bound to port 0 (stack thread). */
    private int nextListenPort;
    /** Until then the stack thread does not idle: an application thread it just served may answer (stack thread). */
    private long spinUntil;

    SocketBridge(TcpLayer tcp, DutyCycle stack, SocketConfig config) {
        this.tcp = tcp;
        this.stack = stack;
        this.config = config;
        this.sockets = new ConnectionSlot[config.sockets()];
        for (int i = 0; i < sockets.length; i++) {
            sockets[i] = new ConnectionSlot(i, config.inboundRingBytes(), config.outboundRingBytes(), this::stopped);
        }
        this.listeners = new ListenerSlot[config.serverSockets()];
        for (int i = 0; i < listeners.length; i++) {
            listeners[i] = new ListenerSlot(i, sockets.length);
        }
        this.socketByTcb = new ConnectionSlot[Math.max(1, tcp.connectionCapacity())];
        this.listenerByTcp = new ListenerSlot[Math.max(1, tcp.config().tcpListeners)];
        this.lingering = new int[sockets.length];
        this.socketTaken = new AtomicIntegerArray(sockets.length);
        this.listenerTaken = new AtomicIntegerArray(listeners.length);
        this.commands = new CommandQueue(sockets.length + listeners.length);
        this.waker = new ThreadWaker(sockets.length + listeners.length, config.spinNanos(), this::unparkWaiters);
        this.nextListenPort = 0;
    }

    void start() {
        waker.start("spinet-socket-waker");
    }

    /**
     * Stops serving: waiting application threads wake and fail with "Spinet is stopped". The flag
     * comes first: a thread that publishes itself as waiting afterwards sees it before it parks
     * (every park condition asks {@link #stopped}), one published before is unparked here, and a
     * leader's condition turns true and its wait on the device is ended.
     */
    void stop() {
        stopped = true;
        lead.wakeLeader();
        waker.stop();
        for (ConnectionSlot slot : sockets) {
            unpark(slot.reader);
            unpark(slot.writer);
        }
        for (ListenerSlot slot : listeners) {
            unpark(slot.acceptor);
        }
    }

    /** Resets every connection a socket holds (stack thread, at shutdown). */
    int abortAll() {
        int aborted = 0;
        for (ConnectionSlot slot : sockets) {
            if (slot.handle >= 0 && tcp.state(slot.handle) != TcpState.CLOSED) {
                tcp.abort(slot.handle);
                aborted++;
            }
        }
        return aborted;
    }

    boolean stopped() {
        return stopped;
    }

    void wakeupVia(StackWakeup stackWakeup) {
        this.wakeup = stackWakeup;
    }

    void runCyclesVia(StackTurn stackTurn) {
        this.turn = stackTurn;
    }

    void leadVia(StackLead stackLead) {
        this.lead = stackLead;
    }

    /**
     * A reader found its ring empty: it waits by running the stack itself, for at most
     * {@code maxNanos} (and {@link SocketConfig#leadNanos}), when the host allows and nobody else
     * leads (application thread).
     *
     * @return false when it did not lead: park as usual
     */
    boolean leadUntilReadable(ConnectionSlot slot, long maxNanos) {
        long nanos = config.leadNanos();
        if (nanos == 0 || stopped) {
            return false;
        }
        if (maxNanos > 0 && maxNanos < nanos) {
            nanos = maxNanos;
        }
        // Published before the leader looks at the ring; wakeReader reads it after filling the ring.
        slot.leader = Thread.currentThread();
        int led;
        try {
            led = lead.lead(nanos, slot.readReady, slot.bulkReader);
        } finally {
            slot.leader = null;
        }
        if (led == StackLead.NOT_LED) {
            return false;
        }
        readsLed.incrementAndGet();
        if (led == StackLead.LED_WAKE_STACK) {
            wakeup.wake();
        }
        return true;
    }

    /**
     * A reader took {@code bytes} from its inbound ring. A bulk read (at least a quarter of the
     * ring) takes a lease ({@link StackLead#lease}): the reader will most likely be back at once,
     * and its next read takes the frames that arrive meanwhile, on its own thread, instead of the
     * stack thread waking for each of them. Small reads (a request, an echo) take none.
     */
    boolean leaseAfterRead(ConnectionSlot slot, int bytes, boolean waited) {
        boolean bulk = bytes >= bulkReadBytes(slot);
        if (bulk) {
            // Its waits are a bulk transfer's (leadUntilReadable): the last read before a wait is
            // often the short rest of what had come, and says nothing.
            slot.bulkReader = true;
        } else if (waited) {
            // A short read after a wait is a message's: a request/reply exchange after a bulk
            // one (a keep-alive connection's upload, then small requests) waits without spinning.
            slot.bulkReader = false;
        }
        if (bulk && config.leadNanos() > 0 && !stopped) {
            lead.lease();
            return true;
        }
        return false;
    }

    /**
     * A writer put {@code bytes} into its outbound ring. A bulk write ({@link #bulkWriteBytes})
     * takes a lease, as a bulk read does ({@link #leaseAfterRead}): the writer will most likely be
     * back at once, and the ACKs that arrive meanwhile are read by the cycles it runs (its write's
     * one cycle, {@link #writeUnderLease}, and its lead when the ring is full) instead of waking
     * the stack thread. On one CPU each such wake-up was a context switch
     * away from the writer and the peer, and the stack thread then took the turn and sent from the
     * ring while the writer waited for the CPU (docs/applications.md "Bulk transfers through the
     * rings"). Small writes (a request, a reply) take none.
     *
     * @return whether it took a lease
     */
    boolean leaseAfterWrite(ConnectionSlot slot, int bytes) {
        if (bytes >= bulkWriteBytes(slot) && config.leadNanos() > 0 && lead.leases() && !stopped) {
            lead.lease();
            return true;
        }
        return false;
    }

    /** What a bulk write is: a quarter of the TCP send ring, or of the outbound ring if that is smaller. */
    private int bulkWriteBytes(ConnectionSlot slot) {
        return Math.min(slot.outbound.capacity(), tcp.config().tcpSendBufferBytes) / 4;
    }

    /**
     * What a bulk read is: a quarter of the TCP receive ring (the window one read frees), or of the
     * inbound ring if that is smaller. Not a quarter of the inbound ring alone: that is four times
     * the receive ring by default ({@link SocketConfig#INBOUND_RING_PER_RECEIVE_RING}), and a
     * reader of 16 KiB at a time (InputStream.transferTo's buffer) would then never lease.
     */
    private int bulkReadBytes(ConnectionSlot slot) {
        return Math.min(slot.inbound.capacity(), tcp.config().tcpReceiveBufferBytes) / 4;
    }

    /**
     * A reader took a lease and its inbound ring was not stalled, or a writer took one and posted
     * nothing: the frames that arrived since its last read or write are its to take ({@link
     * StackLead#lease}), so it runs the duty cycle here when the turn is free, and they reach the
     * TCP ring and the inbound ring (or free room in the send ring) now. Without this a reader
     * with bytes still in its ring returned them and ran no cycle, while the stack thread slept
     * through the lease: the frames waited until the ring was empty and the reader led, so an
     * inbound ring larger than the receive window only held the kernel's sender up longer.
     * Application thread; allocation-free.
     */
    void cycleForLease() {
        if (!turn.runHere()) {
            wakeup.wake(); // another thread runs the cycle, or work is left: the stack thread must look
        }
    }

    /**
     * A bulk write took a lease ({@link #leaseAfterWrite}): its request, if it needs one, is
     * queued without running the cycles here, and the writer runs one cycle that takes one frame
     * ({@link StackLead#cycleForLease}). Running cycles until one found nothing, the writer's
     * cycle went on from ACK to frame to ACK until its outbound ring was empty, and the next
     * frames were remainders: each 64 KiB write then left as a 65,160-byte frame and a 376-byte
     * one, each with its own ACK (docs/applications.md "Bulk transfers through the rings").
     * Application thread; allocation-free.
     */
    void writeUnderLease(ConnectionSlot slot, boolean post) {
        boolean queued = post && setBits(slot.requests, ConnectionSlot.WRITE) == 0;
        if (queued && !commands.offer(slot.index)) {
            counters.increment(SocketCounter.COMMAND_QUEUE_FULL);
            queued = false;
        }
        if (lead.cycleForLease()) {
            return; // its cycle served the request first (poll), and took a frame
        }
        if (queued) {
            kickStack(); // as any request (enqueue)
        } else {
            cycleForLease();
        }
    }

    /** A reader or a writer is about to park: a lease it (or another thread) took ends now. */
    void endLease() {
        lead.endLease();
    }

    /**
     * A writer found its outbound ring full: it waits for room by running the stack itself (the
     * cycles that read the peer's ACKs also move its ring into the TCP send ring), for at most
     * {@link SocketConfig#leadNanos}, when the host allows and nobody else leads (application
     * thread). A bulk sender then drives the whole transfer on its own thread, as the stack
     * thread does for the handler API, instead of the stack thread waking for every ACK and
     * handing the writer each half ring through the waker (docs/applications.md "Bulk transfers
     * through the rings").
     *
     * @return false when it did not lead: park as usual
     */
    boolean leadUntilWritable(ConnectionSlot slot) {
        long nanos = config.leadNanos();
        if (nanos == 0 || stopped) {
            return false;
        }
        // Published before the leader looks at the ring; wakeWriter reads it after draining the ring.
        slot.writeLeader = Thread.currentThread();
        int led;
        try {
            led = lead.lead(nanos, slot.writeReady, true); // only a bulk writer fills its ring
        } finally {
            slot.writeLeader = null;
        }
        if (led == StackLead.NOT_LED) {
            return false;
        }
        writesLed.incrementAndGet();
        if (led == StackLead.LED_WAKE_STACK) {
            wakeup.wake();
        }
        return true;
    }

    /** Ends the current wait of the thread that leads (any thread): a socket it may lead for is closing. */
    void wakeLeader() {
        lead.wakeLeader();
    }

    NameResolver resolver() {
        return resolver;
    }

    void resolveNamesWith(NameResolver nameResolver) {
        this.resolver = nameResolver;
    }

    SocketConfig config() {
        return config;
    }

    TcpLayer tcp() {
        return tcp;
    }

    Counters<SocketCounter> counters() {
        return counters;
    }

    /** Reads that waited by running the stack themselves ({@link StackLead}) instead of parking at once. */
    long readsLed() {
        return readsLed.get();
    }

    /** Writes that waited for room by running the stack themselves ({@link #leadUntilWritable}) instead of parking at once. */
    long writesLed() {
        return writesLed.get();
    }

    Throwable lastInternalError() {
        return lastInternalError;
    }

    ConnectionSlot socket(int index) {
        return sockets[index];
    }

    // ---- DutyCycle (stack thread) ----

    @Override
    public int poll(long nowNanos) {
        int work = serveRequests();
        work += stack.poll(nowNanos);
        if (lingeringCount > 0) {
            checkLingering();
        }
        return work;
    }

    /**
     * Lets a lingering close() return once its FIN is acknowledged or the connection is gone:
     * Linux's close waits for the states after FIN-WAIT-1, CLOSING and LAST-ACK
     * (sk_stream_wait_close). Checked after every cycle, as the ACK comes in a frame.
     */
    private void checkLingering() {
        int i = 0;
        while (i < lingeringCount) {
            ConnectionSlot slot = sockets[lingering[i]];
            boolean done = !slot.lingering || slot.handle < 0;
            if (!done) {
                TcpState state = tcp.state(slot.handle);
                done = state == TcpState.FIN_WAIT_2 || state == TcpState.TIME_WAIT || state == TcpState.CLOSED;
            }
            if (done) {
                slot.lingering = false;
                slot.lingerDone = true;
                wakeWriter(slot);
                lingering[i] = lingering[--lingeringCount];
            } else {
                i++;
            }
        }
    }

    @Override
    public long nextDeadline(long nowNanos) {
        if (commands.headWritten()) {
            return nowNanos;
        }
        return stack.nextDeadline(nowNanos);
    }

    // ---- IdleGate (stack thread) ----

    @Override
    public boolean enterIdle() {
        if (config.spinNanos() > 0 && System.nanoTime() - spinUntil < 0) {
            return false; // spinning: an answer may be on its way
        }
        stackIdle = true;
        if (commands.headWritten()) {
            stackIdle = false;
            return false;
        }
        return true;
    }

    @Override
    public void leaveIdle() {
        stackIdle = false;
    }

    // ---- application side ----

    /** Asks the stack thread to serve {@code request} bits of a socket slot (any thread). */
    void post(ConnectionSlot slot, int request) {
        if (setBits(slot.requests, request) == 0) {
            enqueue(slot.index);
        }
    }

    /** Asks the stack thread to serve {@code request} bits of a server socket slot (any thread). */
    void post(ListenerSlot slot, int request) {
        if (setBits(slot.requests, request) == 0) {
            enqueue(sockets.length + slot.index);
        }
    }

    /** ORs {@code bits} into {@code word}; returns the value before. */
    private static int setBits(AtomicInteger word, int bits) {
        int before;
        do {
            before = word.get();
        } while (!word.compareAndSet(before, before | bits));
        return before;
    }

    private void enqueue(int id) {
        if (!commands.offer(id)) {
            counters.increment(SocketCounter.COMMAND_QUEUE_FULL);
            return;
        }
        kickStack();
    }

    /** Has a queued request served: here when the turn is free, else by the stack thread, woken if it idles. */
    private void kickStack() {
        if (stackIdle) {
            if (!turn.runHere()) {
                wakeup.wake();
            }
        } else if (!turn.runHere() && stackIdle) {
            // The stack thread is awake (a frame woke it too, or it is between cycles): the request
            // is served here when the turn is free, else by whoever holds it, in its next cycle. A
            // wake-up is needed only if it went idle meanwhile; one that computed its wait before
            // this cycle sees the cycle ran and does not wait (StackAgent.runCycle).
            wakeup.wake();
        }
    }

    /** A free socket slot, or null (application thread, or the stack thread for accepts). */
    ConnectionSlot takeSocket() {
        int n = sockets.length;
        int start = Math.floorMod(socketHint.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            int index = start + i < n ? start + i : start + i - n;
            if (socketTaken.compareAndSet(index, 0, 1)) {
                return sockets[index];
            }
        }
        return null;
    }

    /** A free server socket slot, or null (application thread). */
    ListenerSlot takeListener() {
        int n = listeners.length;
        int start = Math.floorMod(listenerHint.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            int index = start + i < n ? start + i : start + i - n;
            if (listenerTaken.compareAndSet(index, 0, 1)) {
                return listeners[index];
            }
        }
        return null;
    }

    /** Free socket slots now (a snapshot, for tests and status). */
    int freeSockets() {
        int free = 0;
        for (int i = 0; i < sockets.length; i++) {
            if (socketTaken.get(i) == 0) {
                free++;
            }
        }
        return free;
    }

    private void release(ConnectionSlot slot) {
        slot.recycle();
        socketTaken.set(slot.index, 0);
    }

    private void release(ListenerSlot slot) {
        slot.recycle();
        listenerTaken.set(slot.index, 0);
    }

    // ---- serving requests (stack thread) ----

    private int serveRequests() {
        int served = 0;
        int budget = commands.capacity();
        while (served < budget) {
            int id = commands.poll();
            if (id < 0) {
                break;
            }
            served++;
            counters.increment(SocketCounter.REQUESTS);
            spinUntil = System.nanoTime() + config.spinNanos();
            try {
                if (id < sockets.length) {
                    serve(sockets[id]);
                } else {
                    serve(listeners[id - sockets.length]);
                }
            } catch (RuntimeException e) {
                internalError(e);
            }
        }
        return served;
    }

    private void serve(ConnectionSlot slot) {
        int bits = slot.requests.getAndSet(0);
        if ((bits & ConnectionSlot.CONNECT) != 0) {
            connect(slot);
        }
        if ((bits & ConnectionSlot.OPTIONS) != 0) {
            applyOptions(slot);
        }
        if ((bits & ConnectionSlot.ABORT) != 0) {
            slot.outbound.commitRead(slot.outbound.size());
            if (slot.handle >= 0) {
                tcp.abort(slot.handle); // onClosed follows at once
            }
        } else {
            if ((bits & ConnectionSlot.WRITE) != 0) {
                drainOutbound(slot);
            }
            if ((bits & ConnectionSlot.READ_SPACE) != 0) {
                slot.inboundStalled = false;
                fillInbound(slot);
            }
            if ((bits & ConnectionSlot.SHUTDOWN_OUTPUT) != 0) {
                slot.shutdownPending = true;
                drainOutbound(slot);
            }
            if ((bits & ConnectionSlot.LINGER) != 0 && !slot.lingering) {
                slot.lingering = true;
                lingering[lingeringCount++] = slot.index;
            }
        }
        if ((bits & ConnectionSlot.CLOSE) != 0) {
            closeFromApplication(slot);
        }
    }

    private void connect(ConnectionSlot slot) {
        int handle;
        try {
            handle = tcp.connect(slot.connectAddress, slot.connectPort, handler);
        } catch (IllegalStateException noTcbOrPort) {
            fail(slot, SocketFailure.NO_CONNECTION_FREE);
            return;
        } catch (IllegalArgumentException badAddress) {
            fail(slot, SocketFailure.BAD_ADDRESS);
            return;
        }
        counters.increment(SocketCounter.CONNECTS);
        slot.handle = handle;
        socketByTcb[handle & 0xFFFF] = slot;
        slot.localPort = tcp.localPort(handle);
        slot.remoteAddress = slot.connectAddress;
        slot.remotePort = slot.connectPort;
        applyOptions(slot);
    }

    private void applyOptions(ConnectionSlot slot) {
        if (slot.handle >= 0) {
            tcp.setNoDelay(slot.handle, slot.noDelay);
            tcp.setKeepAlive(slot.handle, slot.keepAlive);
        }
    }

    private void fail(ConnectionSlot slot, SocketFailure failure) {
        slot.failure = failure;
        slot.phase = ConnectionSlot.ENDED;
        wakeReader(slot);
        wakeWriter(slot);
    }

    /**
     * The application closed the socket. Linux's rule, which RFC 1122 4.2.2.13 asks for: unread
     * received data makes the close an abort (RST). Otherwise the data still queued goes out
     * first and a FIN follows it; the slot is recycled when the connection is gone.
     */
    private void closeFromApplication(ConnectionSlot slot) {
        slot.appClosed = true;
        int handle = slot.handle;
        if (handle < 0) {
            release(slot);
            return;
        }
        if (slot.inbound.size() > 0) {
            tcp.abort(handle);
            return;
        }
        if (slot.outbound.size() > 0) {
            slot.closePending = true;
            drainOutbound(slot);
            return;
        }
        tcp.close(handle);
    }

    /**
     * Moves the socket's outbound bytes into the TCP send ring, as far as it takes them, and wakes
     * a writer waiting for room once half the outbound ring is free.
     */
    private void drainOutbound(ConnectionSlot slot) {
        int handle = slot.handle;
        if (handle < 0 || slot.outputShut) {
            return;
        }
        SpscByteRing out = slot.outbound;
        boolean moved = false;
        while (true) {
            int n = out.readableContiguous();
            if (n == 0) {
                if (slot.outboundAwaitsRoom) {
                    // Cleared, then the ring read again: a writer that still saw it set did not post.
                    slot.outboundAwaitsRoom = false;
                    continue;
                }
                break;
            }
            int accepted = tcp.write(handle, out.array(), out.readOffset(), n);
            if (accepted > 0) {
                out.commitRead(accepted);
                moved = true;
            }
            if (accepted < n) {
                // The send ring is full: onWritable resumes, with whatever the writer adds meanwhile.
                slot.outboundAwaitsRoom = true;
                break;
            }
        }
        if (moved && out.free() >= out.capacity() / 2) {
            // A low-water mark: the writer parked with a full ring and is woken once half of it is
            // free, not at every ACK, so each wake-up (for a virtual thread two thread hand-overs,
            // ThreadWaker) refills half a ring while the stack still sends the other half.
            wakeWriter(slot);
        }
        if (out.size() == 0) {
            if (slot.closePending) {
                slot.closePending = false;
                tcp.close(handle);
            } else if (slot.shutdownPending) {
                slot.shutdownPending = false;
                slot.outputShut = true;
                TcpState state = tcp.state(handle);
                if (state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT || state == TcpState.SYN_RECEIVED) {
                    tcp.shutdownOutput(handle);
                }
            }
        }
    }

    /**
     * Moves received bytes from the TCP receive ring into the socket's inbound ring, reading in
     * place into the ring's array; records the end of the stream. When the inbound ring is full
     * the rest stays in the TCP ring (whose window closes) until a read makes room: the stack
     * publishes "stalled" and then looks again, the reader frees room and then looks at
     * "stalled", so one of them always sees the other.
     */
    private void fillInbound(ConnectionSlot slot) {
        int handle = slot.handle;
        if (handle < 0 || slot.appClosed) {
            return;
        }
        SpscByteRing in = slot.inbound;
        boolean moved = false;
        while (true) {
            int room = in.writableContiguous();
            if (room == 0) {
                slot.inboundStalled = true;
                if (in.writableContiguous() == 0) {
                    break;
                }
                slot.inboundStalled = false;
                continue;
            }
            int n = tcp.read(handle, in.array(), in.writeOffset(), room);
            if (n > 0) {
                in.commitWrite(n);
                moved = true;
                continue;
            }
            if (n < 0) {
                // After the data: the reader checks the ring again once it sees the end.
                slot.inputEnded = true;
                moved = true;
            }
            break;
        }
        if (moved) {
            wakeReader(slot);
        }
    }

    private void serve(ListenerSlot slot) {
        int bits = slot.requests.getAndSet(0);
        if ((bits & ListenerSlot.LISTEN) != 0) {
            listen(slot);
        }
        if ((bits & ListenerSlot.CLOSE) != 0) {
            closeListener(slot);
        }
    }

    private void listen(ListenerSlot slot) {
        if (tcp.listenersInUse() >= tcp.config().tcpListeners) {
            slot.failure = SocketFailure.NO_LISTENER_FREE;
            slot.phase = ListenerSlot.FAILED;
            wakeAcceptor(slot);
            return;
        }
        if (slot.requestedPort != 0) {
            if (!tryListen(slot, slot.requestedPort)) {
                slot.failure = SocketFailure.PORT_IN_USE;
                slot.phase = ListenerSlot.FAILED;
            }
            wakeAcceptor(slot);
            return;
        }
        // Port 0: the first free port of the dynamic range (RFC 6335), from where the last one stopped.
        for (int i = 0; i < 16_384; i++) {
            int port = 49_152 + (nextListenPort++ & 0x3FFF);
            if (tryListen(slot, port)) {
                wakeAcceptor(slot);
                return;
            }
        }
        slot.failure = SocketFailure.PORT_IN_USE;
        slot.phase = ListenerSlot.FAILED;
        wakeAcceptor(slot);
    }

    private boolean tryListen(ListenerSlot slot, int port) {
        int handle;
        try {
            handle = tcp.listen(port, tcp.config().tcpBacklogMax, handler);
        } catch (IllegalStateException portTaken) {
            return false;
        }
        slot.tcpListener = handle;
        listenerByTcp[handle & 0xFFFF] = slot;
        slot.port = port;
        slot.phase = ListenerSlot.LISTENING;
        return true;
    }

    /** Stops listening; the connections nobody accepted yet are reset, as Linux does. */
    private void closeListener(ListenerSlot slot) {
        int handle = slot.tcpListener;
        if (handle >= 0) {
            listenerByTcp[handle & 0xFFFF] = null;
            if (tcp.state(handle) == TcpState.LISTEN) {
                tcp.close(handle);
            }
        }
        int id;
        while ((id = slot.accepted.poll()) >= 0) {
            ConnectionSlot socket = sockets[id];
            socket.appClosed = true;
            if (socket.handle >= 0) {
                tcp.abort(socket.handle);
            } else {
                release(socket);
            }
        }
        release(slot);
    }

    private void internalError(RuntimeException e) {
        counters.increment(SocketCounter.INTERNAL_ERROR);
        lastInternalError = e;
    }

    // ---- waking application threads (stack thread, allocation-free) ----

    private void wakeReader(ConnectionSlot slot) {
        Thread leader = slot.leader;
        if (leader != null && leader != Thread.currentThread()) {
            lead.wakeLeader(); // it may have looked just before this data came
        }
        Thread waiting = slot.reader;
        if (waiting != null) {
            waker.wake(slot.index, waiting);
            spinUntil = System.nanoTime() + config.spinNanos();
        }
    }

    private void wakeWriter(ConnectionSlot slot) {
        Thread leader = slot.writeLeader;
        if (leader != null && leader != Thread.currentThread()) {
            lead.wakeLeader(); // it may have looked just before this room came
        }
        Thread waiting = slot.writer;
        if (waiting != null) {
            waker.wake(slot.index, waiting);
            spinUntil = System.nanoTime() + config.spinNanos();
        }
    }

    private void wakeAcceptor(ListenerSlot slot) {
        Thread waiting = slot.acceptor;
        if (waiting != null) {
            waker.wake(sockets.length + slot.index, waiting);
        }
    }

    /** The waker thread: unparks whoever waits on slot {@code id}. */
    private void unparkWaiters(int id) {
        if (id < sockets.length) {
            unpark(sockets[id].reader);
            unpark(sockets[id].writer);
        } else {
            unpark(listeners[id - sockets.length].acceptor);
        }
    }

    private static void unpark(Thread thread) {
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    // ---- TCP events (stack thread) ----

    private ConnectionSlot socketOf(int handle) {
        ConnectionSlot slot = socketByTcb[handle & 0xFFFF];
        return slot != null && slot.handle == handle ? slot : null;
    }

    /** One handler for every bridged connection and listener; it finds the slot by handle. */
    private final class Handler implements TcpHandler {

        /** A server socket's backlog of connections not yet accepted is full: the stack drops the SYN, as Linux does. */
        @Override
        public boolean acceptQueueFull(int listener) {
            ListenerSlot server = listenerByTcp[listener & 0xFFFF];
            return server != null && server.tcpListener == listener && server.accepted.size() >= server.backlog;
        }

        @Override
        public void onAccepted(int listener, int connection) {
            ListenerSlot server = listenerByTcp[listener & 0xFFFF];
            if (server == null || server.tcpListener != listener || server.phase != ListenerSlot.LISTENING) {
                counters.increment(SocketCounter.ACCEPT_NO_LISTENER);
                tcp.abort(connection);
                return;
            }
            if (server.accepted.size() >= server.backlog) {
                // Only when the queue filled between the handshake's last ACK and here (acceptQueueFull).
                counters.increment(SocketCounter.ACCEPT_QUEUE_FULL);
                tcp.abort(connection);
                return;
            }
            ConnectionSlot slot = takeSocket();
            if (slot == null) {
                counters.increment(SocketCounter.ACCEPT_NO_SOCKET_FREE);
                tcp.abort(connection);
                return;
            }
            counters.increment(SocketCounter.ACCEPTS);
            slot.handle = connection;
            socketByTcb[connection & 0xFFFF] = slot;
            slot.localPort = tcp.localPort(connection);
            slot.remoteAddress = tcp.remoteAddress(connection);
            slot.remotePort = tcp.remotePort(connection);
            slot.phase = ConnectionSlot.OPEN;
            server.accepted.offer(slot.index);
            wakeAcceptor(server);
        }

        @Override
        public void onConnected(int connection) {
            ConnectionSlot slot = socketOf(connection);
            if (slot != null) {
                slot.phase = ConnectionSlot.OPEN;
                wakeWriter(slot);
            }
        }

        @Override
        public void onReadable(int connection) {
            ConnectionSlot slot = socketOf(connection);
            if (slot != null) {
                fillInbound(slot);
            }
        }

        @Override
        public void onWritable(int connection) {
            ConnectionSlot slot = socketOf(connection);
            if (slot != null) {
                drainOutbound(slot);
            }
        }

        @Override
        public void onPeerClosed(int connection) {
            ConnectionSlot slot = socketOf(connection);
            if (slot != null) {
                fillInbound(slot);
            }
        }

        @Override
        public void onClosed(int connection, CloseReason reason) {
            ConnectionSlot slot = socketOf(connection);
            if (slot == null) {
                return;
            }
            socketByTcb[connection & 0xFFFF] = null;
            slot.handle = -1;
            SocketFailure failure = SocketFailure.of(reason);
            if (failure != null) {
                slot.failure = failure;
            } else {
                slot.inputEnded = true;
            }
            slot.phase = ConnectionSlot.ENDED;
            if (slot.appClosed) {
                release(slot);
            } else {
                wakeReader(slot);
                wakeWriter(slot);
            }
        }
    }
}
