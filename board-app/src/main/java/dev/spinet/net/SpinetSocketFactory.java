package dev.spinet.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * The {@link SocketFactory} of one Spinet stack: what MQTT, HTTP and TLS libraries take to run
 * over a W5500 or an ENC28J60 instead of the host's network. Host names go through the stack's
 * {@link NameResolver}.
 */
public final class SpinetSocketFactory extends SocketFactory {

    private final SocketBridge bridge;

    SpinetSocketFactory(SocketBridge bridge) {
        this.bridge = bridge;
    }

    /** An unconnected socket (libraries call {@code connect} with their own timeout). */
    @Override
    public Socket createSocket() throws IOException {
        return new SpinetSocket(bridge);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(InetSocketAddress.createUnresolved(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localHost, localPort));
        socket.connect(InetSocketAddress.createUnresolved(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket socket = createSocket();
        socket.connect(new InetSocketAddress(host, port));
        return socket;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket socket = createSocket();
        socket.bind(new InetSocketAddress(localAddress, localPort));
        socket.connect(new InetSocketAddress(address, port));
        return socket;
    }
}
