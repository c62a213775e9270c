package dev.spinet.service;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TcpState;

/**
 * A service on the stack thread: one listener, its connections recorded in the
 * {@link ConnectionTable}. Subclasses keep per-connection state in arrays indexed by
 * {@link ConnectionTable#slot(int)}, allocated in their constructor.
 */
public abstract class TcpService implements TcpHandler {

    /** Half-open connections kept per listening port. */
    static final int DEFAULT_BACKLOG = 4;

    protected final TcpLayer tcp;
    protected final ConnectionTable table;
    protected final NanoClock clock;
    private final ServiceKind kind;
    /** One byte to ask for {@link #onWritable}: a write the full ring refuses marks it blocked. */
    private final byte[] probe = new byte[1];
    private int listener = -1;

    protected TcpService(ServiceKind kind, TcpLayer tcp, ConnectionTable table, NanoClock clock) {
        this.kind = kind;
        this.tcp = tcp;
        this.table = table;
        this.clock = clock;
    }

    public final ServiceKind kind() {
        return kind;
    }

    /** Starts listening on the service's well-known port (or {@code port} when not 0). */
    public final void start(int port) {
        int backlog = Math.min(DEFAULT_BACKLOG, tcp.config().tcpBacklogMax);
        listener = tcp.listen(port == 0 ? kind.port() : port, backlog, this);
    }

    /** Stops accepting: closes the listener (its half-open connections are reset). Idempotent. */
    public final void stopListening() {
        if (listener != -1 && tcp.state(listener) == TcpState.LISTEN) {
            tcp.close(listener);
        }
        listener = -1;
    }

    @Override
    public final void onAccepted(int listenerHandle, int connection) {
        table.opened(connection, kind, tcp.remoteAddress(connection), tcp.remotePort(connection), clock.nanoTime());
        accepted(connection);
    }

    @Override
    public final void onClosed(int connection, CloseReason reason) {
        table.closed(connection, reason);
        closed(connection, reason);
    }

    /** A new connection: reset its slot's state (and maybe start sending). */
    protected abstract void accepted(int connection);

    /** The connection is gone; its handle is stale. */
    protected void closed(int connection, CloseReason reason) {
    }

    /** Writes and records what was accepted. */
    protected final int send(int connection, byte[] data, int offset, int length) {
        int accepted = tcp.write(connection, data, offset, length);
        table.sent(connection, accepted);
        return accepted;
    }

    /**
     * Asks to be called at {@link #onWritable} once the send ring has room: when it is full a
     * write accepts nothing and marks the connection blocked, which is what the stack checks.
     */
    protected final void awaitWritable(int connection) {
        if (mayWrite(connection) && tcp.writable(connection) == 0) {
            tcp.write(connection, probe, 0, 1);
        }
    }

    /** Whether the connection still takes data: synchronized and not closed by this side. */
    protected final boolean mayWrite(int connection) {
        TcpState state = tcp.state(connection);
        return state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT;
    }

    /** Closes (FIN after the queued data) unless the application already did. */
    protected final void closeOnce(int connection) {
        TcpState state = tcp.state(connection);
        if (state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT || state == TcpState.SYN_RECEIVED) {
            tcp.close(connection);
        }
    }
}
