package dev.spinet.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.udp.StackPair;
import dev.spinet.udp.StackThread;
import dev.spinet.wire.Ipv4Addresses;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The blocking API application threads use, with the engine on a stack thread of its own and a
 * DNS server on the other stack: what {@code resolve} returns and how it fails, in one line.
 */
@Timeout(60)
class ResolverTest {

    StackPair pair;
    StackThread stack;
    Resolver resolver;
    FakeDnsServer server;

    void start(StackConfig.Builder client, FakeDnsServer.Responder responder) {
        pair = new StackPair(client, StackConfig.builder());
        pair.client.dns().configureServers(StackPair.SERVER);
        server = new FakeDnsServer(pair.server, responder);
        resolver = pair.client.resolver();
        stack = new StackThread(pair);
    }

    void start(FakeDnsServer.Responder responder) {
        start(StackConfig.builder(), responder);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (stack != null) {
            stack.close();
        }
    }

    static FakeDnsServer.Responder byName() {
        return (query, offset, length, overTcp, out, outOffset) -> {
            DnsReply reply = DnsReply.to(query, offset, length);
            DnsMessage message = new DnsMessage();
            message.wrap(query, offset, length);
            byte[] name = new byte[DnsMessage.MAX_NAME_LENGTH];
            message.readQuestion(DnsMessage.HEADER_LENGTH, name);
            String asked = DnsMessage.formatName(name, message.nameLength());
            if (asked.startsWith("nosuch")) {
                return reply.rcode(DnsMessage.RCODE_NAME_ERROR).writeTo(out, outOffset);
            }
            return reply.a("", 300, 0x0A_00_00_40 + asked.charAt(1)).writeTo(out, outOffset);
        };
    }

    @Test
    void resolveReturnsInetAddressesThatCarryTheName() throws Exception {
        start(byName());
        List<InetAddress> found = resolver.resolve("h1.test");
        assertEquals(List.of(Ipv4Addresses.toInetAddress(0x0A_00_00_40 + '1')), found);
        assertEquals("h1.test", found.get(0).getHostName());
        DnsAnswer again = resolver.lookup("h1.test", Duration.ofSeconds(5));
        assertEquals(DnsAnswer.Via.CACHE, again.via());
        assertEquals(1, server.udpQueries);
    }

    @Test
    void aNameErrorIsAnUnknownHostExceptionOfOneLine() throws Exception {
        start(byName());
        UnknownHostException e = assertThrows(UnknownHostException.class, () -> resolver.resolve("nosuch.test"));
        assertEquals("nosuch.test: no such name (NXDOMAIN) from 10.0.0.1", e.getMessage());
    }

    @Test
    void literalsAreNotLookedUpAndIpv6IsRefusedInOneLine() throws Exception {
        start(byName());
        assertEquals(List.of(Ipv4Addresses.toInetAddress(0x0A_01_02_03)), resolver.resolve("10.1.2.3"));
        assertEquals(0, server.udpQueries);
        UnknownHostException ipv6 = assertThrows(UnknownHostException.class, () -> resolver.resolve("fe80::1"));
        assertEquals("fe80::1: IPv6 is not supported yet; use an IPv4 address or a name with an A record", ipv6.getMessage());
        UnknownHostException bad = assertThrows(UnknownHostException.class, () -> resolver.resolve("a..b"));
        assertTrue(bad.getMessage().contains("empty label"), bad.getMessage());
        UnknownHostException badChar = assertThrows(UnknownHostException.class, () -> resolver.resolve("a b.test"));
        assertTrue(badChar.getMessage().contains("not a host name"), badChar.getMessage());
    }

    @Test
    void anApplicationThatStopsWaitingGetsATimeoutAndTheSlotIsFreed() throws Exception {
        start(StackConfig.builder().dnsQueries(1, 1_000_000_000L, 3), (query, offset, length, overTcp, out, outOffset) -> -1);
        long started = System.nanoTime();
        UnknownHostException e = assertThrows(UnknownHostException.class, () -> resolver.resolve("h1.test", Duration.ofMillis(300)));
        assertTrue(System.nanoTime() - started < 3_000_000_000L);
        assertTrue(e.getMessage().contains("timeout"), e.getMessage());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (pair.client.dns().slotsInUse() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, pair.client.dns().slotsInUse(), "the stack thread freed the abandoned slot");
    }

    @Test
    void moreLookupsThanSlotsWaitForASlotAndAllSucceed() throws Exception {
        start(StackConfig.builder().dnsQueries(2, 1_000_000_000L, 3).dnsCacheEntries(0), byName());
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<InetAddress>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String name = "h" + i + ".test";
                results.add(threads.submit(() -> resolver.resolve(name, Duration.ofSeconds(20))));
            }
            for (int i = 0; i < 8; i++) {
                assertEquals(List.of(Ipv4Addresses.toInetAddress(0x0A_00_00_40 + ('0' + i))), results.get(i).get());
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(8, server.udpQueries);
    }

    @Test
    void resolvingOnTheStackThreadIsRefused() throws Exception {
        start(byName());
        resolver.resolve("h1.test"); // the stack thread has run once
        Throwable thrown = stack.onStackThread(() -> {
            try {
                resolver.resolve("h2.test");
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        });
        assertInstanceOf(IllegalStateException.class, thrown);
        assertTrue(thrown.getMessage().contains("stack thread"), thrown.getMessage());
    }

    @Test
    void aLookupReportsTheServerAndTransport() throws Exception {
        start(byName());
        DnsAnswer answer = resolver.lookup("h7.test", Duration.ofSeconds(5));
        assertEquals(DnsStatus.OK, answer.status());
        assertEquals(Ipv4Addresses.toInetAddress(StackPair.SERVER), answer.server());
        assertEquals(DnsAnswer.Via.UDP, answer.via());
        assertEquals(300, answer.ttlSeconds());
        assertTrue(!answer.aliased());
        DnsAnswer literal = resolver.lookup("10.0.0.9", Duration.ofSeconds(1));
        assertNull(literal.server());
    }
}
