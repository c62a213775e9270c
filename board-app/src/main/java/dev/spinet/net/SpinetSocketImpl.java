package dev.spinet.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connected (or connecting) TCP socket over Spinet, behind {@link SpinetSocket}: blocking
 * streams on a {@link ConnectionSlot}. Reads and writes block the calling thread only (a
 * virtual thread parks and frees its carrier); the stack thread never waits for them.
 *
 * <p>One reader and one writer at a time (the read and write locks, as in the JDK's own socket
 * implementation); {@link #close} first wakes them, then takes both locks, so no read or write
 * is inside the slot when the close request reaches the stack thread, which may then recycle
 * the slot. Exceptions and their messages are the JDK's.
 */
final class SpinetSocketImpl extends SpinetSocketImplBase {

    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile ConnectionSlot slot;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    private boolean noDelay;
    private boolean keepAlive;
    /** SO_LINGER in seconds, -1 when off; 0 makes close an abort (RST). */
    private int lingerSeconds = -1;
    private int trafficClass;
    private InputStream input;
    private OutputStream output;

    SpinetSocketImpl(SocketBridge bridge) {
        super(bridge, false);
    }

    @Override
    String kind() {
        return "sockets";
    }

    // ---- opening ----

    @Override
    protected void connect(String host, int port) throws IOException {
        connect(InetSocketAddress.createUnresolved(host, port), 0);
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        connect(new InetSocketAddress(address, port), 0);
    }

    @Override
    protected void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (!(endpoint instanceof InetSocketAddress target)) {
            throw new IllegalArgumentException("Unsupported address type");
        }
        InetAddress remote = target.isUnresolved() ? resolveOne(target.getHostString()) : target.getAddress();
        int ip = Addresses.ipv4(remote, "connect to");
        int remotePort = target.getPort();
        writeLock.lock();
        try {
            ensureOpen();
            if (slot != null) {
                throw new SocketException("Already connected");
            }
            ConnectionSlot taken = bridge.takeSocket();
            if (taken == null) {
                throw SocketFailure.NO_CONNECTION_FREE.exception(true);
            }
            taken.connectAddress = ip;
            taken.connectPort = remotePort;
            taken.noDelay = noDelay;
            taken.keepAlive = keepAlive;
            taken.phase = ConnectionSlot.CONNECTING;
            slot = taken;
            bridge.post(taken, ConnectionSlot.CONNECT);
            awaitConnected(taken, timeout);
            this.address = remote;
            this.port = remotePort;
            this.localport = taken.localPort;
        } finally {
            writeLock.unlock();
        }
    }

    /** The first IPv4 address the resolver gives (or the IPv6 refusal if it gives only IPv6). */
    private InetAddress resolveOne(String host) throws IOException {
        List<InetAddress> found = bridge.resolver().resolve(host);
        if (found == null || found.isEmpty()) {
            throw new UnknownHostException(host);
        }
        for (InetAddress candidate : found) {
            if (candidate instanceof java.net.Inet4Address) {
                return candidate;
            }
        }
        return found.getFirst();
    }

    private void awaitConnected(ConnectionSlot taken, int timeout) throws IOException {
        long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : 0;
        while (true) {
            int phase = taken.phase;
            if (phase == ConnectionSlot.OPEN) {
                return;
            }
            if (phase == ConnectionSlot.ENDED) {
                SocketFailure failure = taken.failure;
                throw failure != null ? failure.exception(true) : new java.net.ConnectException("Connection refused");
            }
            if (closed) {
                throw new SocketException("Socket closed");
            }
            checkRunning();
            long wait = 0;
            if (deadline != 0) {
                wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    // The JDK closes the socket after a connect timeout; the abort stops the SYNs now.
                    bridge.post(taken, ConnectionSlot.ABORT);
                    throw new SocketTimeoutException("Connect timed out");
                }
            }
            taken.writer = Thread.currentThread();
            if (taken.phase == ConnectionSlot.CONNECTING && !closed && !bridge.stopped()) {
                park(wait);
            }
            taken.writer = null;
            checkInterrupt();
        }
    }

    /** Called by the server socket's accept: this socket takes over an accepted connection. */
    void attachAccepted(ConnectionSlot accepted) {
        this.slot = accepted;
        this.address = Addresses.inet(accepted.remoteAddress);
        this.port = accepted.remotePort;
        this.localport = accepted.localPort;
    }

    @Override
    protected void bind(InetAddress host, int localPort) throws IOException {
        checkLocalAddress(host);
        if (localPort != 0) {
            throw new BindException("Spinet picks the local port of an outgoing connection itself: bind to port 0");
        }
    }

    @Override
    protected void listen(int backlog) throws IOException {
        throw new SocketException("listen on a client socket: use SpinetSockets.serverSocketFactory()");
    }

    @Override
    protected void accept(SocketImpl s) throws IOException {
        throw new SocketException("accept on a client socket: use SpinetSockets.serverSocketFactory()");
    }

    // ---- streams ----

    @Override
    protected InputStream getInputStream() throws IOException {
        ensureOpen();
        if (input == null) {
            input = new SocketInput(this);
        }
        return input;
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        ensureOpen();
        if (output == null) {
            output = new SocketOutput(this);
        }
        return output;
    }

    @Override
    protected int available() throws IOException {
        ensureOpen();
        ConnectionSlot current = slot;
        if (current == null || inputShutdown) {
            return 0;
        }
        return current.inbound.size();
    }

    int availableBytes() throws IOException {
        return available();
    }

    void closeSocket() throws IOException {
        close();
    }

    /** Blocks until data, the end of the stream, a failure or SO_TIMEOUT (the input stream's read). */
    int read(byte[] target, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, target.length);
        readLock.lock();
        try {
            ensureOpen();
            ConnectionSlot current = connectedSlot();
            if (inputShutdown) {
                return -1;
            }
            if (length == 0) {
                return 0;
            }
            int timeout = timeoutMillis;
            long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : 0;
            SpscByteRing in = current.inbound;
            boolean waited = false;
            while (true) {
                int n = in.read(target, offset, length);
                if (n > 0) {
                    boolean leased = bridge.leaseAfterRead(current, n, waited);
                    if (current.inboundStalled) {
                        bridge.post(current, ConnectionSlot.READ_SPACE);
                    } else if (leased) {
                        bridge.cycleForLease();
                    }
                    return n;
                }
                if (current.inputEnded) {
                    if (in.size() == 0) {
                        return -1;
                    }
                    continue;
                }
                SocketFailure failure = current.failure;
                if (failure != null) {
                    if (in.size() == 0) {
                        throw failure.exception(false);
                    }
                    continue;
                }
                ensureOpen();
                checkRunning();
                long wait = 0;
                if (deadline != 0) {
                    wait = deadline - System.nanoTime();
                    if (wait <= 0) {
                        throw new SocketTimeoutException("Read timed out");
                    }
                }
                if (spinFor(current)) {
                    continue;
                }
                waited = true;
                if (!current.readReady.getAsBoolean() && !closed && bridge.leadUntilReadable(current, wait)) {
                    if (current.readReady.getAsBoolean()) {
                        continue;
                    }
                    // Led until its time was up: park for what is left of SO_TIMEOUT, not all of it again.
                    if (deadline != 0) {
                        wait = deadline - System.nanoTime();
                        if (wait <= 0) {
                            throw new SocketTimeoutException("Read timed out");
                        }
                    }
                }
                current.reader = Thread.currentThread();
                if (in.size() == 0 && !current.inputEnded && current.failure == null && !closed && !bridge.stopped()) {
                    bridge.endLease(); // a reader that parks is not back at once: the stack thread takes the frames
                    current.bulkReader = false; // nor is it in a bulk transfer any more
                    park(wait);
                }
                current.reader = null;
                checkInterrupt();
            }
        } finally {
            readLock.unlock();
        }
    }

    /** Blocks until every byte is in the outbound ring (the output stream's write). */
    void write(byte[] source, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, source.length);
        writeLock.lock();
        try {
            ensureOpen();
            ConnectionSlot current = connectedSlot();
            SpscByteRing out = current.outbound;
            while (length > 0) {
                if (outputShutdown) {
                    throw new SocketException("Socket output is shutdown");
                }
                SocketFailure failure = current.failure;
                if (failure != null) {
                    throw failure.exception(false);
                }
                if (current.phase == ConnectionSlot.ENDED) {
                    throw new SocketException("Broken pipe");
                }
                int n = out.write(source, offset, length);
                if (n > 0) {
                    offset += n;
                    length -= n;
                    // Unless the send ring waits for room: then the stack moves these bytes at the
                    // next ACK that frees room anyway, and needs no request.
                    boolean post = !current.outboundAwaitsRoom;
                    if (bridge.leaseAfterWrite(current, n)) {
                        // One cycle here, also when nothing is posted: the ACKs that came while the
                        // stack thread sleeps through the lease are this write's to read, or a writer
                        // slower than the lease would keep them waiting lease after lease.
                        bridge.writeUnderLease(current, post);
                    } else if (post) {
                        bridge.post(current, ConnectionSlot.WRITE);
                    }
                    continue;
                }
                ensureOpen();
                checkRunning();
                if (!current.writeReady.getAsBoolean() && bridge.leadUntilWritable(current)
                        && current.writeReady.getAsBoolean()) {
                    continue;
                }
                current.writer = Thread.currentThread();
                if (out.free() == 0 && current.failure == null && current.phase != ConnectionSlot.ENDED && !closed
                        && !bridge.stopped()) {
                    bridge.endLease(); // a writer that parks is not back at once: the stack thread reads the ACKs
                    park(0);
                }
                current.writer = null;
                checkInterrupt();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Looks for data (or the end, or a failure) for up to {@code SocketConfig.spinNanos} before the
     * reader parks: a reply that arrives meanwhile needs no wake-up through the waker thread and
     * the scheduler, which is most of a round trip's cost on a small machine. A virtual thread
     * yields its carrier while it looks, so other virtual threads still run.
     *
     * @return true when something arrived
     */
    private boolean spinFor(ConnectionSlot current) {
        long spin = bridge.config().spinNanos();
        if (spin == 0) {
            return false;
        }
        boolean virtual = Thread.currentThread().isVirtual();
        long until = System.nanoTime() + spin;
        while (System.nanoTime() - until < 0) {
            if (current.inbound.size() > 0 || current.inputEnded || current.failure != null || closed) {
                return true;
            }
            if (virtual) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
        return false;
    }

    private ConnectionSlot connectedSlot() throws SocketException {
        ConnectionSlot current = slot;
        if (current == null) {
            throw new SocketException("Socket is not connected");
        }
        return current;
    }

    private static void park(long nanos) {
        if (nanos > 0) {
            LockSupport.parkNanos(nanos);
        } else {
            LockSupport.park();
        }
    }

    private static void checkInterrupt() throws InterruptedIOException {
        checkInterrupt("blocked on a Spinet socket");
    }

    // ---- closing ----

    @Override
    protected void shutdownInput() throws IOException {
        ensureOpen();
        connectedSlot();
        inputShutdown = true;
    }

    @Override
    protected void shutdownOutput() throws IOException {
        writeLock.lock();
        try {
            ensureOpen();
            ConnectionSlot current = connectedSlot();
            if (!outputShutdown) {
                outputShutdown = true;
                bridge.post(current, ConnectionSlot.SHUTDOWN_OUTPUT);
            }
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    void wakeBlocked() {
        ConnectionSlot current = slot;
        if (current != null) {
            // Published before the leaders are looked at: one that begins to lead after this finds
            // its condition true, one that leads already waits on the TAP, not in a park, and its
            // bell ends that wait (java.net.Socket.close: "Any thread currently blocked in an I/O
            // operation upon this socket will throw a SocketException").
            current.closing = true;
            if (current.leader != null || current.writeLeader != null) {
                bridge.wakeLeader();
            }
            unpark(current.reader);
            unpark(current.writer);
        }
    }

    @Override
    void releaseSlot() {
        readLock.lock();
        writeLock.lock();
        try {
            ConnectionSlot current = slot;
            if (current != null) {
                if (lingerSeconds > 0) {
                    linger(current);
                }
                slot = null;
                bridge.post(current, lingerSeconds == 0 ? ConnectionSlot.ABORT | ConnectionSlot.CLOSE : ConnectionSlot.CLOSE);
            }
        } finally {
            writeLock.unlock();
            readLock.unlock();
        }
    }

    /**
     * A positive SO_LINGER: as the JDK on Linux, which shuts the output down and then closes, and
     * Linux's close blocks until the FIN after the data is acknowledged or the linger time has
     * passed, then returns normally while the connection goes on (no reset). With received data
     * unread the close is a reset at once (RFC 1122 4.2.2.13), so nothing to wait for.
     */
    private void linger(ConnectionSlot current) {
        if (current.phase != ConnectionSlot.OPEN || current.failure != null || current.inbound.size() > 0) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(lingerSeconds);
        int request = outputShutdown ? ConnectionSlot.LINGER : ConnectionSlot.SHUTDOWN_OUTPUT | ConnectionSlot.LINGER;
        outputShutdown = true;
        current.writer = Thread.currentThread();
        bridge.endLease(); // parks below: the stack thread reads the ACK of the FIN
        bridge.post(current, request);
        while (!current.lingerDone && current.phase != ConnectionSlot.ENDED && !bridge.stopped()
                && !Thread.currentThread().isInterrupted()) {
            long wait = deadline - System.nanoTime();
            if (wait <= 0) {
                break;
            }
            LockSupport.parkNanos(wait);
        }
        current.writer = null;
    }

    // ---- options ----

    @Override
    public void setOption(int optionId, Object value) throws SocketException {
        stateLock.lock();
        try {
            ensureOpen();
            switch (optionId) {
                case TCP_NODELAY -> {
                    noDelay = (Boolean) value;
                    pushOptions();
                }
                case SO_KEEPALIVE -> {
                    keepAlive = (Boolean) value;
                    pushOptions();
                }
                // Socket.setSoLinger passes Boolean.FALSE for off and an Integer for on.
                case SO_LINGER -> lingerSeconds = value instanceof Integer seconds ? Math.max(0, seconds) : -1;
                case SO_SNDBUF, SO_RCVBUF -> {
                    // A hint (java.net allows ignoring it): the rings' sizes are fixed in SocketConfig.
                    if ((Integer) value <= 0) {
                        throw new IllegalArgumentException("buffer size must be positive");
                    }
                }
                case IP_TOS -> trafficClass = (Integer) value;
                case SO_OOBINLINE -> {
                    if ((Boolean) value) {
                        throw new SocketException("Urgent data is not supported by Spinet");
                    }
                }
                default -> {
                    if (!setSharedOption(optionId, value)) {
                        throw unsupported(optionId);
                    }
                }
            }
        } finally {
            stateLock.unlock();
        }
    }

    private void pushOptions() {
        ConnectionSlot current = slot;
        if (current != null) {
            current.noDelay = noDelay;
            current.keepAlive = keepAlive;
            bridge.post(current, ConnectionSlot.OPTIONS);
        }
    }

    @Override
    public Object getOption(int optionId) throws SocketException {
        ensureOpen();
        return switch (optionId) {
            case TCP_NODELAY -> noDelay;
            case SO_KEEPALIVE -> keepAlive;
            case SO_TIMEOUT -> timeoutMillis;
            case SO_LINGER -> lingerSeconds < 0 ? Boolean.FALSE : (Object) lingerSeconds;
            case SO_SNDBUF -> bridge.config().outboundRingBytes() + bridge.tcp().config().tcpSendBufferBytes;
            case SO_RCVBUF -> bridge.config().inboundRingBytes() + bridge.tcp().config().tcpReceiveBufferBytes;
            case SO_REUSEADDR -> reuseAddress;
            case IP_TOS -> trafficClass;
            case SO_OOBINLINE -> false;
            case SO_BINDADDR -> Addresses.inet(bridge.tcp().config().ipAddress);
            default -> throw unsupported(optionId);
        };
    }

    private static final Set<SocketOption<?>> OPTIONS = Set.of(StandardSocketOptions.TCP_NODELAY,
            StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_LINGER, StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.IP_TOS);

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return OPTIONS;
    }
}
