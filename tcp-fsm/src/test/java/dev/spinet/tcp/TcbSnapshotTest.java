package dev.spinet.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.tcp.scenario.Seg;
import dev.spinet.testkit.AllocationAssert;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link TcpLayer#snapshot}: what a probe reads is what RFC 5681 and RFC 6298 say the connection
 * holds, before and after a retransmission timeout, and reading it allocates nothing.
 */
class TcbSnapshotTest extends TcpScriptTest {

    @Test
    void afterTheHandshakeTheWindowIsTheInitialWindowAndSsthreshIsUnset() {
        int c = establishPassive();
        TcbSnapshot snapshot = new TcbSnapshot();
        assertTrue(tcp.snapshot(c, snapshot));
        assertEquals(TcpState.ESTABLISHED, snapshot.state());
        assertEquals(ISS, snapshot.iss());
        assertEquals(ISS + 1, snapshot.sndUna());
        assertEquals(ISS + 1, snapshot.sndNxt());
        assertEquals(0, snapshot.flightSize());
        assertEquals(PEER_WINDOW, snapshot.sndWnd(), "SND.WND is the window the peer's ACK carried");
        assertEquals(MSS, snapshot.sndMss());
        // RFC 5681 3.1 equation 1: IW = min(4*SMSS, max(2*SMSS, 4380 bytes)) = 4380 for SMSS 1460.
        assertEquals(4380, snapshot.cwnd());
        assertFalse(snapshot.ssthreshSet(), "RFC 5681 3.1: ssthresh starts arbitrarily high");
        assertEquals(PEER_ISS + 1, snapshot.rcvNxt());
        assertEquals(WINDOW, snapshot.rcvWnd());
        assertEquals(tcp.retransmissionTimeoutNanos(c), snapshot.rtoNanos());
    }

    @Test
    void aRetransmissionTimeoutCollapsesTheWindowSetsSsthreshAndDoublesTheRto() {
        int c = establishPassive();
        byte[] data = bytes(2 * MSS, 7);
        tcp.write(c, data, 0, data.length);
        peer.poll();
        List<Seg> flight = peer.drain();
        assertEquals(2, flight.size(), () -> "two full segments: " + flight);
        TcbSnapshot before = new TcbSnapshot();
        tcp.snapshot(c, before);
        assertEquals(2 * MSS, before.flightSize());

        peer.advance(before.rtoNanos());
        assertEquals(1, peer.drain().size(), "the first segment goes again");

        TcbSnapshot after = new TcbSnapshot();
        assertTrue(tcp.snapshot(c, after));
        // RFC 5681 3.1 equation 4: ssthresh = max(FlightSize / 2, 2*SMSS); "cwnd MUST be set to
        // no more than the loss window, LW, which equals 1 full-sized segment".
        assertEquals(Math.max(2 * MSS / 2, 2 * MSS), after.ssthresh());
        assertTrue(after.ssthreshSet());
        assertEquals(MSS, after.cwnd());
        // RFC 6298 5.5: "The host MUST set RTO <- RTO * 2 ("back off the timer")".
        assertEquals(2 * before.rtoNanos(), after.rtoNanos());
        assertEquals(1, after.retries());
        assertEquals(ISS + 1, after.sndUna());
        assertEquals(ISS + 1 + MSS, after.sndNxt(), "go-back-N: SND.NXT follows the one segment resent");
        assertEquals(ISS + 1 + 2 * MSS, after.sndMax());
    }

    @Test
    void aStaleHandleLeavesTheSnapshotAsItWas() {
        int c = establishPassive();
        TcbSnapshot snapshot = new TcbSnapshot();
        tcp.snapshot(c, snapshot);
        tcp.abort(c);
        peer.drain();
        assertFalse(tcp.snapshot(c, snapshot));
        assertEquals(TcpState.ESTABLISHED, snapshot.state(), "unchanged");
        assertFalse(tcp.snapshot(tcp.listen(81, 1, app), snapshot), "a listener is not a connection");
        assertThrows(IllegalArgumentException.class, () -> tcp.snapshot(c, null));
    }

    @Test
    @Tag("allocation")
    void readingASnapshotAllocatesNothing() {
        int c = establishPassive();
        TcbSnapshot snapshot = new TcbSnapshot();
        long[] sink = new long[1];
        AllocationAssert.assertZeroAllocation("TcpLayer.snapshot", () -> {
            tcp.snapshot(c, snapshot);
            sink[0] += snapshot.cwnd() + snapshot.rtoNanos();
        });
        assertTrue(sink[0] > 0);
    }
}
