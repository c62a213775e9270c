package dev.spinet.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.cli.SpinetProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Spinet's resolver against Debian's dnsmasq as the DNS server, inside the test's own namespace:
 * {@code spinet dig} brings a board up on the TAP (kernel side 10.79.8.1, board 10.79.8.2) and
 * looks names up that dnsmasq serves from its command line only ({@code --no-resolv
 * --no-hosts}, {@code --local=/spinet.test/} so that other names are NXDOMAIN): an A record, a
 * CNAME, a name that does not exist, a name with only a TXT record, a server that never answers,
 * and a name with 31 A records whose 530-byte answer dnsmasq truncates over UDP (RFC 1035's 512
 * bytes, no EDNS) so that the resolver asks again over TCP; and, with {@code --ip dhcp}, the
 * server dnsmasq hands out in DHCP option 6. Skips without root, ip or dnsmasq unless CI=true.
 */
@Timeout(240)
class DnsInteropTest {

    private static final String KERNEL_IP = "10.79.8.1";
    private static final String BOARD = "10.79.8.2/24";
    private static final int MANY = 31;

    private static DnsmasqOnTap dns;

    @BeforeAll
    static void startDnsmasq() throws Exception {
        List<String> arguments = new ArrayList<>(List.of("--listen-address=" + KERNEL_IP, "--no-resolv", "--no-hosts",
                "--local=/spinet.test/", "--log-queries", "--host-record=host.spinet.test,10.79.8.10",
                "--cname=www.spinet.test,alias.spinet.test", "--cname=alias.spinet.test,host.spinet.test",
                "--txt-record=txt.spinet.test,just text", "--dhcp-range=10.79.8.50,10.79.8.59,255.255.255.0,2m",
                "--dhcp-leasefile={work}/leases"));
        for (int i = 0; i < MANY; i++) {
            arguments.add("--host-record=many.spinet.test,10.79.8." + (100 + i));
        }
        dns = new DnsmasqOnTap("dnsres", KERNEL_IP + "/24", "DHCP, sockets bound", arguments);
    }

    @AfterAll
    static void stopDnsmasq() throws Exception {
        if (dns != null) {
            dns.close();
        }
    }

    /** {@code spinet dig NAME} with these options on the namespace's TAP; returns exit status, stdout, stderr. */
    private static Result dig(String name, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("dig", name, "--hal", "tap", "--tap", InteropBoard.TAP));
        args.addAll(List.of(options));
        try (SpinetProcess spinet = new SpinetProcess(dns.netns, args.toArray(new String[0]))) {
            int status = spinet.waitForExit(90);
            Thread.sleep(300); // the output pumps read to the end
            return new Result(status, spinet.stdout(), spinet.stderr().strip());
        }
    }

    record Result(int status, String stdout, String stderr) {
        String describe() {
            return "status " + status + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    @Test
    void anARecord() throws Exception {
        Result r = dig("host.spinet.test", "--ip", BOARD, "--server", KERNEL_IP);
        assertEquals(0, r.status(), r::describe);
        assertTrue(r.stdout().contains("host.spinet.test has address 10.79.8.10"), r::describe);
        assertTrue(r.stdout().contains(";; from 10.79.8.1 over udp"), r::describe);
        assertTrue(dns.awaitLog("query[A] host.spinet.test from 10.79.8.2", 2_000).contains("query[A] host.spinet.test from 10.79.8.2"));
    }

    @Test
    void aCnameChainToItsAddress() throws Exception {
        Result r = dig("www.spinet.test", "--ip", BOARD, "--server", KERNEL_IP);
        assertEquals(0, r.status(), r::describe);
        assertTrue(r.stdout().contains("www.spinet.test is an alias for host.spinet.test."), r::describe);
        assertTrue(r.stdout().contains("host.spinet.test has address 10.79.8.10"), r::describe);
    }

    @Test
    void aNameThatDoesNotExistIsNxdomainInOneLine() throws Exception {
        Result r = dig("nosuch.spinet.test", "--ip", BOARD, "--server", KERNEL_IP);
        assertEquals(1, r.status(), r::describe);
        assertEquals("spinet dig: nosuch.spinet.test: no such name (NXDOMAIN) from 10.79.8.1", r.stderr(), r::describe);
    }

    @Test
    void aNameWithoutAnARecordHasNoAddress() throws Exception {
        Result r = dig("txt.spinet.test", "--ip", BOARD, "--server", KERNEL_IP);
        assertEquals(1, r.status(), r::describe);
        assertEquals("spinet dig: txt.spinet.test: the name has no IPv4 address (no A record) from 10.79.8.1", r.stderr(), r::describe);
    }

    @Test
    void aServerThatNeverAnswersTimesOutAfterTheRetries() throws Exception {
        long started = System.nanoTime();
        Result r = dig("host.spinet.test", "--ip", BOARD, "--server", "10.79.8.3");
        assertEquals(1, r.status(), r::describe);
        assertEquals("spinet dig: host.spinet.test: no answer from the DNS server(s) (timeout)", r.stderr(), r::describe);
        assertTrue(System.nanoTime() - started >= 7_000_000_000L, "three attempts: 1 + 2 + 4 s");
    }

    @Test
    void aTruncatedAnswerIsTakenAgainOverTcp() throws Exception {
        Result r = dig("many.spinet.test", "--ip", BOARD, "--server", KERNEL_IP);
        assertEquals(0, r.status(), r::describe);
        Matcher m = Pattern.compile("many\\.spinet\\.test has address 10\\.79\\.8\\.(\\d+)").matcher(r.stdout());
        List<Integer> found = new ArrayList<>();
        while (m.find()) {
            found.add(Integer.parseInt(m.group(1)));
        }
        assertEquals(MANY, found.size(), r::describe);
        assertEquals(MANY, found.stream().distinct().filter(n -> n >= 100 && n < 100 + MANY).count(), r::describe);
        assertTrue(r.stdout().contains(";; from 10.79.8.1 over tcp"), r::describe);
    }

    @Test
    void theServerOfTheDhcpLeaseIsAsked() throws Exception {
        Result r = dig("host.spinet.test", "--ip", "dhcp");
        assertEquals(0, r.status(), r::describe);
        assertTrue(r.stdout().contains("host.spinet.test has address 10.79.8.10"), r::describe);
        assertTrue(r.stdout().contains(";; from 10.79.8.1 over udp"), r::describe);
    }

    @Test
    void badOptionsAreOneLine() throws Exception {
        Result ipv6 = dig("host.spinet.test", "--ip", BOARD, "--server", "fe80::1");
        assertEquals(2, ipv6.status(), ipv6::describe);
        assertEquals("spinet dig: --server fe80::1: IPv6 is not supported yet; give an IPv4 address", ipv6.stderr(), ipv6::describe);
        Result badName = dig("a..b", "--ip", BOARD, "--server", KERNEL_IP);
        assertEquals(2, badName.status(), badName::describe);
        assertEquals("spinet dig: 'a..b' has an empty label (two dots in a row, or a leading dot)", badName.stderr(), badName::describe);
    }
}
