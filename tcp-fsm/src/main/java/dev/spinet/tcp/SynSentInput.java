package dev.spinet.tcp;

import dev.spinet.wire.SeqNum;
import dev.spinet.wire.TcpSegment;

/**
 * Segment arrival in SYN-SENT, RFC 9293 3.10.7.3: the ACK check, the RST check, then the SYN: a
 * SYN,ACK of our SYN takes the connection to ESTABLISHED and continues at the text step in
 * {@link SynchronizedInput}; a SYN alone is a simultaneous open (SYN-RECEIVED).
 */
final class SynSentInput {

    private final TcpLayer layer;
    private final SynchronizedInput synchronizedInput;

    SynSentInput(TcpLayer layer, SynchronizedInput synchronizedInput) {
        this.layer = layer;
        this.synchronizedInput = synchronizedInput;
    }

    /** A segment for a connection in SYN-SENT. */
    void segment(Tcb tcb, InboundSegment seg) {
        long now = seg.arrivalNanos();
        int ack = seg.ack();
        boolean hasAck = seg.has(TcpSegment.ACK);
        // "First, check the ACK bit: If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset
        // (unless the RST bit is set, if so drop the segment and return)".
        if (hasAck && (SeqNum.le(ack, tcb.iss) || SeqNum.gt(ack, tcb.sndMax))) {
            layer.counters.increment(TcpCounter.DROP_SYN_SENT_BAD_ACK);
            if (!seg.has(TcpSegment.RST)) {
                layer.output.sendReset(tcb.localPort, tcb.remoteAddress, tcb.remotePort, ack, 0, TcpSegment.RST, now);
            }
            return;
        }
        // "Second, check the RST bit: If the ACK was acceptable, then signal to the user 'error:
        // connection reset', drop the segment, enter CLOSED state ... Otherwise drop the segment."
        if (seg.has(TcpSegment.RST)) {
            if (hasAck) {
                layer.counters.increment(TcpCounter.RST_ACCEPTED);
                layer.transition(tcb, TcpState.CLOSED, TransitionCause.RCV_RST);
                layer.finish(tcb, CloseReason.REFUSED);
            } else {
                layer.counters.increment(TcpCounter.RST_IGNORED);
            }
            return;
        }
        // "Fifth, if neither of the SYN or RST bits is set, then drop the segment and return."
        if (!seg.has(TcpSegment.SYN)) {
            layer.counters.increment(TcpCounter.DROP_SYN_SENT_OTHER);
            return;
        }
        // "Fourth, check the SYN bit": RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ. RCV.WND is what our SYN
        // offered: the free ring, unscaled in a SYN (RFC 7323 2.2).
        int seq = seg.seq();
        tcb.irs = seq;
        tcb.rcvNxt = seq + 1;
        tcb.rcvAdv = tcb.rcvNxt + Math.min(tcb.receiveSpace(), 0xFFFF);
        SynOptions.apply(layer, tcb, seg);
        if (hasAck) {
            // "SND.UNA should be advanced to equal SEG.ACK ... If SND.UNA > ISS (our SYN has been
            // ACKed), change the connection state to ESTABLISHED, form an ACK segment and send it."
            synchronizedInput.acknowledgeSyn(tcb, seg, ack);
            tcb.sndWnd = seg.window(); // unscaled in a SYN
            tcb.maxSndWnd = seg.window();
            tcb.sndWl1 = seq;
            tcb.sndWl2 = ack;
            layer.transition(tcb, TcpState.ESTABLISHED, TransitionCause.RCV_SYN_ACK);
            tcb.events |= Tcb.EV_CONNECTED;
            tcb.ackNow = true;
            // "If there are other controls or text in the segment, then continue processing at the
            // sixth step", the SYN itself consumed: the text, like any, only as far as RCV.WND.
            TrimmedSegment text = synchronizedInput.trimToWindow(seg, seq + 1, tcb.rcvNxt, tcb.rcvAdv);
            boolean finStands = synchronizedInput.text(tcb, seg, text);
            synchronizedInput.fin(tcb, text, finStands, false, now);
            return;
        }
        // Simultaneous open: "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment
        // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it." Data on this SYN is not queued
        // (the peer sends it again once its SYN is acknowledged).
        if (seg.payloadLength() > 0) {
            layer.counters.add(TcpCounter.OUT_OF_WINDOW_BYTES, seg.payloadLength());
        }
        tcb.sndWnd = seg.window();
        tcb.maxSndWnd = seg.window();
        tcb.sndWl1 = seq;
        tcb.sndWl2 = tcb.iss;
        tcb.sndNxt = tcb.iss; // output sends SYN,ACK from ISS again
        tcb.rtoArmed = false;
        layer.transition(tcb, TcpState.SYN_RECEIVED, TransitionCause.RCV_SYN);
    }
}
