package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A thousand virtual threads, each with its own Spinet socket, all connected to a kernel echo
 * server at the same time (a latch holds every one open until all are), each echoing its own
 * 1 KiB, through a stack configured for them ({@code --connections 1024 --buffer-bytes 4096}).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ThousandSocketsTest {

    private static final int CONNECTIONS = 1000;
    private static final int ECHO_PORT = 7007;
    private static final int MESSAGE = 1024;

    @Test
    void aThousandConcurrentSocketsOnVirtualThreads() throws Exception {
        try (SpinetOnTap board = SpinetOnTap.start("sk1k", 2, new String[] {"python3"},
                "--connections", "1024", "--buffer-bytes", "4096")) {
            board.background("listening", "python3", board.peers(), "echo-server", board.kernelIp, String.valueOf(ECHO_PORT));
            SocketFactory sockets = board.spinet.socketFactory();
            InetAddress kernel = InetAddress.getByName(board.kernelIp);
            assertEquals(1024, board.spinet.sockets().config().sockets());
            // One connection first, so the kernel's MAC is in the neighbor cache before the rush.
            try (Socket first = sockets.createSocket(kernel, ECHO_PORT)) {
                first.getOutputStream().write(1);
                assertEquals(1, first.getInputStream().read());
            }
            CountDownLatch allOpen = new CountDownLatch(CONNECTIONS);
            AtomicInteger open = new AtomicInteger();
            AtomicInteger mostOpen = new AtomicInteger();
            List<Future<?>> done = new ArrayList<>();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < CONNECTIONS; i++) {
                    int id = i;
                    done.add(threads.submit(() -> {
                        try (Socket socket = sockets.createSocket()) {
                            socket.connect(new InetSocketAddress(kernel, ECHO_PORT), 30_000);
                            mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                            allOpen.countDown();
                            if (!allOpen.await(120, TimeUnit.SECONDS)) {
                                throw new AssertionError("not every connection opened");
                            }
                            byte[] message = new byte[MESSAGE];
                            for (int b = 0; b < MESSAGE; b++) {
                                message[b] = (byte) (id * 7 + b);
                            }
                            socket.setSoTimeout(60_000);
                            OutputStream out = socket.getOutputStream();
                            InputStream in = socket.getInputStream();
                            out.write(message);
                            assertArrayEquals(message, in.readNBytes(MESSAGE), "connection " + id);
                            open.decrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> future : done) {
                    future.get(240, TimeUnit.SECONDS);
                }
            }
            assertEquals(CONNECTIONS, mostOpen.get(), "all connections were open at once");
            assertEquals(0, board.spinet.sockets().counters().get(SocketCounter.INTERNAL_ERROR));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (board.spinet.sockets().freeSockets() < 1024 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1024, board.spinet.sockets().freeSockets(), "every socket slot back after close");
            assertTrue(board.spinet.sockets().counters().get(SocketCounter.CONNECTS) >= CONNECTIONS + 1);
        }
    }
}
