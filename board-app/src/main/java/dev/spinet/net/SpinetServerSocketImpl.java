package dev.spinet.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A listening socket over Spinet, behind {@link SpinetServerSocket}: a {@link ListenerSlot} whose
 * accepted connections the stack thread queues and {@link #accept} hands to new
 * {@link SpinetSocketImpl}s. The backlog is java.net's: at most that many accepted connections
 * wait for {@code accept()}; a further one is reset (Linux would drop its final ACK instead).
 */
final class SpinetServerSocketImpl extends SpinetSocketImplBase {

    /** java.net's default when the backlog given is below 1. */
    static final int DEFAULT_BACKLOG = 50;
    /** How long bind waits for the stack thread to answer; it answers in one duty cycle. */
    private static final long BIND_ANSWER_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final ReentrantLock acceptLock = new ReentrantLock();
    private volatile ListenerSlot slot;
    private int requestedPort;

    SpinetServerSocketImpl(SocketBridge bridge) {
        super(bridge, true);
    }

    @Override
    String kind() {
        return "server sockets";
    }

    @Override
    protected void bind(InetAddress host, int port) throws IOException {
        checkLocalAddress(host);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        this.requestedPort = port;
        this.address = Addresses.inet(bridge.tcp().config().ipAddress);
    }

    @Override
    protected void listen(int backlog) throws IOException {
        stateLock.lock();
        try {
            ensureOpen();
            if (slot != null) {
                throw new SocketException("Already listening");
            }
            ListenerSlot taken = bridge.takeListener();
            if (taken == null) {
                throw SocketFailure.NO_LISTENER_FREE.exception(false);
            }
            taken.requestedPort = requestedPort;
            taken.backlog = backlog < 1 ? DEFAULT_BACKLOG : backlog;
            taken.phase = ListenerSlot.BINDING;
            slot = taken;
            bridge.post(taken, ListenerSlot.LISTEN);
            long deadline = System.nanoTime() + BIND_ANSWER_NANOS;
            while (taken.phase == ListenerSlot.BINDING) {
                checkRunning();
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    throw new SocketException("Spinet's stack thread did not answer within 30 s: is it running?");
                }
                taken.acceptor = Thread.currentThread();
                if (taken.phase == ListenerSlot.BINDING && !bridge.stopped()) {
                    LockSupport.parkNanos(wait);
                }
                taken.acceptor = null;
                checkInterrupt("binding a Spinet server socket");
            }
            if (taken.phase == ListenerSlot.FAILED) {
                throw taken.failure.exception(false);
            }
            this.localport = taken.port;
        } finally {
            stateLock.unlock();
        }
    }

    @Override
    protected void accept(SocketImpl target) throws IOException {
        if (!(target instanceof SpinetSocketImpl socket)) {
            throw new SocketException("a Spinet server socket accepts into Spinet sockets only (use SpinetServerSocket.accept)");
        }
        acceptLock.lock();
        try {
            ensureOpen();
            ListenerSlot current = slot;
            if (current == null || current.phase != ListenerSlot.LISTENING) {
                throw new SocketException("Socket is not bound yet");
            }
            int timeout = timeoutMillis;
            long deadline = timeout > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout) : 0;
            while (true) {
                int id = current.accepted.poll();
                if (id >= 0) {
                    socket.attachAccepted(bridge.socket(id));
                    return;
                }
                ensureOpen();
                checkRunning();
                long wait = 0;
                if (deadline != 0) {
                    wait = deadline - System.nanoTime();
                    if (wait <= 0) {
                        throw new SocketTimeoutException("Accept timed out");
                    }
                }
                current.acceptor = Thread.currentThread();
                if (current.accepted.isEmpty() && !closed && !bridge.stopped()) {
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    } else {
                        LockSupport.park();
                    }
                }
                current.acceptor = null;
                checkInterrupt("accepting on a Spinet server socket");
            }
        } finally {
            acceptLock.unlock();
        }
    }

    @Override
    void wakeBlocked() {
        ListenerSlot current = slot;
        if (current != null) {
            unpark(current.acceptor);
        }
    }

    @Override
    void releaseSlot() {
        acceptLock.lock();
        try {
            ListenerSlot current = slot;
            if (current != null) {
                slot = null;
                bridge.post(current, ListenerSlot.CLOSE);
            }
        } finally {
            acceptLock.unlock();
        }
    }

    // ---- what a listening socket does not do ----

    @Override
    protected void connect(String host, int port) throws IOException {
        throw new SocketException("connect on a server socket");
    }

    @Override
    protected void connect(InetAddress address, int port) throws IOException {
        throw new SocketException("connect on a server socket");
    }

    @Override
    protected void connect(SocketAddress address, int timeout) throws IOException {
        throw new SocketException("connect on a server socket");
    }

    @Override
    protected InputStream getInputStream() throws IOException {
        throw new SocketException("a server socket has no input stream");
    }

    @Override
    protected OutputStream getOutputStream() throws IOException {
        throw new SocketException("a server socket has no output stream");
    }

    @Override
    protected int available() {
        return 0;
    }

    // ---- options ----

    @Override
    public void setOption(int optionId, Object value) throws SocketException {
        ensureOpen();
        if (optionId == SO_RCVBUF) {
            return; // a hint: the rings' sizes are fixed in SocketConfig
        }
        if (!setSharedOption(optionId, value)) {
            throw unsupported(optionId);
        }
    }

    @Override
    public Object getOption(int optionId) throws SocketException {
        ensureOpen();
        return switch (optionId) {
            case SO_TIMEOUT -> timeoutMillis;
            case SO_REUSEADDR -> reuseAddress;
            case SO_RCVBUF -> bridge.config().inboundRingBytes() + bridge.tcp().config().tcpReceiveBufferBytes;
            case SO_BINDADDR -> Addresses.inet(bridge.tcp().config().ipAddress);
            default -> throw unsupported(optionId);
        };
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions() {
        return Set.of(StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_RCVBUF);
    }
}
