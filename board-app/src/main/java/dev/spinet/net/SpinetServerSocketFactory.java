package dev.spinet.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import javax.net.ServerSocketFactory;

/** The {@link ServerSocketFactory} of one Spinet stack. */
public final class SpinetServerSocketFactory extends ServerSocketFactory {

    private final SocketBridge bridge;

    SpinetServerSocketFactory(SocketBridge bridge) {
        this.bridge = bridge;
    }

    /** An unbound server socket. */
    @Override
    public ServerSocket createServerSocket() throws IOException {
        return new SpinetServerSocket(bridge);
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return createServerSocket(port, SpinetServerSocketImpl.DEFAULT_BACKLOG, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return createServerSocket(port, backlog, null);
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress) throws IOException {
        ServerSocket server = createServerSocket();
        try {
            server.bind(new InetSocketAddress(ifAddress, port), backlog);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }
}
