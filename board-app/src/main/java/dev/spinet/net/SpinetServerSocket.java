package dev.spinet.net;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A {@link java.net.ServerSocket} listening on Spinet: {@link #accept()} returns
 * {@link SpinetSocket}s. Bind, backlog, SO_TIMEOUT and close behave as java.net's.
 */
public final class SpinetServerSocket extends ServerSocket {

    private final SocketBridge bridge;

    SpinetServerSocket(SocketBridge bridge) {
        super(new SpinetServerSocketImpl(bridge));
        this.bridge = bridge;
    }

    @Override
    public Socket accept() throws IOException {
        if (isClosed()) {
            throw new java.net.SocketException("Socket is closed");
        }
        if (!isBound()) {
            throw new java.net.SocketException("Socket is not bound yet");
        }
        Socket socket = new SpinetSocket(bridge);
        implAccept(socket);
        return socket;
    }
}
