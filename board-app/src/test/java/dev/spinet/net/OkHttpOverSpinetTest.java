package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * OkHttp, unchanged, fetching pages by name over Spinet: its {@code socketFactory} is Spinet's,
 * its {@code Dns} is Spinet's name-resolution hook ({@link NameResolver}), which by default is
 * Spinet's own DNS resolver ({@link dev.spinet.dns.Resolver}) over the stack's UDP. The DNS
 * server is Debian's dnsmasq and the web server Python's http.server, both on the kernel side of
 * the TAP in the test's namespace; dnsmasq answers for {@code spinet.test} from its command line
 * only ({@code --no-resolv --no-hosts --local=/spinet.test/}), so another name there is NXDOMAIN.
 * Spinet is told the server with {@code --dns-server}, as {@code spinet run} is.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OkHttpOverSpinetTest {

    @Test
    void okHttpFetchesAPageByNameOverSpinet() throws Exception {
        String kernelIp = "10.83.5.1";
        try (SpinetOnTap board = SpinetOnTap.start("skhttp", 5, new String[] {"python3", "dnsmasq"}, "--dns-server", kernelIp)) {
            Path site = Files.createDirectories(board.workDir.resolve("site"));
            byte[] page = new byte[300_000];
            new Random(42).nextBytes(page);
            Files.write(site.resolve("page.bin"), page);
            board.background("Serving HTTP", "python3", "-u", "-m", "http.server", "8080", "--bind", board.kernelIp,
                    "--directory", site.toString());
            board.background("started, version", "dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null",
                    "--log-facility=-", "--log-queries", "--interface=" + board.tap, "--bind-interfaces",
                    "--listen-address=" + board.kernelIp, "--no-resolv", "--no-hosts", "--local=/spinet.test/",
                    "--host-record=host.spinet.test," + board.kernelIp, "--cname=www.spinet.test,host.spinet.test",
                    "--pid-file=" + board.workDir.resolve("dnsmasq.pid"));

            NameResolver resolver = board.spinet.resolver();
            OkHttpClient client = new OkHttpClient.Builder()
                    .socketFactory(board.spinet.socketFactory())
                    .dns(resolver::resolve)
                    .connectTimeout(10, TimeUnit.SECONDS)
                    .readTimeout(20, TimeUnit.SECONDS)
                    .build();
            try {
                assertEquals(List.of(InetAddress.getByName(kernelIp)), resolver.resolve("www.spinet.test"));
                for (int i = 0; i < 5; i++) {
                    try (Response response = client.newCall(new Request.Builder().url("http://www.spinet.test:8080/page.bin").build()).execute()) {
                        assertEquals(200, response.code());
                        assertArrayEquals(page, response.body().bytes(), "fetch " + i);
                    }
                }
                try (Response missing = client.newCall(new Request.Builder().url("http://www.spinet.test:8080/nothing").build()).execute()) {
                    assertEquals(404, missing.code());
                }
                UnknownHostException nowhere = assertThrows(UnknownHostException.class,
                        () -> client.newCall(new Request.Builder().url("http://nowhere.spinet.test:8080/").build()).execute());
                assertEquals("nowhere.spinet.test: no such name (NXDOMAIN) from " + kernelIp, nowhere.getMessage());
            } finally {
                client.dispatcher().executorService().shutdown();
                client.connectionPool().evictAll();
            }
        }
    }
}
