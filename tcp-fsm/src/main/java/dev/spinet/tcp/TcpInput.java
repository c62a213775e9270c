package dev.spinet.tcp;

import dev.spinet.wire.TcpSegment;
import dev.spinet.wire.WireError;

/**
 * Segment arrival, RFC 9293 section 3.10.7, with RFC 5961's hardening: the dispatcher. It parses
 * a segment once into the read-only {@link InboundSegment} and routes it by state.
 *
 * <h2>Call order for one segment ({@link #receive})</h2>
 * <ol>
 *   <li>Validate: wrap (header, options), checksum, unicast addresses, non-zero ports.</li>
 *   <li>Demultiplex: a TCB by 4-tuple, else a TIME-WAIT entry, else a listener, else CLOSED.</li>
 *   <li>Per state: {@link #closed} (3.10.7.1), {@link ListenInput} (3.10.7.2, SYN cookies),
 *       {@link SynSentInput} (3.10.7.3), {@link TimeWaitInput} (every TIME-WAIT), or
 *       {@link SynchronizedInput} (3.10.7.4: sequence check, RST, SYN, ACK, URG, text, FIN, in
 *       that order). A returning SYN cookie rebuilds a connection in SYN-RECEIVED, which the
 *       segment then goes on to.</li>
 *   <li>{@link #afterSegment}: deliver the connection's events to its handler, run its output,
 *       and retire it to the TIME-WAIT table if it got there.</li>
 * </ol>
 */
final class TcpInput {

    private final TcpLayer layer;
    private final TcpSegment segment = new TcpSegment();
    private final ListenInput listenInput;
    private final TimeWaitInput timeWaitInput;
    private final SynSentInput synSentInput;
    private final SynchronizedInput synchronizedInput;
    /** The segment being processed, parsed once per {@link #receive}; read-only after that. */
    private final InboundSegment seg = new InboundSegment();

    TcpInput(TcpLayer layer) {
        this.layer = layer;
        this.listenInput = new ListenInput(layer);
        this.timeWaitInput = new TimeWaitInput(layer, listenInput);
        this.synchronizedInput = new SynchronizedInput(layer);
        this.synSentInput = new SynSentInput(layer, synchronizedInput);
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
        // Unless the device verified it already (DeviceCapabilities, a frame that never left memory).
        if (!layer.ip.transportChecksumVerified() && !segment.checksumValid(source, destination)) {
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
            if (tcb.state == TcpState.SYN_SENT) {
                // Keepalive does not run before the handshake completes; the idle time of an
                // active open starts at the SYN,ACK (or whatever ends SYN-SENT).
                tcb.lastHeardNanos = nowNanos;
                synSentInput.segment(tcb, seg);
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

    // ---- 3.10.7.1 CLOSED ----

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
}
