package dev.spinet.net;

import java.net.Socket;
import java.net.SocketException;

/**
 * A {@link java.net.Socket} whose connection is a Spinet TCP connection: hand it (or
 * {@link SpinetSockets#socketFactory()}) to any code that takes a Socket. Everything is
 * java.net's behaviour, including the exceptions; {@code connect} to an unresolved
 * {@link java.net.InetSocketAddress} asks Spinet's {@link NameResolver}, never the host
 * computer's.
 */
public final class SpinetSocket extends Socket {

    SpinetSocket(SocketBridge bridge) throws SocketException {
        super(new SpinetSocketImpl(bridge));
    }
}
