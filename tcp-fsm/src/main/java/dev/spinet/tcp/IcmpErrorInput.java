package dev.spinet.tcp;

import dev.spinet.config.StackConfig;
import dev.spinet.wire.SeqNum;
import dev.spinet.wire.TcpSegment;

/**
 * ICMP errors about our segments (called from {@link TcpLayer#receiveIcmpError}): RFC 1122
 * 4.2.3.9 soft and hard errors, RFC 5927's checks against blind attacks, RFC 6633's source quench,
 * and RFC 1191 path MTU discovery's "fragmentation needed".
 *
 * <h2>Order</h2>
 * <ol>
 *   <li>Source quench: ignored (RFC 6633: "TCP MUST silently discard any received ICMP Source
 *       Quench messages").</li>
 *   <li>The quote must hold the first 8 octets of our TCP header (ports and sequence number).</li>
 *   <li>The switch for this kind of error must be on ({@code StackConfig.tcpIcmpErrors} or
 *       {@code tcpPathMtuDiscovery}).</li>
 *   <li>The quoted 4-tuple must name a connection (a TCB; a TIME-WAIT entry has nothing in flight),
 *       and the quoted sequence number must lie in SND.UNA =< SEG.SEQ < SND.MAX (RFC 5927 4.1 says
 *       SND.NXT; after a retransmission timeout SND.NXT has gone back while the segments up to
 *       SND.MAX may still be in the network, and any of them may be quoted). Everything else is
 *       counted and dropped: a blind attacker must guess the 4-tuple and a sequence number in the
 *       flight, as for an in-window RST (RFC 5961).</li>
 *   <li>"Fragmentation needed": the path MTU estimate falls and the lost segments go again at once.</li>
 *   <li>Other errors: a hard one ends a connection in SYN-SENT; every other one is a soft error,
 *       kept for the application and as the reason if the connection later times out.</li>
 * </ol>
 * Allocates nothing.
 */
final class IcmpErrorInput {

    /** Octets of the TCP header an error must quote: ports and sequence number (RFC 792's 64 bits). */
    static final int QUOTED_OCTETS = 8;
    private static final int TYPE_SOURCE_QUENCH = 4;
    private static final int CODE_FRAGMENTATION_NEEDED = 4;
    static final int IPV4_HEADER = 20;
    /** IPv4 and TCP headers without options: what a path MTU holds besides the segment's data. */
    static final int HEADERS = IPV4_HEADER + TcpSegment.HEADER_LENGTH;
    /**
     * RFC 1191 section 7: the plateaus of MTUs in use, for a router that reports "fragmentation
     * needed" with a zero MTU field (before RFC 1191): the estimate drops to the next plateau below the
     * length of the datagram it quotes.
     */
    private static final int[] PLATEAUS = {32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};

    private final TcpLayer layer;
    private final StackConfig config;

    IcmpErrorInput(TcpLayer layer) {
        this.layer = layer;
        this.config = layer.config;
    }

    void receive(int type, int code, int restOfHeader, int quotedDestination, int quotedTotalLength, byte[] buffer,
                 int offset, int length, long now) {
        if (type == TYPE_SOURCE_QUENCH) {
            layer.counters.increment(TcpCounter.ICMP_SOURCE_QUENCH_IGNORED);
            return;
        }
        if (length < QUOTED_OCTETS) {
            layer.counters.increment(TcpCounter.ICMP_TCP_ERROR_TRUNCATED);
            return;
        }
        boolean fragmentationNeeded = type == IcmpError.TYPE_DEST_UNREACHABLE && code == CODE_FRAGMENTATION_NEEDED;
        if (fragmentationNeeded ? !config.tcpPathMtuDiscovery && !config.tcpIcmpErrors : !config.tcpIcmpErrors) {
            layer.counters.increment(TcpCounter.ICMP_TCP_ERROR_DISABLED);
            return;
        }
        // The quote is of a segment we sent: its source port is ours, its destination the peer's.
        int localPort = u16(buffer, offset);
        int remotePort = u16(buffer, offset + 2);
        int seq = i32(buffer, offset + 4);
        Tcb tcb = layer.tcbs.find(localPort, quotedDestination, remotePort);
        if (tcb == null) {
            layer.counters.increment(TcpCounter.ICMP_TCP_ERROR_NO_CONNECTION);
            return;
        }
        if (SeqNum.lt(seq, tcb.sndUna) || !SeqNum.lt(seq, tcb.sndMax)) {
            layer.counters.increment(TcpCounter.ICMP_TCP_ERROR_INVALID);
            return;
        }
        if (fragmentationNeeded && config.tcpPathMtuDiscovery) {
            fragmentationNeeded(tcb, restOfHeader & 0xFFFF, quotedTotalLength, now);
            return;
        }
        IcmpError error = IcmpError.of(type, code);
        if (error == null) {
            layer.counters.increment(TcpCounter.ICMP_TCP_ERROR_INVALID);
            return;
        }
        if (tcb.state == TcpState.SYN_SENT && IcmpError.isHard(type, code)) {
            // RFC 1122 4.2.3.9: "TCP SHOULD abort the connection" on a hard error; RFC 5927 5.2:
            // only before the connection is synchronized (a blind attacker who guessed a 4-tuple
            // and sequence number could otherwise reset any connection with one datagram). Port
            // and protocol unreachable mean nobody takes TCP there: "connection refused", as Linux
            // reports them (ECONNREFUSED).
            layer.counters.increment(TcpCounter.ICMP_HARD_ERROR_ABORTS);
            tcb.softError = error;
            layer.transition(tcb, TcpState.CLOSED, TransitionCause.RCV_ICMP_HARD_ERROR);
            layer.finish(tcb, error == IcmpError.PORT_UNREACHABLE || error == IcmpError.PROTOCOL_UNREACHABLE
                    ? CloseReason.REFUSED : CloseReason.UNREACHABLE);
            return;
        }
        // RFC 1122 4.2.3.9: "TCP MUST NOT abort the connection" on a soft error, "but it SHOULD make
        // the information available to the application"; RFC 5927 5.2: hard errors too, once synchronized.
        layer.counters.increment(TcpCounter.ICMP_SOFT_ERRORS);
        tcb.softError = error;
        tcb.softErrorSeq = seq;
    }

    /**
     * RFC 1191: the next-hop MTU a router reported (or, for a zero field, the plateau below the
     * quoted datagram's length) lowers this connection's path MTU estimate, never below
     * {@code tcpPathMtuMinimum}; the send MSS follows (less the timestamps option, RFC 6691), and
     * what is in flight was dropped by the router, so it goes again now, cut to the new size.
     */
    private void fragmentationNeeded(Tcb tcb, int reportedMtu, int quotedTotalLength, long now) {
        int mtu = reportedMtu;
        if (mtu == 0) {
            // RFC 1191 section 5: a router from before RFC 1191 leaves the field zero; the host
            // takes the next plateau (section 7) below the quoted datagram's length.
            mtu = plateauBelow(quotedTotalLength);
            layer.counters.increment(TcpCounter.PMTU_PLATEAU_GUESSES);
        } else if (mtu >= quotedTotalLength) {
            // The router says the quoted datagram would fit: no evidence the path is narrower.
            layer.counters.increment(TcpCounter.PMTU_IGNORED);
            return;
        }
        boolean locked = false;
        int options = tcb.timestamps ? SynOptions.TIMESTAMPS_OPTION_BYTES : 0;
        int floor = Math.max(config.tcpPathMtuMinimum, SynOptions.MIN_SEND_MSS + HEADERS + options);
        if (mtu < floor) {
            // RFC 1191 section 3: "A host MUST never reduce its estimate of the Path MTU below 68
            // octets"; Spinet's floor is higher (docs/tcp.md, "ICMP errors and path MTU discovery"):
            // a forged report of a tiny MTU would otherwise cut every segment to a few bytes (RFC
            // 5927 section 7). At the floor, DF is cleared and a narrower link's router fragments
            // (as Linux does below its min_pmtu).
            mtu = floor;
            locked = true;
        }
        if (mtu >= tcb.pathMtu && (!locked || tcb.pathMtuLocked)) {
            // RFC 1191 section 3: "A host MUST not increase its estimate of the Path MTU in response
            // to the contents of a Datagram Too Big message."
            layer.counters.increment(TcpCounter.PMTU_IGNORED);
            return;
        }
        tcb.pathMtu = Math.min(mtu, tcb.pathMtu);
        tcb.pathMtuLocked |= locked;
        layer.counters.increment(locked ? TcpCounter.PMTU_AT_FLOOR : TcpCounter.PMTU_LOWERED);
        int mss = tcb.pathMtu - HEADERS - options;
        if (mss >= tcb.sndMss) {
            return;
        }
        tcb.sndMss = mss;
        if (tcb.state.isSynchronized() && !tcb.synUnacked() && tcb.sndMax != tcb.sndUna && !tcb.persistArmed) {
            // RFC 1191 section 6.4 (TCP layer actions): retransmit what the router dropped at once,
            // without waiting for the timeout, and without slow start (cwnd stays: the drop was
            // no congestion). Every segment in flight was at most the old MSS, so all may be lost:
            // go back to SND.UNA (what the peer SACKed is skipped) and resend in the new size.
            layer.counters.increment(TcpCounter.PMTU_RETRANSMISSIONS);
            tcb.congestion.onPathMtuDrop(tcb.sndMax);
            tcb.sndNxt = tcb.sndUna;
            layer.output.output(tcb, now);
        }
    }

    static int plateauBelow(int length) {
        for (int plateau : PLATEAUS) {
            if (plateau < length) {
                return plateau;
            }
        }
        return PLATEAUS[PLATEAUS.length - 1];
    }

    private static int u16(byte[] buffer, int offset) {
        return (buffer[offset] & 0xFF) << 8 | (buffer[offset + 1] & 0xFF);
    }

    private static int i32(byte[] buffer, int offset) {
        return (buffer[offset] & 0xFF) << 24 | (buffer[offset + 1] & 0xFF) << 16 | (buffer[offset + 2] & 0xFF) << 8
                | (buffer[offset + 3] & 0xFF);
    }
}
