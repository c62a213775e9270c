package dev.spinet.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.wire.Ipv4Addresses;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Application UDP sockets from a test thread while a stack thread runs two stacks on an
 * in-memory wire: the server stack runs the RFC 862 echo service on port 7.
 */
@Timeout(60)
class UdpSocketsTest {

    static final InetAddress SERVER = Ipv4Addresses.toInetAddress(StackPair.SERVER);
    static final Duration WAIT = Duration.ofSeconds(5);

    StackPair pair;
    StackThread stack;
    UdpSockets sockets;

    void start(StackConfig.Builder client) {
        pair = new StackPair(client, StackConfig.builder());
        new UdpEchoService(pair.server.udp(), UdpEchoService.PORT);
        sockets = pair.client.udpSockets();
        stack = new StackThread(pair);
    }

    void start() {
        start(StackConfig.builder());
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (stack != null) {
            stack.close();
        }
    }

    static byte[] pattern(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        return data;
    }

    @Test
    void aDatagramToTheEchoServiceComesBackWithTheSendersAddressAndPort() throws Exception {
        start();
        try (UdpSocket socket = sockets.open()) {
            assertTrue(socket.localPort() >= UdpLayer.DYNAMIC_PORTS_FIRST, "a dynamic port: " + socket.localPort());
            byte[] data = "hello, echo".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            socket.send(data, 0, data.length, SERVER, UdpEchoService.PORT);
            DatagramPacket packet = new DatagramPacket(new byte[100], 100);
            assertTrue(socket.receive(packet, WAIT), "echoed");
            assertArrayEquals(data, java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
            assertEquals(SERVER, packet.getAddress());
            assertEquals(UdpEchoService.PORT, packet.getPort());
        }
        assertEquals(0, sockets.socketsInUse());
    }

    @Test
    void aDatagramLongerThanAFrameTravelsInFragmentsBothWays() throws Exception {
        start(StackConfig.builder().udpAppSockets(1, 4, 8192));
        try (UdpSocket socket = sockets.open(40000)) {
            byte[] data = pattern(4000);
            socket.send(new DatagramPacket(data, data.length, SERVER, UdpEchoService.PORT));
            DatagramPacket packet = new DatagramPacket(new byte[8192], 8192);
            assertTrue(socket.receive(packet, WAIT));
            assertEquals(4000, packet.getLength());
            assertArrayEquals(data, java.util.Arrays.copyOf(packet.getData(), 4000));
        }
        assertEquals(1, pair.server.iface().counters().get(dev.spinet.iface.IfaceCounter.IP_REASM_COMPLETED));
        assertEquals(1, pair.client.iface().counters().get(dev.spinet.iface.IfaceCounter.IP_REASM_COMPLETED));
    }

    @Test
    void aReceiveWithATimeoutReturnsFalseWhenNothingCame() throws Exception {
        start();
        try (UdpSocket socket = sockets.open()) {
            DatagramPacket packet = new DatagramPacket(new byte[10], 10);
            long started = System.nanoTime();
            assertFalse(socket.receive(packet, Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - started >= 200_000_000L, "waited the whole timeout");
            assertEquals(10, packet.getLength(), "the packet is unchanged");
        }
    }

    @Test
    void aBoundPortCannotBeBoundAgainUntilItsSocketIsClosed() throws Exception {
        start();
        UdpSocket first = sockets.open(5353);
        BindException taken = assertThrows(BindException.class, () -> sockets.open(5353));
        assertTrue(taken.getMessage().contains("UDP port 5353 is already bound"), taken.getMessage());
        assertEquals(1, sockets.socketsInUse(), "the refused open gave its socket back");
        first.close();
        try (UdpSocket again = sockets.open(5353)) {
            assertEquals(5353, again.localPort());
        }
        assertEquals(1, sockets.counters().get(UdpSocketCounter.OPEN_PORT_IN_USE));
    }

    @Test
    void whenEverySocketIsOpenTheNextOpenSaysWhatToRaise() throws Exception {
        start(StackConfig.builder().udpAppSockets(1, 8, 2048));
        try (UdpSocket only = sockets.open()) {
            SocketException full = assertThrows(SocketException.class, () -> sockets.open());
            assertTrue(full.getMessage().contains("udpAppSockets"), full.getMessage());
        }
    }

    @Test
    void closingWakesABlockedReceiver() throws Exception {
        start();
        UdpSocket socket = sockets.open();
        CompletableFuture<Throwable> receiver = CompletableFuture.supplyAsync(() -> {
            try {
                socket.receive(new DatagramPacket(new byte[10], 10));
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        Thread.sleep(100);
        socket.close();
        Throwable thrown = receiver.get(5, TimeUnit.SECONDS);
        assertInstanceOf(SocketException.class, thrown);
        assertTrue(thrown.getMessage().contains("closed"), thrown.getMessage());
        assertTrue(socket.isClosed());
    }

    @Test
    void aFullReceiveQueueDropsAndCounts() throws Exception {
        start(StackConfig.builder().udpAppSockets(1, 2, 64));
        UdpSockets serverSockets = pair.server.udpSockets();
        try (UdpSocket slow = sockets.open(6000); UdpSocket sender = serverSockets.open()) {
            InetAddress client = Ipv4Addresses.toInetAddress(StackPair.CLIENT);
            // First one datagram the other way, so that both know each other's MAC: five datagrams
            // waiting on ARP would overflow the ARP queue (four frames) instead of the socket's.
            slow.send(new byte[1], 0, 1, SERVER, sender.localPort());
            assertTrue(sender.receive(new DatagramPacket(new byte[1], 1), WAIT));
            for (int i = 0; i < 5; i++) {
                sender.send(new byte[] {(byte) i}, 0, 1, client, 6000);
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (sockets.counters().get(UdpSocketCounter.RX_DROP_QUEUE_FULL) < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(3, sockets.counters().get(UdpSocketCounter.RX_DROP_QUEUE_FULL));
            DatagramPacket packet = new DatagramPacket(new byte[1], 1);
            assertTrue(slow.receive(packet, WAIT));
            assertEquals(0, packet.getData()[0], "the first two were kept, in order");
            assertTrue(slow.receive(packet, WAIT));
            assertEquals(1, packet.getData()[0]);
        }
    }

    @Test
    void misuseIsRefusedWithAOneLineMessage() throws Exception {
        start(StackConfig.builder().udpAppSockets(1, 8, 100));
        try (UdpSocket socket = sockets.open()) {
            InetAddress v6 = InetAddress.getByName("::1");
            IllegalArgumentException ipv6 = assertThrows(IllegalArgumentException.class,
                    () -> socket.send(new byte[1], 0, 1, v6, 7));
            assertTrue(ipv6.getMessage().startsWith("IPv6 is not supported yet"), ipv6.getMessage());
            IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                    () -> socket.send(new byte[101], 0, 101, SERVER, 7));
            assertTrue(tooLong.getMessage().contains("udpAppSockets datagramBytes"), tooLong.getMessage());
            assertThrows(IllegalArgumentException.class, () -> socket.send(new byte[1], 0, 1, SERVER, 0));
            Throwable onStack = stack.onStackThread(() -> {
                try {
                    socket.receive(new DatagramPacket(new byte[1], 1), Duration.ofMillis(1));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertInstanceOf(IllegalStateException.class, onStack);
            assertTrue(onStack.getMessage().contains("stack thread"), onStack.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> sockets.open(70000));
    }

    @Test
    void twoSocketsGetDifferentPortsAndKeepTheirDatagramsApart() throws Exception {
        start();
        try (UdpSocket a = sockets.open(); UdpSocket b = sockets.open()) {
            assertNotEquals(a.localPort(), b.localPort());
            a.send(new byte[] {'a'}, 0, 1, SERVER, UdpEchoService.PORT);
            b.send(new byte[] {'b'}, 0, 1, SERVER, UdpEchoService.PORT);
            DatagramPacket packet = new DatagramPacket(new byte[1], 1);
            assertTrue(b.receive(packet, WAIT));
            assertEquals('b', packet.getData()[0]);
            assertTrue(a.receive(packet, WAIT));
            assertEquals('a', packet.getData()[0]);
        }
    }
}
