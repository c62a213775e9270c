package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.SYN_SENT;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.PSH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.scenario.ScriptedPeer;
import dev.spinet.tcp.scenario.Seg;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ICMP errors about our segments, state by state (RFC 1122 4.2.3.9, RFC 5927, RFC 6633), and path
 * MTU discovery (RFC 1191), with the exact segments the stack sends afterwards.
 */
class IcmpErrorTest extends TcpScriptTest {

    private static final int UNREACHABLE = 3;
    private static final int SOURCE_QUENCH = 4;
    private static final int TIME_EXCEEDED = 11;
    private static final int NET = 0;
    private static final int HOST = 1;
    private static final int PORT = 3;
    private static final int FRAGMENTATION_NEEDED = 4;
    private static final int PROHIBITED = 13;

    // ---- SYN-SENT: hard errors end the attempt, soft ones only name the cause ----

    // (port unreachable about our SYN: SynSentTest.portUnreachableAboutOurSynRefusesTheConnection)

    @Test
    void administrativelyProhibitedAboutOurSynEndsItAsUnreachable() {
        int c = connectAndTakeSyn();
        peer.sendIcmpError(UNREACHABLE, PROHIBITED, 0, ourSyn(), 28);
        expectClosedQuietly(c, CloseReason.UNREACHABLE);
        assertEquals(1, tcp.counters().get(TcpCounter.CLOSED_UNREACHABLE));
    }

    @Test
    void hostUnreachableInSynSentIsSoftTheSynGoesOnAndTheTimeoutNamesIt() {
        int c = connectAndTakeSyn();
        peer.sendIcmpError(UNREACHABLE, HOST, 0, ourSyn(), 8);
        peer.expectNothing();
        assertEquals(SYN_SENT, tcp.state(c));
        assertEquals(IcmpError.HOST_UNREACHABLE, tcp.softError(c));
        assertEquals(1, tcp.counters().get(TcpCounter.ICMP_SOFT_ERRORS));
        // RFC 1122 4.2.3.9: "TCP MUST NOT abort the connection"; the SYN is retransmitted as ever
        // (the fixture allows two) and the give-up reports the soft error, not a bare timeout.
        expectBackedOffRetransmissions(ourSyn(), SECOND, 2);
        expectClosedQuietly(c, CloseReason.UNREACHABLE);
    }

    @Test
    void aSoftErrorBeforeTheLastProgressIsNotTheTimeoutsCause() {
        int c = establishActive();
        tcp.write(c, "hello".getBytes(), 0, 5);
        Seg hello = ourData(ISS + 1, PEER_ISS + 1, "hello");
        peer.expect(hello);
        peer.sendIcmpError(UNREACHABLE, NET, 0, hello, 8);
        assertEquals(IcmpError.NET_UNREACHABLE, tcp.softError(c));
        peer.send(peerAck(PEER_ISS + 1, ISS + 6));
        tcp.write(c, "again".getBytes(), 0, 5);
        peer.expect(ourData(ISS + 6, PEER_ISS + 1, "again"));
        retransmitUntilGiveUp(c, ourData(ISS + 6, PEER_ISS + 1, "again"));
        assertEquals(List.of("closed TIMED_OUT"), app.events());
    }

    @Test
    void aHardErrorQuotingASequenceNumberOtherThanTheSynIsDropped() {
        int c = connectAndTakeSyn();
        peer.sendIcmpError(UNREACHABLE, PORT, 0, ourSyn().seq(ISS + 1), 8);
        peer.sendIcmpError(UNREACHABLE, PORT, 0, ourSyn().seq(ISS - 1), 8);
        peer.expectNothing();
        assertEquals(SYN_SENT, tcp.state(c));
        assertEquals(2, tcp.counters().get(TcpCounter.ICMP_TCP_ERROR_INVALID));
        assertNull(tcp.softError(c));
    }

    // ---- synchronized states: every error is soft (RFC 5927 5.2) ----

    @Test
    void inEstablishedEvenPortUnreachableIsOnlyReportedToTheApplication() {
        int c = establishActive();
        tcp.write(c, "hello".getBytes(), 0, 5);
        Seg hello = ourData(ISS + 1, PEER_ISS + 1, "hello");
        peer.expect(hello);
        peer.sendIcmpError(UNREACHABLE, PORT, 0, hello, 8);
        peer.expectNothing();
        assertEquals(ESTABLISHED, tcp.state(c));
        assertEquals(IcmpError.PORT_UNREACHABLE, tcp.softError(c));
        TcbSnapshot snapshot = new TcbSnapshot();
        assertTrue(tcp.snapshot(c, snapshot));
        assertEquals(IcmpError.PORT_UNREACHABLE, snapshot.softError());
        assertEquals(1, tcp.counters().get(TcpCounter.ICMP_SOFT_ERRORS));
        assertEquals(List.of(), app.events());
        // The connection goes on: the peer acknowledges and more data flows.
        peer.send(peerAck(PEER_ISS + 1, ISS + 6));
        tcp.write(c, "more".getBytes(), 0, 4);
        peer.expect(ourData(ISS + 6, PEER_ISS + 1, "more"));
    }

    @Test
    void inSynReceivedAHardErrorLeavesTheHalfOpenConnectionToItsTimers() {
        listen();
        halfOpenFrom(40_000);
        peer.sendIcmpError(UNREACHABLE, PROHIBITED, 0, ourSynAck(), 8);
        peer.expectNothing();
        assertEquals(1, tcp.counters().get(TcpCounter.ICMP_SOFT_ERRORS));
        assertEquals(0, tcp.counters().get(TcpCounter.ICMP_HARD_ERROR_ABORTS));
        // The handshake still completes.
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        assertEquals(List.of("accepted"), app.events());
        assertEquals(IcmpError.ADMINISTRATIVELY_PROHIBITED, tcp.softError(app.lastAccepted()));
    }

    @Test
    void inFinWait1PortUnreachableAboutOurFinIsOnlyReported() {
        int c = finWait1();
        peer.sendIcmpError(UNREACHABLE, PORT, 0, ourFin(ISS + 1, PEER_ISS + 1), 8);
        peer.expectNothing();
        assertEquals(TcpState.FIN_WAIT_1, tcp.state(c));
        assertEquals(IcmpError.PORT_UNREACHABLE, tcp.softError(c));
    }

    @Test
    void timeExceededInEstablishedIsSoft() {
        int c = establishActive();
        tcp.write(c, "hello".getBytes(), 0, 5);
        Seg hello = ourData(ISS + 1, PEER_ISS + 1, "hello");
        peer.expect(hello);
        peer.sendIcmpError(TIME_EXCEEDED, 0, 0, hello.seq(ISS + 5), 8);
        assertEquals(IcmpError.TIME_EXCEEDED, tcp.softError(c));
        assertEquals(ESTABLISHED, tcp.state(c));
    }

    // ---- what is dropped and counted (RFC 5927 4.1) ----

    @Test
    void aQuotedSequenceNumberOutsideSndUnaToSndMaxIsDroppedAndCounted() {
        int c = establishActive();
        // Nothing in flight: no sequence number is acceptable.
        peer.sendIcmpError(UNREACHABLE, PORT, 0, ourData(ISS + 1, PEER_ISS + 1, "hello"), 8);
        tcp.write(c, "hello".getBytes(), 0, 5);
        Seg hello = ourData(ISS + 1, PEER_ISS + 1, "hello");
        peer.expect(hello);
        peer.sendIcmpError(UNREACHABLE, HOST, 0, hello.seq(ISS), 8);      // below SND.UNA
        peer.sendIcmpError(UNREACHABLE, HOST, 0, hello.seq(ISS + 6), 8);  // at SND.MAX
        peer.sendIcmpError(UNREACHABLE, FRAGMENTATION_NEEDED, 576, hello.seq(ISS + 100_000), 8);
        peer.expectNothing();
        assertEquals(4, tcp.counters().get(TcpCounter.ICMP_TCP_ERROR_INVALID));
        assertNull(tcp.softError(c));
        assertEquals(MSS, tcp.sendMss(c));
        assertEquals(0, tcp.counters().get(TcpCounter.ICMP_SOFT_ERRORS));
    }

    @Test
    void anErrorQuotingAnUnknownFourTupleIsDroppedAndCounted() {
        int c = establishActive();
        tcp.write(c, "hello".getBytes(), 0, 5);
        Seg hello = ourData(ISS + 1, PEER_ISS + 1, "hello");
        peer.expect(hello);
        Seg otherPeerPort = peer.reply(PSH | ACK).ports(peer.localPort(), 81).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW);
        Seg otherLocalPort = peer.reply(PSH | ACK).ports(peer.localPort() + 1, 80).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW);
        peer.sendIcmpError(UNREACHABLE, PORT, 0, otherPeerPort, 8);
        peer.sendIcmpError(UNREACHABLE, PORT, 0, otherLocalPort, 8);
        peer.sendIcmpError(UNREACHABLE, PORT, 0, ScriptedPeer.PEER_ADDRESS + 1, hello, 8);
        peer.expectNothing();
        assertEquals(3, tcp.counters().get(TcpCounter.ICMP_TCP_ERROR_NO_CONNECTION));
        assertNull(tcp.softError(c));
    }

    @Test
    void aQuoteOfFewerThanEightTcpOctetsIsDroppedAndCounted() {
        int c = connectAndTakeSyn();
        peer.sendIcmpError(UNREACHABLE, PORT, 0, ourSyn(), 7);
        peer.sendIcmpError(UNREACHABLE, PORT, 0, ourSyn(), 0);
        assertEquals(SYN_SENT, tcp.state(c));
        assertEquals(2, tcp.counters().get(TcpCounter.ICMP_TCP_ERROR_TRUNCATED));
    }

    @Test
    void sourceQuenchIsIgnored() {
        int c = establishActive();
        tcp.write(c, "hello".getBytes(), 0, 5);
        Seg hello = ourData(ISS + 1, PEER_ISS + 1, "hello");
        peer.expect(hello);
        int cwnd = tcp.congestionWindow(c);
        peer.sendIcmpError(SOURCE_QUENCH, 0, 0, hello, 8);
        peer.expectNothing();
        assertEquals(cwnd, tcp.congestionWindow(c));
        assertNull(tcp.softError(c));
        assertEquals(1, tcp.counters().get(TcpCounter.ICMP_SOURCE_QUENCH_IGNORED));
    }

    @Test
    void withIcmpErrorsOffEvenAHardErrorInSynSentIsDropped() {
        use(config().tcpIcmp(false, true).build());
        int c = connectAndTakeSyn();
        peer.sendIcmpError(UNREACHABLE, PORT, 0, ourSyn(), 8);
        assertEquals(SYN_SENT, tcp.state(c));
        assertEquals(1, tcp.counters().get(TcpCounter.ICMP_TCP_ERROR_DISABLED));
    }

    // ---- path MTU discovery (RFC 1191) ----

    @Test
    void fragmentationNeededLowersTheMssAndTheFlightGoesAgainAtOnceInTheNewSize() {
        int c = establishActive();
        byte[] data = bytes(2 * MSS, 7);
        assertEquals(2 * MSS, tcp.write(c, data, 0, data.length));
        Seg first = peer.reply(ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW).payload(Arrays.copyOfRange(data, 0, MSS));
        Seg second = peer.reply(PSH | ACK).seq(ISS + 1 + MSS).ack(PEER_ISS + 1).window(WINDOW)
                .payload(Arrays.copyOfRange(data, MSS, 2 * MSS));
        peer.expect(first, second);
        assertTrue(peer.output().lastDontFragment(), "DF is set while path MTU discovery is on");

        // A router with a 1280-byte link drops the first and says so, quoting 28 octets of the 1500.
        peer.sendIcmpError(UNREACHABLE, FRAGMENTATION_NEEDED, 1280, first, 28);
        assertEquals(1280, tcp.pathMtu(c));
        assertEquals(1240, tcp.sendMss(c));
        // At once, before any timer: the whole flight in 1240-byte segments.
        assertEquals(List.of(
                peer.reply(ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW).payload(Arrays.copyOfRange(data, 0, 1240)),
                peer.reply(ACK).seq(ISS + 1 + 1240).ack(PEER_ISS + 1).window(WINDOW).payload(Arrays.copyOfRange(data, 1240, 2480)),
                peer.reply(PSH | ACK).seq(ISS + 1 + 2480).ack(PEER_ISS + 1).window(WINDOW)
                        .payload(Arrays.copyOfRange(data, 2480, 2 * MSS))), peer.drainWithoutPoll());
        assertTrue(peer.output().lastDontFragment());
        assertEquals(1, tcp.counters().get(TcpCounter.PMTU_LOWERED));
        assertEquals(1, tcp.counters().get(TcpCounter.PMTU_RETRANSMISSIONS));
        assertEquals(0, tcp.counters().get(TcpCounter.RETRANSMISSION_TIMEOUTS));

        // The router's report about the second 1500-byte segment changes nothing more.
        peer.sendIcmpError(UNREACHABLE, FRAGMENTATION_NEEDED, 1280, second, 28);
        peer.expectNothing();
        assertEquals(1, tcp.counters().get(TcpCounter.PMTU_IGNORED));
        assertEquals(1240, tcp.sendMss(c));

        // The peer acknowledges all of it; new data goes in the new size.
        peer.send(peerAck(PEER_ISS + 1, ISS + 1 + 2 * MSS));
        byte[] more = bytes(1300, 9);
        tcp.write(c, more, 0, more.length);
        peer.expect(peer.reply(ACK).seq(ISS + 1 + 2 * MSS).ack(PEER_ISS + 1).window(WINDOW).payload(Arrays.copyOfRange(more, 0, 1240)));
        peer.send(peerAck(PEER_ISS + 1, ISS + 1 + 2 * MSS + 1240));
        peer.expect(peer.reply(PSH | ACK).seq(ISS + 1 + 2 * MSS + 1240).ack(PEER_ISS + 1).window(WINDOW)
                .payload(Arrays.copyOfRange(more, 1240, 1300)));
        assertNull(tcp.softError(c), "fragmentation needed is path MTU discovery's, no error for the application");
    }

    @Test
    void aReportQuotingALaterSegmentOfTheFlightResendsFromSndUna() {
        int c = establishActive();
        byte[] data = bytes(2 * MSS, 8);
        tcp.write(c, data, 0, data.length);
        peer.poll();
        List<Seg> flight = peer.drain();
        assertEquals(2, flight.size());
        peer.sendIcmpError(UNREACHABLE, FRAGMENTATION_NEEDED, 1006, flight.get(1), 8);
        List<Seg> again = peer.drainWithoutPoll();
        assertEquals(ISS + 1, again.get(0).seq(), "from SND.UNA: the first segment was as large and is lost too");
        assertEquals(List.of(966, 966, 966, 22), again.stream().map(Seg::payloadLength).toList());
        assertEquals(966, tcp.sendMss(c));
    }

    @Test
    void aZeroMtuFieldTakesTheRfc1191PlateauBelowTheQuotedLength() {
        int c = establishActive();
        byte[] data = bytes(MSS, 3);
        tcp.write(c, data, 0, data.length);
        Seg full = peer.reply(PSH | ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW).payload(data);
        peer.expect(full);
        peer.sendIcmpError(UNREACHABLE, FRAGMENTATION_NEEDED, 0, full, 8);
        assertEquals(1492, tcp.pathMtu(c));
        assertEquals(1452, tcp.sendMss(c));
        assertEquals(1, tcp.counters().get(TcpCounter.PMTU_PLATEAU_GUESSES));
        assertEquals(List.of(
                peer.reply(ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW).payload(Arrays.copyOfRange(data, 0, 1452)),
                peer.reply(PSH | ACK).seq(ISS + 1 + 1452).ack(PEER_ISS + 1).window(WINDOW).payload(Arrays.copyOfRange(data, 1452, MSS))),
                peer.drainWithoutPoll());
    }

    @Test
    void anMtuBelowTheFloorStopsAtTheFloorAndClearsDf() {
        int c = establishActive();
        byte[] data = bytes(MSS, 5);
        tcp.write(c, data, 0, data.length);
        Seg full = peer.reply(PSH | ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW).payload(data);
        peer.expect(full);
        peer.sendIcmpError(UNREACHABLE, FRAGMENTATION_NEEDED, 296, full, 8);
        assertEquals(552, tcp.pathMtu(c));
        assertEquals(512, tcp.sendMss(c));
        assertEquals(1, tcp.counters().get(TcpCounter.PMTU_AT_FLOOR));
        List<Seg> again = peer.drainWithoutPoll();
        assertEquals(3, again.size());
        assertEquals(512, again.get(0).payloadLength());
        assertFalse(peer.output().lastDontFragment(), "at the floor a narrower link's router must fragment");
    }

    @Test
    void anMtuThatFitsTheQuotedDatagramIsIgnored() {
        int c = establishActive();
        tcp.write(c, "hello".getBytes(), 0, 5);
        Seg hello = ourData(ISS + 1, PEER_ISS + 1, "hello");
        peer.expect(hello);
        // A 45-byte datagram cannot have needed fragmenting for a 1000-byte link.
        peer.sendIcmpError(UNREACHABLE, FRAGMENTATION_NEEDED, 1000, hello, 8);
        peer.expectNothing();
        assertEquals(1500, tcp.pathMtu(c));
        assertEquals(MSS, tcp.sendMss(c));
        assertEquals(1, tcp.counters().get(TcpCounter.PMTU_IGNORED));
    }

    @Test
    void withTimestampsTheNewMssLeavesRoomForTheOption() {
        use(config().tcpOptions(false, true, false).build());
        int c = connectAndTakeSynWithTimestamps();
        byte[] data = bytes(1448, 1);
        tcp.write(c, data, 0, data.length);
        Seg full = peer.takeOne();
        assertEquals(1448, full.payloadLength());
        peer.sendIcmpError(UNREACHABLE, FRAGMENTATION_NEEDED, 1400, full, 8);
        assertEquals(1400 - 40 - 12, tcp.sendMss(c));
        List<Seg> again = peer.drainWithoutPoll();
        assertEquals(List.of(1348, 100), List.of(again.get(0).payloadLength(), again.get(1).payloadLength()));
    }

    @Test
    void withPathMtuDiscoveryOffNoDfAndFragmentationNeededIsOnlyAnError() {
        use(config().tcpIcmp(true, false).build());
        int c = establishActive();
        byte[] data = bytes(MSS, 5);
        tcp.write(c, data, 0, data.length);
        Seg full = peer.reply(PSH | ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW).payload(data);
        peer.expect(full);
        assertFalse(peer.output().lastDontFragment());
        peer.sendIcmpError(UNREACHABLE, FRAGMENTATION_NEEDED, 1280, full, 8);
        peer.expectNothing();
        assertEquals(MSS, tcp.sendMss(c));
        assertEquals(IcmpError.FRAGMENTATION_NEEDED, tcp.softError(c));
    }

    /** Active open offering timestamps, answered with them: ESTABLISHED, send MSS 1448. */
    private int connectAndTakeSynWithTimestamps() {
        int c = tcp.connect(ScriptedPeer.PEER_ADDRESS, 80, app);
        Seg syn = peer.takeOne();
        peer.ports(80, syn.sourcePort());
        peer.send(peerSynAck().ts(77, syn.tsVal()));
        Seg ack = peer.takeOne();
        assertTrue(ack.has(ACK));
        assertEquals(ESTABLISHED, tcp.state(c));
        assertEquals(1448, tcp.sendMss(c));
        return c;
    }
}
