package dev.spinet.tcp.reference;

import dev.spinet.config.StackConfig;
import dev.spinet.tcp.TcpCounter;
import dev.spinet.tcp.TcpHandler;
import dev.spinet.tcp.TcpLayer;
import dev.spinet.tcp.scenario.ScriptedPeer;
import dev.spinet.tcp.scenario.Seg;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spinet in simulated time: a {@link ScriptedPeer} around a fresh {@link TcpLayer} per scenario
 * (the script config with timestamps and SACK offered, 4096-byte rings, or a 1024-byte receive
 * ring for zero window scenarios). Waiting means moving the clock from one timer deadline to the next, so a
 * 3 s backoff costs nothing.
 */
final class SpinetDriver implements StackDriver {

    /** {@link UserCall#KEEPALIVE}: idle time and interval, as the kernel side sets them. */
    private static final long KEEPALIVE_NANOS = 1_000_000_000L;
    private static final int KEEPALIVE_PROBES = 3;

    private ScriptedPeer peer;
    private TcpLayer tcp;
    private final Map<Integer, Integer> handlesByPeerPort = new HashMap<>();
    private final List<Integer> accepted = new ArrayList<>();
    private final TcpHandler handler = new TcpHandler() {
        @Override
        public void onAccepted(int listener, int connection) {
            accepted.add(connection);
        }
    };

    @Override
    public String name() {
        return "Spinet";
    }

    @Override
    public void begin(Scenario scenario) {
        // Timestamps and SACK offered as Linux offers them (its defaults); each is used only when
        // the scenario's peer offers it too. No window scaling: windows stay unscaled numbers.
        StackConfig.Builder config = ScriptedPeer.defaultConfig().tcpOptions(false, true, true)
                .tcpKeepalive(false, KEEPALIVE_NANOS, KEEPALIVE_NANOS, KEEPALIVE_PROBES);
        if (scenario.finWait2TimeoutSeconds > 0) {
            config.tcpFinWait2TimeoutNanos(scenario.finWait2TimeoutSeconds * 1_000_000_000L);
        }
        if (scenario.smallReceiveBuffer) {
            config.tcpBuffers(1024, 4096);
        }
        peer = new ScriptedPeer(config.build());
        tcp = peer.layer();
        handlesByPeerPort.clear();
        accepted.clear();
    }

    @Override
    public String call(UserCall call, Numbering numbering, int amount) {
        switch (call) {
            case LISTEN -> tcp.listen(numbering.stackPort, 2, handler);
            case CONNECT -> handlesByPeerPort.put(numbering.peerPort, tcp.connect(ScriptedPeer.PEER_ADDRESS, numbering.peerPort, handler));
            case SEND -> {
                return "wrote " + tcp.write(handle(numbering), new byte[amount], 0, amount);
            }
            case READ -> {
                return "read " + tcp.read(handle(numbering), new byte[amount], 0, amount);
            }
            case CLOSE -> tcp.close(handle(numbering));
            case SHUTDOWN -> tcp.shutdownOutput(handle(numbering));
            case ABORT -> tcp.abort(handle(numbering));
            case KEEPALIVE -> tcp.setKeepAlive(handle(numbering), true);
        }
        return "";
    }

    private int handle(Numbering numbering) {
        Integer handle = handlesByPeerPort.get(numbering.peerPort);
        if (handle != null) {
            return handle;
        }
        for (int candidate : accepted) {
            if (tcp.remotePort(candidate) == numbering.peerPort) {
                handlesByPeerPort.put(numbering.peerPort, candidate);
                return candidate;
            }
        }
        throw new IllegalStateException("no connection from peer port " + numbering.peerPort + " was accepted");
    }

    @Override
    public void inject(Numbering numbering, Seg segment) {
        peer.send(segment);
    }

    @Override
    public List<Captured> collect(int minimum, long quietNanos, long maxNanos) {
        List<Captured> out = new ArrayList<>();
        long start = peer.now();
        long lastSegmentAt = start;
        peer.poll();
        lastSegmentAt = take(out, lastSegmentAt);
        while (true) {
            long now = peer.now();
            long quietUntil = lastSegmentAt + quietNanos;
            if (out.size() >= minimum && now >= quietUntil) {
                return out;
            }
            long limit = start + maxNanos;
            if (now >= limit) {
                return out;
            }
            long target = Math.min(out.size() >= minimum ? quietUntil : limit, limit);
            long next = Math.min(tcp.nextDeadline(now), target);
            peer.advance(Math.max(next - now, 1_000L));
            lastSegmentAt = take(out, lastSegmentAt);
        }
    }

    private long take(List<Captured> out, long lastSegmentAt) {
        List<Seg> sent = peer.drainWithoutPoll();
        for (Seg seg : sent) {
            out.add(new Captured(seg.sourcePort(), seg.destinationPort(), seg.flags(), seg.seq(), seg.ack(), seg.window(),
                    seg.payloadLength(), seg, peer.now()));
        }
        return sent.isEmpty() ? lastSegmentAt : peer.now();
    }

    @Override
    public void end() {
        long internal = tcp.counters().get(TcpCounter.INTERNAL_ERROR) + tcp.counters().get(TcpCounter.HANDLER_ERROR);
        if (internal != 0) {
            throw new AssertionError("Spinet counted an internal error: " + tcp.lastInternalError());
        }
    }

    @Override
    public void close() {
    }
}
