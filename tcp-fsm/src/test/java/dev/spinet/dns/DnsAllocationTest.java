package dev.spinet.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.testkit.AllocationAssert;
import dev.spinet.udp.StackPair;
import dev.spinet.wire.IcmpPacket;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The resolver's stack side allocates nothing: a lookup over UDP (a fresh endpoint, the query,
 * the answer checked and parsed, the endpoint closed), one answered from the cache, and one whose
 * truncated answer is taken again over TCP. The test thread plays the application through the
 * engine's slot (as {@link Resolver} does, minus its InetAddresses) and the server answers from
 * prepared bytes with the query's ID patched in.
 */
@Tag("allocation")
class DnsAllocationTest {

    StackPair pair;
    DnsClient dns;
    final byte[] name = DnsReply.name("www.test");
    byte[] udpAnswer;
    byte[] tcpAnswer;

    void start(StackConfig.Builder client, boolean truncate) {
        pair = new StackPair(client, StackConfig.builder());
        dns = pair.client.dns();
        dns.configureServers(StackPair.SERVER);
        new FakeDnsServer(pair.server, (query, offset, length, overTcp, out, outOffset) -> {
            byte[] answer = overTcp || !truncate ? tcpAnswer : udpAnswer;
            System.arraycopy(answer, 0, out, outOffset, answer.length);
            out[outOffset] = query[offset];
            out[outOffset + 1] = query[offset + 1];
            return answer.length;
        });
        byte[] query = new byte[64];
        int length = DnsMessage.writeQuery(query, 0, 0, name, name.length, DnsMessage.TYPE_A);
        udpAnswer = DnsReply.to(query, 0, length).truncated().bytes();
        DnsReply full = DnsReply.to(query, 0, length).cname("", 300, "host.test");
        for (int i = 0; i < 20; i++) {
            full.a("host.test", 300, 0x0A_00_01_00 + i);
        }
        tcpAnswer = full.bytes();
    }

    /** One lookup from the application's side of the slot to the answer, on the test thread. */
    private void lookup() {
        lookup(DnsStatus.OK, 20);
    }

    private void lookup(DnsStatus expected, int addresses) {
        int slot = dns.claim();
        System.arraycopy(name, 0, dns.names[slot], 0, name.length);
        dns.nameLengths[slot] = name.length;
        dns.submit(slot);
        for (int i = 0; i < 100 && dns.states.get(slot) != DnsClient.DONE; i++) {
            pair.exchange();
            pair.now += 1_000_000L;
        }
        if (dns.statuses[slot] != expected || expected == DnsStatus.OK && dns.addressCounts[slot] != addresses) {
            throw new AssertionError("lookup ended " + dns.statuses[slot] + " with " + dns.addressCounts[slot] + " addresses");
        }
        dns.free(slot);
    }

    @Test
    void aLookupOverUdpAllocatesNothing() {
        start(StackConfig.builder().dnsCacheEntries(0), false);
        AllocationAssert.assertZeroAllocation("DNS lookup over UDP with a CNAME and 20 A records", this::lookup);
        assertTrue(dns.counters().get(DnsCounter.QUERIES_SENT_UDP) > 20_000);
        assertEquals(0, pair.client.iface().counters().get(dev.spinet.iface.IfaceCounter.INTERNAL_ERRORS));
    }

    @Test
    void aLookupEndedByAPortUnreachableAllocatesNothing() {
        pair = new StackPair(StackConfig.builder().dnsCacheEntries(0), StackConfig.builder());
        dns = pair.client.dns();
        dns.configureServers(StackPair.SERVER);
        // The server's host answers each query with a port unreachable quoting it: a frame built
        // once, its quoted source port and ID patched in and its checksum written again.
        byte[] unreachable = StackPair.unreachableToClient(StackPair.SERVER, IcmpPacket.CODE_PORT_UNREACHABLE, StackPair.SERVER, 53,
                49152, new byte[4]);
        FakeDnsServer[] server = new FakeDnsServer[1];
        server[0] = new FakeDnsServer(pair.server, (query, offset, length, overTcp, out, outOffset) -> {
            int port = server[0].lastSourcePort;
            unreachable[62] = (byte) (port >>> 8);
            unreachable[63] = (byte) port;
            unreachable[70] = query[offset];
            unreachable[71] = query[offset + 1];
            unreachable[36] = 0;
            unreachable[37] = 0;
            IcmpPacket.writeChecksum(unreachable, 34, unreachable.length - 34);
            pair.injectToClient(unreachable);
            return -1;
        });
        AllocationAssert.assertZeroAllocation("DNS lookup ended by an ICMP port unreachable", () -> lookup(DnsStatus.UNREACHABLE, 0));
        assertTrue(dns.counters().get(DnsCounter.ATTEMPT_UNREACHABLE) > 20_000);
        assertEquals(0, dns.counters().get(DnsCounter.ATTEMPT_TIMEOUTS));
    }

    @Test
    void aLookupAnsweredFromTheCacheAllocatesNothing() {
        start(StackConfig.builder(), false);
        AllocationAssert.assertZeroAllocation("DNS lookup from the cache", this::lookup);
        assertEquals(1, dns.counters().get(DnsCounter.QUERIES_SENT_UDP));
    }

    @Test
    void aTruncatedAnswerTakenAgainOverTcpAllocatesNothing() {
        start(StackConfig.builder().dnsCacheEntries(0), true);
        AllocationAssert.assertZeroAllocation("DNS lookup truncated over UDP, answered over TCP", 5_000, 500, 5, this::lookup);
        assertTrue(dns.counters().get(DnsCounter.QUERIES_SENT_TCP) > 5_000);
        assertEquals(0, dns.counters().get(DnsCounter.TCP_FAILURES));
    }
}
