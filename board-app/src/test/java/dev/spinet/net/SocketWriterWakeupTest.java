package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig;
import dev.spinet.hal.clock.NanoClock;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A writer whose outbound ring is full is woken once half the ring is free, not at every ACK
 * that frees a little of the TCP send ring: each wake-up of a virtual thread is two thread
 * hand-overs (ThreadWaker), so a writer woken per ACK refilled a few KiB per hand-over and, in a
 * bulk transfer, the stack thread's TCP send ring ran empty while it was being woken
 * (docs/applications.md "Bulk transfers through the rings"). The sockets' writer is a platform
 * thread that streams 1 KiB writes; the peer is a handler-API client on a second stack that reads
 * only as much as the test says; this thread polls both stacks, so it decides when ACKs free room.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SocketWriterWakeupTest {

    private static final int CLIENT_IP = 0x0A_55_00_01;
    private static final int SERVER_IP = 0x0A_55_00_02;
    private static final int PORT = 19;
    private static final int CHUNK = 1024;
    private static final int TOTAL = 1 << 20;
    private static final long STEP_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(20);
    /** How long the writer gets to refill after the peer freed less than half the ring. */
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    @Test
    void aWriterIsWokenWhenHalfItsRingIsFreeAndNotBefore() throws Exception {
        VirtualWire wire = new VirtualWire(NanoClock.SYSTEM);
        StackConfig base = StackConfig.builder().tcpSecret(0x5EED).tcpConnections(4).tcpBuffers(16 * 1024, 16 * 1024).build();
        Stack clientStack = new Stack(base.toBuilder().ipAddress(CLIENT_IP, 24).build(), wire.connect("client", 0x02_00_00_00_55_01L));
        Stack serverStack = new Stack(base.toBuilder().ipAddress(SERVER_IP, 24).build(), wire.connect("server", 0x02_00_00_00_55_02L));
        SpinetSockets sockets = SpinetSockets.over(serverStack);
        AtomicLong written = new AtomicLong();
        Thread writer = Thread.ofPlatform().name("socket-writer").daemon().start(() -> stream(sockets, written));
        try {
            SlowReader client = new SlowReader(clientStack.tcp());
            awaitPolling(sockets, clientStack, () -> serverStack.tcp().listenersInUse() > 0, "the server socket listens");
            client.handle = clientStack.tcp().connect(SERVER_IP, PORT, client);
            ConnectionSlot slot = awaitOpenSlot(sockets, clientStack);
            SpscByteRing out = slot.outbound;
            assertEquals(SocketConfig.OUTBOUND_RING_PER_SEND_RING * base.tcpSendBufferBytes, out.capacity(),
                    "the outbound ring is the default multiple of the send ring");

            // The peer reads nothing: its window closes, the TCP send ring fills, then the outbound ring.
            awaitPolling(sockets, clientStack, () -> clientStack.tcp().available(client.handle) == base.tcpReceiveBufferBytes
                    && serverStack.tcp().writable(slot.handle) == 0 && out.free() == 0 && slot.writer != null,
                    "the peer's window closed, both send rings full, the writer waiting");
            long writtenWhenFull = written.get();

            // An eighth of the ring read by the peer, acknowledged, and moved into the TCP send ring:
            // less than half is free, so the writer stays parked and the room stays free.
            client.allow(out.capacity() / 8);
            awaitPolling(sockets, clientStack, () -> clientStack.tcp().available(client.handle) == base.tcpReceiveBufferBytes
                    && serverStack.tcp().writable(slot.handle) == 0, "the eighth is sent and acknowledged");
            long settle = System.nanoTime() + SETTLE_NANOS;
            while (System.nanoTime() - settle < 0) {
                pollBoth(sockets, clientStack);
            }
            assertEquals(writtenWhenFull, written.get(), "the writer was woken with less than half its ring free");
            assertTrue(out.free() >= out.capacity() / 8 && out.free() < out.capacity() / 2,
                    "the room stays free until half is: " + out.free() + " of " + out.capacity());

            // The peer reads on: once half the ring is free the writer refills it, and the stream completes.
            client.allow(TOTAL);
            awaitPolling(sockets, clientStack, () -> written.get() > writtenWhenFull, "the writer is woken at half the ring");
            awaitPolling(sockets, clientStack, () -> client.received == TOTAL, "every byte arrives");
            assertEquals(TOTAL, written.get());
            assertEquals(0, sockets.counters().get(SocketCounter.INTERNAL_ERROR));
            assertNull(sockets.lastInternalError());
        } finally {
            writer.interrupt();
            sockets.stop();
        }
    }

    /** Accepts one connection and writes {@link #TOTAL} bytes in {@link #CHUNK}-byte writes, counting them. */
    private static void stream(SpinetSockets sockets, AtomicLong written) {
        try (ServerSocket server = sockets.serverSocketFactory().createServerSocket(PORT);
             Socket socket = server.accept()) {
            OutputStream out = socket.getOutputStream();
            byte[] chunk = new byte[CHUNK];
            for (int sent = 0; sent < TOTAL; sent += CHUNK) {
                out.write(chunk);
                written.addAndGet(CHUNK);
            }
            socket.shutdownOutput();
        } catch (IOException e) {
            // Spinet stopped at the end of the test, or the test fails on the counts.
        }
    }

    private static ConnectionSlot awaitOpenSlot(SpinetSockets sockets, Stack clientStack) {
        SocketBridge bridge = sockets.bridge();
        ConnectionSlot[] found = new ConnectionSlot[1];
        awaitPolling(sockets, clientStack, () -> {
            for (int i = 0; i < bridge.config().sockets(); i++) {
                if (bridge.socket(i).phase == ConnectionSlot.OPEN) {
                    found[0] = bridge.socket(i);
                    return true;
                }
            }
            return false;
        }, "the connection is accepted");
        return found[0];
    }

    private static void awaitPolling(SpinetSockets sockets, Stack clientStack, BooleanSupplier condition, String what) {
        long limit = System.nanoTime() + STEP_LIMIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - limit > 0) {
                throw new AssertionError("not within 20 s: " + what);
            }
            pollBoth(sockets, clientStack);
        }
    }

    private static void pollBoth(SpinetSockets sockets, Stack clientStack) {
        long now = System.nanoTime();
        sockets.dutyCycle().poll(now);
        clientStack.poll(now);
    }

    /** A handler-API client that reads only up to what the test allows (this thread polls its stack). */
    private static final class SlowReader implements TcpHandler {
        final TcpLayer tcp;
        final byte[] buffer = new byte[4096];
        int handle = -1;
        int received;
        private int allowed;

        SlowReader(TcpLayer tcp) {
            this.tcp = tcp;
        }

        void allow(int bytes) {
            allowed = Math.min(TOTAL, allowed + bytes);
            if (handle >= 0) {
                onReadable(handle);
            }
        }

        @Override
        public void onReadable(int connection) {
            int n;
            while (received < allowed && (n = tcp.read(connection, buffer, 0, Math.min(buffer.length, allowed - received))) > 0) {
                received += n;
            }
        }
    }
}
