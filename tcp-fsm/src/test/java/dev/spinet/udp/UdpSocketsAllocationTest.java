package dev.spinet.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.testkit.AllocationAssert;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The stack side of the application sockets allocates nothing: sending what an application
 * queued, and queueing what arrives for it. The test thread is the stack thread and also plays
 * the application through the socket's two queues directly (the blocking API around them may
 * allocate, an InetAddress for instance).
 */
@Tag("allocation")
class UdpSocketsAllocationTest {

    @Test
    void queuedDatagramsSentAndEchoesQueuedAllocateNothing() throws Exception {
        StackPair pair = new StackPair(StackConfig.builder().udpAppSockets(1, 8, 2048), StackConfig.builder());
        new UdpEchoService(pair.server.udp(), UdpEchoService.PORT);
        UdpSockets sockets = pair.client.udpSockets();
        CompletableFuture<UdpSocket> opened = CompletableFuture.supplyAsync(() -> {
            try {
                return sockets.open(40000);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!opened.isDone() && System.nanoTime() < deadline) {
            pair.exchange();
            Thread.sleep(1);
        }
        UdpSocket socket = opened.get(1, TimeUnit.SECONDS);
        DatagramRing outbound = sockets.outbound(0);
        DatagramRing inbound = sockets.inbound(0);
        long[] echoed = {0};
        Runnable roundTrip = () -> {
            for (int i = 0; i < 4; i++) {
                int slot = outbound.claim();
                outbound.buffer()[outbound.offset(slot)] = (byte) i;
                outbound.publish(slot, 100, StackPair.SERVER, UdpEchoService.PORT);
            }
            pair.exchange();
            for (int slot = inbound.peek(); slot != DatagramRing.NONE; slot = inbound.peek()) {
                echoed[0]++;
                inbound.release();
            }
        };
        AllocationAssert.assertZeroAllocation("application UDP datagrams sent and their echoes queued", roundTrip);
        assertTrue(echoed[0] > 80_000, "echoed " + echoed[0]);
        assertEquals(0, sockets.counters().get(UdpSocketCounter.RX_DROP_QUEUE_FULL));
        assertEquals(socket.localPort(), 40000);
    }

    @Test
    void icmpErrorsForAConnectedSocketAllocateNothing() throws Exception {
        StackPair pair = new StackPair(StackConfig.builder().udpAppSockets(1, 8, 2048), StackConfig.builder());
        UdpSockets sockets = pair.client.udpSockets();
        CompletableFuture<UdpSocket> opened = CompletableFuture.supplyAsync(() -> {
            try {
                return sockets.open(40001);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!opened.isDone() && System.nanoTime() < deadline) {
            pair.exchange();
            Thread.sleep(1);
        }
        UdpSocket socket = opened.get(1, TimeUnit.SECONDS);
        socket.connect(dev.spinet.wire.Ipv4Addresses.toInetAddress(StackPair.SERVER), 9);
        byte[] portUnreachable = StackPair.unreachableToClient(StackPair.SERVER, dev.spinet.wire.IcmpPacket.CODE_PORT_UNREACHABLE,
                StackPair.SERVER, 9, 40001, new byte[4]);
        byte[] otherPeer = StackPair.unreachableToClient(StackPair.SERVER, dev.spinet.wire.IcmpPacket.CODE_PORT_UNREACHABLE,
                StackPair.SERVER, 10, 40001, new byte[4]);
        byte[] hostUnreachable = StackPair.unreachableToClient(0x0A_00_00_FE, dev.spinet.wire.IcmpPacket.CODE_HOST_UNREACHABLE,
                StackPair.SERVER, 9, 40001, new byte[4]);
        Runnable errors = () -> {
            for (int i = 0; i < 4; i++) {
                pair.injectToClient(portUnreachable);
                pair.injectToClient(otherPeer);
                pair.injectToClient(hostUnreachable);
            }
            pair.exchange();
            sockets.pendingErrors.set(0, 0); // what the application's next receive does
        };
        AllocationAssert.assertZeroAllocation("ICMP errors handed to a connected application socket", errors);
        long taken = sockets.counters().get(UdpSocketCounter.ICMP_HARD_ERRORS);
        assertTrue(taken > 1000, "taken " + taken);
        assertEquals(2 * taken, sockets.counters().get(UdpSocketCounter.ICMP_IGNORED));
    }
}
