package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A writer that queues a bulk write's bytes (a quarter of the TCP send ring or more) takes a lease
 * ({@link StackLead#lease}), as a bulk reader does, so that the ACKs arriving before its next
 * write wait for the cycles it runs instead of waking the stack thread; a writer of small
 * messages takes none, and a writer about to park ends the lease, since it is not back at once.
 */
@Timeout(60)
class SocketWriteLeaseTest {

    private static final int PORT = 4420;
    /** TwoStackSockets' TCP rings are 16 KiB (the outbound ring four times that): a quarter is 4 KiB. */
    private static final int SEND_RING = 16 * 1024;

    private final TwoStackSockets stacks = new TwoStackSockets();
    private final AtomicInteger leases = new AtomicInteger();
    private final AtomicInteger endedLeases = new AtomicInteger();
    private final AtomicInteger leasedCycles = new AtomicInteger();

    @AfterEach
    void close() throws InterruptedException {
        stacks.close();
    }

    /** Counts the client's leases; its writers never lead, so a writer with a full ring parks. */
    private void countClientLeases() {
        stacks.client.leadWith(new StackLead() {
            @Override
            public int lead(long maxNanos, BooleanSupplier until) {
                return NOT_LED;
            }

            @Override
            public boolean leases() {
                return true;
            }

            @Override
            public void lease() {
                leases.incrementAndGet();
            }

            @Override
            public void endLease() {
                endedLeases.incrementAndGet();
            }

            @Override
            public boolean cycleForLease() {
                leasedCycles.incrementAndGet();
                return false; // ran none: the turn's runHere runs it (the count below)
            }

            @Override
            public void wakeLeader() {
            }
        });
    }

    @Test
    void bulkWritesTakeALeaseAndSmallOnesNone() throws Exception {
        countClientLeases();
        try (ServerSocket server = stacks.server.serverSocketFactory().createServerSocket(PORT);
             Socket client = stacks.client.socketFactory().createSocket(TwoStackSockets.serverAddress(), PORT);
             Socket accepted = server.accept()) {
            InputStream in = accepted.getInputStream();
            OutputStream out = client.getOutputStream();

            // Small messages, each read before the next is written: no lease, and nothing parks.
            byte[] message = new byte[64];
            byte[] got = new byte[SEND_RING];
            for (int i = 0; i < 20; i++) {
                message[0] = (byte) i;
                out.write(message);
                assertEquals(message.length, in.readNBytes(got, 0, message.length));
                assertEquals((byte) i, got[0]);
            }
            assertEquals(0, leases.get(), "64-byte writes take no lease");
            assertEquals(0, endedLeases.get(), "no writer parked");

            // A bulk download in 64 KiB writes, faster than the reader takes it: the writes lease,
            // and the writer that finds its ring full parks and ends the lease first.
            byte[] bulk = new byte[1 << 20];
            for (int i = 0; i < bulk.length; i++) {
                bulk[i] = (byte) (i * 29 + 3);
            }
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    for (int at = 0; at < bulk.length; at += 64 * 1024) {
                        out.write(bulk, at, 64 * 1024);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // The reader starts once the writer has parked on its full ring (the peer takes at most
            // 160 KiB unread), so that park is certain, not a race with the reader.
            long parkDeadline = System.nanoTime() + 10_000_000_000L;
            while (endedLeases.get() == 0 && System.nanoTime() - parkDeadline < 0) {
                Thread.sleep(1);
            }
            byte[] received = in.readNBytes(bulk.length);
            writer.join(10_000);
            assertArrayEquals(bulk, received);
            // Each write queues at least a quarter of the send ring unless the ring had less room.
            assertTrue(leases.get() >= bulk.length / (64 * 1024), "each 64 KiB write leased at least once: " + leases.get());
            assertTrue(endedLeases.get() > 0, "the writer that parked on a full ring ended its lease first");
        }
    }

    /**
     * A leased write that finds the send ring full posts no request (the next ACK moves its bytes
     * anyway), yet the ACKs that come while the stack thread sleeps through the lease are its to
     * read: it runs the duty cycle itself, once per such write, as a leased cycle (one cycle, one
     * frame: {@code StackAgent.runOneLeasedCycle}). Without that cycle a writer slower than the
     * lease renewed it at every write while those ACKs waited.
     */
    @Test
    void aLeasedWriteThatPostsNothingRunsTheCycleItself() throws Exception {
        countClientLeases();
        try (ServerSocket server = stacks.server.serverSocketFactory().createServerSocket(PORT + 1);
             Socket client = stacks.client.socketFactory().createSocket(TwoStackSockets.serverAddress(), PORT + 1);
             Socket accepted = server.accept()) {
            OutputStream out = client.getOutputStream();
            // The peer never reads: its inbound ring (64 KiB) and TCP ring (16 KiB) take 80 KiB,
            // this side's send ring 16 KiB more, and the last 8 KiB wait in the outbound ring
            // behind a full send ring.
            out.write(new byte[104 * 1024]);
            ConnectionSlot slot = awaitOutboundBehindAFullSendRing();
            AtomicInteger cyclesOnWriter = new AtomicInteger();
            stacks.client.runCyclesWith(() -> {
                cyclesOnWriter.incrementAndGet();
                return true; // the two-stacks thread runs the real cycles; this counts the writer's turns
            });
            int leasesBefore = leases.get();
            int leasedCyclesBefore = leasedCycles.get();
            for (int i = 0; i < 3; i++) {
                out.write(new byte[SEND_RING / 4]);
            }
            assertTrue(slot.outboundAwaitsRoom, "the send ring stayed full");
            assertEquals(3, leases.get() - leasesBefore, "three bulk writes of a quarter of the send ring each");
            assertEquals(3, leasedCycles.get() - leasedCyclesBefore, "each leased write asked for its one leased cycle");
            assertEquals(3, cyclesOnWriter.get(), "each leased write that posted nothing ran the cycle on the writer's thread");
        }
    }

    /** The client's socket whose outbound bytes wait for room in a full TCP send ring. */
    private ConnectionSlot awaitOutboundBehindAFullSendRing() throws InterruptedException {
        SocketBridge bridge = stacks.client.bridge();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() - deadline < 0) {
            for (int i = 0; i < bridge.config().sockets(); i++) {
                ConnectionSlot slot = bridge.socket(i);
                if (slot.outboundAwaitsRoom && slot.outbound.size() > 0) {
                    return slot;
                }
            }
            Thread.sleep(1);
        }
        throw new AssertionError("the send ring never filled");
    }
}
