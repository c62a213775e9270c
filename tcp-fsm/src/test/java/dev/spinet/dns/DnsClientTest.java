package dev.spinet.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.udp.StackPair;
import dev.spinet.udp.UdpCounter;
import dev.spinet.wire.EthernetFrame;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Packet;
import dev.spinet.wire.UdpDatagram;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The resolver's engine against a DNS server on a second stack: what it asks (exact bytes), what
 * it believes (RFC 5452 9.1, RFC 1035 4.1 parsed defensively: each flawed answer named after its
 * flaw and counted), aliases, negative answers, retries and timeouts on a manual clock, the cache
 * and its TTLs, and a truncated answer taken again over TCP.
 */
@Timeout(60)
class DnsClientTest {

    static final long SECOND = 1_000_000_000L;
    static final int HOST = 0x0A_00_00_63; // 10.0.0.99
    static final int HOST2 = 0x0A_00_00_64;

    StackPair pair;
    DnsClient dns;
    FakeDnsServer server;
    final List<Long> queryTimes = new ArrayList<>();

    void start(StackConfig.Builder client, FakeDnsServer.Responder responder) {
        pair = new StackPair(client, StackConfig.builder());
        dns = pair.client.dns();
        dns.configureServers(StackPair.SERVER);
        server = new FakeDnsServer(pair.server, (query, offset, length, overTcp, out, outOffset) -> {
            queryTimes.add(pair.now);
            return responder.respond(query, offset, length, overTcp, out, outOffset);
        });
    }

    void start(FakeDnsServer.Responder responder) {
        start(StackConfig.builder().dnsQueries(2, SECOND, 3).dnsCacheEntries(4), responder);
    }

    static FakeDnsServer.Responder answering(java.util.function.UnaryOperator<DnsReply> reply) {
        return (query, offset, length, overTcp, out, outOffset) -> reply.apply(DnsReply.to(query, offset, length)).writeTo(out, outOffset);
    }

    record Lookup(DnsStatus status, List<Integer> addresses, String canonical, long ttl, int via, int server) {
    }

    int submit(String name) {
        int slot = dns.claim();
        dns.nameLengths[slot] = DnsMessage.encodeName(name, dns.names[slot]);
        dns.submit(slot);
        return slot;
    }

    Lookup finish(int slot) {
        assertTrue(pair.runUntil(() -> dns.states.get(slot) == DnsClient.DONE, 60 * SECOND), "the lookup ended");
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i < dns.addressCounts[slot]; i++) {
            found.add(dns.addresses[slot][i]);
        }
        Lookup lookup = new Lookup(dns.statuses[slot], dns.statuses[slot] == DnsStatus.OK ? found : List.of(),
                DnsMessage.formatName(dns.canonicalNames[slot], dns.canonicalLengths[slot]), dns.ttlSeconds[slot], dns.transports[slot],
                dns.answeredBy[slot]);
        dns.free(slot);
        return lookup;
    }

    Lookup lookup(String name) {
        return finish(submit(name));
    }

    long count(DnsCounter counter) {
        return dns.counters().get(counter);
    }

    // ---- what is asked ----

    @Test
    void theQueryIsAStandardRecursiveQueryForOneARecordInExactBytes() {
        start(answering(r -> r.a("", 300, HOST)));
        Lookup found = lookup("www.test");
        assertEquals(DnsStatus.OK, found.status());
        byte[] expected = {
            0, 0, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, // ID (checked apart), RD, QDCOUNT 1
            3, 'w', 'w', 'w', 4, 't', 'e', 's', 't', 0, 0, 1, 0, 1}; // www.test A IN
        byte[] query = Arrays.copyOf(server.lastQuery, server.lastQueryLength);
        query[0] = 0;
        query[1] = 0;
        assertArrayEquals(expected, query);
        assertTrue(server.lastSourcePort >= 49152, "a dynamic source port: " + server.lastSourcePort);
    }

    @Test
    void everyQueryHasAnUnpredictableIdAndSourcePort() {
        start(StackConfig.builder().dnsQueries(1, SECOND, 1).dnsCacheEntries(0), answering(r -> r.a("", 300, HOST)));
        Set<Integer> ids = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            assertEquals(DnsStatus.OK, lookup("www.test").status());
            ids.add(server.lastId());
            ports.add(server.lastSourcePort);
            assertTrue(server.lastSourcePort >= 49152);
        }
        assertTrue(ids.size() >= 18, "RFC 5452 9.2: random IDs, got " + ids);
        assertTrue(ports.size() >= 18, "RFC 5452 9.2: random ports, got " + ports);
        assertEquals(pair.client.udp().capacity(), pair.client.udp().freeEndpoints(), "every query's endpoint closed again");
    }

    // ---- answers ----

    @Test
    void twoARecordsAreReturnedInOrderWithTheirTtl() {
        start(answering(r -> r.a("", 300, HOST).a("", 120, HOST2)));
        Lookup found = lookup("www.test");
        assertEquals(List.of(HOST, HOST2), found.addresses());
        assertEquals(120, found.ttl(), "the smallest TTL");
        assertEquals(DnsClient.VIA_UDP, found.via());
        assertEquals(StackPair.SERVER, found.server());
        assertEquals("www.test", found.canonical());
        assertEquals(1, count(DnsCounter.LOOKUPS_OK));
    }

    @Test
    void aCnameChainInOneAnswerIsFollowedToTheAddresses() {
        start(answering(r -> r.cname("", 600, "mid.test").cname("mid.test", 60, "host.test").a("host.test", 300, HOST)
                .a("other.test", 300, HOST2)));
        Lookup found = lookup("alias.test");
        assertEquals(List.of(HOST), found.addresses(), "only the canonical name's records");
        assertEquals("host.test", found.canonical());
        assertEquals(60, found.ttl(), "the smallest TTL of the chain");
        assertEquals(2, count(DnsCounter.CNAMES_FOLLOWED));
    }

    @Test
    void anAliasWithoutItsAddressesIsAskedAgainUnderItsCanonicalName() {
        start((query, offset, length, overTcp, out, outOffset) -> {
            DnsReply reply = DnsReply.to(query, offset, length);
            boolean forAlias = server.lastQuestion().equals("alias.test");
            return (forAlias ? reply.cname("", 300, "host.test") : reply.a("", 300, HOST)).writeTo(out, outOffset);
        });
        Lookup found = lookup("alias.test");
        assertEquals(List.of(HOST), found.addresses());
        assertEquals("host.test", found.canonical());
        assertEquals("host.test", server.lastQuestion(), "RFC 1034 5.3.3: the canonical name asked");
        assertEquals(2, server.udpQueries);
        assertEquals(1, count(DnsCounter.CNAME_RESTARTS));
    }

    @Test
    void aCnameLoopEndsTheLookup() {
        start(answering(r -> r.cname("a.test", 300, "b.test").cname("b.test", 300, "a.test")));
        assertEquals(DnsStatus.CNAME_LOOP, lookup("a.test").status());
        assertEquals(1, count(DnsCounter.CNAME_LOOPS));
    }

    @Test
    void nxdomainIsANameErrorCachedForTheSoaNegativeTtl() {
        start(answering(r -> r.rcode(DnsMessage.RCODE_NAME_ERROR).soa("test", 60, 30)));
        Lookup first = lookup("nosuch.test");
        assertEquals(DnsStatus.NAME_ERROR, first.status());
        assertEquals(30, first.ttl(), "RFC 2308 5: min(SOA TTL 60, MINIMUM 30)");
        pair.runFor(29 * SECOND);
        assertEquals(DnsStatus.NAME_ERROR, lookup("nosuch.test").status());
        assertEquals(1, server.udpQueries, "the second answer came from the cache");
        pair.runFor(2 * SECOND);
        assertEquals(DnsStatus.NAME_ERROR, lookup("nosuch.test").status());
        assertEquals(2, server.udpQueries, "expired after 30 s");
    }

    @Test
    void aNegativeAnswerWithoutSoaIsNotCached() {
        start(answering(r -> r.rcode(DnsMessage.RCODE_NAME_ERROR)));
        lookup("nosuch.test");
        lookup("nosuch.test");
        assertEquals(2, server.udpQueries);
    }

    @Test
    void noErrorWithoutARecordsIsNoAddress() {
        start(answering(r -> r.soa("test", 300, 300)));
        assertEquals(DnsStatus.NO_ADDRESS, lookup("txtonly.test").status());
    }

    // ---- retries, timeouts, failures ----

    @Test
    void aSilentServerIsAskedThreeTimesWithDoublingWaitsThenTheLookupTimesOut() {
        start((query, offset, length, overTcp, out, outOffset) -> -1);
        long started = pair.now;
        Lookup lookup = lookup("www.test");
        assertEquals(DnsStatus.TIMEOUT, lookup.status());
        assertEquals(List.of(started, started + SECOND, started + 3 * SECOND), queryTimes, "waits of 1, 2 and 4 s");
        assertEquals(started + 7 * SECOND, pair.now, "given up 1 + 2 + 4 s after the first query");
        assertEquals(3, count(DnsCounter.ATTEMPT_TIMEOUTS));
        assertEquals(3, count(DnsCounter.QUERIES_SENT_UDP));
    }

    @Test
    void aServerFailureMovesToTheNextServer() {
        int[] calls = {0};
        start((query, offset, length, overTcp, out, outOffset) -> {
            DnsReply reply = DnsReply.to(query, offset, length);
            return (calls[0]++ == 0 ? reply.rcode(DnsMessage.RCODE_SERVER_FAILURE) : reply.a("", 300, HOST)).writeTo(out, outOffset);
        });
        dns.configureServers(StackPair.SERVER, StackPair.SERVER);
        assertEquals(List.of(HOST), lookup("www.test").addresses());
        assertEquals(1, count(DnsCounter.RCODE_FAILURE));
        assertEquals(2, server.udpQueries);
    }

    @Test
    void whenEveryServerFailsTheLookupIsAServerFailureAtOnce() {
        start(answering(r -> r.rcode(DnsMessage.RCODE_REFUSED)));
        dns.configureServers(StackPair.SERVER, StackPair.SERVER);
        long started = pair.now;
        assertEquals(DnsStatus.SERVER_FAILURE, lookup("www.test").status());
        assertEquals(2, server.udpQueries, "each server once, no further rounds");
        assertTrue(pair.now - started < SECOND, "no waiting for timeouts");
    }

    @Test
    void withoutServersTheLookupFailsAtOnce() {
        start(answering(r -> r.a("", 300, HOST)));
        dns.configureServers();
        assertEquals(DnsStatus.NO_SERVERS, lookup("www.test").status());
        assertEquals(0, server.udpQueries);
    }

    @Test
    void serversFromDhcpAreUsedUnlessServersAreConfigured() {
        start(answering(r -> r.a("", 300, HOST)));
        dns.configureServers();
        dns.dhcpServers(new int[] {StackPair.SERVER, 0x0A_00_00_05}, 2);
        assertEquals(2, dns.serverCount());
        assertEquals(DnsStatus.OK, lookup("www.test").status());
        dns.configureServers(0x0A_00_00_07);
        assertEquals(0x0A_00_00_07, dns.server(0), "configured servers win");
        dns.configureServers();
        dns.dhcpServers(null, 0);
        assertEquals(0, dns.serverCount(), "a lost lease forgets them");
    }

    // ---- RFC 5452 9.1 and malformed answers ----

    /** A UDP frame from {@code sourceIp:sourcePort} to the client's query port carrying {@code dns}. */
    byte[] frameToClient(int sourceIp, int sourcePort, byte[] dns) {
        byte[] frame = new byte[42 + dns.length];
        EthernetFrame.writeHeader(frame, 0, StackPair.CLIENT_MAC, StackPair.SERVER_MAC, EthernetFrame.TYPE_IPV4);
        Ipv4Packet.writeHeader(frame, 14, 28 + dns.length, 7, false, 64, Ipv4Packet.PROTOCOL_UDP, sourceIp, StackPair.CLIENT);
        UdpDatagram.writeHeader(frame, 34, sourcePort, server.lastSourcePort, dns.length);
        System.arraycopy(dns, 0, frame, 42, dns.length);
        UdpDatagram.writeChecksum(frame, 34, 8 + dns.length, sourceIp, StackPair.CLIENT);
        return frame;
    }

    DnsReply replyToLastQuery() {
        return DnsReply.to(server.lastQuery, 0, server.lastQueryLength);
    }

    /** Starts a lookup the server does not answer, so the test answers (or forges) it. */
    int silentLookup() {
        start((query, offset, length, overTcp, out, outOffset) -> -1);
        int slot = submit("www.test");
        pair.exchange();
        assertEquals(1, server.udpQueries);
        return slot;
    }

    @Test
    void answersFromAnotherAddressOrPortOrWithAnotherIdAreDroppedAndTheGenuineOneIsTaken() {
        int slot = silentLookup();
        byte[] genuine = replyToLastQuery().a("", 300, HOST).bytes();
        pair.injectToClient(frameToClient(0x0A_00_00_05, 53, genuine));
        pair.injectToClient(frameToClient(StackPair.SERVER, 5353, genuine));
        pair.injectToClient(frameToClient(StackPair.SERVER, 53, replyToLastQuery().id(server.lastId() ^ 1).a("", 300, HOST2).bytes()));
        pair.exchange();
        assertEquals(2, count(DnsCounter.RX_DROP_WRONG_SOURCE));
        assertEquals(1, count(DnsCounter.RX_DROP_WRONG_ID));
        assertEquals(DnsClient.ACTIVE, dns.states.get(slot), "still waiting");
        pair.injectToClient(frameToClient(StackPair.SERVER, 53, genuine));
        assertEquals(List.of(HOST), finish(slot).addresses());
    }

    // ---- ICMP errors about a query (RFC 1122 4.1.3.3) ----

    /** The first bytes of the last query the server saw: its ID and flags, as a router quotes them. */
    byte[] lastQueryHead() {
        return Arrays.copyOf(server.lastQuery, 4);
    }

    @Test
    void aPortUnreachableFromTheServerAskedMovesToTheNextServerAtOnce() {
        int[] calls = {0};
        start((query, offset, length, overTcp, out, outOffset) ->
                calls[0]++ == 0 ? -1 : DnsReply.to(query, offset, length).a("", 300, HOST).writeTo(out, outOffset));
        dns.configureServers(StackPair.SERVER, StackPair.SERVER);
        long started = pair.now;
        int slot = submit("www.test");
        pair.exchange();
        assertEquals(1, server.udpQueries);
        pair.injectToClient(StackPair.unreachableToClient(StackPair.SERVER, IcmpPacket.CODE_PORT_UNREACHABLE, StackPair.SERVER, 53,
                server.lastSourcePort, lastQueryHead()));
        assertEquals(List.of(HOST), finish(slot).addresses());
        assertEquals(2, server.udpQueries);
        assertEquals(1, count(DnsCounter.ATTEMPT_UNREACHABLE));
        assertEquals(0, count(DnsCounter.ATTEMPT_TIMEOUTS));
        assertTrue(pair.now - started < SECOND, "the next server was asked without waiting for the timeout");
    }

    @Test
    void whenEveryServerIsUnreachableTheLookupEndsAtOnceSayingSo() {
        int slot = silentLookup();
        long started = pair.now;
        pair.injectToClient(StackPair.unreachableToClient(StackPair.SERVER, IcmpPacket.CODE_PORT_UNREACHABLE, StackPair.SERVER, 53,
                server.lastSourcePort, lastQueryHead()));
        Lookup lookup = finish(slot);
        assertEquals(DnsStatus.UNREACHABLE, lookup.status());
        assertTrue(DnsStatus.UNREACHABLE.meaning().contains("port unreachable"), DnsStatus.UNREACHABLE.meaning());
        assertEquals(1, server.udpQueries, "no further rounds to a server that runs no DNS");
        assertTrue(pair.now - started < SECOND, "no waiting for the timeout");
    }

    @Test
    void unreachablesThatDoNotQuoteTheQueryInFlightAreDroppedAndCounted() {
        int slot = silentLookup();
        int port = server.lastSourcePort;
        byte[] head = lastQueryHead();
        byte[] otherId = head.clone();
        otherId[1] ^= 1;
        pair.injectToClient(StackPair.unreachableToClient(StackPair.SERVER, IcmpPacket.CODE_PORT_UNREACHABLE, StackPair.SERVER, 53, port, otherId));
        pair.injectToClient(StackPair.unreachableToClient(StackPair.SERVER, IcmpPacket.CODE_PORT_UNREACHABLE, 0x0A_00_00_05, 53, port, head));
        pair.injectToClient(StackPair.unreachableToClient(StackPair.SERVER, IcmpPacket.CODE_PORT_UNREACHABLE, StackPair.SERVER, 5353, port, head));
        pair.injectToClient(StackPair.unreachableToClient(StackPair.SERVER, IcmpPacket.CODE_PORT_UNREACHABLE, StackPair.SERVER, 53,
                port == 65535 ? 49152 : port + 1, head));
        pair.injectToClient(StackPair.unreachableToClient(StackPair.SERVER, IcmpPacket.CODE_PORT_UNREACHABLE, StackPair.SERVER, 53, 0, head));
        pair.injectToClient(StackPair.unreachableToClient(StackPair.SERVER, IcmpPacket.CODE_FRAGMENTATION_NEEDED, StackPair.SERVER, 53, port, head));
        pair.exchange();
        assertEquals(3, count(DnsCounter.ICMP_DROP_NOT_OUR_QUERY), "another ID, another server, another port");
        assertEquals(1, pair.client.udp().counters().get(UdpCounter.ICMP_DROP_NO_ENDPOINT), "a port nobody holds");
        assertEquals(1, pair.client.udp().counters().get(UdpCounter.ICMP_DROP_BAD_QUOTE), "source port 0");
        assertEquals(0, count(DnsCounter.ATTEMPT_UNREACHABLE));
        assertEquals(DnsClient.ACTIVE, dns.states.get(slot), "still waiting");
        pair.injectToClient(frameToClient(StackPair.SERVER, 53, replyToLastQuery().a("", 300, HOST).bytes()));
        assertEquals(List.of(HOST), finish(slot).addresses());
    }

    @Test
    void softUnreachablesLeaveTheAttemptToItsTimeoutAsLinuxHidesThemFromAConnectedSocket() {
        // Linux's __udp4_lib_err reports to a connected socket (glibc's resolver uses one) only the
        // codes icmp_err_convert marks fatal; net and host unreachable (0, 1), source route failed
        // (5) and the type-of-service ones (11, 12) are soft (RFC 1122 4.2.3.9 names 0, 1, 5 so),
        // often a router's passing trouble, and the resolver goes on waiting.
        int slot = silentLookup();
        int port = server.lastSourcePort;
        byte[] head = lastQueryHead();
        int router = 0x0A_00_00_FE;
        for (int code : new int[] {IcmpPacket.CODE_NET_UNREACHABLE, IcmpPacket.CODE_HOST_UNREACHABLE, IcmpPacket.CODE_FRAGMENTATION_NEEDED,
                IcmpPacket.CODE_SOURCE_ROUTE_FAILED, 11, 12}) {
            pair.injectToClient(StackPair.unreachableToClient(router, code, StackPair.SERVER, 53, port, head));
        }
        pair.exchange();
        assertEquals(0, count(DnsCounter.ATTEMPT_UNREACHABLE));
        assertEquals(6, count(DnsCounter.ICMP_SOFT_IGNORED));
        assertEquals(DnsClient.ACTIVE, dns.states.get(slot), "still waiting");
        pair.injectToClient(frameToClient(StackPair.SERVER, 53, replyToLastQuery().a("", 300, HOST).bytes()));
        assertEquals(List.of(HOST), finish(slot).addresses());
    }

    @Test
    void anAdministrativelyProhibitedUnreachableEndsTheAttemptAsAPortUnreachableDoes() {
        // A firewall's REJECT (iptables --reject-with icmp-admin-prohibited): hard, as in Linux's table.
        int slot = silentLookup();
        pair.injectToClient(StackPair.unreachableToClient(0x0A_00_00_FE, IcmpPacket.CODE_ADMINISTRATIVELY_PROHIBITED, StackPair.SERVER, 53,
                server.lastSourcePort, lastQueryHead()));
        assertEquals(DnsStatus.UNREACHABLE, finish(slot).status());
        assertEquals(1, count(DnsCounter.ATTEMPT_UNREACHABLE));
    }

    static Stream<Arguments> flawedAnswers() {
        // Each builds a flawed answer to the query for www.test: the header (12 octets), the question (14), then the
        // answer section from offset 26.
        return Stream.of(
                flaw("truncated_header_11_bytes", DnsCounter.RX_DROP_TRUNCATED_HEADER, q -> Arrays.copyOf(q.a("", 300, HOST2).bytes(), 11)),
                flaw("not_a_response_qr_clear", DnsCounter.RX_DROP_NOT_A_RESPONSE, q -> q.flags(0x0180).a("", 300, HOST2).bytes()),
                flaw("opcode_status", DnsCounter.RX_DROP_NOT_A_RESPONSE, q -> q.flags(0x9180).a("", 300, HOST2).bytes()),
                flaw("no_question", DnsCounter.RX_DROP_WRONG_QUESTION, q -> {
                    byte[] b = q.questionCount(0).bytes();
                    return Arrays.copyOf(b, 12);
                }),
                flaw("another_question_name", DnsCounter.RX_DROP_WRONG_QUESTION, q -> {
                    byte[] b = q.a("", 300, HOST2).bytes();
                    b[13] = 'x'; // xww.test
                    return b;
                }),
                flaw("question_type_aaaa", DnsCounter.RX_DROP_WRONG_QUESTION, q -> {
                    byte[] b = q.a("", 300, HOST2).bytes();
                    b[12 + 10 + 1] = 28;
                    return b;
                }),
                flaw("owner_pointer_to_itself", DnsCounter.RX_DROP_POINTER_LOOP,
                        q -> q.rawAnswer(0xC0, 26, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 98).bytes()),
                flaw("owner_pointer_forward", DnsCounter.RX_DROP_POINTER_LOOP,
                        q -> q.rawAnswer(0xC0, 50, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 98).bytes()),
                flaw("label_then_pointer_back_to_its_own_start", DnsCounter.RX_DROP_POINTER_LOOP,
                        q -> q.rawAnswer(1, 'a', 0xC0, 26, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 98).bytes()),
                flaw("label_past_the_end", DnsCounter.RX_DROP_NAME_PAST_END, q -> q.rawAnswer(50, 'a', 'b').bytes()),
                flaw("answer_count_above_the_records", DnsCounter.RX_DROP_NAME_PAST_END, q -> {
                    byte[] b = q.a("", 300, HOST2).bytes();
                    b[7] = 2;
                    return b;
                }),
                flaw("rdata_past_the_end", DnsCounter.RX_DROP_RECORD_PAST_END,
                        q -> q.rawAnswer(0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 100, 10, 0, 0, 98).bytes()),
                flaw("fixed_fields_past_the_end", DnsCounter.RX_DROP_RECORD_PAST_END, q -> q.rawAnswer(0xC0, 12, 0, 1, 0, 1).bytes()),
                flaw("a_rdata_5_octets", DnsCounter.RX_DROP_BAD_RDATA,
                        q -> q.rawAnswer(0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 5, 10, 0, 0, 98, 1).bytes()),
                flaw("cname_rdata_longer_than_its_name", DnsCounter.RX_DROP_BAD_RDATA,
                        q -> q.rawAnswer(0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 4, 1, 'h', 0, 9).bytes()),
                flaw("extended_label_type_0x40", DnsCounter.RX_DROP_BAD_LABEL_TYPE,
                        q -> q.rawAnswer(0x41, 'a', 0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 98).bytes()),
                flaw("name_of_320_octets", DnsCounter.RX_DROP_NAME_TOO_LONG, q -> {
                    byte[] label = new byte[64];
                    label[0] = 63;
                    Arrays.fill(label, 1, 64, (byte) 'a');
                    java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
                    for (int i = 0; i < 5; i++) {
                        raw.writeBytes(label);
                    }
                    raw.writeBytes(new byte[] {0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 98});
                    return q.rawAnswer(raw.toByteArray()).bytes();
                }));
    }

    private static Arguments flaw(String name, DnsCounter counter, java.util.function.Function<DnsReply, byte[]> build) {
        return Arguments.of(name, counter, build);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flawedAnswers")
    void aFlawedAnswerIsCountedAndDroppedAndTheLookupWaitsOn(String name, DnsCounter counter,
                                                              java.util.function.Function<DnsReply, byte[]> build) {
        int slot = silentLookup();
        byte[] flawed = build.apply(replyToLastQuery());
        pair.injectToClient(frameToClient(StackPair.SERVER, 53, flawed));
        pair.exchange();
        assertEquals(1, count(counter), name + ": " + dns.counters());
        assertEquals(DnsClient.ACTIVE, dns.states.get(slot), "a flawed datagram neither answers nor ends the lookup");
        assertEquals(0, pair.client.iface().counters().get(dev.spinet.iface.IfaceCounter.INTERNAL_ERRORS));
        pair.injectToClient(frameToClient(StackPair.SERVER, 53, replyToLastQuery().a("", 300, HOST).bytes()));
        assertEquals(List.of(HOST), finish(slot).addresses());
    }

    @Test
    void everyPrefixOfAFlawedAnswerIsHandledWithoutAnInternalError() {
        int slot = silentLookup();
        List<Supplier<byte[]>> answers = new ArrayList<>();
        flawedAnswers().forEach(arguments -> {
            @SuppressWarnings("unchecked")
            java.util.function.Function<DnsReply, byte[]> build = (java.util.function.Function<DnsReply, byte[]>) arguments.get()[2];
            answers.add(() -> build.apply(replyToLastQuery()));
        });
        for (Supplier<byte[]> answer : answers) {
            byte[] whole = answer.get();
            for (int length = 0; length <= whole.length; length++) {
                pair.injectToClient(frameToClient(StackPair.SERVER, 53, Arrays.copyOf(whole, length)));
                pair.exchange();
            }
        }
        assertEquals(0, pair.client.iface().counters().get(dev.spinet.iface.IfaceCounter.INTERNAL_ERRORS),
                String.valueOf(pair.client.iface().lastInternalError()));
        assertEquals(0, pair.client.udp().counters().get(dev.spinet.udp.UdpCounter.RX_HANDLER_ERRORS));
        assertEquals(DnsClient.ACTIVE, dns.states.get(slot));
    }

    // ---- TCP ----

    @Test
    void aTruncatedAnswerIsAskedAgainOverTcpAndTheWholeAnswerTaken() {
        start((query, offset, length, overTcp, out, outOffset) -> {
            DnsReply reply = DnsReply.to(query, offset, length);
            if (!overTcp) {
                return reply.truncated().a("", 300, 0x0A_00_01_00).writeTo(out, outOffset);
            }
            for (int i = 0; i < 31; i++) {
                reply.a("", 300, 0x0A_00_01_00 + i);
            }
            return reply.writeTo(out, outOffset);
        });
        Lookup found = lookup("many.test");
        assertEquals(DnsStatus.OK, found.status());
        assertEquals(31, found.addresses().size());
        assertEquals(0x0A_00_01_1E, (int) found.addresses().get(30));
        assertEquals(DnsClient.VIA_TCP, found.via());
        assertEquals(1, server.tcpQueries);
        assertEquals(1, count(DnsCounter.ANSWERS_TRUNCATED));
        assertEquals(1, count(DnsCounter.QUERIES_SENT_TCP));
        pair.runFor(SECOND);
        assertEquals(0, pair.client.tcp().connectionsInUse(), "the connection was closed");
    }

    @Test
    void aTcpAnswerLongerThanConfiguredIsAServerFailure() {
        start(StackConfig.builder().dnsQueries(1, SECOND, 3).dnsTcpMessageBytes(512), (query, offset, length, overTcp, out, outOffset) -> {
            DnsReply reply = DnsReply.to(query, offset, length);
            if (!overTcp) {
                return reply.truncated().writeTo(out, outOffset);
            }
            for (int i = 0; i < 40; i++) {
                reply.a("", 300, 0x0A_00_01_00 + i);
            }
            return reply.writeTo(out, outOffset);
        });
        assertEquals(DnsStatus.SERVER_FAILURE, lookup("many.test").status());
        assertEquals(1, count(DnsCounter.TCP_ANSWER_TOO_LONG));
        pair.runFor(SECOND);
        assertEquals(0, pair.client.tcp().connectionsInUse());
    }

    @Test
    void aTcpServerThatClosesWithoutAnsweringIsAServerFailure() {
        start((query, offset, length, overTcp, out, outOffset) -> overTcp ? -1
                : DnsReply.to(query, offset, length).truncated().writeTo(out, outOffset));
        assertEquals(DnsStatus.SERVER_FAILURE, lookup("many.test").status());
        assertEquals(1, count(DnsCounter.TCP_FAILURES));
    }

    // ---- cache ----

    @Test
    void aCachedAnswerLivesForItsTtlAndNoLonger() {
        start(answering(r -> r.a("", 5, HOST)));
        assertEquals(5, lookup("www.test").ttl());
        pair.runFor(4 * SECOND);
        Lookup cached = lookup("WWW.Test");
        assertEquals(List.of(HOST), cached.addresses(), "names compare without case (RFC 4343)");
        assertEquals(DnsClient.VIA_CACHE, cached.via());
        assertEquals(1, cached.ttl(), "what is left");
        assertEquals(1, server.udpQueries);
        pair.runFor(SECOND);
        assertEquals(DnsClient.VIA_UDP, lookup("www.test").via(), "expired after 5 s");
        assertEquals(2, server.udpQueries);
    }

    @Test
    void ttlZeroAndTtlsWithTheTopBitSetAreNotCached() {
        start(answering(r -> r.a("", 0, HOST)));
        lookup("www.test");
        lookup("www.test");
        assertEquals(2, server.udpQueries);
        server.responder = answering(r -> r.a("", 0x8000_0000L, HOST));
        Lookup found = lookup("www.test");
        assertEquals(0, found.ttl(), "RFC 2181 8: taken as 0");
        lookup("www.test");
        assertEquals(4, server.udpQueries);
    }

    @Test
    void aFullCacheMakesRoomWithTheEntryClosestToExpiring() {
        long[] ttls = {100, 50, 200, 300};
        int[] next = {0};
        start(StackConfig.builder().dnsQueries(1, SECOND, 3).dnsCacheEntries(2),
                (query, offset, length, overTcp, out, outOffset) -> DnsReply.to(query, offset, length).a("", ttls[next[0]++], HOST)
                        .writeTo(out, outOffset));
        lookup("a.test"); // 100 s
        lookup("b.test"); // 50 s
        lookup("c.test"); // 200 s: b goes
        assertEquals(3, server.udpQueries);
        assertEquals(DnsClient.VIA_CACHE, lookup("a.test").via());
        assertEquals(DnsClient.VIA_CACHE, lookup("c.test").via());
        assertEquals(DnsClient.VIA_UDP, lookup("b.test").via());
    }

    @Test
    void theConfigurationRefusesOutOfRangeDnsSizesWithAMessage() {
        for (Supplier<StackConfig.Builder> bad : List.<Supplier<StackConfig.Builder>>of(
                () -> StackConfig.builder().dnsCacheEntries(-1),
                () -> StackConfig.builder().dnsQueries(65, SECOND, 3),
                () -> StackConfig.builder().dnsQueries(2, 0, 3),
                () -> StackConfig.builder().dnsQueries(2, SECOND, 0),
                () -> StackConfig.builder().dnsTcpMessageBytes(511))) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> bad.get().build());
            assertTrue(e.getMessage().startsWith("StackConfig: dns"), e.getMessage());
        }
    }
}
