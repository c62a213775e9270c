package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The status page's DNS and UDP-socket members after real resolutions: Spinet (started with
 * {@code --services http --dns-server}) looks names up through its resolver against Debian's
 * dnsmasq on the kernel side of the TAP, then Python's {@code json} module, in the namespace,
 * fetches {@code /status.json} from the board and prints the members it parsed. A name asked
 * twice (dnsmasq's local records given a TTL of 60 s, so the second lookup is the cache's), a
 * name that does not exist, and a name with 31 addresses whose UDP answer dnsmasq truncates
 * (no EDNS, RFC 1035's 512 bytes), so that it is asked again over TCP (RFC 7766 5).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResolverCountersOnStatusPageTest {

    private static final int MANY = 31;

    /** The numbers under {@code member} in the board's status.json, as Python's json parsed them. */
    private static Map<String, Long> statusMember(SpinetOnTap board, String member) throws Exception {
        String script = "import json, sys, urllib.request\n"
                + "d = json.load(urllib.request.urlopen('http://" + board.boardIp + "/status.json', timeout=10))\n"
                + "m = d[sys.argv[1]]\n"
                + "for k, v in m.items():\n"
                + "    if isinstance(v, dict):\n"
                + "        for c, n in v.items(): print(k + '.' + c + '=' + str(n))\n"
                + "    else: print(k + '=' + str(v))\n";
        String output = board.netns.execOk(30, "python3", "-c", script, member);
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : output.strip().split("\n")) {
            int eq = line.indexOf('=');
            values.put(line.substring(0, eq), Long.parseLong(line.substring(eq + 1).strip()));
        }
        return values;
    }

    @Test
    void resolverAndUdpSocketCountersAfterLookups() throws Exception {
        String kernelIp = "10.83.7.1";
        try (SpinetOnTap board = SpinetOnTap.start("skstat", 7, new String[] {"python3", "dnsmasq"},
                "--dns-server", kernelIp, "--services", "http")) {
            List<String> dnsmasq = new ArrayList<>(List.of("dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                    "--log-facility=-", "--interface=" + board.tap, "--bind-interfaces", "--listen-address=" + kernelIp,
                    "--no-resolv", "--no-hosts", "--local=/spinet.test/", "--local-ttl=60",
                    "--host-record=host.spinet.test,10.83.7.10", "--pid-file=" + board.workDir.resolve("dnsmasq.pid")));
            for (int i = 0; i < MANY; i++) {
                dnsmasq.add("--host-record=many.spinet.test,10.83.7." + (100 + i));
            }
            board.background("started, version", dnsmasq.toArray(new String[0]));

            Map<String, Long> before = statusMember(board, "dns");
            assertEquals(0L, before.get("queries"), before::toString);

            NameResolver resolver = board.spinet.resolver();
            assertEquals(List.of(InetAddress.getByName("10.83.7.10")), resolver.resolve("host.spinet.test"));
            assertEquals(List.of(InetAddress.getByName("10.83.7.10")), resolver.resolve("host.spinet.test"));
            assertThrows(UnknownHostException.class, () -> resolver.resolve("nosuch.spinet.test"));
            assertEquals(MANY, resolver.resolve("many.spinet.test").size());

            Map<String, Long> dns = statusMember(board, "dns");
            // host (UDP), nosuch (UDP), many (UDP, truncated, then TCP): four queries, four answers.
            assertEquals(4L, dns.get("queries"), dns::toString);
            assertEquals(4L, dns.get("answers"), dns::toString);
            assertEquals(1L, dns.get("nxdomain"), dns::toString);
            assertEquals(1L, dns.get("cache_hits"), dns::toString);
            assertEquals(1L, dns.get("tcp_retries"), dns::toString);
            assertEquals(0L, dns.get("timeouts"), dns::toString);
            assertEquals(4L, dns.get("counters.LOOKUPS"), dns::toString);
            assertEquals(1L, dns.get("counters.ANSWERS_TRUNCATED"), dns::toString);

            Map<String, Long> udp = statusMember(board, "udp_sockets");
            assertTrue(udp.keySet().containsAll(List.of("datagrams_in", "datagrams_out", "dropped_ring_full",
                    "counters.RX_QUEUED", "counters.TX_SENT", "counters.RX_DROP_QUEUE_FULL")), udp::toString);
            assertEquals(0L, udp.get("datagrams_in"), "the resolver's datagrams are its own, not an application socket's: " + udp);
        }
    }
}
