package dev.spinet.service;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.tcp.TcpLayer;

/**
 * Echo (RFC 862, TCP port 7): "Once a connection is established any data received is sent
 * back. This continues until the calling user terminates the connection."
 *
 * <p>Data is moved from the receive ring to the send ring through one scratch array, never more
 * than the send ring takes, so nothing is held here and nothing is lost: when the send ring is
 * full the rest waits in the receive ring (which closes the peer's window) until
 * {@link #onWritable}. When the peer closes, everything it sent is echoed, then the connection
 * closes. Allocation-free after construction.
 */
public final class EchoService extends TcpService {

    private final byte[] scratch;
    private final boolean[] peerClosed;

    public EchoService(TcpLayer tcp, ConnectionTable table, NanoClock clock) {
        super(ServiceKind.ECHO, tcp, table, clock);
        this.scratch = new byte[Math.max(1, Math.min(tcp.config().tcpSendBufferBytes, 16 * 1024))];
        this.peerClosed = new boolean[table.capacity()];
    }

    @Override
    protected void accepted(int connection) {
        peerClosed[ConnectionTable.slot(connection)] = false;
    }

    @Override
    public void onReadable(int connection) {
        pump(connection);
    }

    @Override
    public void onWritable(int connection) {
        pump(connection);
    }

    @Override
    public void onPeerClosed(int connection) {
        peerClosed[ConnectionTable.slot(connection)] = true;
        pump(connection);
    }

    private void pump(int connection) {
        if (!mayWrite(connection)) {
            return;
        }
        while (true) {
            int room = tcp.writable(connection);
            if (room == 0) {
                if (tcp.available(connection) > 0) {
                    awaitWritable(connection);
                    return;
                }
                break;
            }
            int n = tcp.read(connection, scratch, 0, Math.min(room, scratch.length));
            if (n <= 0) {
                break;
            }
            table.received(connection, n);
            send(connection, scratch, 0, n);
        }
        if (peerClosed[ConnectionTable.slot(connection)] && tcp.available(connection) == 0) {
            closeOnce(connection);
        }
    }
}
