package dev.spinet.udp;

import dev.spinet.config.StackConfig;
import dev.spinet.iface.DutyCycle;
import dev.spinet.stats.Counters;
import dev.spinet.tcp.IcmpError;
import dev.spinet.tcp.SipHash24;
import dev.spinet.wire.IcmpPacket;
import java.io.IOException;
import java.net.BindException;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * UDP for application threads: a fixed set of {@link StackConfig#udpAppSockets} sockets, each a
 * pair of {@link DatagramRing}s between the application and the stack thread, which alone
 * touches the {@link UdpLayer}. Built with the stack and registered as a UDP service, so the
 * stack thread runs {@link #poll} every duty cycle.
 *
 * <h2>Application side (any thread but the stack's)</h2>
 * {@link #open(int)} claims a free socket, asks the stack thread to bind the port and waits for
 * its answer; the {@link UdpSocket} it returns sends and receives with the caller's buffers,
 * blocking or with a timeout. This side may allocate (an exception, an InetAddress).
 *
 * <h2>Stack side</h2>
 * Each cycle {@link #poll} binds and unbinds what applications asked for, and sends what they
 * queued; datagrams for a socket's port are copied into its receive queue as they arrive. A full
 * queue drops the datagram and counts it. Nothing here allocates, and an application thread
 * blocked on a socket is woken with {@link LockSupport#unpark}.
 *
 * <h2>Hand-over</h2>
 * A socket's state is one int: FREE, then CLAIMED by the application that found it free (a
 * compare-and-set, so two threads never take the same one), OPENING once the requested port is
 * written, OPEN or FAILED_* when the stack thread answered, CLOSING when the application is done
 * with it, FREE again when the stack thread unbound it.
 */
public final class UdpSockets implements DutyCycle {

    /** How long an application waits for the stack thread to bind or unbind a port. */
    public static final long CONTROL_TIMEOUT_NANOS = 5_000_000_000L;

    static final int FREE = 0;
    static final int CLAIMED = 1;
    static final int OPENING = 2;
    static final int OPEN = 3;
    static final int FAILED_PORT_IN_USE = 4;
    static final int FAILED_NO_ENDPOINT = 5;
    static final int CLOSING = 6;

    private final UdpLayer udp;
    private final SipHash24 random;
    private long randomCounter;
    private final Counters<UdpSocketCounter> counters = new Counters<>(UdpSocketCounter.class);

    private final AtomicIntegerArray states;
    /** What the application asked for (0 = any); written before OPENING. */
    private final int[] requestedPorts;
    /** The port bound; written by the stack thread before OPEN. */
    private final int[] localPorts;
    /** The UDP layer's handle; stack thread only. */
    private final int[] handles;
    private final DatagramRing[] inbound;
    private final DatagramRing[] outbound;
    private final UdpHandler[] handlers;
    /**
     * The peer a socket is connected to ({@link UdpSocket#connect}), address in the high 32 bits
     * and port in the low 16; 0 when not connected. Written by the application, read by the
     * stack thread.
     */
    final AtomicLongArray peers;
    /**
     * A hard ICMP error from the peer came: {@link #pendingError}'s value, 0 for none (the stack
     * thread sets it, the next receive or send clears it and throws, as Linux's sk_err).
     */
    final AtomicIntegerArray pendingErrors;
    /** Application threads waiting on a socket: to receive, to queue a send, for an open or close to be answered. */
    final AtomicReferenceArray<Thread> receiveWaiters;
    final AtomicReferenceArray<Thread> sendWaiters;
    private final AtomicReferenceArray<Thread> controlWaiters;
    private volatile Thread stackThread;

    /**
     * Sockets as {@code config} sizes them, on {@code udp}, registered as its service.
     *
     * @param secret keys the dynamic-port choice (0: a random key)
     */
    public UdpSockets(StackConfig config, UdpLayer udp, long secret) {
        this(config.udpAppSockets, config.udpAppQueueDatagrams, config.udpAppDatagramBytes, udp, secret);
    }

    public UdpSockets(int sockets, int queueDatagrams, int datagramBytes, UdpLayer udp, long secret) {
        if (sockets < 1) {
            throw new IllegalArgumentException("UdpSockets needs at least one socket (StackConfig udpAppSockets), was " + sockets);
        }
        this.udp = udp;
        this.random = new SipHash24(secret);
        this.states = new AtomicIntegerArray(sockets);
        this.requestedPorts = new int[sockets];
        this.localPorts = new int[sockets];
        this.handles = new int[sockets];
        this.inbound = new DatagramRing[sockets];
        this.outbound = new DatagramRing[sockets];
        this.handlers = new UdpHandler[sockets];
        this.peers = new AtomicLongArray(sockets);
        this.pendingErrors = new AtomicIntegerArray(sockets);
        this.receiveWaiters = new AtomicReferenceArray<>(sockets);
        this.sendWaiters = new AtomicReferenceArray<>(sockets);
        this.controlWaiters = new AtomicReferenceArray<>(sockets);
        for (int i = 0; i < sockets; i++) {
            inbound[i] = new DatagramRing(queueDatagrams, datagramBytes);
            outbound[i] = new DatagramRing(queueDatagrams, datagramBytes);
            handlers[i] = new Receiver(i);
            handles[i] = UdpLayer.NO_HANDLE;
        }
        udp.addService(this);
    }

    /** Sockets in this set (open or not). */
    public int capacity() {
        return states.length();
    }

    /** Sockets an application holds now. */
    public int socketsInUse() {
        int used = 0;
        for (int i = 0; i < states.length(); i++) {
            if (states.get(i) != FREE) {
                used++;
            }
        }
        return used;
    }

    /** The largest datagram a socket sends or receives. */
    public int maxDatagramLength() {
        return inbound[0].slotBytes();
    }

    public Counters<UdpSocketCounter> counters() {
        return counters;
    }

    // ---- application side ----

    /** {@link #open(int)} on a port the stack picks from the dynamic range (RFC 6056, RFC 6335). */
    public UdpSocket open() throws IOException {
        return open(0);
    }

    /**
     * Binds {@code port} for the calling application and returns its socket. Blocks until the
     * stack thread answered (at most {@link #CONTROL_TIMEOUT_NANOS}).
     *
     * @param port 1..65535, or 0 for any free dynamic port
     * @throws BindException if the port is bound already
     * @throws SocketException if every application socket or UDP endpoint is in use
     * @throws IOException if the stack thread does not answer in time
     * @throws IllegalStateException when called on the stack thread (it would wait for itself)
     */
    public UdpSocket open(int port) throws IOException {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("UDP port must be 1..65535, or 0 for any, was " + port);
        }
        checkNotStackThread("open a UDP socket");
        int socket = claim();
        requestedPorts[socket] = port;
        controlWaiters.set(socket, Thread.currentThread());
        int answer;
        try {
            states.set(socket, OPENING);
            answer = awaitAnswer(socket, OPENING);
        } finally {
            controlWaiters.set(socket, null);
        }
        if (answer == OPENING) {
            // The stack thread never answered: take the request back, unless it answers just now.
            if (states.compareAndSet(socket, OPENING, FREE)) {
                throw new IOException("the stack thread did not bind UDP port " + port + " within "
                        + CONTROL_TIMEOUT_NANOS / 1_000_000 + " ms; is the stack running?");
            }
            answer = states.get(socket);
        }
        if (answer == OPEN) {
            return new UdpSocket(this, socket, localPorts[socket]);
        }
        states.set(socket, FREE);
        if (answer == FAILED_PORT_IN_USE) {
            throw new BindException("UDP port " + port + " is already bound; close that socket or pick another port");
        }
        throw new SocketException("every UDP endpoint of the stack is in use; close a socket or raise StackConfig udpSockets");
    }

    private int claim() throws SocketException {
        for (int i = 0; i < states.length(); i++) {
            if (states.compareAndSet(i, FREE, CLAIMED)) {
                return i;
            }
        }
        throw new SocketException("all " + states.length() + " application UDP sockets are open; close one or raise StackConfig udpAppSockets");
    }

    /** Waits until the state leaves {@code from} or the control timeout passes; returns the state then. */
    private int awaitAnswer(int socket, int from) throws IOException {
        long deadline = System.nanoTime() + CONTROL_TIMEOUT_NANOS;
        int state;
        while ((state = states.get(socket)) == from) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return state;
            }
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the stack thread handled a UDP socket");
            }
        }
        return state;
    }

    /** Called by {@link UdpSocket#close()} once no thread of the application uses the socket's queues. */
    void release(int socket) throws IOException {
        controlWaiters.set(socket, Thread.currentThread());
        try {
            states.set(socket, CLOSING);
            awaitAnswer(socket, CLOSING);
        } finally {
            controlWaiters.set(socket, null);
        }
    }

    DatagramRing inbound(int socket) {
        return inbound[socket];
    }

    DatagramRing outbound(int socket) {
        return outbound[socket];
    }

    void checkNotStackThread(String what) {
        if (Thread.currentThread() == stackThread) {
            throw new IllegalStateException("cannot " + what + " on the stack thread: it would wait for itself; use an application thread");
        }
    }

    // ---- stack side ----

    @Override
    public int poll(long nowNanos) {
        if (stackThread == null) {
            stackThread = Thread.currentThread();
        }
        int work = 0;
        for (int socket = 0; socket < states.length(); socket++) {
            switch (states.get(socket)) {
                case OPENING -> {
                    bind(socket);
                    work++;
                }
                case OPEN -> work += sendQueued(socket, nowNanos);
                case CLOSING -> {
                    unbind(socket);
                    work++;
                }
                default -> {
                }
            }
        }
        return work;
    }

    private void bind(int socket) {
        int port = requestedPorts[socket];
        if (port == 0) {
            port = udp.freeDynamicPort((int) random.hash(0x5544_5053_4F43_4B45L, randomCounter++));
        }
        int answer;
        if (port == 0 || udp.freeEndpoints() == 0) {
            answer = FAILED_NO_ENDPOINT;
            counters.increment(UdpSocketCounter.OPEN_NO_ENDPOINT);
        } else if (udp.isBound(port)) {
            answer = FAILED_PORT_IN_USE;
            counters.increment(UdpSocketCounter.OPEN_PORT_IN_USE);
        } else {
            inbound[socket].clear();
            outbound[socket].clear();
            peers.set(socket, 0);
            pendingErrors.set(socket, 0);
            handles[socket] = udp.open(port, false, handlers[socket]);
            localPorts[socket] = port;
            answer = OPEN;
            counters.increment(UdpSocketCounter.OPENS);
        }
        states.set(socket, answer);
        wake(controlWaiters.get(socket));
    }

    private void unbind(int socket) {
        udp.close(handles[socket]);
        handles[socket] = UdpLayer.NO_HANDLE;
        inbound[socket].clear();
        outbound[socket].clear();
        counters.increment(UdpSocketCounter.CLOSES);
        Thread closer = controlWaiters.get(socket);
        states.set(socket, FREE);
        wake(closer);
    }

    private int sendQueued(int socket, long nowNanos) {
        DatagramRing ring = outbound[socket];
        int sent = 0;
        // At most one ring's worth per cycle, so one busy sender cannot starve the duty cycle.
        for (int budget = ring.capacity(); budget > 0; budget--) {
            int slot = ring.peek();
            if (slot == DatagramRing.NONE) {
                break;
            }
            if (udp.send(handles[socket], ring.address(slot), ring.port(slot), ring.buffer(), ring.offset(slot), ring.length(slot),
                    nowNanos)) {
                counters.increment(UdpSocketCounter.TX_SENT);
            } else {
                counters.increment(UdpSocketCounter.TX_DROPPED);
            }
            ring.release();
            sent++;
        }
        if (sent > 0) {
            wake(sendWaiters.get(socket));
        }
        return sent;
    }

    private static void wake(Thread waiter) {
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    @Override
    public long nextDeadline(long nowNanos) {
        return nowNanos + Long.MAX_VALUE / 4;
    }

    /** Copies each datagram for one socket's port into its receive queue (stack thread). */
    private final class Receiver implements UdpHandler {
        private final int socket;

        Receiver(int socket) {
            this.socket = socket;
        }

        @Override
        public void onDatagram(int sourceIp, int sourcePort, int destinationIp, byte[] buffer, int offset, int length, long nowNanos) {
            long peer = peers.get(socket);
            if (peer != 0 && peer != peer(sourceIp, sourcePort)) {
                counters.increment(UdpSocketCounter.RX_DROP_NOT_CONNECTED_PEER);
                return;
            }
            DatagramRing ring = inbound[socket];
            if (length > ring.slotBytes()) {
                counters.increment(UdpSocketCounter.RX_DROP_TOO_LONG);
                return;
            }
            int slot = ring.claim();
            if (slot == DatagramRing.NONE) {
                counters.increment(UdpSocketCounter.RX_DROP_QUEUE_FULL);
                return;
            }
            System.arraycopy(buffer, offset, ring.buffer(), ring.offset(slot), length);
            ring.publish(slot, length, sourceIp, sourcePort);
            counters.increment(UdpSocketCounter.RX_QUEUED);
            wake(receiveWaiters.get(socket));
        }

        /**
         * As Linux's UDP (__udp4_lib_err without IP_RECVERR): an unconnected socket hears of no
         * ICMP error; a connected one takes a hard error about a datagram it sent to its peer (a
         * destination unreachable code icmp_err_convert marks fatal, IcmpError.isHard, or a
         * parameter problem) as the error the next receive or send reports; soft ones (net or
         * host unreachable, time exceeded, source quench) it never hears of.
         */
        @Override
        public void onIcmpError(int type, int code, int remoteIp, int remotePort, byte[] quote, int quoteOffset, int quoteLength,
                                long nowNanos) {
            long peer = peers.get(socket);
            boolean hard = IcmpError.isHard(type, code) || type == IcmpPacket.TYPE_PARAMETER_PROBLEM;
            if (peer == 0 || peer != peer(remoteIp, remotePort) || !hard) {
                counters.increment(UdpSocketCounter.ICMP_IGNORED);
                return;
            }
            counters.increment(UdpSocketCounter.ICMP_HARD_ERRORS);
            pendingErrors.set(socket, pendingError(type, code));
            wake(receiveWaiters.get(socket));
        }
    }

    /** An ICMP error as {@link #pendingErrors} holds it: never 0. */
    static int pendingError(int type, int code) {
        return 1 << 16 | (type & 0xFF) << 8 | (code & 0xFF);
    }

    /** A peer as {@link #peers} holds it. */
    static long peer(int address, int port) {
        return (long) address << 32 | (port & 0xFFFF) | 1L << 16;
    }
}
