package dev.spinet.service;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.tcp.TcpLayer;

/**
 * Discard (RFC 863, TCP port 9): "Once a connection is established any data received is thrown
 * away. No response is sent." The bytes are counted (status page); when the peer closes, the
 * connection closes. Allocation-free after construction.
 */
public final class DiscardService extends TcpService {

    private final byte[] scratch;

    public DiscardService(TcpLayer tcp, ConnectionTable table, NanoClock clock) {
        super(ServiceKind.DISCARD, tcp, table, clock);
        this.scratch = new byte[Math.max(1, Math.min(tcp.config().tcpReceiveBufferBytes, 16 * 1024))];
    }

    @Override
    protected void accepted(int connection) {
    }

    @Override
    public void onReadable(int connection) {
        drain(connection);
    }

    @Override
    public void onPeerClosed(int connection) {
        drain(connection);
        closeOnce(connection);
    }

    private void drain(int connection) {
        int n;
        while ((n = tcp.read(connection, scratch, 0, scratch.length)) > 0) {
            table.received(connection, n);
        }
    }
}
