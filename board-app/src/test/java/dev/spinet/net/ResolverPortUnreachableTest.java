package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Spinet's resolver asked to use a DNS server where none runs: the Linux kernel on the other side
 * of a TAP, in a namespace of the test's own, with nothing bound to UDP port 53, answers the query
 * with an ICMP port unreachable (the oracle: a real kernel's error, not one the test builds). UDP
 * passes it up (RFC 1122 4.1.3.3), and the lookup ends at once with an error that says so, not
 * after the 1 + 2 + 4 s of its attempts' timeouts.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ResolverPortUnreachableTest {

    private static final int SUBNET = 62;

    @Test
    void aServerThatRunsNoDnsFailsTheLookupAtOnce() throws Exception {
        String kernelIp = "10.83." + SUBNET + ".1";
        try (SpinetOnTap board = SpinetOnTap.start("fxdns", SUBNET, new String[0], "--dns-server", kernelIp)) {
            long started = System.nanoTime();
            UnknownHostException thrown = assertThrows(UnknownHostException.class,
                    () -> board.spinet.resolver().resolve("www.example.test"));
            long took = System.nanoTime() - started;
            assertTrue(thrown.getMessage().contains("port unreachable"), thrown.getMessage());
            assertTrue(took < TimeUnit.SECONDS.toNanos(1), "ended before the first attempt's 1 s timeout: "
                    + took / 1_000_000 + " ms");
        }
    }
}
