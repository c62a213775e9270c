package dev.spinet.service;

import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;

/**
 * A client connection for the service tests: sends a prepared array (as the ring takes it),
 * optionally half-closes after it, and keeps what it receives in a fixed array (so it can sit
 * inside an allocation test). Allocation-free after construction.
 */
final class TestClient implements TcpHandler {

    final TcpLayer tcp;
    final byte[] received;
    int receivedLength;
    long receivedTotal;
    int handle;
    byte[] toSend = new byte[0];
    int sendLength;
    int sent;
    boolean shutdownAfterSend;
    boolean connected;
    boolean peerClosed;
    boolean closed;
    CloseReason reason;
    private final byte[] overflow = new byte[4096];

    TestClient(TcpLayer tcp, int receiveCapacity) {
        this.tcp = tcp;
        this.received = new byte[receiveCapacity];
    }

    /** Queues {@code data[0..length)} to send. */
    void send(byte[] data, int length, boolean thenShutdown) {
        toSend = data;
        sendLength = length;
        sent = 0;
        shutdownAfterSend = thenShutdown;
        pump();
    }

    void pump() {
        if (closed) {
            return;
        }
        while (sent < sendLength) {
            int n = tcp.write(handle, toSend, sent, sendLength - sent);
            if (n == 0) {
                return;
            }
            sent += n;
        }
        if (shutdownAfterSend) {
            shutdownAfterSend = false;
            tcp.shutdownOutput(handle);
        }
    }

    /** Forgets what was received so far (the array is reused). */
    void resetReceived() {
        receivedLength = 0;
    }

    @Override
    public void onConnected(int connection) {
        connected = true;
        pump();
    }

    @Override
    public void onWritable(int connection) {
        pump();
    }

    @Override
    public void onReadable(int connection) {
        drain();
    }

    private void drain() {
        while (true) {
            int room = received.length - receivedLength;
            int n = room > 0 ? tcp.read(handle, received, receivedLength, room) : tcp.read(handle, overflow, 0, overflow.length);
            if (n <= 0) {
                return;
            }
            if (room > 0) {
                receivedLength += n;
            }
            receivedTotal += n;
        }
    }

    @Override
    public void onPeerClosed(int connection) {
        drain();
        peerClosed = true;
    }

    @Override
    public void onClosed(int connection, CloseReason closeReason) {
        closed = true;
        reason = closeReason;
    }
}
