package dev.spinet.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.iface.Interface;
import dev.spinet.security.HostileLan;
import dev.spinet.tcp.TcpState;
import dev.spinet.wire.Checksum;
import dev.spinet.wire.Ipv4Packet;

/**
 * The state every receive-path fuzz input starts from, built fresh per input (so a finding
 * replays alone): the device under test has two listeners (80 with backlog 2, 81), two
 * connections the peer opened to port 80 (one has carried data), one the device opened to the
 * peer's port 7, and one compact TIME-WAIT entry (port 81). One TCB is free.
 */
final class ReceivePathRig {

    final HostileLan lan;
    final int passiveA;
    final int passiveB;
    final int active;
    final int passiveAPort;
    final int passiveBPort;
    final int activeLocalPort;
    final int timeWaitPeerPort;

    ReceivePathRig() {
        lan = HostileLan.standard();
        lan.dutTcp().listen(80, 2, lan.dutApp);
        lan.dutTcp().listen(81, 1, lan.dutApp);
        passiveA = lan.connectPeer(80);
        passiveB = lan.connectPeer(80);
        lan.peerSends(passiveA, 300);
        int closing = lan.connectPeer(81);
        timeWaitPeerPort = lan.peerTcp().localPort(closing);
        lan.dutTcp().close(lan.dutApp.accepted.getLast());
        lan.sim.runFor(20 * HostileLan.MS);
        lan.peerTcp().close(closing);
        lan.sim.runFor(20 * HostileLan.MS);
        lan.peerTcp().listen(7, 2, lan.peerApp);
        active = lan.dutTcp().connect(HostileLan.PEER_IP, 7, lan.dutApp);
        lan.sim.runUntil(() -> lan.dutTcp().state(active) == TcpState.ESTABLISHED, HostileLan.SECOND);
        passiveAPort = lan.peerTcp().localPort(passiveA);
        passiveBPort = lan.peerTcp().localPort(passiveB);
        activeLocalPort = lan.dutTcp().localPort(active);
        assertEquals(3, lan.dutTcp().connectionsInUse(), "rig: three live connections");
        assertEquals(1, lan.dutTcp().timeWaitEntries(), "rig: one TIME-WAIT entry");
        assertNull(lan.dutInvariants());
    }

    /** Delivers what was injected: one poll of the device (bounded), then everyone settles. */
    void deliverAndCheck() {
        long now = lan.clock.nanoTime();
        int work = lan.dut.poll(now);
        // One injected frame plus what the peer had in flight; never more than one RX budget.
        assertTrue(work <= Interface.RX_BUDGET + 8, "bounded work: " + work);
        try {
            lan.sim.settle(); // throws if some board keeps working without time passing
        } catch (IllegalStateException loop) {
            throw new AssertionError(loop.getMessage() + "\n" + lan.traceText(), loop);
        }
        String violation = lan.dutInvariants();
        assertNull(violation, violation);
    }

    /** Lets timers run (retransmissions, challenge ACK budget, TIME-WAIT) and checks again. */
    void runTimersAndCheck(long nanos) {
        try {
            lan.sim.runFor(nanos);
        } catch (IllegalStateException loop) {
            throw new AssertionError(loop.getMessage() + "\n" + lan.traceText(), loop);
        }
        String violation = lan.dutInvariants();
        assertNull(violation, violation);
    }

    /**
     * Makes arbitrary bytes more likely to reach deep code: for the device's MAC, IPv4 type, a
     * correct IPv4 header checksum and a correct TCP/ICMP checksum over what the header claims
     * (when it fits). Everything else stays as the fuzzer made it.
     */
    static void repairChecksums(byte[] frame) {
        if (frame.length < 14) {
            return;
        }
        for (int i = 0; i < 6; i++) {
            frame[i] = (byte) (HostileLan.DUT_MAC >>> (40 - 8 * i));
        }
        frame[12] = 0x08;
        frame[13] = 0x00;
        if (frame.length < 34) {
            return;
        }
        int ihl = (frame[14] & 0x0F) * 4;
        if (ihl < 20 || 14 + ihl > frame.length) {
            return;
        }
        Ipv4Packet.writeHeaderChecksum(frame, 14);
        int total = ((frame[16] & 0xFF) << 8) | (frame[17] & 0xFF);
        int transport = Math.min(total, frame.length - 14) - ihl;
        int at = 14 + ihl;
        int protocol = frame[23] & 0xFF;
        if (protocol == 6 && transport >= 20) {
            frame[at + 16] = 0;
            frame[at + 17] = 0;
            int source = HostileLanBytes.i32(frame, 26);
            int destination = HostileLanBytes.i32(frame, 30);
            long sum = Checksum.pseudoHeaderSum(source, destination, 6, transport) + Checksum.sum(frame, at, transport);
            int c = Checksum.finish(sum);
            frame[at + 16] = (byte) (c >>> 8);
            frame[at + 17] = (byte) c;
        } else if (protocol == 1 && transport >= 8) {
            frame[at + 2] = 0;
            frame[at + 3] = 0;
            int c = Checksum.compute(frame, at, transport);
            frame[at + 2] = (byte) (c >>> 8);
            frame[at + 3] = (byte) c;
        }
    }

    static final class HostileLanBytes {
        static int i32(byte[] b, int i) {
            return ((b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
        }
    }
}
