package dev.spinet.tcp;

import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.FIN_WAIT_1;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.PSH;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deadline {@link TcpLayer#nextDeadline} reports is the time {@link TcpLayer#poll} acts: a
 * deadline at or before now that poll then ignores makes the stack thread run empty duty cycles
 * back to back (StackAgent's wait is {@code nextDeadline(now) - now}).
 */
class TimerDeadlineTest extends TcpScriptTest {

    /** What one run of {@link #runDutyCycles} saw. */
    private record DutyCycles(long total, long emptyAtDueDeadline) {
    }

    /**
     * Runs duty cycles the way the stack thread does, on simulated time, until the connection is
     * gone or {@code horizonNanos} have passed: poll; after an idle poll, sleep until
     * nextDeadline. An idle poll whose next deadline is already due is an empty duty cycle the
     * thread would repeat at once; it is counted and time steps 1 ms (the thread would spin for
     * that millisecond) so the run ends.
     */
    private DutyCycles runDutyCycles(int connection, long horizonNanos) {
        long now = peer.now();
        long end = now + horizonNanos;
        long total = 0;
        long empty = 0;
        while (now - end < 0 && tcp.state(connection) != CLOSED && total < 10_000_000) {
            int work = tcp.poll(now);
            total++;
            if (work > 0) {
                continue;
            }
            long deadline = tcp.nextDeadline(now);
            if (deadline - now <= 0) {
                empty++;
                now += MS;
            } else {
                now = deadline;
            }
        }
        peer.drain();
        return new DutyCycles(total, empty);
    }

    @Test
    void keepaliveWithUnacknowledgedDataAndSilentPeerRunsNoEmptyDutyCycles() {
        use(config().tcpKeepalive(true, 10 * SECOND, SECOND, 3).tcpMaxRetransmissions(6, 2).build());
        int c = establishPassive();
        tcp.write(c, new byte[]{7}, 0, 1);
        peer.expect(peer.reply(PSH | ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW).payload(new byte[]{7}));

        // The peer says nothing more: the idle time passes 10 s while the byte is unacknowledged,
        // so no keepalive is due (RFC 1122 4.2.3.6 probes an idle connection; retransmission
        // covers this one), and the retransmissions (1+2+...+64 s) end the connection.
        DutyCycles cycles = runDutyCycles(c, 1000 * SECOND);

        assertEquals(0, cycles.emptyAtDueDeadline(), () -> cycles + " duty cycles");
        assertEquals(CLOSED, tcp.state(c));
        assertEquals(List.of("closed TIMED_OUT"), app.events());
        assertEquals(0, tcp.counters().get(TcpCounter.KEEPALIVE_PROBES));
    }

    @Test
    void unansweredSynWithUserTimeoutRunsNoEmptyDutyCycles() {
        use(config().tcpUserTimeoutNanos(300 * MS).build());
        int c = connectAndTakeSyn();

        // The user timeout applies to synchronized states; the SYN has its own limit (R2).
        DutyCycles cycles = runDutyCycles(c, 1000 * SECOND);

        assertEquals(0, cycles.emptyAtDueDeadline(), () -> cycles + " duty cycles");
        assertEquals(CLOSED, tcp.state(c));
        assertEquals(List.of("closed TIMED_OUT"), app.events());
    }

    @Test
    void userTimeoutOfAConnectionClosedBeforeItsHandshakeCompletesCountsFromTheSyn() {
        use(config().tcpUserTimeoutNanos(3 * SECOND).tcpMaxRetransmissions(10, 10).build());
        int c = connectAndTakeSyn();
        peer.advance(100 * MS);
        // Simultaneous open, then CLOSE in SYN-RECEIVED: FIN-WAIT-1 with our SYN still unacknowledged.
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(MSS));
        peer.expect(peer.reply(SYN | ACK).seq(ISS).ack(PEER_ISS + 1).window(WINDOW).mss(MSS));
        assertEquals(SYN_RECEIVED, tcp.state(c));
        tcp.close(c);
        assertEquals(FIN_WAIT_1, tcp.state(c));

        // RFC 5482 / RFC 9293 3.10.8: the user timeout measures how long sent data stays
        // unacknowledged; the SYN has been for 100 ms, not since the epoch of the clock.
        peer.advance(2800 * MS);
        peer.drain();
        assertEquals(FIN_WAIT_1, tcp.state(c));
        peer.advance(100 * MS);
        peer.drain();
        assertEquals(CLOSED, tcp.state(c));
        assertEquals(List.of("closed TIMED_OUT"), app.events());
    }
}
