package dev.spinet.udp;

import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Addresses;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One application UDP socket from {@link UdpSockets#open}: send and receive with the caller's
 * buffers, blocking or with a timeout, from application threads (never the stack thread).
 * Addresses are {@link InetAddress}es; an IPv6 one is refused with "IPv6 is not supported yet".
 *
 * <p>Thread-safe as {@link java.net.DatagramSocket} is: concurrent senders take turns, and so do
 * concurrent receivers, so each of the socket's two queues keeps one producer and one consumer.
 * {@link #close()} wakes threads blocked on the socket; they throw {@link SocketException}.
 */
public final class UdpSocket implements AutoCloseable {

    private final UdpSockets sockets;
    private final int socket;
    private final int localPort;
    private final DatagramRing inbound;
    private final DatagramRing outbound;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock receiveLock = new ReentrantLock();
    private volatile boolean closed;
    private volatile InetAddress connectedAddress;
    private volatile int connectedPort = -1;
    /** The last sender's address, reused while it does not change (receive lock). */
    private InetAddress lastSource;
    private int lastSourceAddress;

    UdpSocket(UdpSockets sockets, int socket, int localPort) {
        this.sockets = sockets;
        this.socket = socket;
        this.localPort = localPort;
        this.inbound = sockets.inbound(socket);
        this.outbound = sockets.outbound(socket);
    }

    /** The port this socket is bound to. */
    public int localPort() {
        return localPort;
    }

    /** The largest datagram this socket sends or receives (StackConfig udpAppSockets datagramBytes). */
    public int maxDatagramLength() {
        return outbound.slotBytes();
    }

    public boolean isClosed() {
        return closed;
    }

    // ---- connect ----

    /**
     * Connects the socket to one peer, as {@link java.net.DatagramSocket#connect(InetAddress, int)}:
     * it then receives only that peer's datagrams, sends only to it, and an ICMP port unreachable
     * from it (nobody listens there) makes the next {@link #receive} throw
     * {@link PortUnreachableException} (RFC 1122 4.1.3.3; Linux reports it to connected sockets
     * only) or the next {@link #send}, whichever comes first. Datagrams queued before the connect
     * are discarded, as the JDK's DatagramChannelImpl.connect flushes the socket's receive buffer
     * (DatagramSocket.connect: they "may be discarded"): they may be from anyone. When another
     * thread is inside {@link #receive} the queue is not flushed here; that receive, and every one
     * after, skips a queued datagram that is not from the peer.
     *
     * @throws IllegalArgumentException for an IPv6 address or a port outside 1..65535
     */
    public void connect(InetAddress address, int port) {
        int peer = Ipv4Addresses.toInt(address);
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("port must be 1..65535, was " + port);
        }
        connectedAddress = address;
        connectedPort = port;
        sockets.pendingErrors.set(socket, 0);
        sockets.peers.set(socket, UdpSockets.peer(peer, port));
        if (receiveLock.tryLock()) {
            try {
                while (inbound.peek() != DatagramRing.NONE) {
                    inbound.release();
                }
            } finally {
                receiveLock.unlock();
            }
        }
    }

    /** Undoes {@link #connect}: datagrams from anyone again, no ICMP errors. */
    public void disconnect() {
        sockets.peers.set(socket, 0);
        sockets.pendingErrors.set(socket, 0);
        connectedAddress = null;
        connectedPort = -1;
    }

    public boolean isConnected() {
        return connectedAddress != null;
    }

    /** The peer's address, or null when not connected. */
    public InetAddress connectedAddress() {
        return connectedAddress;
    }

    /** The peer's port, or -1 when not connected. */
    public int connectedPort() {
        return connectedPort;
    }

    // ---- send ----

    /** Queues the packet's data for its address and port, waiting while the send queue is full. */
    public void send(DatagramPacket packet) throws IOException {
        InetAddress address = packet.getAddress();
        if (address == null && isConnected()) {
            // java.net: a packet without an address goes to the connected peer.
            send(packet.getData(), packet.getOffset(), packet.getLength(), connectedAddress, connectedPort, null);
            return;
        }
        send(packet.getData(), packet.getOffset(), packet.getLength(), address, packet.getPort(), null);
    }

    /** Queues {@code data[offset, offset + length)} for {@code address:port}, waiting while the send queue is full. */
    public void send(byte[] data, int offset, int length, InetAddress address, int port) throws IOException {
        send(data, offset, length, address, port, null);
    }

    /**
     * Queues a datagram for the stack thread to send, waiting at most {@code timeout} (null =
     * for ever) while the send queue is full. Queued is not delivered: UDP may lose it, and the
     * stack counts what the interface dropped ({@link UdpSocketCounter#TX_DROPPED}).
     *
     * @return false if the queue stayed full for the whole timeout
     * @throws IllegalArgumentException for an IPv6 address, a port outside 1..65535, or data
     *     longer than {@link #maxDatagramLength()}
     * @throws SocketException if the socket is closed
     * @throws PortUnreachableException once, on a connected socket after an ICMP port unreachable
     *     from its peer (unless a receive reported it first); nothing is queued then; another hard
     *     ICMP error from the peer is an IOException with the words the JDK uses on Linux
     */
    public boolean send(byte[] data, int offset, int length, InetAddress address, int port, Duration timeout) throws IOException {
        int destination = Ipv4Addresses.toInt(address);
        InetAddress peer = connectedAddress;
        if (peer != null && (!peer.equals(address) || port != connectedPort)) {
            throw new IllegalArgumentException("connected address and packet address differ");
        }
        if (peer != null) {
            // Linux reports a connected socket's pending error to whichever call comes first, a
            // send too (sock_alloc_send_skb), and the JDK throws for it on send.
            int error = sockets.pendingErrors.getAndSet(socket, 0);
            if (error != 0) {
                throw pendingErrorException(error, true);
            }
        }
        if (port < 1 || port > 0xFFFF) {
            throw new IllegalArgumentException("destination port must be 1..65535, was " + port);
        }
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        if (length > outbound.slotBytes()) {
            throw new IllegalArgumentException("datagram of " + length + " bytes is longer than this socket's " + outbound.slotBytes()
                    + "; raise StackConfig udpAppSockets datagramBytes");
        }
        sockets.checkNotStackThread("send on a UDP socket");
        long deadline = deadline(timeout);
        if (!lock(sendLock, deadline)) {
            return false;
        }
        try {
            int slot = await(outbound, true, sockets.sendWaiters, deadline);
            if (slot == DatagramRing.NONE) {
                return false;
            }
            System.arraycopy(data, offset, outbound.buffer(), outbound.offset(slot), length);
            outbound.publish(slot, length, destination, port);
            return true;
        } finally {
            sendLock.unlock();
        }
    }

    // ---- receive ----

    /** Waits for a datagram and fills {@code packet} as {@link java.net.DatagramSocket#receive} does. */
    public void receive(DatagramPacket packet) throws IOException {
        receive(packet, null);
    }

    /**
     * Waits at most {@code timeout} (null = for ever) for a datagram and copies it into the
     * packet's buffer from its offset to the buffer's end (unlike {@link java.net.DatagramSocket},
     * whatever length the packet had: its capacity is not visible outside java.net); data that
     * does not fit is lost. The packet's length becomes what was copied, its address and port
     * the sender's.
     *
     * @return false if nothing arrived within the timeout (the packet is unchanged)
     * @throws SocketException if the socket is closed
     * @throws PortUnreachableException once, after an ICMP port unreachable from the connected peer
     *     (another hard ICMP error: the SocketException the JDK throws on Linux, NoRouteToHostException
     *     for "prohibited")
     *     (unless a send reported it first)
     */
    public boolean receive(DatagramPacket packet, Duration timeout) throws IOException {
        sockets.checkNotStackThread("receive on a UDP socket");
        long deadline = deadline(timeout);
        if (!lock(receiveLock, deadline)) {
            return false;
        }
        try {
            int slot = await(inbound, false, sockets.receiveWaiters, deadline);
            while (slot != DatagramRing.NONE && !fromConnectedPeer(slot)) {
                // Queued before a connect that could not flush the queue (another receive held it).
                inbound.release();
                slot = await(inbound, false, sockets.receiveWaiters, deadline);
            }
            if (slot == DatagramRing.NONE) {
                return false;
            }
            byte[] target = packet.getData();
            int copied = Math.min(inbound.length(slot), target.length - packet.getOffset());
            System.arraycopy(inbound.buffer(), inbound.offset(slot), target, packet.getOffset(), copied);
            int source = inbound.address(slot);
            if (lastSource == null || source != lastSourceAddress) {
                lastSource = Ipv4Addresses.toInetAddress(source);
                lastSourceAddress = source;
            }
            int port = inbound.port(slot);
            inbound.release();
            packet.setLength(copied);
            packet.setAddress(lastSource);
            packet.setPort(port);
            return true;
        } finally {
            receiveLock.unlock();
        }
    }

    /**
     * The exception the JDK on Linux throws for the errno __udp4_lib_err sets (icmp_err_convert;
     * parameter problem EPROTO): a port unreachable is PortUnreachableException on receive and on
     * send; on receive the others are what sun.nio.ch's handleSocketError makes of the errno, on
     * send an IOException with the errno's words (the JDK's write path).
     */
    private static IOException pendingErrorException(int error, boolean onSend) {
        int type = (error >> 8) & 0xFF;
        int code = error & 0xFF;
        if (type == IcmpPacket.TYPE_PARAMETER_PROBLEM) {
            return onSend ? new IOException("Protocol error") : new java.net.ProtocolException("Protocol error");
        }
        return switch (code) {
            case IcmpPacket.CODE_PORT_UNREACHABLE -> new PortUnreachableException("ICMP Port Unreachable");
            case IcmpPacket.CODE_PROTOCOL_UNREACHABLE -> onSend ? new IOException("Protocol not available")
                    : new SocketException("Protocol not available");
            case 6, 9 -> onSend ? new IOException("Network is unreachable") : new SocketException("Network is unreachable");
            case 7 -> onSend ? new IOException("Host is down") : new SocketException("Host is down");
            case 8 -> onSend ? new IOException("Machine is not on the network") : new SocketException("Machine is not on the network");
            default -> onSend ? new IOException("No route to host") : new NoRouteToHostException("No route to host");
        };
    }

    private boolean fromConnectedPeer(int slot) {
        long peer = sockets.peers.get(socket);
        return peer == 0 || peer == UdpSockets.peer(inbound.address(slot), inbound.port(slot));
    }

    // ---- waiting ----

    private static final long FOREVER = Long.MIN_VALUE;

    private static long deadline(Duration timeout) {
        if (timeout == null) {
            return FOREVER;
        }
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        return deadline == FOREVER ? deadline + 1 : deadline;
    }

    private boolean lock(ReentrantLock lock, long deadline) throws IOException {
        try {
            if (deadline == FOREVER) {
                lock.lockInterruptibly();
                return true;
            }
            return lock.tryLock(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the UDP socket on port " + localPort);
        }
    }

    /**
     * Waits until the queue has a slot (to fill when {@code producing}, else to read) or the
     * deadline passes. The waiter is published before the queue is looked at, and the stack thread
     * moves the queue before it looks for a waiter, so no wake-up is lost.
     */
    private int await(DatagramRing ring, boolean producing, AtomicReferenceArray<Thread> waiters, long deadline)
            throws IOException {
        waiters.set(socket, Thread.currentThread());
        try {
            while (true) {
                if (closed) {
                    throw new SocketException("UDP socket on port " + localPort + " is closed");
                }
                if (!producing) {
                    // Reported once, as Linux reports a socket's pending error once.
                    int error = sockets.pendingErrors.getAndSet(socket, 0);
                    if (error != 0) {
                        throw pendingErrorException(error, false);
                    }
                }
                int slot = producing ? ring.claim() : ring.peek();
                if (slot != DatagramRing.NONE) {
                    return slot;
                }
                if (deadline == FOREVER) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return DatagramRing.NONE;
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting on the UDP socket on port " + localPort);
                }
            }
        } finally {
            waiters.set(socket, null);
        }
    }

    // ---- close ----

    /**
     * Unbinds the port. Threads blocked in {@link #send} or {@link #receive} throw
     * {@link SocketException}; datagrams still queued are dropped. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        wake(sockets.receiveWaiters.get(socket));
        wake(sockets.sendWaiters.get(socket));
        // Once both locks are ours no application thread is inside a queue, so the stack thread may clear them.
        sendLock.lock();
        receiveLock.lock();
        try {
            sockets.release(socket);
        } finally {
            receiveLock.unlock();
            sendLock.unlock();
        }
    }

    private static void wake(Thread waiter) {
        if (waiter != null) {
            LockSupport.unpark(waiter);
        }
    }

    @Override
    public String toString() {
        return "UdpSocket[port " + localPort + (closed ? ", closed]" : "]");
    }
}
