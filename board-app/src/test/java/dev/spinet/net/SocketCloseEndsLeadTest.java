package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A reader or writer that waits by running the stack itself ({@link StackLead}: it waits in an
 * {@code epoll_wait(2)} on the TAP, not in a park) leaves at once when another thread closes the
 * socket, as a parked one does. Oracle: java.net.Socket.close, "Any thread currently blocked in
 * an I/O operation upon this socket will throw a SocketException". Over a TAP in a namespace of
 * its own, with leads of 100 ms (the longest {@link SocketConfig} takes), against a kernel server
 * that accepts and never reads nor sends: a writer fills its rings and leads for room, a reader
 * leads for data; the test closes the socket as soon as it sees the thread lead. A close that
 * waited for the lead to run out would take about 100 ms; the call must fail well within half of
 * that.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SocketCloseEndsLeadTest {

    private static final int PORT = 7047;
    private static final long LEAD_MICROS = 100_000;
    private static final long FAIL_WITHIN_NANOS = TimeUnit.MICROSECONDS.toNanos(LEAD_MICROS) / 2;

    /** Accepts and holds connections, never reading (a small receive buffer, so a writer blocks soon). */
    private static final String SILENT_SERVER = String.join("\n",
            "import socket, sys",
            "s = socket.socket()",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)",
            "s.bind((sys.argv[1], int(sys.argv[2])))",
            "s.listen(8)",
            "print('listening', flush=True)",
            "held = []",
            "while True:",
            "    c, _ = s.accept()",
            "    held.append(c)");

    @Test
    void closeEndsTheLeadOfABlockedWriterAndOfABlockedReader() throws Exception {
        String before = System.getProperty(StackLead.PROPERTY);
        System.setProperty(StackLead.PROPERTY, String.valueOf(LEAD_MICROS));
        try (SpinetOnTap board = SpinetOnTap.start("sklrc", 47, new String[] {"python3"})) {
            board.background("listening", "python3", "-c", SILENT_SERVER, board.kernelIp, String.valueOf(PORT));
            InetAddress kernel = InetAddress.getByName(board.kernelIp);
            SocketBridge bridge = board.spinet.sockets().bridge();

            Socket writing = board.spinet.socketFactory().createSocket(kernel, PORT);
            long writesLedBefore = bridge.writesLed();
            closeWhileLeading(bridge, writing, slot -> slot.writeLeader, socket -> {
                OutputStream out = socket.getOutputStream();
                byte[] chunk = new byte[64 * 1024];
                while (true) {
                    out.write(chunk);
                }
            });
            assertTrue(bridge.writesLed() > writesLedBefore, "the writer led");

            Socket reading = board.spinet.socketFactory().createSocket(kernel, PORT);
            long readsLedBefore = bridge.readsLed();
            closeWhileLeading(bridge, reading, slot -> slot.leader, socket -> {
                InputStream in = socket.getInputStream();
                while (true) {
                    if (in.read(new byte[1024]) < 0) {
                        return;
                    }
                }
            });
            assertTrue(bridge.readsLed() > readsLedBefore, "the reader led");
        } finally {
            if (before == null) {
                System.clearProperty(StackLead.PROPERTY);
            } else {
                System.setProperty(StackLead.PROPERTY, before);
            }
        }
    }

    private interface Blocking {
        void run(Socket socket) throws Exception;
    }

    /**
     * Runs {@code blocking} on a virtual thread, closes {@code socket} from this thread as soon as
     * a slot's {@code leading} field names that thread, and checks the call failed with a
     * SocketException within {@link #FAIL_WITHIN_NANOS} of the close.
     */
    private static void closeWhileLeading(SocketBridge bridge, Socket socket, Function<ConnectionSlot, Thread> leading,
                                          Blocking blocking) throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        CompletableFuture<Long> failedAt = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().start(() -> {
            try {
                blocking.run(socket);
                failure.complete(null);
            } catch (Throwable t) {
                failedAt.complete(System.nanoTime());
                failure.complete(t);
            }
        });
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        boolean led = false;
        while (!led && System.nanoTime() - limit < 0 && !failure.isDone()) {
            for (int i = 0; i < bridge.config().sockets() && !led; i++) {
                led = leading.apply(bridge.socket(i)) == thread;
            }
            Thread.onSpinWait();
        }
        assertTrue(led, "the blocked call led (" + failure.getNow(null) + ")");
        long closing = System.nanoTime();
        socket.close();
        Throwable thrown = failure.get(10, TimeUnit.SECONDS);
        assertInstanceOf(SocketException.class, thrown, "the blocked call failed as java.net's does");
        long took = failedAt.get() - closing;
        assertTrue(took < FAIL_WITHIN_NANOS, "the blocked call failed " + took / 1_000 + " µs after close(), its lead was "
                + LEAD_MICROS + " µs");
    }
}
