package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Threads blocked in Spinet's sockets when the sockets stop ({@link SpinetSockets#stop}, which
 * {@code Spinet.close} and {@code spinet run}'s shutdown call) leave with a SocketException, as
 * java.net's do when their socket is closed under them ("Any thread currently blocked in an I/O
 * operation upon this socket will throw a SocketException"): never a park nobody ends. The stop
 * is put where it was lost: while the reader or writer waits by running the stack itself
 * ({@link StackLead}), after it published no park yet, so the stop's unpark finds nobody, and
 * while a lead waits for its condition. Virtual and platform threads alike.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketStopTest {

    private static final int PORT = 7;
    private static final long FAIL_WITHIN_SECONDS = 5;

    private final TwoStackSockets stacks = new TwoStackSockets();

    @AfterEach
    void tearDown() throws Exception {
        stacks.close();
    }

    /** A lead that stops the sockets (as another thread's stop that comes just then) and returns as led. */
    private final class StopDuringLead implements StackLead {
        volatile int leads;

        @Override
        public int lead(long maxNanos, BooleanSupplier until) {
            leads++;
            stacks.client.stop();
            return LED;
        }

        @Override
        public void wakeLeader() {
        }
    }

    /** A lead that waits until its condition holds (at most 20 s), as a lead on a quiet TAP. */
    private static final class LeadUntilReady implements StackLead {
        volatile Thread leading;

        @Override
        public int lead(long maxNanos, BooleanSupplier until) {
            leading = Thread.currentThread();
            long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!until.getAsBoolean() && System.nanoTime() - limit < 0) {
                Thread.onSpinWait();
            }
            leading = null;
            return LED;
        }

        @Override
        public void wakeLeader() {
        }
    }

    private interface Blocking {
        void run(Socket socket) throws Exception;
    }

    /** A connection from the client stack to a server socket on the other stack that never reads nor writes. */
    private Socket connected(ServerSocket server) throws IOException {
        Socket socket = stacks.client.socketFactory().createSocket();
        socket.connect(new InetSocketAddress(TwoStackSockets.serverAddress(), PORT), 5_000);
        server.accept(); // held open by the server socket's stack until the test ends
        return socket;
    }

    private static Thread start(boolean virtual, Runnable task) {
        return virtual ? Thread.ofVirtual().start(task) : Thread.ofPlatform().daemon().start(task);
    }

    /** Runs {@code blocking} on a thread of the given kind and returns what it threw, or fails after a bounded wait. */
    private static Throwable failureOf(boolean virtual, Socket socket, Blocking blocking, Runnable whileBlocked)
            throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        start(virtual, () -> {
            try {
                blocking.run(socket);
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        whileBlocked.run();
        try {
            return failure.get(FAIL_WITHIN_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the blocked call did not return within " + FAIL_WITHIN_SECONDS + " s of the stop", e);
        }
    }

    private static void assertStopped(Throwable thrown) {
        assertInstanceOf(SocketException.class, thrown, "the blocked call failed as java.net's does: " + thrown);
        assertTrue(thrown.getMessage().contains("Spinet is stopped"), thrown.getMessage());
    }

    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {true, false})
    void aReaderWhoseLeadSpansTheStopFails(boolean virtual) throws Exception {
        try (ServerSocket server = stacks.server.serverSocketFactory().createServerSocket(PORT)) {
            Socket socket = connected(server);
            StopDuringLead lead = new StopDuringLead();
            stacks.client.leadWith(lead);
            Throwable thrown = failureOf(virtual, socket, s -> s.getInputStream().read(), () -> {
            });
            assertEquals(1, lead.leads, "the reader led once, and the stop came during that lead");
            assertStopped(thrown);
        }
    }

    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {true, false})
    void aWriterWhoseLeadSpansTheStopFails(boolean virtual) throws Exception {
        try (ServerSocket server = stacks.server.serverSocketFactory().createServerSocket(PORT)) {
            Socket socket = connected(server);
            StopDuringLead lead = new StopDuringLead();
            stacks.client.leadWith(lead);
            Throwable thrown = failureOf(virtual, socket, s -> {
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 64; i++) { // 4 MB: far more than the rings and windows on the way hold
                    s.getOutputStream().write(chunk);
                }
            }, () -> {
            });
            assertEquals(1, lead.leads, "the writer led once, and the stop came during that lead");
            assertStopped(thrown);
        }
    }

    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {true, false})
    void aLeadEndsWhenTheSocketsStop(boolean virtual) throws Exception {
        try (ServerSocket server = stacks.server.serverSocketFactory().createServerSocket(PORT)) {
            Socket socket = connected(server);
            LeadUntilReady lead = new LeadUntilReady();
            stacks.client.leadWith(lead);
            Throwable thrown = failureOf(virtual, socket, s -> s.getInputStream().read(), () -> {
                long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (lead.leading == null && System.nanoTime() - limit < 0) {
                    Thread.onSpinWait();
                }
                assertTrue(lead.leading != null, "the reader leads");
                stacks.client.stop();
            });
            assertStopped(thrown);
        }
    }

    @ParameterizedTest(name = "virtual thread: {0}")
    @ValueSource(booleans = {true, false})
    void parkedReaderConnectAndAcceptFail(boolean virtual) throws Exception {
        try (ServerSocket server = stacks.server.serverSocketFactory().createServerSocket(PORT)) {
            Socket socket = connected(server);
            Socket connecting = stacks.client.socketFactory().createSocket();
            ServerSocket listening = stacks.client.serverSocketFactory().createServerSocket(PORT);
            CompletableFuture<Throwable> reading = blockIn(virtual, () -> socket.getInputStream().read());
            CompletableFuture<Throwable> connect = blockIn(virtual,
                    () -> connecting.connect(new InetSocketAddress(TwoStackSockets.silentAddress(), PORT)));
            CompletableFuture<Throwable> accept = blockIn(virtual, listening::accept);
            Thread.sleep(100); // each is parked by now, or about to: either way the stop must reach it
            stacks.client.stop();
            assertStopped(reading.get(FAIL_WITHIN_SECONDS, TimeUnit.SECONDS));
            assertStopped(connect.get(FAIL_WITHIN_SECONDS, TimeUnit.SECONDS));
            assertStopped(accept.get(FAIL_WITHIN_SECONDS, TimeUnit.SECONDS));
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static CompletableFuture<Throwable> blockIn(boolean virtual, Call call) {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        start(virtual, () -> {
            try {
                call.run();
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        });
        return failure;
    }
}
