package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.FIN_WAIT_2;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spinet.tcp.scenario.Covers;
import dev.spinet.tcp.scenario.Seg;
import org.junit.jupiter.api.Test;

/**
 * The FIN-WAIT-2 of a connection whose application has closed (RFC 9293 sets no limit; Linux's
 * tcp_fin_timeout, 60 s, is Spinet's default): after StackConfig.tcpFinWait2TimeoutNanos without
 * the peer's FIN the connection is gone, silently; a segment from the peer then meets CLOSED.
 */
class FinWait2TimeoutTest extends TcpScriptTest {

    @Test
    @Covers(from = FIN_WAIT_2, to = CLOSED, cause = TransitionCause.FIN_WAIT_2_TIMEOUT)
    void theTimeoutIsItsOwnSettingNotTwiceTheMsl() {
        use(config().tcpMslNanos(SECOND).tcpFinWait2TimeoutNanos(5 * SECOND).build());
        int c = finWait2();
        peer.advance(5 * SECOND - 1);
        assertEquals(FIN_WAIT_2, tcp.state(c), "2 MSL (2 s) is no limit here");
        peer.advance(1);
        expectClosedQuietly(c, CloseReason.TIMED_OUT);
        // RFC 9293 3.10.7.1: the peer's late FIN finds no connection, <SEQ=SEG.ACK><CTL=RST>.
        peer.send(peerFin(PEER_ISS + 1, ISS + 2));
        peer.expect(peer.reply(Seg.RST).seq(ISS + 2));
    }

    @Test
    void theDefaultIsSixtySecondsWhateverTheMsl() {
        use(config().tcpMslNanos(10 * SECOND).build());
        int c = finWait2();
        peer.advance(60 * SECOND - 1);
        assertEquals(FIN_WAIT_2, tcp.state(c));
        peer.advance(1);
        expectClosedQuietly(c, CloseReason.TIMED_OUT);
    }

    @Test
    void zeroWaitsAsLongAsThePeerTakes() {
        use(config().tcpFinWait2TimeoutNanos(0).build());
        int c = finWait2();
        peer.advance(3600 * SECOND);
        assertEquals(FIN_WAIT_2, tcp.state(c));
        peer.send(peerFin(PEER_ISS + 1, ISS + 2));
        peer.expect(ourAck(ISS + 2, PEER_ISS + 2, WINDOW));
        assertEquals(1, tcp.timeWaitEntries());
    }

    /** Pure ACKs from the peer do not restart the timer (as Linux's): only its FIN ends the wait. */
    @Test
    void acksFromThePeerDoNotExtendIt() {
        use(config().tcpFinWait2TimeoutNanos(5 * SECOND).build());
        int c = finWait2();
        peer.advance(4 * SECOND);
        peer.send(peerAck(PEER_ISS + 1, ISS + 2));
        peer.expectNothing();
        peer.advance(SECOND);
        expectClosedQuietly(c);
    }
}
