package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TcpCounter;
import dev.spinet.testkit.AllocationAssert;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stack side of the sockets allocates nothing: this thread is the stack thread of a server
 * whose echo runs on java.net sockets in a virtual thread (accept, read, write: the application
 * side, which may allocate as java.io does) and of a client on the handler API. Each measured
 * iteration is a whole 64-byte round trip: the client's segment, the bridge moving it into the
 * socket's inbound ring and waking the reader through the waker thread, the echo thread's write
 * coming back through the command queue and the outbound ring, the segments out and the ACKs.
 * The allocation counter of this thread must not move (and again with escape analysis off).
 */
@Tag("allocation")
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SocketEchoAllocationTest {

    private static final int CLIENT_IP = 0x0A_54_00_01;
    private static final int SERVER_IP = 0x0A_54_00_02;
    private static final int PORT = 7;
    private static final int SIZE = 64;
    private static final long ROUND_TRIP_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    @Test
    void socketEchoRoundTripsAllocateNothingOnTheStackThread() throws Exception {
        VirtualWire wire = new VirtualWire(NanoClock.SYSTEM);
        StackConfig base = StackConfig.builder().tcpSecret(0x5EED).tcpConnections(4).tcpBuffers(16 * 1024, 16 * 1024).build();
        Stack clientStack = new Stack(base.toBuilder().ipAddress(CLIENT_IP, 24).build(), wire.connect("client", 0x02_00_00_00_54_01L));
        Stack serverStack = new Stack(base.toBuilder().ipAddress(SERVER_IP, 24).build(), wire.connect("server", 0x02_00_00_00_54_02L));
        SpinetSockets sockets = SpinetSockets.over(serverStack);
        // This thread never idles; the echo thread's requests are picked up by the next poll.
        Thread echo = Thread.ofVirtual().name("socket-echo").unstarted(() -> serveEcho(sockets));
        try {
            echo.start();
            EchoClient client = new EchoClient(clientStack.tcp());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            // The listener exists once the echo thread's bind has been served.
            while (serverStack.tcp().listenersInUse() == 0 && System.nanoTime() < deadline) {
                pollBoth(sockets, clientStack);
            }
            client.handle = clientStack.tcp().connect(SERVER_IP, PORT, client);
            while (!client.connected && System.nanoTime() < deadline) {
                pollBoth(sockets, clientStack);
            }
            client.request[0] = 1;
            Runnable roundTrip = () -> {
                client.received = 0;
                client.request[1]++;
                if (clientStack.tcp().write(client.handle, client.request, 0, SIZE) != SIZE) {
                    throw new AssertionError("the client's send ring refused 64 bytes");
                }
                long limit = System.nanoTime() + ROUND_TRIP_LIMIT_NANOS;
                while (client.received < SIZE) {
                    pollBoth(sockets, clientStack);
                    if (System.nanoTime() - limit > 0) {
                        throw new AssertionError("the echo did not come back within 5 s");
                    }
                }
                if (client.reply[1] != client.request[1]) {
                    throw new AssertionError("the echo came back changed");
                }
            };
            AllocationAssert.assertZeroAllocation("socket echo round trip (stack thread)", 5_000, 1_000, 5, roundTrip);
            assertEquals(0, sockets.counters().get(SocketCounter.INTERNAL_ERROR));
            assertNull(sockets.lastInternalError());
            assertEquals(0, serverStack.tcp().counters().get(TcpCounter.INTERNAL_ERROR));
            assertEquals(0, serverStack.tcp().counters().get(TcpCounter.HANDLER_ERROR));
        } finally {
            echo.interrupt();
            sockets.stop();
        }
    }

    /**
     * The same for a reader that leads ({@link StackLead}): this thread is the socket's reader
     * and runs the stack's duty cycle itself while it waits ({@code StackAgent.lead}), so the
     * stack's work for each 64-byte segment (TCP input, the bridge filling the socket's ring) is
     * done here; the client's stack is polled as this reader's "wait for a frame". Each measured
     * iteration: the client sends 64 bytes, the reader leads until they are in its ring and takes
     * them out. Its allocation counter must not move.
     */
    @Test
    void aReaderThatLeadsAllocatesNothingWhileItRunsTheStack() throws Exception {
        VirtualWire wire = new VirtualWire(NanoClock.SYSTEM);
        StackConfig base = StackConfig.builder().tcpSecret(0x5EED).tcpConnections(4).tcpBuffers(16 * 1024, 16 * 1024).build();
        Stack clientStack = new Stack(base.toBuilder().ipAddress(CLIENT_IP, 24).build(), wire.connect("client", 0x02_00_00_00_54_01L));
        dev.spinet.hal.eth.FrameDevice serverPort = wire.connect("server", 0x02_00_00_00_54_02L);
        Stack serverStack = new Stack(base.toBuilder().ipAddress(SERVER_IP, 24).build(), serverPort);
        SpinetSockets sockets = SpinetSockets.over(serverStack);
        dev.spinet.app.StackAgent agent = new dev.spinet.app.StackAgent(sockets.dutyCycle(), dev.spinet.app.OpenedHal.Pump.NONE,
                serverPort, NanoClock.SYSTEM, null, sockets.idleGate());
        // As on a TAP: the leader's cycles, and a leased writer's one cycle, take one frame each.
        agent.limitLeadersWith(serverStack.iface()::receiveBudget);
        java.util.function.LongPredicate pollClient = nanos -> {
            clientStack.poll(System.nanoTime());
            return true;
        };
        sockets.leadWith(new StackLead() {
            @Override
            public int lead(long maxNanos, java.util.function.BooleanSupplier until) {
                return agent.lead(maxNanos, until, pollClient, () -> false);
            }

            @Override
            public void wakeLeader() {
            }
        });
        java.util.concurrent.atomic.AtomicReference<Socket> accepted = new java.util.concurrent.atomic.AtomicReference<>();
        Thread acceptor = Thread.ofVirtual().start(() -> {
            try (ServerSocket server = sockets.serverSocketFactory().createServerSocket(PORT)) {
                accepted.set(server.accept());
            } catch (IOException e) {
                // the test reports the missing connection
            }
        });
        try {
            EchoClient client = new EchoClient(clientStack.tcp());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (serverStack.tcp().listenersInUse() == 0 && System.nanoTime() < deadline) {
                pollBoth(sockets, clientStack);
            }
            client.handle = clientStack.tcp().connect(SERVER_IP, PORT, client);
            while ((!client.connected || accepted.get() == null) && System.nanoTime() < deadline) {
                pollBoth(sockets, clientStack);
            }
            SocketBridge bridge = sockets.bridge();
            ConnectionSlot slot = null;
            for (int i = 0; i < base.tcpConnections; i++) {
                if (bridge.socket(i).phase == ConnectionSlot.OPEN) {
                    slot = bridge.socket(i);
                }
            }
            ConnectionSlot reader = java.util.Objects.requireNonNull(slot, "the accepted socket's slot");
            byte[] received = new byte[SIZE];
            Runnable segment = () -> {
                client.request[1]++;
                if (clientStack.tcp().write(client.handle, client.request, 0, SIZE) != SIZE) {
                    throw new AssertionError("the client's send ring refused 64 bytes");
                }
                int got = 0;
                long limit = System.nanoTime() + ROUND_TRIP_LIMIT_NANOS;
                while (got < SIZE) {
                    if (!bridge.leadUntilReadable(reader, ROUND_TRIP_LIMIT_NANOS)) {
                        throw new AssertionError("the reader was not let lead");
                    }
                    got += reader.inbound.read(received, got, SIZE - got);
                    if (System.nanoTime() - limit > 0) {
                        throw new AssertionError("the segment did not arrive within 5 s");
                    }
                }
                if (received[1] != client.request[1]) {
                    throw new AssertionError("the data arrived changed");
                }
            };
            long ledBefore = sockets.readsLed();
            AllocationAssert.assertZeroAllocation("64-byte segment to a reader that leads", 5_000, 1_000, 5, segment);
            assertTrue(sockets.readsLed() - ledBefore >= 6_000, "every read led: " + (sockets.readsLed() - ledBefore));

            // The one cycle of one frame a leased write runs (StackAgent.runOneLeasedCycle), here
            // bringing the client's segment into the reader's ring.
            Runnable leasedCycle = () -> {
                client.request[1]++;
                if (clientStack.tcp().write(client.handle, client.request, 0, SIZE) != SIZE) {
                    throw new AssertionError("the client's send ring refused 64 bytes");
                }
                clientStack.poll(System.nanoTime());
                int got = 0;
                long limit = System.nanoTime() + ROUND_TRIP_LIMIT_NANOS;
                while (got < SIZE) {
                    agent.runOneLeasedCycle();
                    clientStack.poll(System.nanoTime());
                    got += reader.inbound.read(received, got, SIZE - got);
                    if (System.nanoTime() - limit > 0) {
                        throw new AssertionError("the segment did not arrive within 5 s");
                    }
                }
                if (received[1] != client.request[1]) {
                    throw new AssertionError("the data arrived changed");
                }
            };
            AllocationAssert.assertZeroAllocation("a leased write's one cycle", 5_000, 1_000, 5, leasedCycle);
            assertEquals(0, sockets.counters().get(SocketCounter.INTERNAL_ERROR));
            assertNull(sockets.lastInternalError());
            assertEquals(0, serverStack.tcp().counters().get(TcpCounter.INTERNAL_ERROR));
        } finally {
            acceptor.interrupt();
            sockets.stop();
        }
    }

    private static void pollBoth(SpinetSockets sockets, Stack clientStack) {
        long now = System.nanoTime();
        sockets.dutyCycle().poll(now);
        clientStack.poll(now);
    }

    private static void serveEcho(SpinetSockets sockets) {
        try (ServerSocket server = sockets.serverSocketFactory().createServerSocket(PORT);
             Socket socket = server.accept()) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // The test ended (Spinet stopped) or failed; the round trip reports which.
        }
    }

    /** A handler-API client with fixed arrays, so it can sit inside the measured loop. */
    private static final class EchoClient implements TcpHandler {
        final TcpLayer tcp;
        final byte[] request = new byte[SIZE];
        final byte[] reply = new byte[SIZE];
        int handle;
        int received;
        boolean connected;

        EchoClient(TcpLayer tcp) {
            this.tcp = tcp;
        }

        @Override
        public void onConnected(int connection) {
            connected = true;
            tcp.setNoDelay(connection, true);
        }

        @Override
        public void onReadable(int connection) {
            int n;
            while (received < SIZE && (n = tcp.read(connection, reply, received, SIZE - received)) > 0) {
                received += n;
            }
        }

        @Override
        public void onClosed(int connection, CloseReason reason) {
            connected = false;
        }
    }
}
