package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * java.net behaviour of Spinet's sockets, Spinet to Spinet on a virtual wire in real time: the
 * exceptions and messages the JDK's own sockets give (ConnectException "Connection refused",
 * SocketTimeoutException, SocketException "Connection reset"), half-close, available(),
 * SO_LINGER 0 as abort, the IPv6 refusal, server sockets on port 0. Threads are virtual.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketSemanticsTest {

    private final TwoStackSockets stacks = new TwoStackSockets();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void tearDown() throws Exception {
        threads.shutdownNow();
        stacks.close();
    }

    private ServerSocket listen(int port) throws IOException {
        return stacks.server.serverSocketFactory().createServerSocket(port);
    }

    private Socket connect(int port) throws IOException {
        Socket socket = stacks.client.socketFactory().createSocket();
        socket.connect(new InetSocketAddress(TwoStackSockets.serverAddress(), port), 5_000);
        return socket;
    }

    @Test
    void echoesThroughAcceptedSocket() throws Exception {
        try (ServerSocket server = listen(7)) {
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
                try (Socket accepted = server.accept()) {
                    accepted.getInputStream().transferTo(accepted.getOutputStream());
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            try (Socket socket = connect(7)) {
                assertTrue(socket.isConnected());
                assertEquals(7, socket.getPort());
                assertEquals(TwoStackSockets.serverAddress(), socket.getInetAddress());
                assertTrue(socket.getLocalPort() >= 49152, "ephemeral local port " + socket.getLocalPort());
                byte[] data = new byte[200_000];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (byte) (i * 31 + 7);
                }
                CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                    try {
                        return socket.getInputStream().readAllBytes();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }, threads);
                socket.getOutputStream().write(data);
                socket.shutdownOutput();
                assertArrayEquals(data, back.get(30, TimeUnit.SECONDS));
            }
            echo.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void halfCloseLetsThePeerReplyAfterEndOfStream() throws Exception {
        try (ServerSocket server = listen(2000)) {
            CompletableFuture<String> serverSide = CompletableFuture.supplyAsync(() -> {
                try (Socket accepted = server.accept()) {
                    String request = new String(accepted.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                    accepted.getOutputStream().write(("got " + request).getBytes(StandardCharsets.US_ASCII));
                    return request;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            try (Socket socket = connect(2000)) {
                socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                socket.shutdownOutput();
                assertTrue(socket.isOutputShutdown());
                assertThrows(SocketException.class, () -> socket.getOutputStream().write(1));
                String reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertEquals("got ping", reply);
                assertEquals(-1, socket.getInputStream().read());
            }
            assertEquals("ping", serverSide.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void availableCountsBufferedBytes() throws Exception {
        try (ServerSocket server = listen(2001)) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            try (Socket socket = connect(2001); Socket peer = accepted.get(10, TimeUnit.SECONDS)) {
                assertEquals(0, socket.getInputStream().available());
                peer.getOutputStream().write(new byte[1000]);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (socket.getInputStream().available() < 1000 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertEquals(1000, socket.getInputStream().available());
                assertEquals(1000, socket.getInputStream().readNBytes(1000).length);
                assertEquals(0, socket.getInputStream().available());
            }
        }
    }

    @Test
    void connectToAPortNobodyListensOnIsRefused() throws Exception {
        Socket socket = stacks.client.socketFactory().createSocket();
        ConnectException refused = assertThrows(ConnectException.class,
                () -> socket.connect(new InetSocketAddress(TwoStackSockets.serverAddress(), 4444), 5_000));
        assertEquals("Connection refused", refused.getMessage());
        assertTrue(socket.isClosed(), "java.net closes a socket whose connect failed");
        assertThrows(ConnectException.class, () -> stacks.client.socketFactory().createSocket(TwoStackSockets.serverAddress(), 4444));
    }

    @Test
    void connectTimeoutWhenNobodyAnswers() throws Exception {
        Socket socket = stacks.client.socketFactory().createSocket();
        long start = System.nanoTime();
        SocketTimeoutException timeout = assertThrows(SocketTimeoutException.class,
                () -> socket.connect(new InetSocketAddress(TwoStackSockets.silentAddress(), 80), 300));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("Connect timed out", timeout.getMessage());
        assertTrue(millis >= 290 && millis < 5_000, "timed out after " + millis + " ms");
        assertTrue(socket.isClosed());
        awaitFreeSockets(stacks.client, stacks.client.config().sockets());
    }

    @Test
    void readTimeoutThenDataStillArrives() throws Exception {
        try (ServerSocket server = listen(2002)) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            try (Socket socket = connect(2002); Socket peer = accepted.get(10, TimeUnit.SECONDS)) {
                socket.setSoTimeout(200);
                assertEquals(200, socket.getSoTimeout());
                SocketTimeoutException timeout = assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
                assertEquals("Read timed out", timeout.getMessage());
                assertFalse(socket.isClosed(), "a read timeout leaves the socket usable, as in java.net");
                peer.getOutputStream().write(42);
                assertEquals(42, socket.getInputStream().read());
            }
        }
    }

    @Test
    void lingerZeroCloseResetsThePeer() throws Exception {
        try (ServerSocket server = listen(2003)) {
            CompletableFuture<Void> aborter = CompletableFuture.runAsync(() -> {
                try {
                    Socket accepted = server.accept();
                    accepted.getInputStream().read();
                    accepted.setSoLinger(true, 0);
                    assertEquals(0, accepted.getSoLinger());
                    accepted.close();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            try (Socket socket = connect(2003)) {
                socket.getOutputStream().write(1);
                SocketException reset = assertThrows(SocketException.class, () -> socket.getInputStream().read());
                assertEquals("Connection reset", reset.getMessage());
                // As with the JDK's sockets, writing to a reset connection fails too.
                assertThrows(SocketException.class, () -> socket.getOutputStream().write(new byte[10]));
            }
            aborter.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void closeFromAnotherThreadEndsABlockedRead() throws Exception {
        try (ServerSocket server = listen(2004)) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            Socket socket = connect(2004);
            try (Socket peer = accepted.get(10, TimeUnit.SECONDS)) {
                CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
                    try {
                        socket.getInputStream().read();
                        return null;
                    } catch (IOException e) {
                        return e;
                    }
                }, threads);
                Thread.sleep(100);
                socket.close();
                Throwable failure = blocked.get(10, TimeUnit.SECONDS);
                assertInstanceOf(SocketException.class, failure);
                assertEquals("Socket closed", failure.getMessage());
                assertEquals(-1, peer.getInputStream().read(), "the peer sees our FIN");
            }
        }
    }

    @Test
    void acceptTimesOut() throws Exception {
        try (ServerSocket server = listen(0)) {
            assertTrue(server.getLocalPort() >= 49152, "port 0 picks a dynamic port, got " + server.getLocalPort());
            server.setSoTimeout(150);
            SocketTimeoutException timeout = assertThrows(SocketTimeoutException.class, server::accept);
            assertEquals("Accept timed out", timeout.getMessage());
        }
    }

    @Test
    void secondListenerOnAPortIsAddressInUse() throws Exception {
        try (ServerSocket first = listen(2005)) {
            java.net.BindException inUse = assertThrows(java.net.BindException.class, () -> listen(2005));
            assertEquals("Address already in use", inUse.getMessage());
            assertTrue(first.isBound());
        }
        try (ServerSocket again = listen(2005)) {
            assertEquals(2005, again.getLocalPort());
        }
    }

    @Test
    void ipv6IsRefusedInOneLine() throws Exception {
        Socket socket = stacks.client.socketFactory().createSocket();
        SocketException refused = assertThrows(SocketException.class,
                () -> socket.connect(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 80)));
        assertTrue(refused.getMessage().startsWith("IPv6 is not supported yet"), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"));
        ServerSocket server = stacks.server.serverSocketFactory().createServerSocket();
        SocketException bind = assertThrows(SocketException.class, () -> server.bind(new InetSocketAddress(InetAddress.getByName("::1"), 80)));
        assertTrue(bind.getMessage().startsWith("IPv6 is not supported yet"), bind.getMessage());
    }

    @Test
    void namesGoThroughTheResolverHook() throws Exception {
        UnknownHostException numericOnly = assertThrows(UnknownHostException.class,
                () -> stacks.client.socketFactory().createSocket("echo.test", 7));
        assertTrue(numericOnly.getMessage().contains("address literals only"), numericOnly.getMessage());
        stacks.client.resolveNamesWith(host -> {
            if (host.equals("echo.test")) {
                return List.of(TwoStackSockets.serverAddress());
            }
            throw new UnknownHostException(host);
        });
        try (ServerSocket server = listen(2006)) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            try (Socket socket = stacks.client.socketFactory().createSocket("echo.test", 2006);
                 Socket ignored = accepted.get(10, TimeUnit.SECONDS)) {
                assertEquals(TwoStackSockets.serverAddress(), socket.getInetAddress());
            }
            // An unresolved InetSocketAddress handed to connect goes through the hook too.
            CompletableFuture<Socket> acceptedAgain = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            try (Socket socket = stacks.client.socketFactory().createSocket()) {
                socket.connect(InetSocketAddress.createUnresolved("echo.test", 2006), 5_000);
                assertTrue(socket.isConnected());
                acceptedAgain.get(10, TimeUnit.SECONDS).close();
            }
        }
    }

    @Test
    void optionsReachTheConnectionAndReadBack() throws Exception {
        try (ServerSocket server = listen(2007)) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.accept();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            try (Socket socket = connect(2007); Socket ignored = accepted.get(10, TimeUnit.SECONDS)) {
                socket.setTcpNoDelay(true);
                socket.setKeepAlive(true);
                assertTrue(socket.getTcpNoDelay());
                assertTrue(socket.getKeepAlive());
                assertEquals(-1, socket.getSoLinger());
                assertEquals(TwoStackSockets.CLIENT_IP, Addresses.ipv4(socket.getLocalAddress(), "test"));
                assertTrue(socket.getReceiveBufferSize() > 0);
            }
        }
    }

    @Test
    void socketsGoBackToThePoolAfterClose() throws Exception {
        int all = stacks.client.config().sockets();
        try (ServerSocket server = listen(2008)) {
            for (int round = 0; round < 3 * all; round++) {
                CompletableFuture<Void> serverSide = CompletableFuture.runAsync(() -> {
                    try (Socket accepted = server.accept(); InputStream in = accepted.getInputStream()) {
                        in.transferTo(OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }, threads);
                try (Socket socket = connect(2008)) {
                    socket.getOutputStream().write(new byte[100]);
                }
                serverSide.get(10, TimeUnit.SECONDS);
            }
        }
        awaitFreeSockets(stacks.client, all);
        awaitFreeSockets(stacks.server, stacks.server.config().sockets());
    }

    private static void awaitFreeSockets(SpinetSockets sockets, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (sockets.freeSockets() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, sockets.freeSockets(), "every socket slot back in the pool");
    }
}
