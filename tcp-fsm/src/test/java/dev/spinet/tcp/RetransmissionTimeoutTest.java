package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.RST;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Seg;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a retransmission timeout leaves behind (RFC 6298 5.4 to 5.7, RFC 5681 3.1): go-back-N
 * pulls SND.NXT back towards SND.UNA, and segments that must sit at or above the peer's RCV.NXT
 * use the highest sequence number sent (SND.MAX) instead.
 */
class RetransmissionTimeoutTest extends TcpScriptTest {

    @Test
    void abortAfterRetransmissionTimeoutSendsRstAtTheHighestSequenceSent() {
        int c = establishPassive();
        byte[] data = bytes(2 * MSS, 3);
        tcp.write(c, data, 0, data.length);
        peer.poll();
        List<Seg> flight = peer.drain();
        assertEquals(2, flight.size(), () -> "two full segments: " + flight);
        // The peer received both segments (its RCV.NXT is ISS + 2921) but its ACK is lost: after
        // the RTO only the first segment is resent (cwnd = 1 SMSS), and SND.NXT = ISS + 1461.
        peer.advance(SECOND);
        assertEquals(1, peer.drain().size());

        tcp.abort(c);

        // RFC 9293 3.10.5 ABORT: <SEQ=SND.NXT><CTL=RST>, SND.NXT as the peer knows it. An RST
        // below the peer's RCV.NXT lies outside its window and is dropped (RFC 9293 3.10.7.4,
        // RFC 5961 3.2): the peer would stay half-open.
        List<Seg> sent = peer.drainWithoutPoll();
        assertEquals(List.of(peer.reply(RST).seq(ISS + 1 + 2 * MSS)), sent);
    }

    @Test
    void keepaliveProbeSitsOneBelowTheAcknowledgedSequence() {
        use(config().tcpKeepalive(true, 10 * SECOND, SECOND, 2).build());
        int c = establishPassive();
        tcp.write(c, new byte[]{5}, 0, 1);
        peer.poll();
        peer.drain();
        peer.send(peerAck(PEER_ISS + 1, ISS + 2));
        peer.expectNothing();

        peer.advance(10 * SECOND);

        // RFC 9293 3.8.4: "SEG.SEQ = SND.NXT-1"; nothing is in flight, so SND.NXT = SND.UNA.
        peer.expect(peer.reply(ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW));
        assertEquals(TcpState.ESTABLISHED, tcp.state(c));
    }

    // ---- after a lost SYN or SYN,ACK ----

    /** Active open whose first SYN is lost: resent after the 1 s RTO, then answered. */
    private int establishActiveAfterLostSyn() {
        int c = connectAndTakeSyn();
        peer.advance(SECOND);
        peer.expect(peer.reply(SYN).seq(ISS).window(WINDOW).mss(MSS));
        peer.advance(20 * MS);
        peer.send(peer.seg(SYN | ACK).seq(PEER_ISS).ack(ISS + 1).window(PEER_WINDOW).mss(MSS));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1, WINDOW));
        assertEquals(TcpState.ESTABLISHED, tcp.state(c));
        return c;
    }

    /** Passive open whose first SYN,ACK is lost: resent after the 1 s RTO, then acknowledged. */
    private int establishPassiveAfterLostSynAck() {
        listen();
        peer.ports(40_000, 80);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(MSS));
        Seg synAck = peer.reply(SYN | ACK).seq(ISS).ack(PEER_ISS + 1).window(WINDOW).mss(MSS);
        peer.expect(synAck);
        peer.advance(SECOND);
        peer.expect(synAck);
        peer.advance(20 * MS);
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        int c = app.lastAccepted();
        assertEquals(TcpState.ESTABLISHED, tcp.state(c));
        return c;
    }

    /** Writes two full segments (the 4 KiB send ring holds two) and returns how many go before any ACK. */
    private int segmentsSentOfTwo(int c) {
        byte[] data = bytes(2 * MSS, 9);
        assertEquals(data.length, tcp.write(c, data, 0, data.length));
        peer.poll();
        return peer.drain().size();
    }

    @Test
    void firstDataAfterALostSynGoesOneSegmentAtATime() {
        int c = establishActiveAfterLostSyn();

        // RFC 5681 3.1: "if the SYN or SYN/ACK is lost, the initial window used by a sender after
        // a correctly transmitted SYN MUST be one segment consisting of at most SMSS bytes."
        assertEquals(MSS, tcp.congestionWindow(c));
        assertEquals(1, segmentsSentOfTwo(c));
    }

    @Test
    void firstDataAfterALostSynAckGoesOneSegmentAtATime() {
        int c = establishPassiveAfterLostSynAck();

        assertEquals(MSS, tcp.congestionWindow(c));
        assertEquals(1, segmentsSentOfTwo(c));
    }

    @Test
    void firstDataWithoutHandshakeLossUsesTheFullInitialWindow() {
        int c = establishActive();

        // RFC 5681 3.1 equation 3 for SMSS 1460 (1095 < SMSS <= 2190): 3 * SMSS.
        assertEquals(3 * MSS, tcp.congestionWindow(c));
        assertEquals(2, segmentsSentOfTwo(c));
    }

    @Test
    void rtoIsThreeSecondsWhenDataTransferBeginsAfterALostSyn() {
        int c = establishActiveAfterLostSyn();

        // RFC 6298 5.7: the timer expired awaiting the ACK of a SYN and the initial RTO is under
        // 3 s: "the RTO MUST be re-initialized to 3 seconds when data transmission begins".
        assertEquals(3 * SECOND, tcp.retransmissionTimeoutNanos(c));
    }

    @Test
    void rtoIsThreeSecondsWhenDataTransferBeginsAfterALostSynAck() {
        int c = establishPassiveAfterLostSynAck();

        assertEquals(3 * SECOND, tcp.retransmissionTimeoutNanos(c));
    }
}
