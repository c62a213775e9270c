package dev.spinet.net;

import java.io.IOException;
import java.io.InputStream;

/** The input stream of a {@link SpinetSocketImpl}: blocking reads from its inbound ring. */
final class SocketInput extends InputStream {

    private final SpinetSocketImpl socket;

    SocketInput(SpinetSocketImpl socket) {
        this.socket = socket;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = socket.read(one, 0, 1);
        return n > 0 ? one[0] & 0xFF : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        return socket.read(target, offset, length);
    }

    @Override
    public int available() throws IOException {
        return socket.availableBytes();
    }

    @Override
    public void close() throws IOException {
        socket.closeSocket();
    }
}
