package dev.spinet.harness.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.hal.eth.FrameDevice;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.FaultInjector;
import dev.spinet.harness.net.SeedReporter;
import dev.spinet.harness.net.Seeds;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.iface.EchoReplyListener;
import dev.spinet.iface.IfaceCounter;
import dev.spinet.iface.Interface;
import dev.spinet.testkit.AllocationAssert;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two interfaces on a virtual wire: ping end to end, under loss, and without allocating. */
@ExtendWith(SeedReporter.class)
class TwoBoardPingTest {

    static final int A = 0x0A_00_00_01;
    static final int B = 0x0A_00_00_02;

    static final long MAC_A = 0x02_00_00_00_00_01L;
    static final long MAC_B = 0x02_00_00_00_00_02L;

    final ManualClock clock = new ManualClock();
    final VirtualWire wire = new VirtualWire(clock);
    final ReplyCounter counter = new ReplyCounter();
    Interface a;
    Interface b;

    static StackConfig config(int address) {
        return StackConfig.builder().ipAddress(address, 24).build();
    }

    /** Counts replies without allocating (a plain field, no boxing). */
    static final class ReplyCounter implements EchoReplyListener {
        int replies;
        int lastSequence;
        long lastRtt;

        @Override
        public void onEchoReply(int source, int identifier, int sequence, int payloadLength, long roundTripNanos) {
            replies++;
            lastSequence = sequence;
            lastRtt = roundTripNanos;
        }
    }

    /** A on {@code portA}, B straight on the wire; A counts the echo replies it gets. */
    private void boards(FrameDevice portA) {
        a = new Interface(config(A), portA);
        b = new Interface(config(B), wire.connect("B", MAC_B));
        a.setEchoReplyListener(counter);
    }

    @Test
    void pingResolvesArpOnceThenEveryEchoIsAnswered() {
        wire.latencyNanos(10_000);
        boards(wire.connect("A", MAC_A));
        Simulator sim = new Simulator(clock, wire).add(a).add(b);
        for (int seq = 1; seq <= 10; seq++) {
            a.ping(B, 7, seq, 32, clock.nanoTime());
            int expected = seq;
            assertTrue(sim.runUntil(() -> counter.replies == expected, 1_000_000_000L), "reply " + seq);
            assertEquals(seq, counter.lastSequence);
        }
        assertEquals(20_000, counter.lastRtt, "two hops of 10 us in simulated time");
        assertEquals(1, a.counters().get(IfaceCounter.ARP_TX_REQUESTS), "ARP resolved once, then cached");
        assertEquals(1, b.counters().get(IfaceCounter.ARP_TX_REPLIES));
        assertEquals(10, b.counters().get(IfaceCounter.ICMP_TX_ECHO_REPLIES));
        assertEquals(0, a.counters().get(IfaceCounter.INTERNAL_ERRORS) + b.counters().get(IfaceCounter.INTERNAL_ERRORS));
    }

    @Test
    void underSeededLossEveryDeliveredRequestIsAnsweredAndCountersAddUp() {
        long seed = Seeds.seed();
        FaultInjector lossyA = new FaultInjector(wire.connect("A", MAC_A), clock, seed).loss(0.3);
        boards(lossyA);
        Simulator sim = new Simulator(clock, wire).add(a).add(b);
        for (int seq = 1; seq <= 200; seq++) {
            a.ping(B, 7, seq, 32, clock.nanoTime());
            sim.runFor(100_000_000L);
        }
        long requestsSeenByB = b.counters().get(IfaceCounter.ICMP_RX_ECHO_REQUESTS);
        assertEquals(requestsSeenByB, b.counters().get(IfaceCounter.ICMP_TX_ECHO_REPLIES), "B answers all it sees");
        assertEquals(requestsSeenByB, counter.replies, "replies travel B -> A without loss");
        assertTrue(counter.replies > 100 && counter.replies < 190, "about 70% of 200 get through: " + counter.replies + " " + lossyA);
        assertEquals(0, a.counters().get(IfaceCounter.INTERNAL_ERRORS) + b.counters().get(IfaceCounter.INTERNAL_ERRORS));
    }

    @Test
    @Tag("allocation")
    void aSteadyStreamOfPingsAllocatesNothingPerEcho() {
        boards(wire.connect("A", MAC_A));
        int[] sequence = {0};
        Runnable oneEcho = () -> {
            long now = clock.nanoTime();
            a.ping(B, 7, ++sequence[0] & 0xFFFF, 56, now);
            // A sends, B answers, A takes the reply: three polls settle one echo on a zero-latency wire.
            while (a.poll(now) + b.poll(now) > 0) {
                // keep going until both are idle
            }
            clock.advance(1_000_000L);
        };
        AllocationAssert.assertZeroAllocation("one ping echo between two stacks", oneEcho);
        assertTrue(counter.replies > 20_000, "the loop really echoed: " + counter.replies);
        assertEquals(counter.replies, b.counters().get(IfaceCounter.ICMP_TX_ECHO_REPLIES));
    }
}
