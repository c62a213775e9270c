package dev.spinet.tcp;

import dev.spinet.wire.TcpSegment;

/**
 * What the options of a peer's SYN set in a TCB: the send MSS (RFC 9293 3.7.1: 536 when absent,
 * bounded by our MTU and by a floor) and window scaling (RFC 7323 2.2: in use only if both SYNs
 * offer it).
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

    /** Sets the send MSS and both window-scale shifts from the peer's SYN. */
    static void apply(TcpLayer layer, Tcb tcb, InboundSegment seg) {
        int peerMss = seg.mss() != 0 ? seg.mss() : TcpSegment.DEFAULT_MSS;
        int mtuMss = layer.ip.maxTransportLength() - TcpSegment.HEADER_LENGTH;
        tcb.sndMss = Math.max(MIN_SEND_MSS, Math.min(peerMss, mtuMss));
        boolean peerScales = seg.windowScale() >= 0;
        if (tcb.state == TcpState.LISTEN) {
            tcb.offerWindowScale = layer.config.tcpWindowScaling && peerScales;
        } else {
            tcb.offerWindowScale = tcb.offerWindowScale && peerScales;
        }
        if (tcb.offerWindowScale) {
            tcb.sndScale = seg.windowScale();
            tcb.rcvScale = layer.windowShift;
        } else {
            tcb.sndScale = 0;
            tcb.rcvScale = 0;
        }
    }
}
