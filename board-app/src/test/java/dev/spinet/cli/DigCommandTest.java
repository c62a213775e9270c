package dev.spinet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code spinet dig} and {@code spinet run --dns-server} refuse bad options in one line with exit
 * status 2, before anything is opened (in process; the lookups themselves are in
 * {@code DnsInteropTest}).
 */
class DigCommandTest {

    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private int execute(String... args) {
        CommandLine cli = SpinetMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private void assertRefused(String expected, String... args) {
        assertEquals(2, execute(args), err::toString);
        assertEquals(expected, err.toString().strip());
        assertEquals(1, err.toString().strip().lines().count(), "one line");
        err.getBuffer().setLength(0);
    }

    @Test
    void badOptionsAreOneLineAndExitStatus2() {
        assertRefused("spinet dig: --server fe80::1: IPv6 is not supported yet; give an IPv4 address",
                "dig", "www.test", "--ip", "10.0.0.2/24", "--server", "fe80::1");
        assertRefused("spinet dig: --server 10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4: at most 3 servers",
                "dig", "www.test", "--ip", "10.0.0.2/24", "--server", "10.0.0.1,10.0.0.2,10.0.0.3,10.0.0.4");
        assertRefused("spinet dig: --server 10.0.0.256: not an ipv4 address: '10.0.0.256' (expected four decimal octets 0..255"
                + " without leading zeros, like 10.0.0.1)", "dig", "www.test", "--ip", "10.0.0.2/24", "--server", "10.0.0.256");
        assertRefused("spinet dig: 'www..test' has an empty label (two dots in a row, or a leading dot)",
                "dig", "www..test", "--ip", "10.0.0.2/24", "--server", "10.0.0.1");
        assertRefused("spinet dig: fe80::1: IPv6 is not supported yet; give a host name or an IPv4 address",
                "dig", "fe80::1", "--ip", "10.0.0.2/24");
        assertRefused("spinet dig: --ip 10.0.0.2: give the prefix length too, like 10.77.0.2/24, or dhcp",
                "dig", "www.test", "--ip", "10.0.0.2");
        assertRefused("spinet dig: --timeout 0.0: must be above 0 and at most 600 seconds",
                "dig", "www.test", "--ip", "10.0.0.2/24", "--timeout", "0");
        assertRefused("spinet run: --dns-server 224.0.0.1: a DNS server needs a unicast address",
                "run", "--hal", "tap", "--ip", "10.0.0.2/24", "--dns-server", "224.0.0.1");
    }

    @Test
    void digIsListedInTheHelp() {
        assertEquals(0, execute("--help"));
        assertTrue(out.toString().contains("dig"), out.toString());
    }
}
