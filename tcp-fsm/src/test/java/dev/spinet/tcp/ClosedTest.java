package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.LISTEN;
import static dev.spinet.tcp.TcpState.SYN_SENT;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.RST;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.scenario.Covers;
import dev.spinet.tcp.scenario.ScriptedPeer;
import org.junit.jupiter.api.Test;

/** CLOSED: no TCB (RFC 9293 3.10.7.1) and the two ways out of it (OPEN). */
class ClosedTest extends TcpScriptTest {

    @Test
    @Covers(from = CLOSED, to = LISTEN, cause = TransitionCause.PASSIVE_OPEN)
    void passiveOpenListensAndSendsNothing() {
        int listener = listen();
        assertEquals(LISTEN, tcp.state(listener));
        peer.expectNothing();
        assertEquals(1, tcp.listenersInUse());
    }

    @Test
    @Covers(from = CLOSED, to = SYN_SENT, cause = TransitionCause.ACTIVE_OPEN)
    void activeOpenSendsSynWithMss() {
        int c = connectAndTakeSyn();
        assertEquals(SYN_SENT, tcp.state(c));
        assertTrue(peer.localPort() >= 49152, "ephemeral port");
    }

    @Test
    void synToClosedPortGetsRstAck() {
        synIsRefused(40_000, 81);
        assertEquals(1, tcp.counters().get(TcpCounter.RST_SENT_NO_CONNECTION));
    }

    @Test
    void dataAndFinCountInTheResetsAck() {
        peer.ports(40_000, 81);
        peer.send(peer.seg(FIN).seq(PEER_ISS).window(PEER_WINDOW).payload("abc"));
        peer.expect(peer.reply(RST | ACK).seq(0).ack(PEER_ISS + 4));
    }

    @Test
    void ackToClosedPortGetsRstAtItsAckNumber() {
        peer.ports(40_000, 81);
        peer.send(peer.seg(ACK).seq(PEER_ISS).ack(777).window(PEER_WINDOW));
        peer.expect(peer.reply(RST).seq(777));
    }

    @Test
    void rstToClosedPortIsDropped() {
        peer.ports(40_000, 81);
        peer.send(peer.seg(RST).seq(PEER_ISS));
        peer.expectNothing();
        assertEquals(1, tcp.counters().get(TcpCounter.DROP_RST_NO_CONNECTION));
    }

    @Test
    void malformedAndMisaddressedSegmentsAreCounted() {
        byte[] raw = new byte[40];
        int length = peer.seg(SYN).seq(1).window(100).writeTo(raw, 0, ScriptedPeer.PEER_ADDRESS, ScriptedPeer.LOCAL_ADDRESS);
        byte[] segment = java.util.Arrays.copyOf(raw, length);
        peer.sendRaw(java.util.Arrays.copyOf(segment, 10), ScriptedPeer.PEER_ADDRESS, ScriptedPeer.LOCAL_ADDRESS, false);
        assertEquals(1, tcp.counters().get(TcpCounter.DROP_TRUNCATED));
        byte[] corrupt = segment.clone();
        corrupt[5] ^= 1;
        peer.sendRaw(corrupt, ScriptedPeer.PEER_ADDRESS, ScriptedPeer.LOCAL_ADDRESS, false);
        assertEquals(1, tcp.counters().get(TcpCounter.DROP_BAD_CHECKSUM));
        peer.sendRaw(segment, ScriptedPeer.PEER_ADDRESS, ScriptedPeer.LOCAL_ADDRESS, true);
        assertEquals(1, tcp.counters().get(TcpCounter.DROP_NOT_UNICAST));
        byte[] badOffset = segment.clone();
        badOffset[12] = 0x40; // data offset 4 words
        peer.sendRaw(badOffset, ScriptedPeer.PEER_ADDRESS, ScriptedPeer.LOCAL_ADDRESS, false);
        assertEquals(1, tcp.counters().get(TcpCounter.DROP_BAD_DATA_OFFSET));
        peer.expectNothing();
    }

    @Test
    void connectRejectsBadArgumentsAndFullTable() {
        assertThrows(IllegalArgumentException.class, () -> tcp.connect(ScriptedPeer.PEER_ADDRESS, 0, app));
        assertThrows(IllegalArgumentException.class, () -> tcp.connect(0xE000_0001, 80, app));
        assertThrows(IllegalArgumentException.class, () -> tcp.connect(ScriptedPeer.PEER_ADDRESS, 80, null));
        for (int i = 0; i < 4; i++) {
            tcp.connect(ScriptedPeer.PEER_ADDRESS, 80, app);
        }
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> tcp.connect(ScriptedPeer.PEER_ADDRESS, 80, app));
        assertTrue(full.getMessage().contains("tcpConnections"), full.getMessage());
        assertThrows(IllegalArgumentException.class, () -> tcp.read(12345, new byte[1], 0, 1));
    }
}
