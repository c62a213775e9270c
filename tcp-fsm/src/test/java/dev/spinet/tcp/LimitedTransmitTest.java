package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.PSH;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Seg;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * RFC 3042 limited transmit in ESTABLISHED, with the exact segments: "a TCP sender SHOULD send a
 * segment of previously unsent data in response to each of the first two duplicate
 * acknowledgments ... if: (a) The receiver's advertised window allows the transmission of the
 * segment. (b) The amount of outstanding data would remain less than or equal to the congestion
 * window plus 2 segments." For a peer without SACK it is {@link NewReno}'s; for one with SACK it
 * is RFC 6675's step (3) (SackTest), and one duplicate never sends twice.
 */
class LimitedTransmitTest extends TcpScriptTest {

    /** The peer's MSS here: the initial window is then four segments (RFC 5681 equation 3). */
    static final int PEER_MSS = 1000;
    static final int INITIAL_WINDOW = 4 * PEER_MSS;

    /** Passive open with the peer's MSS 1000 (SACK-permitted in its SYN if {@code sack}). */
    int establishWithMss(boolean sack) {
        listen();
        peer.ports(40_000, 80);
        Seg syn = peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(PEER_MSS);
        peer.send(sack ? syn.sackPermitted() : syn);
        peer.expect(sack ? ourSynAck().sackPermitted() : ourSynAck());
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        app.clear();
        return app.lastAccepted();
    }

    /** Our data at L + {@code offset}: {@code PEER_MSS} bytes of {@code data}, PSH on the last. */
    Seg ourSegment(byte[] data, int offset) {
        int end = Math.min(offset - 1 + PEER_MSS, data.length);
        return peer.reply(ACK | (end == data.length ? PSH : 0)).seq(ISS + offset).ack(PEER_ISS + 1)
                .window(WINDOW).payload(Arrays.copyOfRange(data, offset - 1, end));
    }

    /** Writes {@code segments} segments' worth; the initial window (four) goes out at once. */
    byte[] writeAndSendInitialWindow(int c, int segments) {
        byte[] data = bytes(segments * PEER_MSS, 7);
        tcp.write(c, data, 0, data.length);
        peer.poll();
        assertEquals(4, peer.drain().size(), "the initial window: four segments of 1000");
        return data;
    }

    /** A duplicate ACK: nothing new acknowledged, no data, the same window (RFC 5681 section 2). */
    Seg duplicate() {
        return peerAck(PEER_ISS + 1, ISS + 1);
    }

    @Test
    void eachOfTheFirstTwoDuplicatesSendsOneNewSegmentAndTheThirdRetransmits() {
        use(config().tcpBuffers(4096, 16384).build());
        int c = establishWithMss(false);
        byte[] data = writeAndSendInitialWindow(c, 7);
        peer.send(duplicate());
        peer.expect(ourSegment(data, 4001));
        assertEquals(INITIAL_WINDOW, tcp.congestionWindow(c), "RFC 3042: \"The congestion window (cwnd) MUST NOT be changed\"");
        peer.send(duplicate());
        peer.expect(ourSegment(data, 5001));
        assertEquals(INITIAL_WINDOW, tcp.congestionWindow(c));
        // The third: fast retransmit. 6000 bytes are out, but RFC 5681 3.2 step 2: "additional
        // data sent in limited transmit MUST NOT be included in this calculation", so FlightSize
        // is 4000, ssthresh 2000 and cwnd 2000 + 3 SMSS = 5000 (6000 out: nothing new fits).
        peer.send(duplicate());
        peer.expect(ourSegment(data, 1));
        assertEquals(5000, tcp.congestionWindow(c), "ssthresh from the flight without limited transmit, plus 3 SMSS");
        assertEquals(1, tcp.counters().get(TcpCounter.FAST_RETRANSMITS));
        assertEquals(1, tcp.counters().get(TcpCounter.RETRANSMITTED_SEGMENTS), "one retransmission, the fast one");
        assertEquals(2, tcp.counters().get(TcpCounter.NEW_DATA_BEYOND_CWND), "the two limited transmissions");
    }

    @Test
    void theReceiversWindowStillRules() {
        use(config().tcpBuffers(4096, 16384).build());
        int c = establishWithMss(false);
        peer.send(peerAck(PEER_ISS + 1, ISS + 1).window(INITIAL_WINDOW)); // window update, nothing outstanding
        peer.expectNothing();
        byte[] data = writeAndSendInitialWindow(c, 7);
        // (a) "The receiver's advertised window allows the transmission of the segment": it does not.
        peer.send(duplicate().window(INITIAL_WINDOW));
        peer.expectNothing();
        peer.send(duplicate().window(INITIAL_WINDOW));
        peer.expectNothing();
        peer.send(duplicate().window(INITIAL_WINDOW));
        peer.expect(ourSegment(data, 1));
    }

    @Test
    void nothingGoesWhenNoNewDataWaits() {
        use(config().tcpBuffers(4096, 16384).build());
        int c = establishWithMss(false);
        writeAndSendInitialWindow(c, 4);
        peer.send(duplicate());
        peer.expectNothing();
        peer.send(duplicate());
        peer.expectNothing();
        assertEquals(INITIAL_WINDOW, tcp.congestionWindow(c));
    }

    @Test
    void switchedOffTheFirstTwoDuplicatesSendNothing() {
        use(config().tcpBuffers(4096, 16384).tcpLimitedTransmit(false).build());
        int c = establishWithMss(false);
        byte[] data = writeAndSendInitialWindow(c, 7);
        peer.send(duplicate());
        peer.expectNothing();
        peer.send(duplicate());
        peer.expectNothing();
        // The third: fast retransmit, then RFC 5681's cwnd = ssthresh + 3 SMSS = 2000 + 3000 lets
        // one new segment follow (FlightSize 4000).
        peer.send(duplicate());
        peer.expect(ourSegment(data, 1), ourSegment(data, 4001));
        assertEquals(0, tcp.counters().get(TcpCounter.NEW_DATA_BEYOND_CWND));
    }

    /** The two forms never add up: RFC 6675 step (3) sends one segment per SACK, not two. */
    @Test
    void aSackPeerGetsOneSegmentPerDuplicateFromStepThreeAlone() {
        use(config().tcpOptions(false, false, true).tcpBuffers(4096, 16384).build());
        int c = establishWithMss(true);
        byte[] data = writeAndSendInitialWindow(c, 7);
        peer.send(peerAck(PEER_ISS + 1, ISS + 1).sack(ISS + 1001, ISS + 2001));
        peer.expect(ourSegment(data, 4001));
        peer.send(peerAck(PEER_ISS + 1, ISS + 1).sack(ISS + 1001, ISS + 3001));
        peer.expect(ourSegment(data, 5001));
        assertEquals(INITIAL_WINDOW, tcp.congestionWindow(c));
    }

    /**
     * RFC 5681 3.2 step 2 for a SACK peer: ssthresh = max(FlightSize / 2, 2 SMSS), and "additional
     * data sent in limited transmit MUST NOT be included in this calculation". RFC 6675's step (3)
     * is "Limited Transmit [RFC3042]" governed by pipe; its two segments are out when the third
     * SACK arrives (6000 bytes), but FlightSize for (4.2) is the 4000 of the initial window:
     * ssthresh = cwnd = 2000, as NewReno's in the test above.
     */
    @Test
    void aSackPeersSsthreshLeavesTheStepThreeSegmentsOutOfFlightSize() {
        use(config().tcpOptions(false, false, true).tcpBuffers(4096, 16384).build());
        int c = establishWithMss(true);
        byte[] data = writeAndSendInitialWindow(c, 7);
        peer.send(peerAck(PEER_ISS + 1, ISS + 1).sack(ISS + 1001, ISS + 2001));
        peer.expect(ourSegment(data, 4001));
        peer.send(peerAck(PEER_ISS + 1, ISS + 1).sack(ISS + 1001, ISS + 3001));
        peer.expect(ourSegment(data, 5001));
        peer.send(peerAck(PEER_ISS + 1, ISS + 1).sack(ISS + 1001, ISS + 4001));
        peer.expect(ourSegment(data, 1));
        assertEquals(1, tcp.counters().get(TcpCounter.SACK_RECOVERIES));
        assertEquals(2000, tcp.congestionWindow(c), "ssthresh = cwnd from the flight without the step (3) segments");
    }

    @Test
    void switchedOffASackPeerWaitsForDupThreshToo() {
        use(config().tcpOptions(false, false, true).tcpBuffers(4096, 16384).tcpLimitedTransmit(false).build());
        int c = establishWithMss(true);
        byte[] data = writeAndSendInitialWindow(c, 7);
        peer.send(peerAck(PEER_ISS + 1, ISS + 1).sack(ISS + 1001, ISS + 2001));
        peer.expectNothing();
        peer.send(peerAck(PEER_ISS + 1, ISS + 1).sack(ISS + 1001, ISS + 3001));
        peer.expectNothing();
        // DupThresh: the hole, then what cwnd (2000) - pipe (the retransmission) leaves.
        peer.send(peerAck(PEER_ISS + 1, ISS + 1).sack(ISS + 1001, ISS + 4001));
        peer.expect(ourSegment(data, 1), ourSegment(data, 4001));
    }
}
