package dev.spinet.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.Stack;
import dev.spinet.config.StackConfig.SynOverflowPolicy;
import dev.spinet.config.StackConfig;
import dev.spinet.iface.IfaceCounter;
import dev.spinet.iface.NeighborCache;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.TcpCounter;
import dev.spinet.tcp.TcpInvariants;
import dev.spinet.tcp.TcpState;
import dev.spinet.tcp.scenario.PoolsAssert;
import dev.spinet.testkit.AllocationAssert;
import dev.spinet.testkit.QueueFrameDevice;
import dev.spinet.wire.TcpSegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Resource exhaustion: a hostile peer fills every fixed pool of the device in
 * turn - TCBs, a listener's backlog, TIME-WAIT entries, the neighbor cache, the pending-ARP queue,
 * a connection's reassembly ranges. Each test checks that the documented policy holds (the
 * counter says what happened), that no pool grows (capacities before = after, use never above
 * capacity, invariants hold), and that legitimate traffic resumes when the pressure stops: a
 * fresh connection carries data and closes normally on both ends.
 */
class ExhaustionTest {

    private static final long MS = HostileLan.MS;
    private static final long SECOND = HostileLan.SECOND;

    // ---- TCBs ----

    /**
     * The peer holds every TCB of the device with established connections; the next SYN meets the
     * configured policy: RESET refuses it, DROP ignores it (the client retransmits and gets in
     * once a TCB is free), SYN_COOKIE answers with a cookie whose ACK is dropped for want of a TCB.
     */
    @ParameterizedTest
    @EnumSource(SynOverflowPolicy.class)
    void everyTcbHeldByEstablishedConnectionsTheNextSynMeetsThePolicy(SynOverflowPolicy policy) {
        HostileLan lan = new HostileLan(HostileLan.dutConfig().tcpListeners(2, 4).tcpSynOverflowPolicy(policy).build(),
                HostileLan.peerConfig().build()).init();
        lan.dutTcp().listen(80, 4, lan.dutApp);
        int capacity = lan.dutTcp().connectionCapacity();
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < capacity; i++) {
            held.add(lan.connectPeer(80));
        }
        assertEquals(capacity, lan.dutTcp().connectionsInUse(), "the pool is full");

        int extra = lan.peerTcp().connect(HostileLan.DUT_IP, 80, lan.peerApp);
        lan.sim.runFor(500 * MS);
        var tcp = lan.dutTcp().counters();
        switch (policy) {
            case RESET -> {
                assertEquals(1, tcp.get(TcpCounter.SYN_OVERFLOW_RESET), tcp.toString());
                assertEquals(CloseReason.REFUSED, lan.peerApp.closed.get(extra), "the client was refused at once");
            }
            case DROP -> {
                assertTrue(tcp.get(TcpCounter.SYN_OVERFLOW_DROPPED) >= 1, tcp.toString());
                assertEquals(TcpState.SYN_SENT, lan.peerTcp().state(extra), "no answer: the client keeps retransmitting");
            }
            case SYN_COOKIE -> {
                assertTrue(tcp.get(TcpCounter.SYN_COOKIES_SENT) >= 1, tcp.toString());
                assertTrue(tcp.get(TcpCounter.SYN_COOKIES_NO_TCB) >= 1, "the cookie verified but no TCB was free: " + tcp);
            }
        }
        assertEquals(capacity, lan.dutTcp().connectionCapacity(), "the pool did not grow");
        assertEquals(capacity, lan.dutTcp().connectionsInUse());
        assertEquals(capacity, lan.dutApp.accepted.size(), "nothing beyond the pool was accepted");
        assertNull(lan.dutInvariants(), lan.dutInvariants());

        // Pressure stops: the hostile peer drops its connections (RSTs free the TCBs).
        for (int handle : held) {
            lan.peerTcp().abort(handle);
        }
        if (policy != SynOverflowPolicy.DROP) {
            abortIfOpen(lan, extra);
        }
        lan.sim.runFor(2 * SECOND);
        if (policy == SynOverflowPolicy.DROP) {
            // RFC 4987 "drop": the retransmitted SYN finds a free TCB.
            assertEquals(TcpState.ESTABLISHED, lan.peerTcp().state(extra), "the dropped client got in on a retransmission");
            lan.peerTcp().abort(extra);
            lan.sim.runFor(100 * MS);
        }
        PoolsAssert.assertEveryPoolEmpty(lan.dutTcp(), "every TCB back in the pool");
        freshConnectionCarriesDataAndClosesCleanly(lan, 80);
    }

    // ---- backlog ----

    /**
     * Half-open flood (spoofed SYNs, never completed) against a listener with backlog 2: with DROP
     * and RESET a full backlog evicts its oldest half-open connection (counted), so a real client
     * still gets a slot; with SYN_COOKIE a full backlog answers with cookies and keeps nothing.
     */
    @ParameterizedTest
    @EnumSource(SynOverflowPolicy.class)
    void halfOpenFloodFillsTheBacklogAndThePolicyHolds(SynOverflowPolicy policy) {
        HostileLan lan = new HostileLan(HostileLan.dutConfig().tcpSynOverflowPolicy(policy).build(),
                HostileLan.peerConfig().build(), 1024).init();
        lan.dutTcp().listen(80, 2, lan.dutApp);
        int flood = 200;
        int maxHalfOpen = 0;
        for (int i = 0; i < flood; i++) {
            int source = 0x0A00_0000 | (3 + i % 250);
            lan.inject(lan.toDut(source, 2000 + i, 80).seq(i * 7919).flags(TcpSegment.SYN).options(2, 4, 5, 0xB4).build());
            lan.sim.runFor(MS);
            maxHalfOpen = Math.max(maxHalfOpen, TcpInvariants.halfOpen(lan.dutTcp()));
            assertTrue(lan.dutTcp().connectionsInUse() <= lan.dutTcp().connectionCapacity());
        }
        var tcp = lan.dutTcp().counters();
        assertEquals(2, maxHalfOpen, "the backlog filled and never went past 2");
        if (policy == SynOverflowPolicy.SYN_COOKIE) {
            assertEquals(flood - 2, tcp.get(TcpCounter.SYN_COOKIES_SENT), tcp.toString());
            assertEquals(0, tcp.get(TcpCounter.BACKLOG_EVICTED));
        } else {
            assertEquals(flood - 2, tcp.get(TcpCounter.BACKLOG_EVICTED), "each SYN past the backlog evicted the oldest: " + tcp);
            assertEquals(0, tcp.get(TcpCounter.SYN_COOKIES_SENT));
            assertEquals(0, tcp.get(TcpCounter.SYN_OVERFLOW_DROPPED) + tcp.get(TcpCounter.SYN_OVERFLOW_RESET),
                    "TCBs never ran out: eviction made room");
        }
        assertEquals(2, TcpInvariants.halfOpen(lan.dutTcp()));
        assertNull(lan.dutInvariants(), lan.dutInvariants());
        assertEquals(0, lan.dutApp.accepted.size(), "no spoofed connection was accepted");

        // A real client arrives while the backlog is still full of spoofed entries.
        freshConnectionCarriesDataAndClosesCleanly(lan, 80);
        // Pressure gone: the half-open entries time out and give their TCBs back.
        lan.sim.runFor(200 * SECOND);
        PoolsAssert.assertEveryPoolEmpty(lan.dutTcp(), "the half-open entries timed out");
    }

    // ---- TIME-WAIT ----

    /**
     * Many short connections closed by the device (so it holds TIME-WAIT): with 4 entries, the
     * fifth and later recycle the entry nearest its end, i.e. the oldest; the counter says how
     * many. The recycled 4-tuple is gone (an ACK for it reaches the listener and is reset), the
     * newest is still honoured (answered from TIME-WAIT).
     */
    @Test
    void timeWaitEntriesFullRecyclesTheOldest() {
        HostileLan lan = HostileLan.standard();
        lan.dutTcp().listen(80, 2, lan.dutApp);
        int entries = lan.dutTcp().config().tcpTimeWaitEntries;
        int connections = 10;
        int[] peerPorts = new int[connections];
        for (int i = 0; i < connections; i++) {
            int peerHandle = lan.connectPeer(80);
            peerPorts[i] = lan.peerTcp().localPort(peerHandle);
            lan.peerSends(peerHandle, 100);
            int dutHandle = lan.dutApp.accepted.getLast();
            lan.dutTcp().close(dutHandle); // the device closes first: it will hold TIME-WAIT
            assertTrue(lan.sim.runUntil(() -> lan.peerTcp().state(peerHandle) == TcpState.CLOSE_WAIT, 2 * SECOND));
            lan.peerTcp().close(peerHandle);
            assertTrue(lan.sim.runUntil(() -> lan.peerApp.closed.containsKey(peerHandle), 2 * SECOND));
            lan.sim.runFor(10 * MS);
            assertTrue(lan.dutTcp().timeWaitEntries() <= entries, "TIME-WAIT never above its size");
            assertEquals(0, lan.dutTcp().connectionsInUse(), "TIME-WAIT holds no TCB");
        }
        var tcp = lan.dutTcp().counters();
        assertEquals(entries, lan.dutTcp().timeWaitEntries());
        assertEquals(connections - entries, tcp.get(TcpCounter.TIME_WAIT_RECYCLED), tcp.toString());
        assertEquals(entries, lan.dutTcp().config().tcpTimeWaitEntries, "the table did not grow");

        // Oldest recycled: an ACK on the first connection's 4-tuple meets the listener (reset),
        // one on the last connection's is answered from its TIME-WAIT entry.
        long resetsBefore = tcp.get(TcpCounter.LISTEN_RST_FOR_ACK);
        long timeWaitAcksBefore = tcp.get(TcpCounter.TIME_WAIT_ACK_SENT);
        lan.inject(lan.toDut(HostileLan.PEER_IP, peerPorts[0], 80).seq(12345).ack(678).flags(TcpSegment.ACK).build());
        lan.sim.runFor(MS);
        assertEquals(resetsBefore + 1, tcp.get(TcpCounter.LISTEN_RST_FOR_ACK), "the oldest entry was recycled");
        lan.inject(lan.toDut(HostileLan.PEER_IP, peerPorts[connections - 1], 80).seq(12345).ack(678).flags(TcpSegment.ACK).build());
        lan.sim.runFor(MS);
        assertEquals(timeWaitAcksBefore + 1, tcp.get(TcpCounter.TIME_WAIT_ACK_SENT), "the newest entry is still in TIME-WAIT");
        assertNull(lan.dutInvariants(), lan.dutInvariants());
        freshConnectionCarriesDataAndClosesCleanly(lan, 80);
        lan.sim.runFor(2 * lan.dutTcp().config().tcpMslNanos + SECOND);
        PoolsAssert.assertEveryPoolEmpty(lan.dutTcp(), "all TIME-WAIT entries expire after 2*MSL");
    }

    // ---- neighbor cache ----

    /**
     * ARP requests from many sources (each one teaches the device a neighbor) fill the cache; the
     * least recently used entry goes (counted), a neighbor the device just used stays, the cache
     * never grows, and the peer's connection keeps working (re-resolving if it was evicted).
     */
    @Test
    void neighborCacheFullEvictsTheLeastRecentlyUsed() {
        HostileLan lan = HostileLan.standard();
        lan.dutTcp().listen(80, 2, lan.dutApp);
        NeighborCache cache = lan.dut.iface().neighbors();
        int capacity = cache.capacity();
        int peerHandle = lan.connectPeer(80);
        assertEquals(1, cache.used(), "the device knows the peer");
        var iface = lan.dut.iface().counters();

        // Fill the cache: capacity - 1 more neighbors, one per millisecond.
        for (int i = 0; i < capacity - 1; i++) {
            lan.inject(arpRequestFrom(source(i)));
            lan.sim.runFor(MS);
        }
        assertEquals(capacity, cache.used());
        assertEquals(0, iface.get(IfaceCounter.ARP_CACHE_EVICTIONS));
        // The device uses the peer (acknowledges its data): the peer is now the most recently used.
        lan.peerSends(peerHandle, 500);
        lan.inject(arpRequestFrom(source(capacity - 1)));
        lan.sim.runFor(MS);
        assertEquals(1, iface.get(IfaceCounter.ARP_CACHE_EVICTIONS));
        assertEquals(NeighborCache.NONE, cache.find(source(0)), "the least recently used entry went");
        assertNotEquals(NeighborCache.NONE, cache.find(source(1)));
        assertNotEquals(NeighborCache.NONE, cache.find(HostileLan.PEER_IP), "the neighbor in use stayed");

        // A long flood: the table churns, never grows.
        int flood = 500;
        for (int i = capacity; i < capacity + flood; i++) {
            lan.inject(arpRequestFrom(source(i)));
            if (i % 10 == 0) {
                lan.sim.runFor(MS);
                assertTrue(cache.used() <= capacity);
            }
        }
        lan.sim.runFor(MS);
        assertEquals(capacity, cache.capacity(), "the cache did not grow");
        assertEquals(capacity, cache.used());
        assertEquals(1 + flood, iface.get(IfaceCounter.ARP_CACHE_EVICTIONS), iface.toString());
        assertNull(lan.dutInvariants(), lan.dutInvariants());

        // The peer's connection still works (its entry may have gone: the device asks again).
        lan.peerSends(peerHandle, 2000);
        lan.peerTcp().abort(peerHandle);
        lan.sim.runFor(100 * MS);
        freshConnectionCarriesDataAndClosesCleanly(lan, 80);
    }

    // ---- pending-ARP queue ----

    /**
     * SYNs from sources that never answer ARP: every SYN,ACK waits for resolution. The pending
     * queue (4 frames) fills, later frames are dropped and counted, the queue never grows; the
     * resolved peer's traffic is unaffected meanwhile; after the ARP attempts run out the waiting
     * frames are dropped and the queue is empty again.
     */
    @Test
    void pendingArpQueueFullDropsAndCounts() {
        HostileLan lan = new HostileLan(HostileLan.dutConfig().build(), HostileLan.peerConfig().build(), 1024).init();
        lan.dutTcp().listen(80, 2, lan.dutApp);
        int peerHandle = lan.connectPeer(80);
        var pending = lan.dut.iface().pendingFrames();
        int capacity = pending.capacity();
        var iface = lan.dut.iface().counters();
        int flood = 40;
        for (int i = 0; i < flood; i++) {
            lan.inject(lan.toDut(source(i), 3000 + i, 80).seq(i * 104_729).flags(TcpSegment.SYN).build());
            lan.sim.runFor(MS);
            assertTrue(pending.count() <= capacity);
        }
        assertEquals(capacity, pending.count(), "the queue is full");
        assertEquals(capacity, iface.get(IfaceCounter.ARP_PENDING_QUEUED), iface.toString());
        assertEquals(flood - capacity, iface.get(IfaceCounter.ARP_PENDING_FULL), iface.toString());
        // The resolved peer is not held up by the full queue.
        lan.peerSends(peerHandle, 3000);

        // Pressure stops: the unanswered resolutions fail and the waiting frames are dropped. The two
        // half-open connections keep retransmitting their SYN,ACK (each time waiting on ARP again)
        // until they give up (R2 for a SYN: 3 minutes by default), so the queue is empty after that.
        lan.sim.runFor(3 * SECOND);
        assertTrue(iface.get(IfaceCounter.ARP_PENDING_DROPPED) >= capacity, iface.toString());
        lan.sim.runFor(200 * SECOND);
        assertEquals(0, pending.count(), "the queue drained");
        assertEquals(0, TcpInvariants.halfOpen(lan.dutTcp()), "the spoofed half-open connections gave up");
        assertTrue(iface.get(IfaceCounter.ARP_RESOLUTION_FAILED) >= capacity);
        assertEquals(capacity, pending.capacity(), "the queue did not grow");
        assertNull(lan.dutInvariants(), lan.dutInvariants());
        lan.peerTcp().abort(peerHandle);
        lan.sim.runFor(100 * MS);
        freshConnectionCarriesDataAndClosesCleanly(lan, 80);
    }

    // ---- reassembly ranges ----

    /**
     * A hostile peer with a real connection sends out-of-order segments with many holes: the
     * first {@code tcpReassemblyHoles} ranges are kept, the rest dropped and counted, in-order data
     * is still accepted (and joins the kept ranges), and nothing grows.
     */
    @Test
    void reassemblyRangesFullDropsFurtherHolesButInOrderDataStillArrives() {
        HostileLan lan = HostileLan.standard();
        lan.dutTcp().listen(80, 2, lan.dutApp);
        int holes = lan.dutTcp().config().tcpReassemblyHoles;
        // The attacker makes itself known (ARP) and completes a handshake by hand.
        lan.inject(arpRequestFrom(HostileLan.ATTACKER_IP, HostileLan.ATTACKER_MAC));
        lan.sim.runFor(MS);
        int port = 40_000;
        int isn = 0x1000_0000;
        lan.inject(attacker(port).seq(isn).flags(TcpSegment.SYN).options(2, 4, 5, 0xB4).build());
        lan.sim.runFor(MS);
        HostileLan.Sent synAck = lan.lastFromDut(port);
        int next = isn + 1;
        lan.inject(attacker(port).seq(next).ack(synAck.seq() + 1).flags(TcpSegment.ACK).build());
        lan.sim.runFor(MS);
        assertEquals(1, lan.dutApp.accepted.size());
        int handle = lan.dutApp.accepted.getFirst();
        assertEquals(TcpState.ESTABLISHED, lan.dutTcp().state(handle));
        int ack = synAck.seq() + 1;

        // 3*holes segments of 10 bytes, each 100 bytes apart: a hole before every one.
        int segments = 3 * holes;
        for (int k = 1; k <= segments; k++) {
            lan.inject(attacker(port).seq(next + 100 * k).ack(ack).flags(TcpSegment.ACK).payload(10).build());
            lan.sim.runFor(MS);
        }
        var tcp = lan.dutTcp().counters();
        assertEquals(holes, tcp.get(TcpCounter.OUT_OF_ORDER_SEGMENTS), tcp.toString());
        assertEquals(segments - holes, tcp.get(TcpCounter.DROP_REASSEMBLY_FULL), tcp.toString());
        assertEquals(0, lan.dutApp.bytesRead);
        assertNull(lan.dutInvariants(), lan.dutInvariants());

        // In-order data is still accepted while the ranges are full, and joins the first range.
        lan.inject(attacker(port).seq(next).ack(ack).flags(TcpSegment.ACK).payload(100).build());
        lan.sim.runFor(MS);
        assertEquals(110, lan.dutApp.bytesRead, "0..100 in order plus the parked range 100..110");
        // The freed range slot takes a new out-of-order segment again.
        long dropsBefore = tcp.get(TcpCounter.DROP_REASSEMBLY_FULL);
        lan.inject(attacker(port).seq(next + 100 * (holes + 1)).ack(ack).flags(TcpSegment.ACK).payload(10).build());
        lan.sim.runFor(MS);
        assertEquals(dropsBefore, tcp.get(TcpCounter.DROP_REASSEMBLY_FULL), "a range slot was free again");
        assertEquals(holes + 1, tcp.get(TcpCounter.OUT_OF_ORDER_SEGMENTS));
        assertNull(lan.dutInvariants(), lan.dutInvariants());

        // Pressure stops: the attacker resets its connection (exact RCV.NXT), the TCB goes back.
        lan.inject(attacker(port).seq(next + 110).flags(TcpSegment.RST).build());
        lan.sim.runFor(MS);
        assertEquals(1, tcp.get(TcpCounter.RST_ACCEPTED), tcp.toString());
        PoolsAssert.assertEveryPoolEmpty(lan.dutTcp(), "no parked bytes left behind");
        freshConnectionCarriesDataAndClosesCleanly(lan, 80);
    }

    // ---- allocation on the ARP-wait path ----

    /**
     * Replies that must wait for ARP allocate nothing, whether the pending queue has room (each
     * SYN,ACK queued, then released by an ARP reply) or is full (each one dropped and counted).
     * The previous note measured ~616 bytes per 20,000 SYNs with escape analysis off on this path.
     */
    @Test
    @Tag("allocation")
    void repliesWaitingOnArpAllocateNothingWhetherTheQueueHasRoomOrNot() {
        QueueFrameDevice device = new QueueFrameDevice(HostileLan.DUT_MAC).discardSent();
        SpoofedFrames frames = new SpoofedFrames();
        Stack dut = new Stack(HostileLan.dutConfig().build(), device);
        dut.tcp().listen(80, 2, new HostileLan.Sink());
        long[] now = {SECOND};
        var iface = dut.iface().counters();

        // Queue with room: SYN from a new unresolved source, then its ARP reply releases the SYN,ACK.
        int[] n = {0};
        Runnable synThenArpReply = () -> {
            int source = source(n[0]++ % 200);
            device.injectWithoutCopy(frames.syn(source, 1024 + n[0] % 60_000, n[0] * 0x9E37_79B9));
            now[0] += 1_000;
            dut.poll(now[0]);
            device.injectWithoutCopy(frames.arpReply(source, 0x02_00_00_00_20_00L | (source & 0xFF)));
            now[0] += 1_000;
            dut.poll(now[0]);
        };
        for (int i = 0; i < 100; i++) {
            synThenArpReply.run();
        }
        // Five samples after a longer warm-up: a full CI run once saw 104 bytes in each of three
        // 10,000-iteration samples here (never reproduced in eight runs of this class alone), the
        // mark of a late one-off (a compilation or deoptimisation), not of per-packet allocation,
        // which would show thousands of bytes in every sample.
        AllocationAssert.assertZeroAllocation("SYN,ACK waiting for ARP, then released", 50_000, 10_000, 5, synThenArpReply);
        assertTrue(iface.get(IfaceCounter.ARP_PENDING_SENT) > 30_000, iface.toString());
        assertEquals(0, iface.get(IfaceCounter.ARP_PENDING_FULL), iface.toString());

        // Queue full: SYNs from one unresolved source; each reply is dropped and counted.
        int silent = 0x0A00_00FE;
        Runnable synQueueFull = () -> {
            n[0]++;
            device.injectWithoutCopy(frames.syn(silent, 1024 + n[0] % 60_000, n[0] * 0x9E37_79B9));
            now[0] += 1_000;
            dut.poll(now[0]);
        };
        for (int i = 0; i < 10; i++) {
            synQueueFull.run();
        }
        assertEquals(dut.iface().pendingFrames().capacity(), dut.iface().pendingFrames().count());
        AllocationAssert.assertZeroAllocation("SYN,ACK dropped on a full pending-ARP queue", 50_000, 10_000, 5, synQueueFull);
        assertTrue(iface.get(IfaceCounter.ARP_PENDING_FULL) > 30_000, iface.toString());
        assertNull(TcpInvariants.check(dut.tcp()));
    }

    // ---- helpers ----

    /** 10.0.0.3 .. 10.0.0.252 and round again: never the device, the peer or the attacker. */
    private static int source(int i) {
        int host = 3 + i % 250;
        if (host == (HostileLan.ATTACKER_IP & 0xFF)) {
            host = 253;
        }
        return 0x0A00_0000 | host;
    }

    private static byte[] arpRequestFrom(int ip) {
        return arpRequestFrom(ip, 0x02_00_00_00_10_00L | (ip & 0xFF) | ((long) (ip >>> 8 & 0xFF) << 16));
    }

    private static byte[] arpRequestFrom(int ip, long mac) {
        return new SpoofedFrames().arpRequest(ip, mac);
    }

    private static TcpFrame attacker(int port) {
        return new TcpFrame(HostileLan.DUT_MAC, HostileLan.ATTACKER_MAC, HostileLan.ATTACKER_IP, HostileLan.DUT_IP, port, 80);
    }

    private static void abortIfOpen(HostileLan lan, int peerHandle) {
        if (!lan.peerApp.closed.containsKey(peerHandle)) {
            lan.peerTcp().abort(peerHandle);
        }
    }

    /**
     * A fresh connection from the peer: handshake, 5,000 bytes to the device and 1,000 back, then
     * an orderly close from both ends, both reporting NORMAL.
     */
    static void freshConnectionCarriesDataAndClosesCleanly(HostileLan lan, int port) {
        int acceptedBefore = lan.dutApp.accepted.size();
        int peerHandle = lan.peerTcp().connect(HostileLan.DUT_IP, port, lan.peerApp);
        assertTrue(lan.sim.runUntil(() -> lan.peerTcp().state(peerHandle) == TcpState.ESTABLISHED
                && lan.dutApp.accepted.size() > acceptedBefore, 10 * SECOND),
                () -> "fresh connection not established: " + lan.peerTcp().state(peerHandle) + "\n" + lan.dutTcp().counters());
        int dutHandle = lan.dutApp.accepted.getLast();
        lan.peerSends(peerHandle, 5000);
        long peerReadBefore = lan.peerApp.bytesRead;
        byte[] reply = new byte[1000];
        assertEquals(reply.length, lan.dutTcp().write(dutHandle, reply, 0, reply.length));
        assertTrue(lan.sim.runUntil(() -> lan.peerApp.bytesRead - peerReadBefore == reply.length, 5 * SECOND), "reply arrived");
        lan.peerTcp().close(peerHandle);
        assertTrue(lan.sim.runUntil(() -> lan.dutTcp().state(dutHandle) == TcpState.CLOSE_WAIT, 5 * SECOND));
        lan.dutTcp().close(dutHandle);
        assertTrue(lan.sim.runUntil(() -> lan.dutApp.closed.containsKey(dutHandle) && lan.peerApp.closed.containsKey(peerHandle),
                5 * SECOND), "both ends closed");
        assertEquals(CloseReason.NORMAL, lan.dutApp.closed.get(dutHandle));
        assertEquals(CloseReason.NORMAL, lan.peerApp.closed.get(peerHandle));
        assertNull(lan.dutInvariants(), lan.dutInvariants());
    }
}
