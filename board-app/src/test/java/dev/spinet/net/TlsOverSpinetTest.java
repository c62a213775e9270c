package dev.spinet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TLS by layering: the JDK's {@code SSLSocketFactory.createSocket(spinetSocket, host, port, true)}
 * over a Spinet socket speaks TLS 1.3 with {@code openssl s_server} on the kernel side. The test
 * makes its own CA and a server certificate for {@code tls.spinet.test} with the openssl command,
 * trusts only that CA, and checks the host name (endpoint identification "HTTPS"), so a wrong
 * name fails the handshake.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsOverSpinetTest {

    private static final int PORT = 4433;
    private static final String HOST = "tls.spinet.test";

    private static SpinetOnTap board;
    private static SSLContext tls;

    @BeforeAll
    static void start() throws Exception {
        board = SpinetOnTap.start("sktls", 3, new String[] {"openssl"});
        Path dir = board.workDir;
        openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Spinet Test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=" + HOST);
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:" + HOST + "\nextendedKeyUsage=serverAuth\n");
        openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.pem", "-days", "2", "-extfile", "server.ext");
        board.background("ACCEPT", "openssl", "s_server", "-accept", board.kernelIp + ":" + PORT, "-tls1_3",
                "-cert", dir.resolve("server.pem").toString(), "-key", dir.resolve("server.key").toString(), "-www");

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream ca = Files.newInputStream(dir.resolve("ca.pem"))) {
            trust.setCertificateEntry("spinet-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(ca));
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        tls = SSLContext.getInstance("TLSv1.3");
        tls.init(null, trustManagers.getTrustManagers(), null);
    }

    private static void openssl(Path dir, String... arguments) throws Exception {
        String[] command = new String[arguments.length + 1];
        command[0] = "openssl";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0, "openssl " + String.join(" ", arguments) + ": " + output);
    }

    @AfterAll
    static void stop() throws Exception {
        if (board != null) {
            board.close();
        }
    }

    private SSLSocket layer(String host) throws Exception {
        Socket plain = board.spinet.socketFactory().createSocket(InetAddress.getByName(board.kernelIp), PORT);
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, PORT, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        parameters.setProtocols(new String[] {"TLSv1.3"});
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(20_000);
        return socket;
    }

    @Test
    void tls13HandshakeAndDataOverASpinetSocket() throws Exception {
        try (SSLSocket socket = layer(HOST)) {
            socket.startHandshake();
            assertEquals("TLSv1.3", socket.getSession().getProtocol());
            assertTrue(socket.getSession().getCipherSuite().startsWith("TLS_"), socket.getSession().getCipherSuite());
            socket.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String page = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(page.startsWith("HTTP/1.0 200 ok"), page);
            // s_server -www describes the session from its side: the same protocol and cipher.
            assertTrue(page.contains("TLSv1.3"), page);
            assertTrue(page.contains(socket.getSession().getCipherSuite()), page);
        }
    }

    @Test
    void aWrongHostNameFailsTheHandshake() throws Exception {
        try (SSLSocket socket = layer("other.spinet.test")) {
            assertThrows(SSLHandshakeException.class, socket::startHandshake);
        }
    }
}
