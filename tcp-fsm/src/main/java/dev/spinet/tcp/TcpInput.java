package dev.spinet.tcp;

import dev.spinet.config.StackConfig;
import dev.spinet.wire.SeqNum;
import dev.spinet.wire.TcpSegment;
import dev.spinet.wire.WireError;

/**
 * Segment arrival, RFC 9293 section 3.10.7, with RFC 5961's hardening.
 *
 * <h2>Call order for one segment ({@link #receive})</h2>
 * <ol>
 *   <li>Validate: wrap (header, options), checksum, unicast addresses, non-zero ports.</li>
 *   <li>Demultiplex: a TCB by 4-tuple, else a TIME-WAIT entry, else a listener, else CLOSED.</li>
 *   <li>Per state: {@link #closed} (3.10.7.1), {@link #listen} (3.10.7.2), {@link #synSent}
 *       (3.10.7.3), {@link #timeWaitEntry} (every TIME-WAIT), or {@link #synchronizedOrSynReceived} (3.10.7.4:
 *       sequence check, RST, SYN, ACK, URG, text, FIN, in that order).</li>
 *   <li>{@link #afterSegment}: deliver the connection's events to its handler, run its output,
 *       and retire it to the TIME-WAIT table if it got there.</li>
 * </ol>
 */
final class TcpInput {

    private final TcpLayer layer;
    private final StackConfig config;
    private final TcpSegment segment = new TcpSegment();
    private final ListenInput listenInput;
    private final TimeWaitInput timeWaitInput;
    private final SynchronizedInput synchronizedInput;
    /** The segment being processed, parsed once per {@link #receive}; read-only after that. */
    private final InboundSegment seg = new InboundSegment();

    TcpInput(TcpLayer layer) {
        this.layer = layer;
        this.config = layer.config;
        this.listenInput = new ListenInput(layer);
        this.timeWaitInput = new TimeWaitInput(layer, listenInput);
        this.synchronizedInput = new SynchronizedInput(layer);
    }

    void receive(int source, int destination, boolean broadcast, byte[] buffer, int offset, int length, long nowNanos) {
        layer.counters.increment(TcpCounter.SEGMENTS_RECEIVED);
        WireError error = segment.wrap(buffer, offset, length);
        if (error != WireError.OK) {
            layer.counters.increment(switch (error) {
                case TRUNCATED -> TcpCounter.DROP_TRUNCATED;
                case BAD_DATA_OFFSET -> TcpCounter.DROP_BAD_DATA_OFFSET;
                case BAD_FIELD -> TcpCounter.DROP_BAD_FIELD;
                default -> TcpCounter.DROP_BAD_OPTION;
            });
            return;
        }
        if (!segment.checksumValid(source, destination)) {
            layer.counters.increment(TcpCounter.DROP_BAD_CHECKSUM);
            return;
        }
        // RFC 1122 4.2.3.10: a SYN to a broadcast or multicast address MUST be discarded; TCP is
        // unicast only, so nothing sent to or from such an address is processed.
        if (broadcast || destination != layer.ip.localAddress() || isMulticastOrBroadcast(source) || source == 0) {
            layer.counters.increment(TcpCounter.DROP_NOT_UNICAST);
            return;
        }
        if (segment.sourcePort() == 0 || segment.destinationPort() == 0) {
            layer.counters.increment(TcpCounter.DROP_BAD_PORT);
            return;
        }
        seg.capture(source, segment, buffer, nowNanos);
        int destinationPort = seg.destinationPort();
        int sourcePort = seg.sourcePort();

        Tcb tcb = layer.tcbs.find(destinationPort, source, sourcePort);
        if (tcb != null) {
            tcb.lastHeardNanos = nowNanos;
            tcb.keepaliveProbesSent = 0;
            if (tcb.state == TcpState.SYN_SENT) {
                synSent(tcb, seg);
            } else {
                synchronizedInput.segment(tcb, seg);
            }
            afterSegment(tcb, nowNanos);
            return;
        }
        int entry = layer.timeWait.find(destinationPort, source, sourcePort);
        if (entry >= 0) {
            timeWaitInput.segment(entry, seg);
            return;
        }
        Listener listener = layer.findListener(destinationPort);
        if (listener != null) {
            Tcb rebuilt = listenInput.segment(listener, seg);
            if (rebuilt != null) {
                // A returning SYN cookie rebuilt the connection in SYN-RECEIVED: the ACK is then
                // processed there (it may carry data), taking it to ESTABLISHED.
                synchronizedInput.segment(rebuilt, seg);
                afterSegment(rebuilt, nowNanos);
            }
            return;
        }
        closed(seg);
    }

    private static boolean isMulticastOrBroadcast(int address) {
        return address == -1 || (address >>> 28) == 0xE;
    }

    private void afterSegment(Tcb tcb, long now) {
        layer.dispatch(tcb);
        if (tcb.inUse) {
            layer.output.output(tcb, now);
            layer.retireIfDone(tcb);
        }
    }

    // ================================================================= 3.10.7.1 CLOSED

    private void closed(InboundSegment seg) {
        // "An incoming segment containing a RST is discarded. An incoming segment not containing
        // a RST causes a RST to be sent in response."
        if (seg.has(TcpSegment.RST)) {
            layer.counters.increment(TcpCounter.DROP_RST_NO_CONNECTION);
            return;
        }
        layer.counters.increment(TcpCounter.RST_SENT_NO_CONNECTION);
        layer.output.resetFor(seg);
    }

    // ================================================================= 3.10.7.3 SYN-SENT

    private void synSent(Tcb tcb, InboundSegment seg) {
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
        tcb.rcvAdv = tcb.rcvNxt + Math.min(tcb.receiveRing.free(), 0xFFFF);
        SynOptions.apply(layer, tcb, seg);
        if (hasAck) {
            // "SND.UNA should be advanced to equal SEG.ACK ... If SND.UNA > ISS (our SYN has been
            // ACKed), change the connection state to ESTABLISHED, form an ACK segment and send it."
            synchronizedInput.acknowledgeSyn(tcb, ack, now);
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
