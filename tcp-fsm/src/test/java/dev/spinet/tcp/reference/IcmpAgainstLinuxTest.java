package dev.spinet.tcp.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.hal.linux.Libc;
import dev.spinet.hal.linux.TapDevice;
import dev.spinet.iface.Interface;
import dev.spinet.tcp.CloseReason;
import dev.spinet.tcp.IcmpError;
import dev.spinet.tcp.TcpCounter;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.TcpState;
import dev.spinet.testkit.Netns;
import dev.spinet.wire.Ipv4Packet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ICMP from a real Linux router, taken by Spinet and by the Linux kernel's own TCP side by side.
 *
 * <pre>
 *  Spinet 10.77.1.2 --TAP-- 10.77.1.1 [router ns, forwarding, nft] 10.77.2.1 --veth, MTU 1280 on the router's end-- 10.77.2.2 [peer ns]
 *  Linux client 10.77.3.2 --veth-- 10.77.3.1 [router ns]
 * </pre>
 *
 * The router's egress toward the peer carries 1280 bytes while the peer's end is 1500 (so the
 * peer announces MSS 1460): full-sized segments with DF set are dropped there and the router's
 * kernel answers with "fragmentation needed", next-hop MTU 1280 (RFC 1191). nftables in the
 * router's forward hook answers SYNs to some ports with port unreachable, host unreachable or
 * "communication administratively prohibited". Every interface is inside the three namespaces
 * this class creates; the TAP is opened in the host namespace, where it stays down, and moved.
 */
class IcmpAgainstLinuxTest {

    private static final String SPINET_IP = "10.77.1.2";
    private static final String PEER_IP = "10.77.2.2";
    private static final long SPINET_MAC = 0x02_00_00_77_01_02L;
    private static final int UPLOAD_PORT = 5001;
    private static final int REFUSED_PORT = 5009;
    private static final int HOST_UNREACHABLE_PORT = 5010;
    private static final int PROHIBITED_PORT = 5013;
    private static final int UPLOAD_BYTES = 400_000;
    private static final long SECOND = 1_000_000_000L;

    private static final String SERVER = """
            import hashlib, socket, sys
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((sys.argv[1], int(sys.argv[2])))
            s.listen(8)
            print('ready', flush=True)
            while True:
                c, _ = s.accept()
                c.settimeout(60)
                h = hashlib.sha256()
                n = 0
                while True:
                    b = c.recv(65536)
                    if not b:
                        break
                    h.update(b)
                    n += len(b)
                c.sendall(('%s %d\\n' % (h.hexdigest(), n)).encode())
                c.close()
            """;

    private static final String LINUX_UPLOAD = """
            import hashlib, random, socket, sys
            data = random.Random(7).randbytes(int(sys.argv[3]))
            s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=30)
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            reply = b''
            while not reply.endswith(b'\\n'):
                b = s.recv(256)
                if not b:
                    break
                reply += b
            print('ok' if reply.split()[0].decode() == hashlib.sha256(data).hexdigest() else 'mismatch ' + reply.decode())
            """;

    private static final String LINUX_CONNECT = """
            import errno, socket, sys
            s = socket.socket()
            s.settimeout(float(sys.argv[3]))
            try:
                s.connect((sys.argv[1], int(sys.argv[2])))
                print('connected')
            except TimeoutError:
                print('timeout')
            except OSError as e:
                print(errno.errorcode.get(e.errno, str(e)))
            """;

    private static String unavailable;
    private static Netns router;
    private static Netns peer;
    private static Netns client;
    private static TapDevice tap;
    private static Process server;

    private Interface iface;
    private TcpLayer tcp;

    @BeforeAll
    static void buildTopology() throws Exception {
        unavailable = Netns.missingPrerequisite("python3", "nft");
        if (unavailable == null && !Libc.isSupportedPlatform()) {
            unavailable = "needs 64-bit Linux";
        }
        if (unavailable == null && !Files.exists(Path.of(TapDevice.TUN_PATH))) {
            unavailable = "needs " + TapDevice.TUN_PATH;
        }
        if (unavailable != null) {
            return;
        }
        long id = ProcessHandle.current().pid() % 1_000_000L;
        router = Netns.create("icm-r", "python3", "nft");
        peer = Netns.create("icm-p", "python3");
        client = Netns.create("icm-c", "python3");
        for (Netns netns : new Netns[] {router, peer, client}) {
            netns.execOk(10, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        }
        router.execOk(10, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        String tapName = "icmt" + id;
        tap = TapDevice.open(tapName, SPINET_MAC);
        router.adoptLink(tapName, "10.77.1.1/24");
        // router -- peer: the router's end carries 1280 bytes, the peer's 1500.
        String toPeer = "icmrp" + id;
        String fromRouter = "icmpr" + id;
        router.execOk(10, "ip", "link", "add", toPeer, "type", "veth", "peer", "name", fromRouter, "netns", peer.name);
        router.execOk(10, "ip", "link", "set", toPeer, "mtu", "1280");
        router.execOk(10, "ip", "addr", "add", "10.77.2.1/24", "dev", toPeer);
        router.execOk(10, "ip", "link", "set", toPeer, "up");
        peer.execOk(10, "ip", "addr", "add", PEER_IP + "/24", "dev", fromRouter);
        peer.execOk(10, "ip", "link", "set", fromRouter, "up");
        peer.execOk(10, "ip", "route", "add", "default", "via", "10.77.2.1");
        // router -- Linux client.
        String toClient = "icmrc" + id;
        String fromClient = "icmcr" + id;
        router.execOk(10, "ip", "link", "add", toClient, "type", "veth", "peer", "name", fromClient, "netns", client.name);
        router.execOk(10, "ip", "addr", "add", "10.77.3.1/24", "dev", toClient);
        router.execOk(10, "ip", "link", "set", toClient, "up");
        client.execOk(10, "ip", "addr", "add", "10.77.3.2/24", "dev", fromClient);
        client.execOk(10, "ip", "link", "set", fromClient, "up");
        client.execOk(10, "ip", "route", "add", "default", "via", "10.77.3.1");
        // The router's answers to SYNs for the unreachable ports.
        router.execOk(10, "nft", "add", "table", "ip", "icm");
        router.execOk(10, "nft", "add", "chain", "ip", "icm", "pass", "{ type filter hook forward priority 0 ; }");
        router.execOk(10, "nft", "add", "rule", "ip", "icm", "pass", "tcp", "dport", "" + REFUSED_PORT, "reject", "with", "icmp",
                "type", "port-unreachable");
        router.execOk(10, "nft", "add", "rule", "ip", "icm", "pass", "tcp", "dport", "" + HOST_UNREACHABLE_PORT, "reject", "with",
                "icmp", "type", "host-unreachable");
        router.execOk(10, "nft", "add", "rule", "ip", "icm", "pass", "tcp", "dport", "" + PROHIBITED_PORT, "reject", "with", "icmp",
                "type", "admin-prohibited");
        server = new ProcessBuilder(peer.inside("python3", "-c", SERVER, PEER_IP, "" + UPLOAD_PORT)).redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                lines.add("server output: " + e);
            }
        });
        assertEquals("ready", lines.poll(10, TimeUnit.SECONDS), "the peer's server did not start");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (server != null) {
            server.destroyForcibly();
            server.waitFor(5, TimeUnit.SECONDS);
        }
        if (tap != null) {
            tap.close();
        }
        for (Netns netns : new Netns[] {client, peer, router}) {
            if (netns != null) {
                netns.close();
            }
        }
    }

    private void startSpinet() {
        Netns.requireOrSkip(unavailable == null, unavailable);
        StackConfig config = StackConfig.builder().ipAddress(Ipv4Packet.parseAddress(SPINET_IP), 24)
                .gateway(Ipv4Packet.parseAddress("10.77.1.1")).tcpSecret(77).build();
        iface = new Interface(config, tap);
        tcp = new TcpLayer(config, iface);
        iface.addTransport(tcp);
    }

    /** Runs Spinet's duty cycle on the real clock until {@code done} holds or {@code maxNanos} pass. */
    private void runUntil(java.util.function.BooleanSupplier done, Runnable eachCycle, long maxNanos) throws InterruptedException {
        long end = System.nanoTime() + maxNanos;
        while (!done.getAsBoolean() && System.nanoTime() - end < 0) {
            long now = System.nanoTime();
            iface.poll(now);
            eachCycle.run();
            long wait = Math.min(iface.nextDeadline(now) - System.nanoTime(), 10_000_000L);
            if (wait > 0) {
                tap.awaitReceive(wait);
            }
        }
    }

    /** Uploads its bytes, half-closes, reads the peer's "sha256 count" line. */
    private final class Uploader implements TcpHandler {
        final byte[] data;
        final StringBuilder reply = new StringBuilder();
        final byte[] buffer = new byte[512];
        int connection = -1;
        int written;
        boolean shut;
        int pathMtuAtEnd;
        int sendMssAtEnd;
        CloseReason closed;

        Uploader(byte[] data) {
            this.data = data;
        }

        void pump() {
            if (connection < 0 || closed != null || tcp.state(connection) != TcpState.ESTABLISHED) {
                return;
            }
            while (written < data.length) {
                int n = tcp.write(connection, data, written, Math.min(8192, data.length - written));
                if (n == 0) {
                    return;
                }
                written += n;
            }
            if (!shut) {
                shut = true;
                tcp.shutdownOutput(connection);
            }
        }

        @Override
        public void onConnected(int c) {
            pump();
        }

        @Override
        public void onWritable(int c) {
            pump();
        }

        @Override
        public void onReadable(int c) {
            for (int n = tcp.read(c, buffer, 0, buffer.length); n > 0; n = tcp.read(c, buffer, 0, buffer.length)) {
                reply.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            }
        }

        @Override
        public void onPeerClosed(int c) {
            pathMtuAtEnd = tcp.pathMtu(c);
            sendMssAtEnd = tcp.sendMss(c);
            tcp.close(c);
        }

        @Override
        public void onClosed(int c, CloseReason reason) {
            closed = reason;
        }
    }

    private static String linux(String script, String... args) throws Exception {
        String[] command = new String[3 + args.length];
        command[0] = "python3";
        command[1] = "-c";
        command[2] = script;
        System.arraycopy(args, 0, command, 3, args.length);
        Netns.Result result = client.exec(60, command);
        return result.output().strip();
    }

    @Test
    void bothStacksLowerTheirPathMtuToTheRoutersReportAndDeliverEveryByte() throws Exception {
        startSpinet();
        byte[] data = new byte[UPLOAD_BYTES];
        new Random(11).nextBytes(data);
        Uploader uploader = new Uploader(data);
        uploader.connection = tcp.connect(Ipv4Packet.parseAddress(PEER_IP), UPLOAD_PORT, uploader);
        runUntil(() -> uploader.closed != null, uploader::pump, 60 * SECOND);

        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)) + " " + UPLOAD_BYTES + "\n";
        assertEquals(CloseReason.NORMAL, uploader.closed, () -> "Spinet's upload did not finish: " + tcp.counters());
        assertEquals(expected, uploader.reply.toString(), "the peer received exactly the bytes Spinet sent");
        assertEquals(1280, uploader.pathMtuAtEnd, "Spinet's path MTU estimate is the router's next-hop MTU");
        assertEquals(1280 - 40 - 12, uploader.sendMssAtEnd, "MSS = path MTU - IPv4 and TCP headers - timestamps (RFC 6691)");
        assertTrue(tcp.counters().get(TcpCounter.PMTU_LOWERED) >= 1);
        assertTrue(tcp.counters().get(TcpCounter.PMTU_RETRANSMISSIONS) >= 1);
        assertEquals(0, tcp.counters().get(TcpCounter.INTERNAL_ERROR));

        // The kernel, as a client through the same router, takes the same report.
        assertEquals("ok", linux(LINUX_UPLOAD, PEER_IP, "" + UPLOAD_PORT, "" + UPLOAD_BYTES));
        String route = client.execOk(10, "ip", "route", "get", PEER_IP);
        assertTrue(route.contains("mtu 1280"), () -> "Linux cached the path MTU too: " + route);
        System.out.println("PMTU: Spinet " + uploader.pathMtuAtEnd + " (MSS " + uploader.sendMssAtEnd + ", lowered "
                + tcp.counters().get(TcpCounter.PMTU_LOWERED) + "x, resent " + tcp.counters().get(TcpCounter.RETRANSMITTED_SEGMENTS)
                + " segments, " + tcp.counters().get(TcpCounter.RETRANSMISSION_TIMEOUTS) + " timeouts); Linux: " + route.strip());
    }

    /** Spinet's connect to {@code port}: how it ended (null: still open after {@code maxNanos}) and its handle. */
    private CloseReason[] spinetConnect(int port, long maxNanos, int[] handle) throws InterruptedException {
        CloseReason[] closed = new CloseReason[1];
        handle[0] = tcp.connect(Ipv4Packet.parseAddress(PEER_IP), port, new TcpHandler() {
            @Override
            public void onClosed(int c, CloseReason reason) {
                closed[0] = reason;
            }
        });
        runUntil(() -> closed[0] != null, () -> { }, maxNanos);
        return closed;
    }

    @Test
    void portUnreachableFromTheRouterRefusesBothConnects() throws Exception {
        startSpinet();
        long start = System.nanoTime();
        CloseReason closed = spinetConnect(REFUSED_PORT, 5 * SECOND, new int[1])[0];
        long took = System.nanoTime() - start;
        assertEquals(CloseReason.REFUSED, closed, () -> "counters: " + tcp.counters());
        assertTrue(took < 2 * SECOND, "ended by the ICMP, not a timeout: " + took / 1_000_000 + " ms");
        assertEquals(1, tcp.counters().get(TcpCounter.ICMP_HARD_ERROR_ABORTS));
        assertEquals("ECONNREFUSED", linux(LINUX_CONNECT, PEER_IP, "" + REFUSED_PORT, "5"));
    }

    @Test
    void administrativelyProhibitedEndsBothConnects() throws Exception {
        startSpinet();
        CloseReason closed = spinetConnect(PROHIBITED_PORT, 5 * SECOND, new int[1])[0];
        assertEquals(CloseReason.UNREACHABLE, closed, () -> "counters: " + tcp.counters());
        assertEquals("EHOSTUNREACH", linux(LINUX_CONNECT, PEER_IP, "" + PROHIBITED_PORT, "5"));
    }

    @Test
    void hostUnreachableIsASoftErrorToSpinetWhileLinuxEndsItsConnectAtOnce() throws Exception {
        startSpinet();
        int[] handle = new int[1];
        CloseReason closed = spinetConnect(HOST_UNREACHABLE_PORT, 2 * SECOND, handle)[0];
        // RFC 1122 4.2.3.9: host unreachable (code 1) is soft, "TCP MUST NOT abort the connection":
        // the SYN goes on being retransmitted and the error is the application's to read.
        assertEquals(null, closed);
        assertEquals(TcpState.SYN_SENT, tcp.state(handle[0]));
        assertEquals(IcmpError.HOST_UNREACHABLE, tcp.softError(handle[0]));
        assertTrue(tcp.counters().get(TcpCounter.ICMP_SOFT_ERRORS) >= 1);
        tcp.abort(handle[0]);
        // Linux ends a SYN-SENT connection on any unreachable (tcp_v4_err); docs/tcp.md notes the difference.
        String linux = linux(LINUX_CONNECT, PEER_IP, "" + HOST_UNREACHABLE_PORT, "5");
        assertNotNull(linux);
        assertEquals("EHOSTUNREACH", linux);
    }
}
