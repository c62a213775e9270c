package dev.spinet.net;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What {@link SpinetSocketImpl} and {@link SpinetServerSocketImpl} share: the bridge to the stack
 * thread, closing and the closed state's checks, the local-address check of {@code bind}, SO_TIMEOUT
 * and SO_REUSEADDR, and the translation of {@link SocketOption}s into {@link SocketImpl}'s option
 * numbers. Messages are the JDK's where it has one, with "sockets" or "server sockets" as the
 * subclass says.
 */
abstract class SpinetSocketImplBase extends SocketImpl {

    final SocketBridge bridge;
    /** Held by close and by option changes, so neither sees the other half done. */
    final ReentrantLock stateLock = new ReentrantLock();
    volatile boolean closed;
    volatile int timeoutMillis;
    boolean reuseAddress;

    SpinetSocketImplBase(SocketBridge bridge, boolean reuseAddress) {
        this.bridge = bridge;
        this.reuseAddress = reuseAddress;
    }

    /** "sockets" or "server sockets", for messages. */
    abstract String kind();

    @Override
    protected void create(boolean stream) throws IOException {
        if (!stream) {
            throw new SocketException("Spinet's " + kind() + " are TCP (stream) sockets");
        }
    }

    /** {@code bind}'s address: the wildcard or this board's own; anything else is the JDK's refusal. */
    final void checkLocalAddress(InetAddress host) throws IOException {
        if (host != null && !host.isAnyLocalAddress()) {
            int ip = Addresses.ipv4(host, "bind to");
            if (ip != bridge.tcp().config().ipAddress) {
                throw new BindException("Cannot assign requested address");
            }
        }
    }

    final void ensureOpen() throws SocketException {
        if (closed) {
            throw new SocketException("Socket closed");
        }
    }

    final void checkRunning() throws SocketException {
        if (bridge.stopped()) {
            throw new SocketException("Spinet is stopped: its stack thread no longer runs");
        }
    }

    /**
     * An interrupted thread stops waiting: java.net's Socket turns this into "Closed by interrupt"
     * (and closes the socket) for a virtual thread, as the JDK's own sockets do.
     *
     * @param doing what the thread was blocked in, e.g. "accepting on a Spinet server socket"
     */
    static void checkInterrupt(String doing) throws InterruptedIOException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException("interrupted while " + doing);
        }
    }

    static void unpark(Thread thread) {
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Closes once: marks the socket closed, wakes the threads blocked in it, which see the mark
     * and leave, then gives the slot back to the stack thread once none of them is inside it.
     */
    @Override
    protected final void close() throws IOException {
        stateLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            wakeBlocked();
            releaseSlot();
        } finally {
            stateLock.unlock();
        }
    }

    /** Unparks the threads blocked in this socket (readers, writers, an acceptor). */
    abstract void wakeBlocked();

    /** Takes the locks of the blocking calls (so none is inside the slot) and asks the stack thread to close the slot. */
    abstract void releaseSlot();

    @Override
    protected void sendUrgentData(int data) throws IOException {
        throw new SocketException("Urgent data is not supported by Spinet");
    }

    // ---- options ----

    /** SO_TIMEOUT and SO_REUSEADDR, which both kinds take alike; false for any other option. */
    final boolean setSharedOption(int optionId, Object value) {
        switch (optionId) {
            case SO_TIMEOUT -> {
                int millis = (Integer) value;
                if (millis < 0) {
                    throw new IllegalArgumentException("timeout < 0");
                }
                timeoutMillis = millis;
            }
            case SO_REUSEADDR -> reuseAddress = (Boolean) value;
            default -> {
                return false;
            }
        }
        return true;
    }

    final SocketException unsupported(int optionId) {
        return new SocketException("Spinet " + kind() + " do not support socket option " + optionId);
    }

    @Override
    protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
        setOption(optionId(name), name == StandardSocketOptions.SO_LINGER && ((Integer) value) < 0 ? Boolean.FALSE : value);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <T> T getOption(SocketOption<T> name) throws IOException {
        Object value = getOption(optionId(name));
        if (name == StandardSocketOptions.SO_LINGER && value instanceof Boolean) {
            value = -1;
        }
        return (T) value;
    }

    /** {@code name}'s {@link SocketImpl} number, if this kind supports it ({@link #supportedOptions()}). */
    private int optionId(SocketOption<?> name) {
        if (supportedOptions().contains(name)) {
            if (name == StandardSocketOptions.TCP_NODELAY) {
                return TCP_NODELAY;
            } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
                return SO_KEEPALIVE;
            } else if (name == StandardSocketOptions.SO_LINGER) {
                return SO_LINGER;
            } else if (name == StandardSocketOptions.SO_SNDBUF) {
                return SO_SNDBUF;
            } else if (name == StandardSocketOptions.SO_RCVBUF) {
                return SO_RCVBUF;
            } else if (name == StandardSocketOptions.SO_REUSEADDR) {
                return SO_REUSEADDR;
            } else if (name == StandardSocketOptions.IP_TOS) {
                return IP_TOS;
            }
        }
        throw new UnsupportedOperationException("'" + name + "' not supported");
    }
}
