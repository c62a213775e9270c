package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.PSH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.scenario.Seg;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every byte the stack hands out sits at its own stream offset: what the application reads after
 * loss and reordering, and what every data segment carries (first transmission, retransmission
 * after an ACK inside a segment, fast retransmit, NewReno partial ACK, zero-window probe, FIN
 * retransmission, send-ring wrap).
 *
 * <p>Regression for the corrupted echo seen through the emulated W5500 (RunTapEndToEndTest
 * {@code largeEchoThroughEmulatedW5500SurvivesLoss}): the chip's full receive memory dropped
 * frames, the Linux peer's later segments were parked out of order, the echo service drained
 * the receive ring to empty, and {@code ByteRing.skip} then moved the head back to 0 — so the
 * parked bytes were no longer at their distance from the write position, the gap-filling segment
 * committed stale bytes, and the echo sent them. The pcap showed intact input and output
 * segments "carrying data from the wrong stream offset" (the shift equalled the bytes read
 * before the ring emptied).
 */
class StreamOffsetTest extends TcpScriptTest {

    /** The peer's data segment carrying {@code stream[from, from + length)}. */
    private Seg peerData(byte[] stream, int from, int length, int ackOfOurs) {
        return peer.seg(ACK).seq(PEER_ISS + 1 + from).ack(ackOfOurs).window(PEER_WINDOW)
                .payload(Arrays.copyOfRange(stream, from, from + length));
    }

    /** Asserts that every data segment in {@code sent} carries our stream's bytes at its sequence number; returns them. */
    private List<Seg> assertOwnOffsets(List<Seg> sent, byte[] ourStream) {
        List<Seg> data = new ArrayList<>();
        for (Seg s : sent) {
            if (s.payloadLength() == 0) {
                continue;
            }
            int offset = s.seq() - (ISS + 1);
            assertTrue(offset >= 0 && offset + s.payloadLength() <= ourStream.length, () -> "segment outside the stream: " + s);
            assertArrayEquals(Arrays.copyOfRange(ourStream, offset, offset + s.payloadLength()), s.payload(),
                    () -> "segment " + s + " does not carry stream bytes " + offset + ".." + (offset + s.payloadLength()));
            data.add(s);
        }
        return data;
    }

    // ---- receive side (the e2e root cause) ----

    @Test
    void bytesParkedOutOfOrderSurviveTheApplicationEmptyingTheRing() {
        int c = establishPassive();
        byte[] stream = bytes(3000, 11);
        byte[] got = new byte[3000];
        peer.send(peerData(stream, 0, 1000, ISS + 1));
        peer.send(peerData(stream, 2000, 1000, ISS + 1)); // 1000..2000 lost at the chip: parked
        assertEquals(1000, tcp.read(c, got, 0, 3000));    // the ring is empty, the parked bytes are not
        peer.send(peerData(stream, 1000, 1000, ISS + 1)); // the retransmission fills the hole
        assertEquals(2000, tcp.read(c, got, 1000, 2000));
        assertArrayEquals(stream, got);
        List<Seg> acks = peer.drain();
        assertEquals(PEER_ISS + 3001, acks.get(acks.size() - 1).ack(), acks::toString);
    }

    /**
     * The e2e scenario in simulated time: an echo application and a peer whose segments arrive
     * with holes (as when the chip's receive memory overflows), the peer acknowledging what it
     * got, and the application reading once per burst. Every echoed segment must carry the
     * peer's bytes at its own offset.
     */
    @Test
    void echoOfAReorderedStreamSendsEveryByteAtItsOwnOffset() {
        int c = establishPassive();
        byte[] stream = bytes(6000, 29);
        byte[] scratch = new byte[4096];
        byte[] echoed = new byte[stream.length];
        // Bursts as the chip delivers them: the application reads only after each burst, so
        // bytes get parked out of order while in-order bytes are still unread.
        int[][] bursts = {{0, 2, 3}, {1, 4, 6}, {5, 7, 9, 10}, {8, 11}};
        int segment = 500; // bursts stay inside the 4096-byte receive window
        int received = 0;
        int peerNxt = 0;
        for (int[] burst : bursts) {
            for (int next : burst) {
                peerNxt = Math.max(peerNxt, (next + 1) * segment);
                peer.send(peerData(stream, next * segment, segment, ISS + 1 + received));
            }
            // The echo service: everything readable goes back, as far as the send ring takes it.
            int n;
            while ((n = tcp.read(c, scratch, 0, Math.min(scratch.length, tcp.writable(c)))) > 0) {
                assertEquals(n, tcp.write(c, scratch, 0, n));
            }
            peer.poll();
            for (Seg s : assertOwnOffsets(peer.drain(), stream)) {
                int offset = s.seq() - (ISS + 1);
                System.arraycopy(s.payload(), 0, echoed, offset, s.payloadLength());
                received = Math.max(received, offset + s.payloadLength());
            }
            // The peer acknowledges all it holds (the Nagle-held tail then goes).
            peer.send(peer.seg(ACK).seq(PEER_ISS + 1 + peerNxt).ack(ISS + 1 + received).window(PEER_WINDOW));
            for (Seg s : assertOwnOffsets(peer.drainWithoutPoll(), stream)) {
                int offset = s.seq() - (ISS + 1);
                System.arraycopy(s.payload(), 0, echoed, offset, s.payloadLength());
                received = Math.max(received, offset + s.payloadLength());
            }
        }
        peer.advance(SECOND);
        for (Seg s : assertOwnOffsets(peer.drain(), stream)) {
            int offset = s.seq() - (ISS + 1);
            System.arraycopy(s.payload(), 0, echoed, offset, s.payloadLength());
        }
        assertArrayEquals(stream, echoed);
    }

    // ---- send side ----

    @Test
    void retransmissionAfterAnAckInsideASegmentStartsAtTheAcknowledgedByte() {
        int c = establishPassive();
        long rto = tcp.retransmissionTimeoutNanos(c);
        byte[] stream = bytes(3000, 5);
        assertEquals(3000, tcp.write(c, stream, 0, 3000));
        peer.poll();
        assertEquals(2, assertOwnOffsets(peer.drain(), stream).size()); // 1460 + 1460; Nagle holds 80
        // A receiver that trimmed the first segment to its window acknowledges 700 of its bytes.
        peer.send(peerAck(PEER_ISS + 1, ISS + 1 + 700));
        assertEquals(List.of(), assertOwnOffsets(peer.drainWithoutPoll(), stream));
        peer.advance(rto);
        List<Seg> resent = assertOwnOffsets(peer.drain(), stream);
        assertEquals(1, resent.size(), resent::toString); // cwnd is one segment after a timeout
        assertEquals(ISS + 1 + 700, resent.get(0).seq());
        assertEquals(MSS, resent.get(0).payloadLength());
        // The rest follows at its own offsets until everything is acknowledged.
        int acked = 700 + MSS;
        for (int round = 0; round < 5 && acked < 3000; round++) {
            peer.send(peerAck(PEER_ISS + 1, ISS + 1 + acked));
            for (Seg s : assertOwnOffsets(peer.drainWithoutPoll(), stream)) {
                acked = Math.max(acked, s.seq() - (ISS + 1) + s.payloadLength());
            }
        }
        assertEquals(3000, acked);
    }

    @Test
    void fastRetransmitAndPartialAckInsideASegmentResendFromSndUna() {
        use(config().tcpBuffers(4096, 16384).build());
        int c = establishPassive();
        byte[] stream = bytes(4 * MSS, 3);
        tcp.write(c, stream, 0, stream.length);
        peer.poll();
        assertEquals(3, assertOwnOffsets(peer.drain(), stream).size());
        peer.send(peerAck(PEER_ISS + 1, ISS + 1 + MSS));
        assertEquals(1, assertOwnOffsets(peer.drainWithoutPoll(), stream).size());
        for (int i = 0; i < 3; i++) {
            peer.send(peerAck(PEER_ISS + 1, ISS + 1 + MSS));
        }
        List<Seg> fast = assertOwnOffsets(peer.drainWithoutPoll(), stream);
        assertEquals(ISS + 1 + MSS, fast.get(0).seq());
        assertEquals(1, tcp.counters().get(TcpCounter.FAST_RETRANSMITS));
        // RFC 6582 partial ACK, landing inside the third segment.
        peer.send(peerAck(PEER_ISS + 1, ISS + 1 + MSS + 2000));
        List<Seg> partial = assertOwnOffsets(peer.drainWithoutPoll(), stream);
        assertEquals(ISS + 1 + MSS + 2000, partial.get(0).seq(), partial::toString);
        assertEquals(MSS, partial.get(0).payloadLength());
        assertEquals(1, tcp.counters().get(TcpCounter.PARTIAL_ACKS));
    }

    @Test
    void windowProbeByteAndTheDataAfterItSitAtTheirOffsets() {
        int c = establishPassive();
        long rto = tcp.retransmissionTimeoutNanos(c);
        byte[] stream = bytes(3000, 17);
        tcp.write(c, stream, 0, 3000);
        peer.poll();
        assertEquals(2, assertOwnOffsets(peer.drain(), stream).size());
        // Everything sent is acknowledged, but the window closes with 80 bytes still queued.
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1).ack(ISS + 1 + 2 * MSS).window(0));
        assertEquals(List.of(), peer.drainWithoutPoll());
        peer.advance(rto);
        List<Seg> probe = assertOwnOffsets(peer.drain(), stream);
        assertEquals(1, probe.size(), probe::toString);
        assertEquals(ISS + 1 + 2 * MSS, probe.get(0).seq());
        assertEquals(1, probe.get(0).payloadLength());
        // The peer took the probe byte and opens its window.
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1).ack(ISS + 2 + 2 * MSS).window(PEER_WINDOW));
        List<Seg> rest = assertOwnOffsets(peer.drainWithoutPoll(), stream);
        assertEquals(1, rest.size(), rest::toString);
        assertEquals(ISS + 2 + 2 * MSS, rest.get(0).seq());
        assertEquals(3000 - 2 * MSS - 1, rest.get(0).payloadLength());
    }

    @Test
    void finRetransmittedAfterAnAckInsideTheLastSegmentCarriesTheUnackedTail() {
        int c = establishPassive();
        long rto = tcp.retransmissionTimeoutNanos(c);
        byte[] stream = bytes(2000, 23);
        tcp.write(c, stream, 0, 2000);
        tcp.close(c);
        peer.poll();
        List<Seg> first = assertOwnOffsets(peer.drain(), stream);
        assertEquals(2, first.size(), first::toString);
        assertTrue(first.get(1).has(FIN), first::toString);
        peer.send(peerAck(PEER_ISS + 1, ISS + 1 + 1800));
        assertEquals(List.of(), peer.drainWithoutPoll());
        peer.advance(rto);
        List<Seg> resent = assertOwnOffsets(peer.drain(), stream);
        assertEquals(1, resent.size(), resent::toString);
        assertEquals(peer.reply(FIN | PSH | ACK).seq(ISS + 1 + 1800).ack(PEER_ISS + 1).window(WINDOW)
                .payload(Arrays.copyOfRange(stream, 1800, 2000)), resent.get(0));
        peer.send(peerAck(PEER_ISS + 1, ISS + 2 + 2000));
        assertEquals(TcpState.FIN_WAIT_2, tcp.state(c));
    }

    @Test
    void retransmissionAcrossTheSendRingWrapCarriesTheRightBytes() {
        // The send ring is 4096 bytes: stream offset 4096 sits at ring position 0 again.
        int c = establishPassive();
        long rto = tcp.retransmissionTimeoutNanos(c);
        byte[] stream = bytes(4096 + 2 * MSS, 31);
        assertEquals(4096, tcp.write(c, stream, 0, stream.length));
        peer.poll();
        assertEquals(2, assertOwnOffsets(peer.drain(), stream).size()); // Nagle holds the 1176-byte tail
        peer.send(peerAck(PEER_ISS + 1, ISS + 1 + 2 * MSS));
        List<Seg> tail = assertOwnOffsets(peer.drainWithoutPoll(), stream);
        assertEquals(ISS + 1 + 2 * MSS, tail.get(0).seq(), tail::toString);
        assertEquals(2 * MSS, tcp.write(c, stream, 4096, 2 * MSS)); // wraps: the ring holds 2920..7016
        assertEquals(0, tcp.writable(c));
        peer.poll();
        int sent = 0;
        for (Seg s : assertOwnOffsets(peer.drain(), stream)) {
            sent = Math.max(sent, s.seq() - (ISS + 1) + s.payloadLength());
        }
        assertTrue(sent > 4096, "the wrapped bytes went out: " + sent);
        // An ACK inside the tail segment, then everything after it is lost: the timeout resends
        // one segment from 3500, across the wrap point.
        peer.send(peerAck(PEER_ISS + 1, ISS + 1 + 3500));
        peer.drainWithoutPoll();
        peer.advance(rto);
        List<Seg> resent = assertOwnOffsets(peer.drain(), stream);
        assertEquals(ISS + 1 + 3500, resent.get(0).seq(), resent::toString);
        assertEquals(MSS, resent.get(0).payloadLength());
        int acked = 3500 + MSS;
        for (int round = 0; round < 8 && acked < stream.length; round++) {
            peer.send(peerAck(PEER_ISS + 1, ISS + 1 + acked));
            for (Seg s : assertOwnOffsets(peer.drainWithoutPoll(), stream)) {
                acked = Math.max(acked, s.seq() - (ISS + 1) + s.payloadLength());
            }
        }
        assertEquals(stream.length, acked);
        assertFalse(tcp.counters().get(TcpCounter.RETRANSMITTED_SEGMENTS) == 0);
    }

    @Test
    void aSegmentCutFromOutsideTheSendRingIsCountedAndNotSent() {
        int c = establishPassive();
        byte[] stream = bytes(100, 3);
        tcp.setNoDelay(c, true);
        tcp.write(c, stream, 0, 100);
        peer.poll();
        assertEquals(1, assertOwnOffsets(peer.drain(), stream).size());
        Tcb tcb = tcp.tcbs.slot(c & 0xFFFF);
        // Bytes before SND.UNA's (already acknowledged, gone) and past the queued end: both would
        // be stale ring contents from another offset.
        tcp.output.sendSegment(tcb, ACK, ISS, -1, 10, peer.now());
        tcp.output.sendSegment(tcb, ACK, ISS + 91, 90, 20, peer.now());
        assertEquals(List.of(), peer.drainWithoutPoll());
        assertEquals(2, tcp.counters().get(TcpCounter.SEND_RANGE_OUTSIDE_RING));
        use(config().build()); // a clean layer for the fixture's after-each check (this one's defect count is intended)
    }
}
