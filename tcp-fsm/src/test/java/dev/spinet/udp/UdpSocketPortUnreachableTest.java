package dev.spinet.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.wire.IcmpPacket;
import dev.spinet.wire.Ipv4Addresses;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An ICMP port unreachable answering a datagram reaches the application as java.net's
 * DatagramSocket reports it on Linux (RFC 1122 4.1.3.3: "UDP MUST pass to the application layer
 * all ICMP error messages"): a connected socket's next receive throws PortUnreachableException,
 * once; an unconnected socket hears nothing of it. The oracle is the JDK's own DatagramSocket
 * against the kernel on loopback, the same two cases; Spinet's runs against a server stack whose
 * port 9 answers every datagram with a port unreachable (a crafted frame: Spinet itself sends
 * none) on a stack thread of its own.
 */
@Timeout(60)
class UdpSocketPortUnreachableTest {

    static final InetAddress SERVER = Ipv4Addresses.toInetAddress(StackPair.SERVER);
    static final Duration WAIT = Duration.ofSeconds(5);
    static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    StackPair pair;
    StackThread stack;
    UdpSockets sockets;

    @AfterEach
    void stop() throws InterruptedException {
        if (stack != null) {
            stack.close();
        }
    }

    /** A server whose port 9 answers with a port unreachable, and whose port 10 answers from 10 and from 11. */
    void start() {
        pair = new StackPair(StackConfig.builder(), StackConfig.builder());
        UdpLayer server = pair.server.udp();
        server.open(9, false, (sourceIp, sourcePort, destinationIp, buffer, offset, length, nowNanos) ->
                pair.injectToClient(StackPair.unreachableToClient(StackPair.SERVER, IcmpPacket.CODE_PORT_UNREACHABLE, StackPair.SERVER,
                        9, sourcePort, Arrays.copyOfRange(buffer, offset, offset + Math.min(length, 8)))));
        int[] ten = new int[1];
        int[] eleven = new int[1];
        ten[0] = server.open(10, false, (sourceIp, sourcePort, destinationIp, buffer, offset, length, nowNanos) -> {
            byte[] from10 = "from10".getBytes(StandardCharsets.US_ASCII);
            byte[] from11 = "from11".getBytes(StandardCharsets.US_ASCII);
            server.send(eleven[0], sourceIp, sourcePort, from11, 0, from11.length, nowNanos);
            server.send(ten[0], sourceIp, sourcePort, from10, 0, from10.length, nowNanos);
        });
        eleven[0] = server.open(11, false, (sourceIp, sourcePort, destinationIp, buffer, offset, length, nowNanos) -> {
        });
        sockets = pair.client.udpSockets();
        stack = new StackThread(pair);
    }

    @Test
    void theJdkOnLinuxReportsAPortUnreachableToAConnectedSocketOnlyAndOnce() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int closedPort;
        try (DatagramSocket probe = new DatagramSocket(0, loopback)) {
            closedPort = probe.getLocalPort();
        }
        try (DatagramSocket connected = new DatagramSocket(0, loopback)) {
            connected.connect(loopback, closedPort);
            connected.setSoTimeout(2_000);
            connected.send(new DatagramPacket(HELLO, HELLO.length));
            assertThrows(PortUnreachableException.class, () -> connected.receive(new DatagramPacket(new byte[16], 16)));
            connected.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> connected.receive(new DatagramPacket(new byte[16], 16)),
                    "reported once");
        }
        try (DatagramSocket unconnected = new DatagramSocket(0, loopback)) {
            unconnected.setSoTimeout(300);
            unconnected.send(new DatagramPacket(HELLO, HELLO.length, loopback, closedPort));
            assertThrows(SocketTimeoutException.class, () -> unconnected.receive(new DatagramPacket(new byte[16], 16)),
                    "an unconnected socket hears of no ICMP error");
        }
    }

    @Test
    void theJdkOnLinuxReportsThePendingPortUnreachableToTheNextSendToo() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int closedPort;
        try (DatagramSocket probe = new DatagramSocket(0, loopback)) {
            closedPort = probe.getLocalPort();
        }
        try (DatagramSocket connected = new DatagramSocket(0, loopback)) {
            connected.connect(loopback, closedPort);
            connected.send(new DatagramPacket(HELLO, HELLO.length));
            Thread.sleep(200); // the kernel's port unreachable on loopback comes within the send call; this is margin
            assertThrows(PortUnreachableException.class, () -> connected.send(new DatagramPacket(HELLO, HELLO.length)));
            connected.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> connected.receive(new DatagramPacket(new byte[16], 16)),
                    "the send took the error: reported once");
        }
    }

    @Test
    void theJdkOnLinuxDiscardsDatagramsQueuedBeforeConnect() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (DatagramSocket socket = new DatagramSocket(0, loopback); DatagramSocket other = new DatagramSocket(0, loopback);
             DatagramSocket peer = new DatagramSocket(0, loopback)) {
            other.send(new DatagramPacket(HELLO, HELLO.length, loopback, socket.getLocalPort()));
            peer.send(new DatagramPacket(HELLO, HELLO.length, loopback, socket.getLocalPort()));
            Thread.sleep(200);
            socket.connect(loopback, peer.getLocalPort());
            socket.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> socket.receive(new DatagramPacket(new byte[16], 16)),
                    "both queued datagrams, the other's and the peer's, were discarded by connect");
        }
    }

    @Test
    void aConnectedSocketsNextSendThrowsThePendingPortUnreachableOnce() throws Exception {
        start();
        try (UdpSocket socket = sockets.open()) {
            socket.connect(SERVER, 9);
            socket.send(new DatagramPacket(HELLO, HELLO.length));
            awaitCounter(UdpSocketCounter.ICMP_HARD_ERRORS, 1);
            assertThrows(PortUnreachableException.class, () -> socket.send(new DatagramPacket(HELLO, HELLO.length)));
            assertFalse(socket.receive(new DatagramPacket(new byte[16], 16), Duration.ofMillis(300)), "the send took the error");
        }
    }

    @Test
    void connectDiscardsTheDatagramsQueuedBeforeIt() throws Exception {
        start();
        try (UdpSocket socket = sockets.open()) {
            socket.send(HELLO, 0, HELLO.length, SERVER, 10);
            awaitCounter(UdpSocketCounter.RX_QUEUED, 2);
            socket.connect(SERVER, 10);
            assertFalse(socket.receive(new DatagramPacket(new byte[16], 16), Duration.ofMillis(300)),
                    "port 11's datagram (and port 10's) queued before connect were discarded, as the JDK does");
        }
    }

    /**
     * The other hard unreachables reach a connected socket too, each as the JDK on Linux throws
     * the errno __udp4_lib_err sets from icmp_err_convert (seen with iptables REJECT on loopback:
     * icmp-admin-prohibited gives NoRouteToHostException "No route to host" on receive and an
     * IOException with the same words on send, icmp-proto-unreachable "Protocol not available",
     * icmp-net-prohibited "Network is unreachable"); a soft one (host unreachable) gives nothing.
     */
    @Test
    void theOtherHardUnreachablesFailTheNextReceiveOrSendAsTheJdkDoesAndSoftOnesNothing() throws Exception {
        start();
        try (UdpSocket socket = sockets.open()) {
            socket.connect(SERVER, 12);
            int port = socket.localPort();
            int router = 0x0A_00_00_FE;
            byte[] none = new byte[0];
            pair.injectToClient(StackPair.unreachableToClient(router, IcmpPacket.CODE_ADMINISTRATIVELY_PROHIBITED, StackPair.SERVER, 12, port, none));
            java.net.NoRouteToHostException prohibited = assertThrows(java.net.NoRouteToHostException.class,
                    () -> socket.receive(new DatagramPacket(new byte[16], 16), WAIT));
            assertEquals("No route to host", prohibited.getMessage());
            pair.injectToClient(StackPair.unreachableToClient(router, IcmpPacket.CODE_PROTOCOL_UNREACHABLE, StackPair.SERVER, 12, port, none));
            awaitCounter(UdpSocketCounter.ICMP_HARD_ERRORS, 2);
            java.io.IOException onSend = assertThrows(java.io.IOException.class, () -> socket.send(new DatagramPacket(HELLO, HELLO.length)));
            assertEquals(java.io.IOException.class, onSend.getClass());
            assertEquals("Protocol not available", onSend.getMessage());
            pair.injectToClient(StackPair.unreachableToClient(router, 9, StackPair.SERVER, 12, port, none));
            java.net.SocketException network = assertThrows(java.net.SocketException.class,
                    () -> socket.receive(new DatagramPacket(new byte[16], 16), WAIT));
            assertEquals("Network is unreachable", network.getMessage());
            pair.injectToClient(StackPair.unreachableToClient(router, IcmpPacket.CODE_HOST_UNREACHABLE, StackPair.SERVER, 12, port, none));
            assertFalse(socket.receive(new DatagramPacket(new byte[16], 16), Duration.ofMillis(300)), "host unreachable is soft");
        }
        assertEquals(3, sockets.counters().get(UdpSocketCounter.ICMP_HARD_ERRORS));
        assertEquals(1, sockets.counters().get(UdpSocketCounter.ICMP_IGNORED));
    }

    /** Waits (at most 5 s) until the socket counter reaches {@code value}. */
    void awaitCounter(UdpSocketCounter counter, long value) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (sockets.counters().get(counter) < value && System.nanoTime() - end < 0) {
            Thread.sleep(5);
        }
        assertEquals(value, sockets.counters().get(counter), counter.name());
    }

    @Test
    void aConnectedSocketsNextReceiveThrowsPortUnreachableOnce() throws Exception {
        start();
        try (UdpSocket socket = sockets.open()) {
            socket.connect(SERVER, 9);
            socket.send(new DatagramPacket(HELLO, HELLO.length));
            assertThrows(PortUnreachableException.class, () -> socket.receive(new DatagramPacket(new byte[16], 16), WAIT));
            assertFalse(socket.receive(new DatagramPacket(new byte[16], 16), Duration.ofMillis(300)), "reported once");
        }
        assertEquals(1, sockets.counters().get(UdpSocketCounter.ICMP_HARD_ERRORS));
        assertEquals(1, pair.client.udp().counters().get(UdpCounter.ICMP_ERRORS_DELIVERED));
    }

    @Test
    void anUnconnectedSocketHearsNothingOfIt() throws Exception {
        start();
        try (UdpSocket socket = sockets.open()) {
            socket.send(HELLO, 0, HELLO.length, SERVER, 9);
            assertFalse(socket.receive(new DatagramPacket(new byte[16], 16), Duration.ofMillis(300)));
        }
        assertEquals(1, sockets.counters().get(UdpSocketCounter.ICMP_IGNORED));
        assertEquals(0, sockets.counters().get(UdpSocketCounter.ICMP_HARD_ERRORS));
    }

    @Test
    void aConnectedSocketTakesDatagramsFromItsPeerOnlyAndSendsOnlyToIt() throws Exception {
        start();
        try (UdpSocket socket = sockets.open()) {
            socket.connect(SERVER, 10);
            assertTrue(socket.isConnected());
            socket.send(HELLO, 0, HELLO.length, SERVER, 10);
            DatagramPacket packet = new DatagramPacket(new byte[16], 16);
            assertTrue(socket.receive(packet, WAIT));
            assertArrayEquals("from10".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(packet.getData(), packet.getLength()));
            assertEquals(10, packet.getPort());
            assertFalse(socket.receive(new DatagramPacket(new byte[16], 16), Duration.ofMillis(300)), "port 11's datagram was dropped");
            IllegalArgumentException elsewhere = assertThrows(IllegalArgumentException.class,
                    () -> socket.send(HELLO, 0, HELLO.length, SERVER, 11));
            assertEquals("connected address and packet address differ", elsewhere.getMessage());
        }
        assertEquals(1, sockets.counters().get(UdpSocketCounter.RX_DROP_NOT_CONNECTED_PEER));
    }
}
