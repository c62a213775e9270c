package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A reader that takes a bulk read's bytes (a quarter of its inbound ring or more) takes a lease
 * ({@link StackLead#lease}), so that the frames arriving before its next read wait for it
 * instead of waking the stack thread; a reader of small messages (a request, an echo) takes
 * none, so round trips keep the stack thread's wake-ups as they were.
 */
@Timeout(60)
class SocketReadLeaseTest {

    private static final int PORT = 4410;
    /** TwoStackSockets' rings are 16 KiB: a quarter is 4 KiB. */
    private static final int RING = 16 * 1024;

    private final TwoStackSockets stacks = new TwoStackSockets();
    private final AtomicInteger leases = new AtomicInteger();

    @AfterEach
    void close() throws InterruptedException {
        stacks.close();
    }

    private void countLeases() {
        stacks.server.leadWith(new StackLead() {
            @Override
            public int lead(long maxNanos, BooleanSupplier until) {
                return NOT_LED;
            }

            @Override
            public void lease() {
                leases.incrementAndGet();
            }

            @Override
            public void wakeLeader() {
            }
        });
    }

    @Test
    void bulkReadsTakeALeaseAndSmallOnesNone() throws Exception {
        countLeases();
        try (ServerSocket server = stacks.server.serverSocketFactory().createServerSocket(PORT);
             Socket client = stacks.client.socketFactory().createSocket(TwoStackSockets.serverAddress(), PORT);
             Socket accepted = server.accept()) {
            InputStream in = accepted.getInputStream();
            OutputStream out = client.getOutputStream();

            // Small messages, each read as it comes: no lease.
            byte[] message = new byte[64];
            byte[] got = new byte[RING];
            for (int i = 0; i < 20; i++) {
                message[0] = (byte) i;
                out.write(message);
                int n = readFully(in, got, message.length);
                assertEquals(message.length, n);
                assertEquals((byte) i, got[0]);
            }
            assertEquals(0, leases.get(), "64-byte reads take no lease");

            // A bulk upload read in ring-sized reads: the large reads lease.
            byte[] bulk = new byte[1 << 20];
            for (int i = 0; i < bulk.length; i++) {
                bulk[i] = (byte) (i * 31 + 7);
            }
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    out.write(bulk);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] received = new byte[bulk.length];
            int large = 0;
            int total = 0;
            while (total < bulk.length) {
                int n = in.read(received, total, Math.min(RING, bulk.length - total));
                assertTrue(n > 0);
                if (n >= RING / 4) {
                    large++;
                }
                total += n;
            }
            writer.join(10_000);
            assertArrayEquals(bulk, received);
            assertTrue(large > 0, "some reads were bulk reads");
            assertEquals(large, leases.get(), "one lease per bulk read, none for the smaller ones");
        }
    }

    /**
     * A leased read whose ring still had room posts no request (nothing is stalled), yet the frames
     * that came since the last read are its to take while the stack thread sleeps through the
     * lease: it runs the duty cycle itself, once per such read. Before, it ran none, and with the
     * stack thread off the device those frames waited until the ring ran dry.
     */
    @Test
    void aLeasedReadWithRoomLeftRunsTheCycleItself() throws Exception {
        countLeases();
        AtomicInteger cyclesOnReader = new AtomicInteger();
        stacks.server.runCyclesWith(() -> {
            cyclesOnReader.incrementAndGet();
            return true; // the two-stacks thread runs the real cycles; this counts the reader's turns
        });
        try (ServerSocket server = stacks.server.serverSocketFactory().createServerSocket(PORT + 1);
             Socket client = stacks.client.socketFactory().createSocket(TwoStackSockets.serverAddress(), PORT + 1);
             Socket accepted = server.accept()) {
            InputStream in = accepted.getInputStream();
            // Three quarters of the smallest ring in play: it fits in the inbound ring at once, so
            // nothing stalls and no read posts READ_SPACE.
            byte[] bulk = new byte[RING * 3 / 4];
            for (int i = 0; i < bulk.length; i++) {
                bulk[i] = (byte) (i * 13 + 1);
            }
            client.getOutputStream().write(bulk);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (in.available() < bulk.length && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            assertEquals(bulk.length, in.available(), "all of it waits in the inbound ring");
            int before = cyclesOnReader.get();
            byte[] received = new byte[bulk.length];
            int total = 0;
            while (total < bulk.length) {
                int n = in.read(received, total, RING / 4);
                assertTrue(n > 0);
                total += n;
            }
            assertArrayEquals(bulk, received);
            assertEquals(3, leases.get(), "three bulk reads of a quarter of the ring each");
            assertEquals(3, cyclesOnReader.get() - before, "each leased read ran the cycle on the reader's thread");
        }
    }

    /**
     * Only a bulk transfer's leader may spin for its next frame ({@link StackLead#lead(long,
     * BooleanSupplier, boolean)}): a reader whose last read was a bulk read; a reader of small
     * messages sleeps at once, so a round trip's peer keeps the CPU.
     */
    @Test
    void onlyAReaderAfterABulkReadLeadsAsABulkTransfer() throws Exception {
        List<Boolean> bulkLeads = recordBulkLeads(false);
        try (ServerSocket server = stacks.server.serverSocketFactory().createServerSocket(PORT + 2);
             Socket client = stacks.client.socketFactory().createSocket(TwoStackSockets.serverAddress(), PORT + 2);
             Socket accepted = server.accept()) {
            InputStream in = accepted.getInputStream();
            OutputStream out = client.getOutputStream();
            byte[] got = new byte[RING];
            // A small message, read before it came: the reader waits as a round trip's.
            messageReadAfterAWait(in, out, got);
            assertTrue(bulkLeads.contains(false), "the small read's wait: " + bulkLeads);
            assertTrue(!bulkLeads.contains(true), "no bulk lead yet: " + bulkLeads);
            bulkLeads.clear();
            // A bulk read, then a wait for more: that wait is a bulk transfer's.
            oneBulkRead(in, out, got);
            messageReadAfterAWait(in, out, got);
            assertTrue(bulkLeads.contains(true), "the wait after a bulk read: " + bulkLeads);
        }
    }

    /**
     * A run of bulk reads ends at a short read after a wait, not only when the reader parks: a
     * keep-alive connection's upload followed by small requests must not spin for each request
     * while its leads keep finding the data (so that it never parks). The lead here waits for the
     * data as a successful leader does and records whether it was asked to lead as a bulk one.
     */
    @Test
    void aShortReadAfterAWaitEndsTheRunOfBulkReads() throws Exception {
        List<Boolean> bulkLeads = recordBulkLeads(true);
        try (ServerSocket server = stacks.server.serverSocketFactory().createServerSocket(PORT + 3);
             Socket client = stacks.client.socketFactory().createSocket(TwoStackSockets.serverAddress(), PORT + 3);
             Socket accepted = server.accept()) {
            InputStream in = accepted.getInputStream();
            OutputStream out = client.getOutputStream();
            byte[] got = new byte[RING];
            oneBulkRead(in, out, got);
            bulkLeads.clear();

            messageReadAfterAWait(in, out, got);
            assertEquals(List.of(true), bulkLeads, "the wait right after the bulk read is a bulk transfer's");
            bulkLeads.clear();

            messageReadAfterAWait(in, out, got);
            assertEquals(List.of(false), bulkLeads, "the wait after a short read that waited is a round trip's");
        }
    }

    /**
     * Leads the server's readers with a lead that records whether each was asked to lead as a bulk
     * transfer's. {@code waitsForData}: it waits for the data as a successful leader does (the
     * two-stacks thread runs the cycles), so the reader never parks; otherwise it declines, and the
     * reader parks as usual.
     */
    private List<Boolean> recordBulkLeads(boolean waitsForData) {
        List<Boolean> bulkLeads = Collections.synchronizedList(new ArrayList<>());
        stacks.server.leadWith(new StackLead() {
            @Override
            public int lead(long maxNanos, BooleanSupplier until) {
                return lead(maxNanos, until, false);
            }

            @Override
            public int lead(long maxNanos, BooleanSupplier until, boolean bulk) {
                bulkLeads.add(bulk);
                if (!waitsForData) {
                    return NOT_LED;
                }
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!until.getAsBoolean() && System.nanoTime() - deadline < 0) {
                    LockSupport.parkNanos(100_000);
                }
                return LED;
            }

            @Override
            public void wakeLeader() {
            }
        });
        return bulkLeads;
    }

    /** Half a ring sent and read in one read, once all of it is in the inbound ring: a bulk read. */
    private static void oneBulkRead(InputStream in, OutputStream out, byte[] got) throws Exception {
        out.write(new byte[RING / 2]);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (in.available() < RING / 2 && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        assertEquals(RING / 2, in.read(got, 0, RING / 2), "one bulk read");
    }

    /** A 64-byte message the reader waits for: a short read after a wait. */
    private static void messageReadAfterAWait(InputStream in, OutputStream out, byte[] got) throws Exception {
        Thread sender = messageIn50Ms(out);
        assertEquals(64, readFully(in, got, 64));
        sender.join(10_000);
    }

    /** Writes a 64-byte message 50 ms from now, from a thread of its own (the reader waits for it meanwhile). */
    private static Thread messageIn50Ms(OutputStream out) {
        return Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
                out.write(new byte[64]);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static int readFully(InputStream in, byte[] into, int length) throws Exception {
        int total = 0;
        while (total < length) {
            int n = in.read(into, total, length - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
