package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A positive SO_LINGER makes {@code close()} wait, as the JDK's sockets on Linux do: the JDK
 * shuts the output down and closes the descriptor, and Linux's close (tcp_close,
 * sk_stream_wait_close) blocks until the FIN that follows the data is acknowledged or the linger
 * time has passed; after a timeout close returns normally and the connection goes on in the
 * background (no reset). Each scenario runs twice: with the JDK's own sockets on loopback (the
 * oracle: the kernel) and with Spinet's between two stacks on a virtual wire; both must agree.
 * The client writes more than the peer's receive window and socket buffers take, so the data can
 * only be acknowledged once the peer application reads, which it starts after a delay.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketLingerTest {

    /**
     * More than the server side takes unread (on Spinet a 4 KiB receive ring and a 16 KiB inbound
     * ring, four times it; 4 KiB asked of the kernel), less than the client side takes unsent (a
     * 64 KiB outbound ring and a 16 KiB send ring), so the write returns before the close.
     */
    private static final int BYTES = 60_000;
    private static final int LINGER_SECONDS = 1;

    /** Where the scenario runs: the kernel through the JDK's sockets, or Spinet. */
    private interface Sockets extends AutoCloseable {
        String name();

        ServerSocket listen() throws IOException;

        Socket connect(ServerSocket server) throws IOException;

        @Override
        void close() throws Exception;
    }

    private static Sockets kernel() {
        return new Sockets() {
            @Override
            public String name() {
                return "kernel";
            }

            @Override
            public ServerSocket listen() throws IOException {
                ServerSocket server = ServerSocketFactory.getDefault().createServerSocket();
                server.setReceiveBufferSize(4096);
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                return server;
            }

            @Override
            public Socket connect(ServerSocket server) throws IOException {
                return SocketFactory.getDefault().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
            }

            @Override
            public void close() {
            }
        };
    }

    private static Sockets spinet() {
        TwoStackSockets stacks = new TwoStackSockets(StackConfig.builder().tcpSecret(0x5EED).tcpConnections(16)
                .tcpBuffers(4 * 1024, 16 * 1024).build());
        return new Sockets() {
            @Override
            public String name() {
                return "Spinet";
            }

            @Override
            public ServerSocket listen() throws IOException {
                return stacks.server.serverSocketFactory().createServerSocket(7);
            }

            @Override
            public Socket connect(ServerSocket server) throws IOException {
                return stacks.client.socketFactory().createSocket(TwoStackSockets.serverAddress(), 7);
            }

            @Override
            public void close() throws Exception {
                stacks.close();
            }
        };
    }

    /** What one run saw. */
    private record Run(long closeNanos, long readStartedBeforeCloseReturned, int bytesRead, boolean endOfStream) {
    }

    /**
     * Connects, writes {@link #BYTES}, sets SO_LINGER and closes; the accepting side starts
     * reading {@code readAfterMillis} after the close began and reads to the end of the stream.
     */
    private static Run run(Sockets sockets, boolean virtual, long readAfterMillis) throws Exception {
        try (sockets; ServerSocket server = sockets.listen()) {
            Socket client = sockets.connect(server);
            Socket accepted = server.accept();
            CompletableFuture<Long> closeStarted = new CompletableFuture<>();
            CompletableFuture<Long> readStarted = new CompletableFuture<>();
            CompletableFuture<int[]> read = CompletableFuture.supplyAsync(() -> {
                try (accepted) {
                    long start = closeStarted.get(10, TimeUnit.SECONDS);
                    TimeUnit.NANOSECONDS.sleep(start + TimeUnit.MILLISECONDS.toNanos(readAfterMillis) - System.nanoTime());
                    readStarted.complete(System.nanoTime());
                    InputStream in = accepted.getInputStream();
                    byte[] buffer = new byte[8192];
                    int total = 0;
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        total += n;
                    }
                    return new int[] {total, n};
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            CompletableFuture<long[]> closing = new CompletableFuture<>();
            Runnable writeAndClose = () -> {
                try {
                    client.getOutputStream().write(new byte[BYTES]);
                    client.setSoLinger(true, LINGER_SECONDS);
                    long start = System.nanoTime();
                    closeStarted.complete(start);
                    client.close();
                    long end = System.nanoTime();
                    closing.complete(new long[] {start, end});
                } catch (Throwable t) {
                    closing.completeExceptionally(t);
                }
            };
            if (virtual) {
                Thread.ofVirtual().start(writeAndClose);
            } else {
                Thread.ofPlatform().daemon().start(writeAndClose);
            }
            long[] times = closing.get(20, TimeUnit.SECONDS);
            int[] result = read.get(20, TimeUnit.SECONDS);
            long readAt = readStarted.get();
            return new Run(times[1] - times[0], times[1] - readAt, result[0], result[1] == -1);
        }
    }

    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {true, false})
    void closeWaitsUntilThePeerHasTheData(boolean virtual) throws Exception {
        for (Sockets sockets : new Sockets[] {kernel(), spinet()}) {
            String who = sockets.name();
            Run run = run(sockets, virtual, 300);
            assertTrue(run.readStartedBeforeCloseReturned() > 0, who + ": close() returned only after the peer began to read"
                    + " (it took " + run.closeNanos() / 1_000_000 + " ms)");
            assertTrue(run.closeNanos() < TimeUnit.SECONDS.toNanos(LINGER_SECONDS),
                    who + ": close() returned once the data was acknowledged, before the linger time: "
                            + run.closeNanos() / 1_000_000 + " ms");
            assertEquals(BYTES, run.bytesRead(), who);
            assertTrue(run.endOfStream(), who + ": the stream ended with the FIN");
        }
    }

    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {true, false})
    void closeReturnsAfterTheLingerTimeAndTheDataStillArrives(boolean virtual) throws Exception {
        for (Sockets sockets : new Sockets[] {kernel(), spinet()}) {
            String who = sockets.name();
            Run run = run(sockets, virtual, 2_500);
            assertTrue(run.closeNanos() >= TimeUnit.SECONDS.toNanos(LINGER_SECONDS),
                    who + ": close() waited the linger time: " + run.closeNanos() / 1_000_000 + " ms");
            assertTrue(run.readStartedBeforeCloseReturned() < 0, who + ": close() returned before the peer read");
            assertEquals(BYTES, run.bytesRead(), who + ": the connection went on after close(), no reset");
            assertTrue(run.endOfStream(), who + ": the stream ended with the FIN");
        }
    }
}
