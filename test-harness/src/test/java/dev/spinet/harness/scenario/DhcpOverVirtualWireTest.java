package dev.spinet.harness.scenario;

import static dev.spinet.harness.scenario.DhcpBoards.CLIENT_MAC;
import static dev.spinet.harness.scenario.DhcpBoards.POOL;
import static dev.spinet.harness.scenario.DhcpBoards.SECOND;
import static dev.spinet.harness.scenario.DhcpBoards.SERVER;
import static dev.spinet.harness.scenario.DhcpBoards.SERVER_MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.dhcp.DhcpCounter;
import dev.spinet.dhcp.DhcpLeaseLoss;
import dev.spinet.dhcp.DhcpState;
import dev.spinet.harness.mock.ManualClock;
import dev.spinet.harness.net.Fault;
import dev.spinet.harness.net.FaultInjector;
import dev.spinet.harness.net.SeedReporter;
import dev.spinet.harness.net.Seeds;
import dev.spinet.harness.net.Simulator;
import dev.spinet.harness.net.VirtualWire;
import dev.spinet.iface.IfaceCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A DhcpClient and the FakeDhcpServer on a virtual wire, in simulated time. */
@ExtendWith(SeedReporter.class)
class DhcpOverVirtualWireTest {

    static final long LEASE = 600;

    final ManualClock clock = new ManualClock();
    final VirtualWire wire = new VirtualWire(clock);
    final FakeDhcpServer server = new FakeDhcpServer(wire.connect("server", SERVER_MAC), SERVER, 24, POOL, 8, LEASE)
            .routerAndDns(SERVER, SERVER);
    DhcpBoards.Client client;
    Simulator sim;

    void start(dev.spinet.hal.eth.FrameDevice clientDevice) {
        wire.latencyNanos(50_000);
        client = new DhcpBoards.Client(clientDevice, Seeds.seed());
        sim = new Simulator(clock, wire).add(server).add(client.iface);
    }

    void startAndBind() {
        start(wire.connect("client", CLIENT_MAC));
        assertTrue(sim.runUntil(() -> client.dhcp.state() == DhcpState.BOUND, 10 * SECOND), "bound within 10 s");
    }

    @Test
    void theHandshakeConfiguresTheClientWhichThenAnswersPing() {
        long started = clock.nanoTime();
        startAndBind();
        assertEquals(POOL, client.iface.localAddress());
        assertEquals(POOL, client.dhcp.address());
        assertEquals(24, client.dhcp.prefixLength());
        assertEquals(SERVER, client.dhcp.router());
        assertEquals(SERVER, client.dhcp.dnsServer());
        assertEquals(SERVER, client.iface.gateway());
        assertEquals(1, client.acquired);
        assertEquals(200_000, clock.nanoTime() - started, "four messages of 50 us each, no timer involved");
        assertEquals(1, server.discovers());
        assertEquals(1, server.offers());
        assertEquals(1, server.requests());
        assertEquals(1, server.acks());
        assertTrue(server.isLeased(POOL));
        int[] replies = {0};
        server.iface().setEchoReplyListener((source, id, seq, length, rtt) -> replies[0]++);
        server.iface().ping(POOL, 1, 1, 16, clock.nanoTime());
        assertTrue(sim.runUntil(() -> replies[0] == 1, SECOND), "the configured client answers ping");
    }

    @Test
    void atT1TheClientRenewsByUnicastAndStaysBound() {
        startAndBind();
        long bound = client.boundAt;
        assertTrue(sim.runUntil(() -> client.renewed == 1, LEASE * SECOND));
        long renewalTook = client.lastRenewedAt - bound;
        assertTrue(renewalTook >= LEASE / 2 * SECOND && renewalTook < LEASE / 2 * SECOND + SECOND,
                "renewed at T1 = 300 s after binding, was " + renewalTook);
        assertEquals(1, server.unicastRequests(), "RENEWING unicasts to the server");
        assertEquals(POOL, server.lastRequestCiaddr());
        assertEquals(DhcpState.BOUND, client.dhcp.state());
        assertEquals(POOL, client.iface.localAddress());
        assertEquals(0, client.lost);
        assertEquals(1, client.dhcp.counters().get(DhcpCounter.LEASES_RENEWED));
        sim.runFor(3 * LEASE * SECOND);
        assertTrue(client.renewed >= 5, "keeps renewing every T1: " + client.renewed);
        assertEquals(0, client.lost);
    }

    @Test
    void whenTheServerIgnoresRenewalsTheClientRebindsAtT2() {
        startAndBind();
        server.ignoreUnicastRequests(true);
        long bound = client.boundAt;
        assertTrue(sim.runUntil(() -> client.renewed == 1, LEASE * SECOND));
        long took = client.lastRenewedAt - bound;
        assertTrue(took >= LEASE * 7 / 8 * SECOND && took < LEASE * 7 / 8 * SECOND + SECOND,
                "rebound at T2 = 525 s, was " + took);
        assertEquals(1, client.dhcp.counters().get(DhcpCounter.LEASES_REBOUND));
        assertEquals(0, client.dhcp.counters().get(DhcpCounter.LEASES_RENEWED));
        assertTrue(server.unicastRequests() >= 2, "renewal was tried (and retried after 60 s) at T1: " + server.unicastRequests());
        assertEquals(2, server.broadcastRequests(), "one in REQUESTING, one in REBINDING");
        assertEquals(POOL, client.iface.localAddress(), "never lost the address");
        assertEquals(0, client.lost);
    }

    @Test
    void whenNoServerAnswersTheLeaseExpiresTheAddressIsDroppedAndDiscoveryRestarts() {
        startAndBind();
        long bound = client.boundAt;
        server.silent(true);
        long discoversBefore = client.dhcp.counters().get(DhcpCounter.TX_DISCOVER);
        assertTrue(sim.runUntil(() -> client.lost == 1, 2 * LEASE * SECOND));
        assertEquals(DhcpLeaseLoss.EXPIRED, client.lastLoss);
        long heldFor = client.lostAt - bound;
        // The lease runs from the REQUEST, sent 100 us (two hops) before the ACK bound the client.
        assertEquals(LEASE * SECOND - 100_000, heldFor, "expired exactly one lease after the request");
        assertEquals(0, client.iface.localAddress());
        assertEquals(DhcpState.SELECTING, client.dhcp.state());
        assertEquals(discoversBefore + 1, client.dhcp.counters().get(DhcpCounter.TX_DISCOVER));
        server.silent(false);
        assertTrue(sim.runUntil(() -> client.acquired == 2, 120 * SECOND), "gets a lease again once the server is back");
        assertEquals(POOL, client.iface.localAddress(), "the same address (asked for with option 50)");
    }

    @Test
    void aNakAtRenewalDropsTheAddressAndTheClientStartsOver() {
        startAndBind();
        server.nakRequests(true);
        assertTrue(sim.runUntil(() -> client.lost == 1, LEASE * SECOND));
        assertEquals(DhcpLeaseLoss.NAK, client.lastLoss);
        assertEquals(0, client.iface.localAddress());
        assertEquals(DhcpState.INIT, client.dhcp.state());
        int naksBefore = server.naks();
        sim.runFor(60 * SECOND);
        int naks = server.naks() - naksBefore;
        // One try per pause of 1..10 s (RFC 2131 4.4.1's wait): between 6 and 60 tries in 60 s, never a storm.
        assertTrue(naks >= 5 && naks <= 61, "while the server NAKs, the client keeps trying, paced: " + naks);
        server.nakRequests(false);
        assertTrue(sim.runUntil(() -> client.dhcp.state() == DhcpState.BOUND, 60 * SECOND));
        assertEquals(POOL, client.iface.localAddress());
    }

    @Test
    void aRebootedBoardGetsItsAddressBackWithOneRequest() {
        startAndBind();
        // The board restarts: a new stack on a new port with the same MAC, remembering its address.
        wire.setLinkUp(wire.port("client"), false);
        DhcpBoards.Client rebooted = new DhcpBoards.Client(wire.connect("client-after-reboot", CLIENT_MAC), Seeds.seed() + 1);
        rebooted.dhcp.rebootWith(POOL);
        Simulator after = new Simulator(clock, wire).add(server).add(rebooted.iface);
        int discovers = server.discovers();
        assertTrue(after.runUntil(() -> rebooted.dhcp.state() == DhcpState.BOUND, 10 * SECOND));
        assertEquals(POOL, rebooted.iface.localAddress());
        assertEquals(discovers, server.discovers(), "INIT-REBOOT: no DISCOVER needed");
        assertEquals(2, server.acks());
    }

    @Test
    void aRebootedBoardOnAnotherNetworkIsNakedAndDiscovers() {
        start(wire.connect("client", CLIENT_MAC));
        client.dhcp.rebootWith(0x0A_63_00_07); // 10.99.0.7: an address from some other network
        assertTrue(sim.runUntil(() -> client.dhcp.state() == DhcpState.BOUND, 10 * SECOND));
        assertEquals(1, server.naks());
        assertEquals(POOL, client.iface.localAddress());
    }

    @Test
    void lostDiscoversAreRetransmittedWithExponentialBackoff() {
        FaultInjector lossy = new FaultInjector(wire.connect("client", CLIENT_MAC), clock, Seeds.seed()).loss(1.0);
        start(lossy);
        long[] sentAt = new long[4];
        for (int n = 1; n <= 4; n++) {
            int count = n;
            assertTrue(sim.runUntil(() -> client.dhcp.counters().get(DhcpCounter.TX_DISCOVER) == count, 100 * SECOND));
            sentAt[n - 1] = clock.nanoTime();
        }
        long[] expected = {4, 8, 16};
        for (int i = 0; i < 3; i++) {
            long gap = sentAt[i + 1] - sentAt[i];
            assertTrue(gap >= (expected[i] - 1) * SECOND && gap <= (expected[i] + 1) * SECOND,
                    "gap " + (i + 1) + " should be " + expected[i] + " +- 1 s, was " + gap);
        }
        assertEquals(4, lossy.count(Fault.LOST));
        assertEquals(0, server.discovers());
        lossy.loss(0);
        assertTrue(sim.runUntil(() -> client.dhcp.state() == DhcpState.BOUND, 70 * SECOND), "the fifth DISCOVER gets through");
        assertEquals(1, server.discovers());
        assertTrue(server.lastRequestSecs() >= 28, "secs counts from the first DISCOVER: " + server.lastRequestSecs());
        assertEquals(0, client.iface.counters().get(IfaceCounter.INTERNAL_ERRORS));
    }
}
