package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.testkit.Netns;
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
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Spinet's java.net sockets against the Linux kernel's TCP through a TAP in a network namespace:
 * a socket client and a socket server each move 20 MB each way byte-exact (SHA-256 on both
 * ends), and connect-refused, connect-timeout and reset give the exceptions the JDK's sockets
 * give for the same kernel behaviour. Application threads are virtual.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SocketKernelInteropTest {

    private static final int ECHO_PORT = 7007;
    private static final int RST_PORT = 7008;
    private static final int BULK_BYTES = 20_000_000;

    private static SpinetOnTap board;
    private static SocketFactory sockets;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeAll
    static void start() throws Exception {
        board = SpinetOnTap.start("skio", 1, new String[] {"python3"});
        sockets = board.spinet.socketFactory();
        board.background("listening", "python3", board.peers(), "echo-server", board.kernelIp, String.valueOf(ECHO_PORT));
        board.background("listening", "python3", board.peers(), "rst-server", board.kernelIp, String.valueOf(RST_PORT));
    }

    @AfterAll
    static void stop() throws Exception {
        if (board != null) {
            board.close();
        }
    }

    private InetAddress kernel() throws IOException {
        return InetAddress.getByName(board.kernelIp);
    }

    @Test
    void socketClientEchoes20MegabytesThroughTheKernel() throws Exception {
        byte[] data = new byte[BULK_BYTES];
        new Random(0x5EED).nextBytes(data);
        try (Socket socket = sockets.createSocket(kernel(), ECHO_PORT)) {
            CompletableFuture<byte[]> back = CompletableFuture.supplyAsync(() -> {
                try {
                    return socket.getInputStream().readAllBytes();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int offset = 0; offset < data.length; offset += 50_000) {
                        out.write(data, offset, Math.min(50_000, data.length - offset));
                    }
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            long ledBefore = board.spinet.sockets().readsLed();
            sent.get(120, TimeUnit.SECONDS);
            byte[] received = back.get(120, TimeUnit.SECONDS);
            assertEquals(data.length, received.length);
            assertArrayEquals(sha256(data), sha256(received), "the echo is byte-exact");
            // On a TAP a reader that finds no data waits by running the stack itself (StackLead).
            assertTrue(board.spinet.sockets().readsLed() > ledBefore, "reads that led the stack");
        }
    }

    @Test
    void socketServerEchoes20MegabytesForAKernelClient() throws Exception {
        try (ServerSocket server = board.spinet.serverSocketFactory().createServerSocket(7009)) {
            CompletableFuture<Void> echo = CompletableFuture.runAsync(() -> {
                try (Socket accepted = server.accept()) {
                    InputStream in = accepted.getInputStream();
                    OutputStream out = accepted.getOutputStream();
                    byte[] buffer = new byte[32 * 1024];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        out.write(buffer, 0, n);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, threads);
            Netns.Result result = board.netns.exec(180, "python3", board.peers(), "echo-client", board.boardIp, "7009",
                    String.valueOf(BULK_BYTES), "7");
            // The kernel client compares every byte that came back with what it sent.
            assertTrue(result.status() == 0 && result.output().startsWith("echo-client-ok " + BULK_BYTES),
                    "kernel echo client: " + result.output());
            echo.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void connectToAClosedKernelPortIsRefused() throws Exception {
        ConnectException refused = assertThrows(ConnectException.class, () -> sockets.createSocket(kernel(), 7010));
        assertEquals("Connection refused", refused.getMessage());
    }

    @Test
    void connectToASilentAddressTimesOut() throws Exception {
        Socket socket = sockets.createSocket();
        SocketTimeoutException timeout = assertThrows(SocketTimeoutException.class,
                () -> socket.connect(new InetSocketAddress(InetAddress.getByName("10.83.1.9"), 80), 500));
        assertEquals("Connect timed out", timeout.getMessage());
        assertTrue(socket.isClosed());
    }

    @Test
    void aKernelResetIsConnectionReset() throws Exception {
        try (Socket socket = sockets.createSocket(kernel(), RST_PORT)) {
            socket.getOutputStream().write(1);
            socket.setSoTimeout(10_000);
            SocketException reset = assertThrows(SocketException.class, () -> socket.getInputStream().read());
            assertEquals("Connection reset", reset.getMessage());
        }
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
