package dev.spinet.net;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The output stream of a {@link SpinetSocketImpl}: a write returns once its bytes are in the
 * outbound ring, from where the stack thread hands them to TCP at once (Nagle's algorithm
 * applies unless TCP_NODELAY), so {@link #flush()} has nothing to do.
 */
final class SocketOutput extends OutputStream {

    private final SpinetSocketImpl socket;

    SocketOutput(SpinetSocketImpl socket) {
        this.socket = socket;
    }

    @Override
    public void write(int b) throws IOException {
        socket.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] source, int offset, int length) throws IOException {
        socket.write(source, offset, length);
    }

    @Override
    public void close() throws IOException {
        socket.closeSocket();
    }
}
