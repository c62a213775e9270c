package dev.spinet.harness.scenario;

import static dev.spinet.harness.scenario.DhcpBoards.CLIENT_MAC;
import static dev.spinet.harness.scenario.DhcpBoards.POOL;
import static dev.spinet.harness.scenario.DhcpBoards.SECOND;
import static dev.spinet.harness.scenario.DhcpBoards.SERVER;
import static dev.spinet.harness.scenario.DhcpBoards.SERVER_MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.dhcp.DhcpCounter;
import dev.spinet.dhcp.DhcpState;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.testkit.AllocationAssert;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The DHCP client allocates nothing once constructed: not while bound and renewing, not while retransmitting. */
@Tag("allocation")
class DhcpSteadyStateAllocationTest {

    final ManualClock clock = new ManualClock();
    final VirtualWire wire = new VirtualWire(clock);
    final FakeDhcpServer server = new FakeDhcpServer(wire.connect("server", SERVER_MAC), SERVER, 24, POOL, 4, 600);
    final DhcpBoards.Client client = new DhcpBoards.Client(wire.connect("client", CLIENT_MAC), 11);
    final Simulator sim = new Simulator(clock, wire).add(server).add(client.iface);

    /** Jumps to the next thing that can happen and handles everything due then. */
    final Runnable nextEvent = () -> {
        long now = clock.nanoTime();
        long next = sim.nextEvent(now);
        clock.set(next - now > 0 ? next : now + 1);
        sim.settle();
    };

    @Test
    void boundAndRenewingEveryT1AllocatesNothing() {
        assertTrue(sim.runUntil(() -> client.dhcp.state() == DhcpState.BOUND, 10 * SECOND));
        AllocationAssert.assertZeroAllocation("one event of a bound client renewing its lease", nextEvent);
        assertTrue(client.renewed > 10_000, "the loop really renewed: " + client.renewed);
        assertEquals(1, client.acquired);
        assertEquals(0, client.lost);
        assertEquals(DhcpState.BOUND, client.dhcp.state());
    }

    @Test
    void retransmittingDiscoversToASilentNetworkAllocatesNothing() {
        server.silent(true);
        AllocationAssert.assertZeroAllocation("one DISCOVER retransmission", nextEvent);
        assertTrue(client.dhcp.counters().get(DhcpCounter.TX_RETRANSMISSIONS) > 10_000);
        assertEquals(DhcpState.SELECTING, client.dhcp.state());
    }

    @Test
    void losingLeasesAndGettingThemBackAllocatesNothing() {
        assertTrue(sim.runUntil(() -> client.dhcp.state() == DhcpState.BOUND, 10 * SECOND));
        // The server NAKs every renewal: BOUND -> RENEWING -> NAK -> INIT -> pause -> DISCOVER ->
        // OFFER -> REQUEST -> NAK ... so the whole state machine keeps turning.
        server.nakRequests(true);
        AllocationAssert.assertZeroAllocation("one event of a client NAKed again and again", nextEvent);
        assertTrue(server.naks() > 10_000, "NAKs: " + server.naks());
        assertEquals(1, client.lost);
    }
}
