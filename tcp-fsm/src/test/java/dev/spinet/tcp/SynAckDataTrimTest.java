package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.ScriptedPeer;
import dev.spinet.tcp.scenario.Seg;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * RFC 9293 3.10.7.3 (SYN-SENT, fourth check): data in a SYN,ACK is processed after the switch to
 * ESTABLISHED, like any text, so it is trimmed to the window our SYN offered. With a receive ring
 * smaller than the payload (256 to 1024 bytes are valid ring sizes) the data used to overrun the
 * ring's free space, the assembler recorded more than was stored, and the exception left the
 * connection ESTABLISHED without the ACK.
 */
class SynAckDataTrimTest extends TcpScriptTest {

    private static final int SMALL_RING = 256;

    private int connectWithSmallRing() {
        use(config().tcpBuffers(SMALL_RING, 4096).build());
        int handle = tcp.connect(ScriptedPeer.PEER_ADDRESS, 80, app);
        Seg syn = peer.takeOne();
        peer.ports(80, syn.sourcePort());
        assertEquals(peer.reply(SYN).seq(ISS).window(SMALL_RING).mss(MSS), syn);
        return handle;
    }

    @Test
    void dataOnASynAckIsTrimmedToTheWindowOfOurSyn() {
        int c = connectWithSmallRing();
        byte[] data = bytes(1000, 7);
        peer.send(peer.seg(SYN | ACK).seq(PEER_ISS).ack(ISS + 1).window(PEER_WINDOW).mss(MSS).payload(data));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1 + SMALL_RING, 0));
        assertEquals(TcpState.ESTABLISHED, tcp.state(c));
        assertEquals(List.of("connected", "readable"), app.events());
        byte[] read = new byte[2000];
        assertEquals(SMALL_RING, tcp.read(c, read, 0, read.length));
        assertArrayEquals(Arrays.copyOf(data, SMALL_RING), Arrays.copyOf(read, SMALL_RING));
        assertEquals(1000 - SMALL_RING, tcp.counters().get(TcpCounter.OUT_OF_WINDOW_BYTES));
    }

    @Test
    void aFinPastTheWindowOfOurSynIsNotTaken() {
        int c = connectWithSmallRing();
        peer.send(peer.seg(SYN | ACK | FIN).seq(PEER_ISS).ack(ISS + 1).window(PEER_WINDOW).mss(MSS).payload(bytes(300, 8)));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1 + SMALL_RING, 0));
        assertEquals(TcpState.ESTABLISHED, tcp.state(c), "the FIN lay past the window: no CLOSE-WAIT yet");
    }

    @Test
    void dataThatFitsTheWindowIsTakenWhole() {
        int c = connectWithSmallRing();
        peer.send(peer.seg(SYN | ACK).seq(PEER_ISS).ack(ISS + 1).window(PEER_WINDOW).mss(MSS).payload(bytes(100, 9)));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 101, SMALL_RING - 100));
        assertEquals(100, tcp.available(c));
    }
}
