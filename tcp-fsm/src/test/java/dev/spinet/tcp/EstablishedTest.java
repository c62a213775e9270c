package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSE_WAIT;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.FIN_WAIT_1;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.FIN;
import static dev.spinet.tcp.scenario.Seg.PSH;
import static dev.spinet.tcp.scenario.Seg.RST;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spinet.tcp.scenario.Covers;
import dev.spinet.tcp.scenario.PoolsAssert;
import dev.spinet.tcp.scenario.Seg;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EstablishedTest extends TcpScriptTest {

    @Test
    @Covers(from = ESTABLISHED, to = FIN_WAIT_1, cause = TransitionCause.CLOSE)
    void closeSendsFin() {
        int c = establishPassive();
        tcp.close(c);
        assertEquals(FIN_WAIT_1, tcp.state(c));
        peer.expect(ourFin(ISS + 1, PEER_ISS + 1));
    }

    @Test
    @Covers(from = ESTABLISHED, to = CLOSE_WAIT, cause = TransitionCause.RCV_FIN)
    void finIsAcknowledgedAndReadReturnsEndOfStream() {
        int c = establishPassive();
        peerFinIsAcked(ISS + 1, ISS + 1);
        assertEquals(CLOSE_WAIT, tcp.state(c));
        assertEquals(List.of("peer-closed"), app.events());
        assertEquals(-1, tcp.read(c, new byte[10], 0, 10));
    }

    @Test
    @Covers(from = ESTABLISHED, to = CLOSED, cause = TransitionCause.RCV_RST)
    void exactRstResets() {
        peerResets(establishPassive(), PEER_ISS + 1);
        assertEquals(List.of("closed RESET"), app.events());
        PoolsAssert.assertEveryPoolEmpty(tcp);
    }

    @Test
    void inWindowRstGetsChallengeAck() {
        int c = establishPassive();
        peer.send(peer.seg(RST).seq(PEER_ISS + 100));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1, WINDOW));
        assertEquals(ESTABLISHED, tcp.state(c));
        assertEquals(1, tcp.counters().get(TcpCounter.CHALLENGE_ACK_SENT));
    }

    @Test
    void outOfWindowRstIsDropped() {
        int c = establishPassive();
        peer.send(peer.seg(RST).seq(PEER_ISS + 100_000));
        peer.expectNothing();
        assertEquals(ESTABLISHED, tcp.state(c));
    }

    @Test
    void synInSynchronizedStateGetsChallengeAckRateLimited() {
        int c = establishPassive();
        for (int i = 0; i < 15; i++) {
            peer.send(peer.seg(SYN).seq(PEER_ISS + 1).window(PEER_WINDOW));
        }
        List<Seg> sent = peer.drainWithoutPoll();
        assertEquals(10, sent.size(), "config allows 10 challenge ACKs per second");
        assertEquals(ourAck(ISS + 1, PEER_ISS + 1, WINDOW), sent.get(0));
        assertEquals(5, tcp.counters().get(TcpCounter.CHALLENGE_ACK_RATE_LIMITED));
        peer.advance(SECOND);
        peer.send(peer.seg(SYN).seq(PEER_ISS + 1).window(PEER_WINDOW));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1, WINDOW));
        assertEquals(ESTABLISHED, tcp.state(c));
    }

    @Test
    @Covers(from = ESTABLISHED, to = CLOSED, cause = TransitionCause.ABORT)
    void abortSendsRst() {
        int c = establishPassive();
        abortResets(c, ISS + 1);
        assertEquals(List.of("closed ABORTED"), app.events());
        assertThrows(IllegalArgumentException.class, () -> tcp.write(c, new byte[1], 0, 1));
    }

    @Test
    @Covers(from = ESTABLISHED, to = CLOSED, cause = TransitionCause.RETRANSMISSION_TIMEOUT)
    void retransmissionsBackOffThenGiveUp() {
        int c = establishPassive();
        byte[] data = "hello".getBytes();
        tcp.write(c, data, 0, data.length);
        Seg first = ourData(ISS + 1, PEER_ISS + 1, "hello");
        peer.expect(first);
        // the handshake measured an RTT of 0: RTO is the 200 ms minimum (RFC 6298 2.4)
        long rto = tcp.retransmissionTimeoutNanos(c);
        assertEquals(200 * MS, rto);
        peer.advance(rto - 1);
        peer.expectNothing();
        peer.advance(1);
        peer.expect(first);
        peer.advance(2 * rto - 1);
        peer.expectNothing();
        peer.advance(1);
        peer.expect(first);       // backed off to 2 * RTO
        assertEquals(4 * rto, tcp.retransmissionTimeoutNanos(c));
        peer.advance(4 * rto);
        peer.expect(first);
        peer.advance(8 * rto);
        expectClosedQuietly(c, CloseReason.TIMED_OUT); // 3 retransmissions allowed: give up
    }

    @Test
    @Covers(from = ESTABLISHED, to = CLOSED, cause = TransitionCause.USER_TIMEOUT)
    void userTimeoutAborts() {
        use(config().tcpUserTimeoutNanos(2500 * MS).tcpMaxRetransmissions(10, 2).build());
        int c = establishPassive();
        tcp.write(c, new byte[]{1}, 0, 1);
        peer.expect(peer.reply(PSH | ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW).payload(new byte[]{1}));
        peer.advance(SECOND);
        assertEquals(1, peer.drain().size());
        peer.advance(1500 * MS);
        expectClosedQuietly(c, CloseReason.TIMED_OUT);
    }

    @Test
    @Covers(from = ESTABLISHED, to = CLOSED, cause = TransitionCause.KEEPALIVE_TIMEOUT)
    void keepaliveProbesThenTimesOut() {
        use(config().tcpKeepalive(true, 10 * SECOND, SECOND, 2).build());
        int c = establishPassive();
        Seg probe = ourAck(ISS, PEER_ISS + 1, WINDOW);
        peer.advance(10 * SECOND);
        peer.expect(probe);
        // an answer resets the idle time
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        peer.advance(10 * SECOND);
        peer.expect(probe);
        peer.advance(SECOND);
        peer.expect(probe);
        peer.advance(SECOND);
        expectClosedQuietly(c, CloseReason.TIMED_OUT);
    }

    /**
     * RFC 1122 4.2.3.6: keep-alives go "when no data or acknowledgement packets have been received
     * for the connection within an interval". A segment that fails the acceptability test (an old
     * duplicate, or a blind one at a wrong sequence number) is not one the peer sent for this
     * connection now: it is answered, but the peer is still silent, and it neither restarts the
     * idle time nor forgives the unanswered probes (Linux: only an acceptable ACK or data moves
     * rcv_tstamp / lrcvtime).
     */
    @Test
    void aSegmentOutsideTheWindowDoesNotKeepADeadPeerAlive() {
        use(config().tcpKeepalive(true, 10 * SECOND, SECOND, 2).build());
        int c = establishPassive();
        Seg probe = ourAck(ISS, PEER_ISS + 1, WINDOW);
        peer.advance(10 * SECOND);
        peer.expect(probe);
        peer.send(peerAck(PEER_ISS + 100_000, ISS + 1));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1, WINDOW));
        peer.advance(SECOND);
        peer.expect(probe);
        peer.advance(SECOND);
        expectClosedQuietly(c, CloseReason.TIMED_OUT);
    }

    @Test
    void keepaliveAskedForOnOneConnectionProbesWithTheConfiguredTimes() {
        // StackConfig.tcpKeepalive stays off: only this connection asked (java.net's SO_KEEPALIVE).
        use(config().tcpKeepalive(false, 10 * SECOND, SECOND, 2).build());
        int c = establishPassive();
        peer.advance(5 * SECOND);
        peer.expectNothing();
        tcp.setKeepAlive(c, true);
        Seg probe = ourAck(ISS, PEER_ISS + 1, WINDOW);
        // The idle time counts from the last segment heard, the handshake's ACK.
        peer.advance(5 * SECOND);
        peer.expect(probe);
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        tcp.setKeepAlive(c, false);
        peer.advance(30 * SECOND);
        peer.expectNothing();
    }

    @Test
    void dataIsDeliveredAndAckDelayed() {
        int c = establishPassive();
        peer.send(peer.seg(PSH | ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload("abc"));
        peer.expectNothing();
        assertEquals(List.of("readable"), app.events());
        byte[] buffer = new byte[10];
        assertEquals(3, tcp.read(c, buffer, 0, 10));
        assertEquals("abc", new String(buffer, 0, 3));
        peer.advance(40 * MS);
        // RFC 1122 4.2.3.3: 3 bytes read do not move the right edge (less than min(buffer/2, MSS))
        peer.expect(ourAck(ISS + 1, PEER_ISS + 4, WINDOW - 3));
    }

    @Test
    void everySecondSegmentIsAckedAtOnce() {
        establishPassive();
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(1000, 1)));
        peer.expectNothing();
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1001).ack(ISS + 1).window(PEER_WINDOW).payload(bytes(1000, 2)));
        // receiver SWS avoidance: 2000 of 4096 buffered, the right edge stays where it was
        peer.expect(ourAck(ISS + 1, PEER_ISS + 2001, WINDOW - 2000));
    }

    @Test
    void outOfOrderDataIsHeldAndReassembled() {
        int c = establishPassive();
        peer.send(peer.seg(ACK).seq(PEER_ISS + 11).ack(ISS + 1).window(PEER_WINDOW).payload("klmnopqrst"));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1, WINDOW)); // duplicate ACK at once
        assertEquals(0, tcp.available(c));
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload("abcdefghij"));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 21, WINDOW - 20)); // gap filled: ACK at once
        byte[] buffer = new byte[32];
        assertEquals(20, tcp.read(c, buffer, 0, 32));
        assertEquals("abcdefghijklmnopqrst", new String(buffer, 0, 20));
    }

    /** RFC 5681 4.2: a FIN beyond a hole is an out-of-order segment and gets a duplicate ACK at once. */
    @Test
    void aFinBeyondAHoleGetsADuplicateAckAndWaitsForTheMissingData() {
        int c = establishPassive();
        peer.send(peer.seg(FIN | ACK).seq(PEER_ISS + 11).ack(ISS + 1).window(PEER_WINDOW));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1, WINDOW)); // duplicate ACK at once
        assertEquals(ESTABLISHED, tcp.state(c), "the FIN waits for the ten missing bytes");
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload("abcdefghij"));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 12, WINDOW - 10)); // the gap filled, the FIN with it
        assertEquals(CLOSE_WAIT, tcp.state(c));
    }

    @Test
    void duplicateAndOverlappingDataIsTrimmed() {
        int c = establishPassive();
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload("abcde"));
        peer.send(peer.seg(ACK).seq(PEER_ISS + 3).ack(ISS + 1).window(PEER_WINDOW).payload("cdefgh"));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 9, WINDOW - 8));
        byte[] buffer = new byte[16];
        assertEquals(8, tcp.read(c, buffer, 0, 16));
        assertEquals("abcdefgh", new String(buffer, 0, 8));
        assertEquals(3, tcp.counters().get(TcpCounter.DUPLICATE_BYTES));
    }

    @Test
    void unacceptableSegmentGetsAnAck() {
        establishPassive();
        peer.send(peer.seg(ACK).seq(PEER_ISS - 100).ack(ISS + 1).window(PEER_WINDOW).payload("old"));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1, WINDOW));
        assertEquals(1, tcp.counters().get(TcpCounter.DROP_UNACCEPTABLE));
    }

    @Test
    void ackForUnsentDataGetsAnAck() {
        establishPassive();
        peer.send(peerAck(PEER_ISS + 1, ISS + 500));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1, WINDOW));
        assertEquals(1, tcp.counters().get(TcpCounter.DROP_ACK_TOO_NEW));
    }

    @Test
    void sendingIsCutIntoMssSegmentsWithinThePeerWindow() {
        use(config().tcpBuffers(4096, 8192).build());
        int c = establishPassive();
        byte[] data = bytes(5000, 7);
        assertEquals(5000, tcp.write(c, data, 0, data.length));
        // initial cwnd is 3 * 1460 (RFC 5681 for SMSS 1460): three full segments
        List<Seg> sent = peer.drain();
        peer.poll();
        sent = peer.drain();
        assertEquals(3, sent.size(), sent::toString);
        for (int i = 0; i < 3; i++) {
            assertEquals(peer.reply(ACK).seq(ISS + 1 + i * MSS).ack(PEER_ISS + 1).window(WINDOW)
                    .payload(Arrays.copyOfRange(data, i * MSS, (i + 1) * MSS)), sent.get(i));
        }
        peer.send(peerAck(PEER_ISS + 1, ISS + 1 + 2 * MSS));
        // Nagle: the 620-byte rest waits while a segment is unacknowledged
        assertEquals(List.of(), peer.drainWithoutPoll());
        peer.send(peerAck(PEER_ISS + 1, ISS + 1 + 3 * MSS));
        List<Seg> next = peer.drainWithoutPoll();
        assertEquals(1, next.size(), next::toString);
        assertEquals(peer.reply(PSH | ACK).seq(ISS + 1 + 3 * MSS).ack(PEER_ISS + 1).window(WINDOW)
                .payload(Arrays.copyOfRange(data, 3 * MSS, 5000)), next.get(0));
    }

    @Test
    void nagleHoldsSmallSegmentsWhileDataIsInFlight() {
        int c = establishPassive();
        tcp.write(c, new byte[]{1}, 0, 1);
        peer.expect(peer.reply(PSH | ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW).payload(new byte[]{1}));
        tcp.write(c, new byte[]{2}, 0, 1);
        peer.expectNothing();
        peer.send(peerAck(PEER_ISS + 1, ISS + 2));
        assertEquals(List.of(peer.reply(PSH | ACK).seq(ISS + 2).ack(PEER_ISS + 1).window(WINDOW).payload(new byte[]{2})),
                peer.drainWithoutPoll());
        tcp.setNoDelay(c, true);
        tcp.write(c, new byte[]{3}, 0, 1);
        peer.expect(peer.reply(PSH | ACK).seq(ISS + 3).ack(PEER_ISS + 1).window(WINDOW).payload(new byte[]{3}));
    }

    @Test
    void zeroWindowIsProbedByThePersistTimer() {
        int c = zeroWindowProbed();
        long rto = tcp.retransmissionTimeoutNanos(c);
        peer.send(peerAck(PEER_ISS + 1, ISS + 1).window(0));
        peer.advance(2 * rto - 1);
        peer.expectNothing(); // backed off to 2 * RTO
        peer.advance(1);
        peer.expect(zeroWindowProbe());
        peer.send(peerAck(PEER_ISS + 1, ISS + 1).window(1000));
        assertEquals(List.of(ourData(ISS + 1, PEER_ISS + 1, "xy")), peer.drainWithoutPoll());
        assertEquals(2, tcp.counters().get(TcpCounter.PERSIST_PROBES));
    }

    @Test
    void threeDuplicateAcksTriggerFastRetransmit() {
        use(config().tcpBuffers(4096, 16384).build());
        int c = establishPassive();
        byte[] data = bytes(4 * MSS, 3);
        tcp.write(c, data, 0, data.length);
        peer.poll();
        assertEquals(3, peer.drain().size());
        peer.send(peerAck(PEER_ISS + 1, ISS + 1 + MSS)); // first acked: cwnd grows, two more go
        assertEquals(1, peer.drainWithoutPoll().size());
        for (int i = 0; i < 3; i++) {
            peer.send(peerAck(PEER_ISS + 1, ISS + 1 + MSS));
        }
        List<Seg> sent = peer.drainWithoutPoll();
        assertEquals(peer.reply(ACK).seq(ISS + 1 + MSS).ack(PEER_ISS + 1).window(WINDOW)
                .payload(Arrays.copyOfRange(data, MSS, 2 * MSS)), sent.get(0));
        assertEquals(1, tcp.counters().get(TcpCounter.FAST_RETRANSMITS));
    }

    @Test
    void writeRejectsMisuse() {
        int c = establishPassive();
        assertThrows(IllegalArgumentException.class, () -> tcp.write(c, new byte[2], 1, 5));
        tcp.shutdownOutput(c);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tcp.write(c, new byte[1], 0, 1));
        assertEquals(true, e.getMessage().contains("shutdownOutput"));
    }

    @Test
    void readCopiesInOrder() {
        int c = establishPassive();
        peer.send(peer.seg(PSH | ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW).payload("0123456789"));
        byte[] buffer = new byte[4];
        assertEquals(4, tcp.read(c, buffer, 0, 4));
        assertArrayEquals("0123".getBytes(), buffer);
        assertEquals(6, tcp.available(c));
    }
}
