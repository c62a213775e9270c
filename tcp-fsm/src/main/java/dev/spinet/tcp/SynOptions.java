package dev.spinet.tcp;

import dev.spinet.wire.TcpSegment;

/**
 * What the options of a peer's SYN set in a TCB: the send MSS (RFC 9293 3.7.1: 536 when absent,
 * bounded by our MTU and by a floor, less the timestamps option every segment carries), window
 * scaling (RFC 7323 2.2), timestamps (RFC 7323 3.2) and SACK (RFC 2018 section 2), each in use
 * only if both SYNs offer it, and with SACK the loss recovery (RFC 6675 instead of NewReno).
 */
final class SynOptions {

    /**
     * The smallest send MSS taken from a peer's MSS option, which may name any value (RFC 9293
     * 3.7.1). A peer announcing a few bytes would make every segment mostly header and a full send
     * ring thousands of segments: a cheap way to wear out a sender (CVE-2019-11479, after which
     * Linux made its floor of 48 bytes tunable as tcp_min_snd_mss). 64 is the minimum Linux
     * enforced on TCP_MAXSEG before it became 88: each segment then carries more payload than
     * its 40 bytes of IPv4 and TCP headers, and the value is far below any real path's MSS.
     */
    static final int MIN_SEND_MSS = 64;

    private SynOptions() {
    }

    /** The timestamps option as every segment carries it: NOP, NOP, kind, length, TSval, TSecr. */
    static final int TIMESTAMPS_OPTION_BYTES = 12;

    /** Sets the send MSS, the window-scale shifts, timestamps and SACK from the peer's SYN. */
    static void apply(TcpLayer layer, Tcb tcb, InboundSegment seg) {
        boolean peerScales = seg.windowScale() >= 0;
        if (tcb.state == TcpState.LISTEN) {
            tcb.offerWindowScale = layer.config.tcpWindowScaling && peerScales;
            // RFC 7323 3.2: a TSopt in a <SYN,ACK> "only if it received a TSopt in the initial
            // <SYN>"; RFC 2018 section 2: SACK-permitted likewise.
            tcb.timestamps = layer.config.tcpTimestamps && seg.hasTimestamps();
            tcb.sack = layer.config.tcpSack && seg.sackPermitted();
        } else {
            tcb.offerWindowScale = tcb.offerWindowScale && peerScales;
            // SYN-SENT: "If a TSopt is not received in the <SYN,ACK> ... timestamps are disabled"
            // (and a SYN's, in a simultaneous open, decides the same way).
            tcb.timestamps = tcb.timestamps && seg.hasTimestamps();
            tcb.sack = tcb.sack && seg.sackPermitted();
        }
        int peerMss = seg.mss() != 0 ? seg.mss() : TcpSegment.DEFAULT_MSS;
        // The path MTU estimate (RFC 1191) is the interface's, or less if a router already reported a
        // narrower link about our SYN.
        int mtuMss = Math.min(layer.ip.maxTransportLength(), tcb.pathMtu - IcmpErrorInput.IPV4_HEADER) - TcpSegment.HEADER_LENGTH;
        // RFC 6691 section 2 (and RFC 7323 section 6): the MSS option counts no TCP options, so
        // "the TCP sender should reduce the data size by the size of options": with timestamps
        // on every segment, 12 bytes less data per segment (1448 for an MSS of 1460).
        tcb.sndMss = Math.max(MIN_SEND_MSS, Math.min(peerMss, mtuMss)) - (tcb.timestamps ? TIMESTAMPS_OPTION_BYTES : 0);
        if (tcb.timestamps) {
            // RFC 7323 4.3 (and 3.2, the <SYN> case): TS.Recent starts at the SYN's TSval.
            tcb.tsRecent = seg.timestampValue();
            tcb.tsRecentNanos = seg.arrivalNanos();
        }
        tcb.chooseLossRecovery();
        if (tcb.offerWindowScale) {
            tcb.sndScale = seg.windowScale();
            tcb.rcvScale = layer.windowShift;
        } else {
            tcb.sndScale = 0;
            tcb.rcvScale = 0;
        }
    }
}
