package dev.spinet.tcp.scenario;

import dev.spinet.config.StackConfig;
import dev.spinet.iface.DeadlineInvariant;
import dev.spinet.tcp.InitialSequenceNumbers;
import dev.spinet.tcp.TcpLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted TCP peer, in the spirit of packetdrill and smoltcp's {@code send!}/{@code recv!}:
 * the test plays the remote host, injecting segments into a {@link TcpLayer} at chosen simulated
 * times and expecting the exact segments the layer emits (or none).
 *
 * <pre>{@code
 * peer.send(peer.seg(SYN).seq(100).window(4096).mss(1460));
 * peer.expect(peer.reply(SYN | ACK).seq(ISS).ack(101).window(4096).mss(1460));
 * peer.advance(1_000_000_000L);          // time passes, poll() runs timers
 * // with timestamps on: the stack's TSval is its clock in ms (1000 at the start)
 * peer.expectNothing();
 * }</pre>
 *
 * Time is a plain long; {@link #advance} moves it and polls. {@link #expect} polls once at the
 * current time first, so output queued by API calls (connect, write, close) is included.
 */
public final class ScriptedPeer {

    public static final int LOCAL_ADDRESS = 0x0A00_0002;  // 10.0.0.2, the stack under test
    public static final int PEER_ADDRESS = 0x0A00_0001;   // 10.0.0.1, this script
    /** The ISS every connection of the stack under test uses (fixed ISN source). */
    public static final int ISS = 10_000;

    private final TcpLayer layer;
    private final CapturingIpv4Output output;
    private final TransitionRecorder recorder = new TransitionRecorder();
    private final byte[] frame = new byte[2048];
    private long now;
    private int peerPort = 40_000;
    private int localPort = 80;

    public ScriptedPeer(StackConfig config) {
        this(config, (la, lp, ra, rp, t) -> ISS);
    }

    public ScriptedPeer(StackConfig config, InitialSequenceNumbers isn) {
        this(config, isn, 0);
    }

    /**
     * A stack whose output offers segmentation offload (TSO) up to {@code segmentedLimit} TCP
     * bytes per segment; the script sees each segment as the stack built it.
     */
    public ScriptedPeer(StackConfig config, int segmentedLimit) {
        this(config, (la, lp, ra, rp, t) -> ISS, segmentedLimit);
    }

    private ScriptedPeer(StackConfig config, InitialSequenceNumbers isn, int segmentedLimit) {
        this.output = new CapturingIpv4Output(LOCAL_ADDRESS, 1500, segmentedLimit);
        this.now = 1_000_000_000L;
        // TSvals are the clock in milliseconds (offset 0), so scripts can write them down.
        this.layer = new TcpLayer(config, output, recorder, isn, (la, lp, ra, rp) -> 0);
    }

    /**
     * A config suitable for scripts: small buffers, no TCP options (window scaling, timestamps,
     * SACK: scripts about those turn them on), fixed secret.
     */
    public static StackConfig.Builder defaultConfig() {
        return StackConfig.builder()
                .ipAddress(LOCAL_ADDRESS, 24)
                .tcpConnections(4)
                .tcpBuffers(4096, 4096)
                .tcpListeners(2, 2)
                .tcpTimeWaitEntries(4)
                .tcpOptions(false, false, false)
                .tcpSecret(1);
    }

    public TcpLayer layer() {
        return layer;
    }

    public TransitionRecorder recorder() {
        return recorder;
    }

    public CapturingIpv4Output output() {
        return output;
    }

    public long now() {
        return now;
    }

    /** The ports segments from this script use: ours (remote) and the stack's (local). */
    public ScriptedPeer ports(int peerPort, int localPort) {
        this.peerPort = peerPort;
        this.localPort = localPort;
        return this;
    }

    public int peerPort() {
        return peerPort;
    }

    public int localPort() {
        return localPort;
    }

    /** A segment from this peer to the stack, ports filled in. */
    public Seg seg(int flags) {
        return Seg.of(flags).ports(peerPort, localPort);
    }

    /** A segment the stack is expected to send to this peer, ports filled in. */
    public Seg reply(int flags) {
        return Seg.of(flags).ports(localPort, peerPort);
    }

    /** Injects {@code seg} now (from {@link #PEER_ADDRESS} to {@link #LOCAL_ADDRESS}). */
    public void send(Seg seg) {
        int length = seg.writeTo(frame, 34, PEER_ADDRESS, LOCAL_ADDRESS);
        layer.receive(PEER_ADDRESS, LOCAL_ADDRESS, false, frame, 34, length, now);
    }

    /**
     * Injects an ICMP error about {@code quoted}, a segment the stack sent to this peer, as the
     * interface hands it to TCP once the ICMP checksum and the quoted IPv4 header are checked: the
     * quote holds the segment's first {@code quotedBytes} octets (RFC 792: at least 8), and the
     * quoted IPv4 total length is the whole segment's plus 20.
     */
    public void sendIcmpError(int type, int code, int restOfHeader, Seg quoted, int quotedBytes) {
        sendIcmpError(type, code, restOfHeader, PEER_ADDRESS, quoted, quotedBytes);
    }

    /** As {@link #sendIcmpError(int, int, int, Seg, int)}, quoting a datagram sent to {@code quotedDestination}. */
    public void sendIcmpError(int type, int code, int restOfHeader, int quotedDestination, Seg quoted, int quotedBytes) {
        int length = quoted.writeTo(frame, 34, LOCAL_ADDRESS, quotedDestination);
        layer.receiveIcmpError(type, code, restOfHeader, quotedDestination, 20 + length, frame, 34,
                Math.min(quotedBytes, length), now);
    }

    /** Injects raw transport bytes (malformed input tests). */
    public void sendRaw(byte[] bytes, int source, int destination, boolean broadcast) {
        layer.receive(source, destination, broadcast, bytes, 0, bytes.length, now);
    }

    /** Moves time forward and polls (timers fire). */
    public void advance(long nanos) {
        now += nanos;
        pollNow();
    }

    /** Polls at the current time. */
    public void poll() {
        pollNow();
    }

    /**
     * Moves time to the layer's next deadline and polls; returns the time advanced. A deadline
     * already due is polled at once and must give work ({@link DeadlineInvariant}).
     */
    public long advanceToNextDeadline() {
        long next = layer.nextDeadline(now);
        if (next - now <= 0) {
            if (layer.poll(now) == 0) {
                DeadlineInvariant.requireFutureDeadlineWhenIdle(layer, now, next);
            }
            return 0;
        }
        long delta = next - now;
        advance(delta);
        return delta;
    }

    /** One duty cycle at the current time; an idle one must leave no deadline due. */
    private void pollNow() {
        if (layer.poll(now) == 0) {
            DeadlineInvariant.requireFutureDeadlineWhenIdle(layer, now, layer.nextDeadline(now));
        }
    }

    /** Polls, then asserts the stack emitted exactly {@code expected}, in order, and nothing else. */
    public void expect(Seg... expected) {
        poll();
        List<Seg> actual = drain();
        if (!actual.equals(List.of(expected))) {
            throw new AssertionError("at t=" + now + " expected " + List.of(expected) + "\n but the stack sent " + actual
                    + "\n transitions: " + recorder.transitions());
        }
    }

    /** Polls, then asserts the stack emitted nothing. */
    public void expectNothing() {
        expect();
    }

    /** Polls and returns the one segment the stack emitted (fails on none or several). */
    public Seg takeOne() {
        poll();
        List<Seg> actual = drain();
        if (actual.size() != 1) {
            throw new AssertionError("expected exactly one segment, the stack sent " + actual);
        }
        return actual.get(0);
    }

    /** Polls and returns everything emitted since the last look. */
    public List<Seg> drain() {
        List<Seg> all = new ArrayList<>(output.sent());
        output.sent().clear();
        return all;
    }

    /** Everything emitted so far without polling (e.g. right after {@link #send}). */
    public List<Seg> drainWithoutPoll() {
        List<Seg> all = new ArrayList<>(output.sent());
        output.sent().clear();
        return all;
    }
}
