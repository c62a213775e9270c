package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Socket options and the closed state through java.net's own API, on both of Spinet's socket
 * kinds (two stacks on a virtual wire): the options each supports, the SO_LINGER forms
 * ({@code Socket.setSoLinger} and {@code setOption(SO_LINGER, n)}), SO_TIMEOUT's range, the
 * defaults java.net gives (SO_REUSEADDR on for a server socket, off for a client), what an
 * unsupported option and a closed socket answer, and that close twice is harmless.
 */
@Timeout(60)
class SocketOptionsTest {

    private final TwoStackSockets stacks = new TwoStackSockets();

    @AfterEach
    void tearDown() throws Exception {
        stacks.close();
    }

    @Test
    void aClientSocketsOptions() throws Exception {
        try (ServerSocket server = stacks.server.serverSocketFactory().createServerSocket(3001)) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            Socket socket = stacks.client.socketFactory().createSocket();
            socket.connect(new InetSocketAddress(TwoStackSockets.serverAddress(), 3001), 5_000);
            try (Socket peer = accepted.get(10, TimeUnit.SECONDS)) {
                assertEquals(Set.of(StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_KEEPALIVE,
                        StandardSocketOptions.SO_LINGER, StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
                        StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.IP_TOS), socket.supportedOptions());
                assertFalse(socket.getReuseAddress());
                assertEquals(-1, socket.getSoLinger());
                assertEquals(-1, socket.getOption(StandardSocketOptions.SO_LINGER));
                socket.setSoLinger(true, 5);
                assertEquals(5, socket.getSoLinger());
                assertEquals(5, socket.getOption(StandardSocketOptions.SO_LINGER));
                socket.setOption(StandardSocketOptions.SO_LINGER, -1);
                assertEquals(-1, socket.getSoLinger());
                socket.setTcpNoDelay(true);
                assertTrue(socket.getOption(StandardSocketOptions.TCP_NODELAY));
                socket.setKeepAlive(true);
                assertTrue(socket.getKeepAlive());
                socket.setTrafficClass(0x10);
                assertEquals(0x10, socket.getTrafficClass());
                socket.setSoTimeout(250);
                assertEquals(250, socket.getSoTimeout());
                assertThrows(IllegalArgumentException.class, () -> socket.setSoTimeout(-1));
                assertThrows(UnsupportedOperationException.class, () -> socket.setOption(StandardSocketOptions.SO_BROADCAST, true));
                socket.close();
                socket.close();
                SocketException closed = assertThrows(SocketException.class, () -> socket.setSoTimeout(1));
                assertEquals("Socket is closed", closed.getMessage());
            }
        }
    }

    @Test
    void aServerSocketsOptions() throws Exception {
        ServerSocket server = stacks.server.serverSocketFactory().createServerSocket(3002);
        assertEquals(Set.of(StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_RCVBUF), server.supportedOptions());
        assertTrue(server.getReuseAddress());
        server.setReuseAddress(false);
        assertFalse(server.getOption(StandardSocketOptions.SO_REUSEADDR));
        assertTrue(server.getReceiveBufferSize() > 0);
        server.setSoTimeout(100);
        assertEquals(100, server.getSoTimeout());
        assertThrows(UnsupportedOperationException.class, () -> server.setOption(StandardSocketOptions.TCP_NODELAY, true));
        server.close();
        server.close();
        assertTrue(server.isClosed());
        SocketException closed = assertThrows(SocketException.class, server::accept);
        assertEquals("Socket is closed", closed.getMessage());
    }
}
