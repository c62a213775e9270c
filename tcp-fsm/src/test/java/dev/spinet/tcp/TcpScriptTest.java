package dev.spinet.tcp;

import static dev.spinet.tcp.scenario.Seg.ACK;
import static dev.spinet.tcp.scenario.Seg.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spinet.config.StackConfig;
import dev.spinet.tcp.scenario.Covers;
import dev.spinet.tcp.scenario.RecordingHandler;
import dev.spinet.tcp.scenario.ScriptedPeer;
import dev.spinet.tcp.scenario.Seg;
import dev.spinet.tcp.scenario.TransitionRecorder;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Fixture of the per-state tests: a {@link ScriptedPeer} around a fresh {@link TcpLayer}, helpers
 * that bring a connection into a given state with the exact handshake segments checked, and an
 * after-each check that (1) no transition outside {@link StateDiagram} happened and (2) every
 * edge the test declares with {@link Covers} was walked.
 */
abstract class TcpScriptTest {

    static final int PEER_ISS = 5_000;
    static final int ISS = ScriptedPeer.ISS;
    static final int WINDOW = 4096;       // the stack's receive ring (no scaling in scripts)
    static final int PEER_WINDOW = 8192;
    static final int MSS = 1460;
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000_000_000L;

    ScriptedPeer peer;
    TcpLayer tcp;
    RecordingHandler app;
    private Method testMethod;

    /** The fixture's config; tests that need other values call {@link #use}. */
    static StackConfig.Builder config() {
        return ScriptedPeer.defaultConfig().tcpMaxRetransmissions(3, 2);
    }

    @BeforeEach
    void createPeer(TestInfo info) {
        testMethod = info.getTestMethod().orElse(null);
        use(config().build());
    }

    /** Replaces the peer (and layer) with one built from {@code config}. */
    void use(StackConfig config) {
        peer = new ScriptedPeer(config);
        tcp = peer.layer();
        app = new RecordingHandler();
    }

    @AfterEach
    void checkTransitions() {
        TransitionRecorder recorder = peer.recorder();
        assertTrue(recorder.violations().isEmpty(), () -> "transitions outside the diagram: " + recorder.violations());
        if (testMethod != null) {
            List<String> missing = new ArrayList<>();
            for (Covers covers : testMethod.getAnnotationsByType(Covers.class)) {
                if (!recorder.walked(covers.from(), covers.to(), covers.cause())) {
                    missing.add(covers.from() + "->" + covers.to() + " on " + covers.cause());
                }
            }
            assertTrue(missing.isEmpty(), () -> "declared @Covers edges not walked: " + missing + "; walked: " + recorder.transitions());
        }
        assertEquals(0, tcp.counters().get(TcpCounter.INTERNAL_ERROR), () -> "internal error: " + tcp.lastInternalError());
        assertEquals(0, tcp.counters().get(TcpCounter.HANDLER_ERROR), () -> "handler error: " + tcp.lastInternalError());
        assertEquals(0, tcp.counters().get(TcpCounter.SEND_RANGE_OUTSIDE_RING), "a data segment was cut from outside the send ring");
    }

    // ------------------------------------------------------------------ bringing connections up

    int listen() {
        return tcp.listen(80, 2, app);
    }

    /** Passive open on port 80 through the exact three-way handshake; returns the accepted handle. */
    int establishPassive() {
        listen();
        return establishFrom(40_000);
    }

    /** A handshake from {@code peerPort} to the (already listening) port 80. */
    int establishFrom(int peerPort) {
        peer.ports(peerPort, 80);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(MSS));
        peer.expect(peer.reply(SYN | ACK).seq(ISS).ack(PEER_ISS + 1).window(WINDOW).mss(MSS));
        peer.send(peer.seg(ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW));
        peer.expectNothing();
        assertEquals(List.of("accepted"), app.events());
        app.clear();
        int handle = app.lastAccepted();
        assertEquals(TcpState.ESTABLISHED, tcp.state(handle));
        return handle;
    }

    /** ESTABLISHED, then close(): FIN sent, FIN-WAIT-1. */
    int finWait1() {
        int c = establishPassive();
        tcp.close(c);
        peer.expect(peer.reply(Seg.FIN | ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW));
        assertEquals(TcpState.FIN_WAIT_1, tcp.state(c));
        return c;
    }

    /** FIN-WAIT-1, then the peer acknowledges our FIN: FIN-WAIT-2. */
    int finWait2() {
        int c = finWait1();
        peer.send(peerAck(PEER_ISS + 1, ISS + 2));
        peer.expectNothing();
        assertEquals(TcpState.FIN_WAIT_2, tcp.state(c));
        return c;
    }

    /** ESTABLISHED, then the peer's FIN: ACKed, CLOSE-WAIT. */
    int closeWait() {
        int c = establishPassive();
        peer.send(peer.seg(Seg.FIN | ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW));
        peer.expect(ourAck(ISS + 1, PEER_ISS + 2, WINDOW));
        assertEquals(TcpState.CLOSE_WAIT, tcp.state(c));
        app.clear();
        return c;
    }

    /** CLOSE-WAIT, then close(): FIN sent, LAST-ACK. */
    int lastAck() {
        int c = closeWait();
        tcp.close(c);
        peer.expect(peer.reply(Seg.FIN | ACK).seq(ISS + 1).ack(PEER_ISS + 2).window(WINDOW));
        assertEquals(TcpState.LAST_ACK, tcp.state(c));
        return c;
    }

    /** FIN-WAIT-1, then the peer's FIN without acknowledging ours (simultaneous close): CLOSING. */
    int closing() {
        int c = finWait1();
        peer.send(peer.seg(Seg.FIN | ACK).seq(PEER_ISS + 1).ack(ISS + 1).window(PEER_WINDOW));
        peer.expect(ourAck(ISS + 2, PEER_ISS + 2, WINDOW));
        assertEquals(TcpState.CLOSING, tcp.state(c));
        return c;
    }

    /** FIN-WAIT-2, then the peer's FIN: ACKed, TIME-WAIT (in the compact table: the TCB is gone). */
    int timeWait() {
        int c = finWait2();
        peer.send(peer.seg(Seg.FIN | ACK).seq(PEER_ISS + 1).ack(ISS + 2).window(PEER_WINDOW));
        peer.expect(ourAck(ISS + 2, PEER_ISS + 2, WINDOW));
        assertEquals(1, tcp.timeWaitEntries());
        return c;
    }

    /**
     * After the segment {@code original} went out now: it is retransmitted with exponential
     * backoff (RFC 6298 5.5) three times (the fixture's limit), then the connection gives up.
     */
    void retransmitUntilGiveUp(int c, Seg original) {
        long rto = tcp.retransmissionTimeoutNanos(c);
        for (int i = 0; i < 3; i++) {
            peer.advance((rto << i) - 1);
            peer.expectNothing();
            peer.advance(1);
            peer.expect(original);
        }
        peer.advance(rto << 3);
        peer.expectNothing();
        assertEquals(TcpState.CLOSED, tcp.state(c));
    }

    /** A config whose user timeout (300 ms) fires long before the retransmissions run out. */
    static dev.spinet.config.StackConfig userTimeoutConfig() {
        return config().tcpUserTimeoutNanos(300 * MS).tcpMaxRetransmissions(10, 2).build();
    }

    /** Active open to the peer's port 80; returns the handle (ESTABLISHED). */
    int establishActive() {
        int handle = connectAndTakeSyn();
        peer.send(peer.seg(SYN | ACK).seq(PEER_ISS).ack(ISS + 1).window(PEER_WINDOW).mss(MSS));
        peer.expect(peer.reply(ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW));
        assertEquals(List.of("connected"), app.events());
        app.clear();
        assertEquals(TcpState.ESTABLISHED, tcp.state(handle));
        return handle;
    }

    /** connect(); checks the SYN and points the script at its ephemeral port. */
    int connectAndTakeSyn() {
        int handle = tcp.connect(ScriptedPeer.PEER_ADDRESS, 80, app);
        Seg syn = peer.takeOne();
        peer.ports(80, syn.sourcePort());
        assertEquals(peer.reply(SYN).seq(ISS).window(WINDOW).mss(MSS), syn);
        return handle;
    }

    /** A pure ACK from the peer at its next sequence number. */
    Seg peerAck(int peerSeq, int ack) {
        return peer.seg(ACK).seq(peerSeq).ack(ack).window(PEER_WINDOW);
    }

    /** The ACK the stack sends: <SEQ=seq><ACK=ack>, window as given. */
    Seg ourAck(int seq, int ack, int window) {
        return peer.reply(ACK).seq(seq).ack(ack).window(window);
    }

    static byte[] bytes(int length, int seed) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 31 + seed);
        }
        return data;
    }
}
