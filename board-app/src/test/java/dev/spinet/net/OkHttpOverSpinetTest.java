package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * OkHttp, unchanged, fetching pages by name over Spinet: its {@code socketFactory} is Spinet's,
 * its {@code Dns} is Spinet's name-resolution hook ({@link NameResolver}), and the server is
 * Python's http.server on the kernel side of the TAP.
 *
 * <p>The name {@code www.spinet.test} resolves through a fixed map installed as Spinet's resolver:
 * the test's own stand-in for DNS, which is not part of Spinet; a DNS resolver over the stack
 * plugs into the same hook ({@link SpinetSockets#resolveNamesWith}) and leaves the OkHttp side as
 * it is here.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OkHttpOverSpinetTest {

    @Test
    void okHttpFetchesAPageByNameOverSpinet() throws Exception {
        try (SpinetOnTap board = SpinetOnTap.start("skhttp", 5, new String[] {"python3"})) {
            Path site = Files.createDirectories(board.workDir.resolve("site"));
            byte[] page = new byte[300_000];
            new Random(42).nextBytes(page);
            Files.write(site.resolve("page.bin"), page);
            board.background("Serving HTTP", "python3", "-u", "-m", "http.server", "8080", "--bind", board.kernelIp,
                    "--directory", site.toString());

            // The test's DNS stand-in: one name, one address.
            Map<String, List<InetAddress>> names = Map.of("www.spinet.test", List.of(InetAddress.getByName(board.kernelIp)));
            board.spinet.resolveNamesWith(host -> {
                List<InetAddress> found = names.get(host);
                if (found == null) {
                    throw new UnknownHostException(host + ": not in the test's name table");
                }
                return found;
            });
            NameResolver resolver = board.spinet.resolver();
            OkHttpClient client = new OkHttpClient.Builder()
                    .socketFactory(board.spinet.socketFactory())
                    .dns(resolver::resolve)
                    .connectTimeout(10, TimeUnit.SECONDS)
                    .readTimeout(20, TimeUnit.SECONDS)
                    .build();
            try {
                for (int i = 0; i < 5; i++) {
                    try (Response response = client.newCall(new Request.Builder().url("http://www.spinet.test:8080/page.bin").build()).execute()) {
                        assertEquals(200, response.code());
                        assertArrayEquals(page, response.body().bytes(), "fetch " + i);
                    }
                }
                try (Response missing = client.newCall(new Request.Builder().url("http://www.spinet.test:8080/nothing").build()).execute()) {
                    assertEquals(404, missing.code());
                }
                assertThrows(UnknownHostException.class,
                        () -> client.newCall(new Request.Builder().url("http://nowhere.spinet.test:8080/").build()).execute());
            } finally {
                client.dispatcher().executorService().shutdown();
                client.connectionPool().evictAll();
            }
        }
    }
}
