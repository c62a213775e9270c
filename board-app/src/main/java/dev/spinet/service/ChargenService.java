package dev.spinet.service;

import dev.spinet.hal.clock.NanoClock;
import dev.spinet.tcp.TcpLayer;

/**
 * Character generator (RFC 864, TCP port 19): "Once a connection is established the server
 * shall send a stream of data. Any data received is thrown away. The server shall continue
 * sending data until the calling user terminates the connection." The stream is
 * {@link ChargenPattern}, byte-exact from the first byte of every connection.
 *
 * <p>Each connection keeps only its position in the pattern; writes come straight from one
 * shared, precomputed two-period array. When the peer sends FIN the service stops and closes
 * (the caller "terminates the connection"). Allocation-free after construction.
 */
public final class ChargenService extends TcpService {

    private final byte[] pattern = ChargenPattern.twoPeriods();
    private final int[] position;
    private final byte[] scratch = new byte[2048];

    public ChargenService(TcpLayer tcp, ConnectionTable table, NanoClock clock) {
        super(ServiceKind.CHARGEN, tcp, table, clock);
        this.position = new int[table.capacity()];
    }

    @Override
    protected void accepted(int connection) {
        position[ConnectionTable.slot(connection)] = 0;
        fill(connection);
    }

    @Override
    public void onWritable(int connection) {
        fill(connection);
    }

    @Override
    public void onReadable(int connection) {
        int n;
        while ((n = tcp.read(connection, scratch, 0, scratch.length)) > 0) {
            table.received(connection, n);
        }
    }

    @Override
    public void onPeerClosed(int connection) {
        onReadable(connection);
        closeOnce(connection);
    }

    private void fill(int connection) {
        if (!mayWrite(connection)) {
            return;
        }
        if (tcp.writable(connection) == 0) {
            awaitWritable(connection);
            return;
        }
        int slot = ConnectionTable.slot(connection);
        int accepted;
        do {
            // Asking for a whole period: the ring takes what fits, and a short write marks the
            // connection blocked, so onWritable comes back when the peer has acknowledged data.
            accepted = send(connection, pattern, position[slot], ChargenPattern.PERIOD);
            position[slot] = (position[slot] + accepted) % ChargenPattern.PERIOD;
        } while (accepted == ChargenPattern.PERIOD);
    }
}
