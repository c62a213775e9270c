package dev.spinet.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spinet.cli.SpinetProcess;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spinet's DHCP client against Debian's dnsmasq serving DHCP inside the test's own namespace.
 * The TAP is created first (persistent, kernel side 10.79.9.1/24) with dnsmasq bound to it
 * (range 10.79.9.50-59, 2 minute leases, DHCP only), then Spinet attaches to that TAP:
 * <ul>
 *   <li>{@link #dhcpClientLeasesFromDnsmasqAnswersPingAndReleases}: {@link DhcpProbe}, the DHCP
 *       client on an Interface with a UDP layer, must be bound, answer ping at the leased address
 *       and give it back (dnsmasq logs DISCOVER, OFFER, REQUEST, ACK and RELEASE);</li>
 *   <li>{@link #spinetRunWithIpDhcpServesOnTheLeasedAddress}: {@code spinet run --ip dhcp} for
 *       each HAL must print a ready line with a leased address, and curl and echo must work
 *       there. Skipped with a message while this build's {@code spinet run} still rejects
 *       {@code --ip dhcp}.</li>
 * </ul>
 * Skips without root, ip, dnsmasq, curl, ping or python3 unless CI=true.
 */
class DhcpInteropTest {

    private static final String KERNEL_IP = "10.79.9.1";
    private static final Pattern LEASED = Pattern.compile("10\\.79\\.9\\.5[0-9]");
    private static final Pattern READY = Pattern.compile("spinet ready ip=(10\\.79\\.9\\.5[0-9]) hal=(\\S+) mac=(\\S+)");

    /** A namespace with a persistent TAP, its kernel side addressed, and dnsmasq serving DHCP only on it. */
    private static DnsmasqOnTap dnsmasq() throws Exception {
        // --port=0: DHCP only, no DNS.
        return new DnsmasqOnTap("idhcp", KERNEL_IP + "/24", "DHCP, sockets bound", List.of("--port=0", "--dhcp-authoritative",
                "--dhcp-range=10.79.9.50,10.79.9.59,255.255.255.0,2m", "--dhcp-option=option:router," + KERNEL_IP,
                "--dhcp-leasefile={work}/leases", "--log-dhcp"), "curl", "ping", "python3");
    }

    @Test
    @Timeout(90)
    void dhcpClientLeasesFromDnsmasqAnswersPingAndReleases() throws Exception {
        try (DnsmasqOnTap dhcp = dnsmasq();
             SpinetProcess probe = new SpinetProcess(dhcp.netns, DhcpProbe.class, InteropBoard.TAP, "02aabbcc0001", "4", "40")) {
            String lease = probe.awaitLine("dhcp-", 45_000);
            assertNotNull(lease, () -> "no lease line; stdout:\n" + probe.stdout() + "\nstderr:\n" + probe.stderr());
            Matcher m = Pattern.compile("dhcp-lease ip=(\\S+)/24 router=" + Pattern.quote(KERNEL_IP) + " lease_s=120").matcher(lease);
            assertTrue(m.matches(), () -> lease + "\ndnsmasq:\n" + logTextOrEmpty(dhcp));
            String leased = m.group(1);
            assertTrue(LEASED.matcher(leased).matches(), leased);

            // dnsmasq pings an address before offering it (no answer: free), which leaves a FAILED
            // neighbour entry in the kernel; Spinet sends no gratuitous ARP when bound (RFC 5227
            // 2.3 announcement), so the kernel would report the first ping unreachable. Start clean.
            dhcp.netns.execOk(10, "ip", "neigh", "flush", "dev", InteropBoard.TAP);
            String ping = dhcp.netns.execOk(20, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2", leased);
            assertTrue(ping.contains("3 received"), ping);

            assertEquals(0, probe.waitForExit(30), () -> "probe exit; stdout:\n" + probe.stdout() + "\nstderr:\n" + probe.stderr());
            assertTrue(probe.stdout().contains("dhcp-released"), probe.stdout());
            String log = awaitLog(dhcp, "DHCPRELEASE(" + InteropBoard.TAP + ") " + leased, 5_000);
            for (String step : List.of("DHCPDISCOVER(sp0) 02:aa:bb:cc:00:01", "DHCPOFFER(sp0) " + leased + " 02:aa:bb:cc:00:01",
                    "DHCPREQUEST(sp0) " + leased + " 02:aa:bb:cc:00:01", "DHCPACK(sp0) " + leased + " 02:aa:bb:cc:00:01 spinet-probe",
                    "DHCPRELEASE(sp0) " + leased + " 02:aa:bb:cc:00:01")) {
                assertTrue(log.contains(step), () -> "dnsmasq logged " + step + ":\n" + log);
            }
        }
    }

    @ParameterizedTest(name = "--hal {0}")
    @ValueSource(strings = {"tap", "sim-w5500", "sim-enc28j60"})
    @Timeout(120)
    void spinetRunWithIpDhcpServesOnTheLeasedAddress(String hal) throws Exception {
        try (DnsmasqOnTap dhcp = dnsmasq();
             SpinetProcess spinet = new SpinetProcess(dhcp.netns, "run", "--hal", hal, "--tap", InteropBoard.TAP,
                     "--ip", "dhcp", "--services", "echo,http")) {
            String ready = spinet.awaitLine("spinet ready", 60_000);
            if (ready == null && spinet.stderr().contains("--ip dhcp is not available yet")) {
                // Not a missing tool: this build's run command does not use the DHCP client yet.
                Assumptions.abort("skipped: this build's spinet run rejects --ip dhcp: " + spinet.stderr().strip());
            }
            Matcher m = ready == null ? null : READY.matcher(ready);
            if (m == null || !m.matches()) {
                fail(hal + ": no ready line with a leased address in 10.79.9.50-59; stdout:\n" + spinet.stdout()
                        + "\nstderr:\n" + spinet.stderr() + "\ndnsmasq log:\n" + logTextOrEmpty(dhcp));
            }
            String leased = m.group(1);
            assertEquals(hal, m.group(2));
            String mac = m.group(3);
            String log = awaitLog(dhcp, "DHCPACK(" + InteropBoard.TAP + ") " + leased + " " + mac, 5_000);
            assertTrue(log.contains("DHCPACK(" + InteropBoard.TAP + ") " + leased + " " + mac),
                    () -> "dnsmasq acknowledged " + leased + " to " + mac + ":\n" + log);

            dhcp.netns.execOk(10, "ip", "neigh", "flush", "dev", InteropBoard.TAP); // as above
            String page = dhcp.netns.execOk(20, "curl", "-sS", "--fail", "--max-time", "10", "http://" + leased + "/");
            assertTrue(page.contains("<h1>spinet " + leased + "/24</h1>"), page);
            Path client = InteropBoard.copyClient(dhcp.work);
            String echo = dhcp.netns.execOk(30, "python3", client.toString(), "echo", leased, "20000", "5");
            assertTrue(echo.startsWith("echo-ok"), echo);

            assertEquals(0, spinet.interruptAndWait(20), () -> "exit status after SIGINT:\n" + spinet.stderr());
        }
    }

    private static String awaitLog(DnsmasqOnTap dhcp, String needle, long timeoutMillis) throws Exception {
        return dhcp.awaitLog(needle, timeoutMillis);
    }

    private static String logTextOrEmpty(DnsmasqOnTap dhcp) {
        return dhcp.logTextOrEmpty();
    }
}
