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

    // ---- bringing connections up ----

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
        halfOpenFrom(peerPort);
        peer.send(peerAck(PEER_ISS + 1, ISS + 1));
        peer.expectNothing();
        assertEquals(List.of("accepted"), app.events());
        app.clear();
        int handle = app.lastAccepted();
        assertEquals(TcpState.ESTABLISHED, tcp.state(handle));
        return handle;
    }

    /** The peer's SYN from {@code peerPort} to the (already listening) port 80, answered by our SYN,ACK. */
    void halfOpenFrom(int peerPort) {
        peer.ports(peerPort, 80);
        peer.send(peerSyn());
        peer.expect(ourSynAck());
    }

    /** Active open that crossed the peer's SYN: SYN-RECEIVED with a handle the application has. */
    int simultaneousOpen() {
        int c = connectAndTakeSyn();
        peer.send(peerSyn());
        peer.expect(ourSynAck());
        assertEquals(TcpState.SYN_RECEIVED, tcp.state(c));
        return c;
    }

    /**
     * A bare SYN from {@code peerPort} to {@code localPort}, where nothing accepts it, is answered
     * <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK> (RFC 9293 3.10.7.1).
     */
    void synIsRefused(int peerPort, int localPort) {
        peer.ports(peerPort, localPort);
        peer.send(peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW));
        peer.expect(peer.reply(Seg.RST | ACK).seq(0).ack(PEER_ISS + 1));
    }

    /** ESTABLISHED, then close(): FIN sent, FIN-WAIT-1. */
    int finWait1() {
        return closeSendingFin(establishPassive(), PEER_ISS + 1, TcpState.FIN_WAIT_1);
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
        peerFinIsAcked(ISS + 1, ISS + 1);
        assertEquals(TcpState.CLOSE_WAIT, tcp.state(c));
        app.clear();
        return c;
    }

    /** CLOSE-WAIT, then close(): FIN sent, LAST-ACK. */
    int lastAck() {
        return closeSendingFin(closeWait(), PEER_ISS + 2, TcpState.LAST_ACK);
    }

    /** FIN-WAIT-1, then the peer's FIN without acknowledging ours (simultaneous close): CLOSING. */
    int closing() {
        int c = finWait1();
        peerFinIsAcked(ISS + 1, ISS + 2);
        assertEquals(TcpState.CLOSING, tcp.state(c));
        return c;
    }

    /** FIN-WAIT-2, then the peer's FIN: ACKed, TIME-WAIT (in the compact table: the TCB is gone). */
    int timeWait() {
        int c = finWait2();
        peerFinIsAcked(ISS + 2, ISS + 2);
        assertEquals(1, tcp.timeWaitEntries());
        return c;
    }

    /** close() on {@code c} with nothing unsent: our FIN goes out at once, and {@code c} is in {@code next}. */
    private int closeSendingFin(int c, int ack, TcpState next) {
        tcp.close(c);
        peer.expect(ourFin(ISS + 1, ack));
        assertEquals(next, tcp.state(c));
        return c;
    }

    /**
     * The peer's FIN (its first byte after the handshake, acknowledging {@code peerAck}) is
     * acknowledged at once from our {@code ourSeq}.
     */
    void peerFinIsAcked(int peerAck, int ourSeq) {
        peer.send(peerFin(PEER_ISS + 1, peerAck));
        peer.expect(ourAck(ourSeq, PEER_ISS + 2, WINDOW));
    }

    /**
     * After the segment {@code original} went out now: it is retransmitted with exponential
     * backoff (RFC 6298 5.5) three times (the fixture's limit), then the connection gives up.
     */
    void retransmitUntilGiveUp(int c, Seg original) {
        expectBackedOffRetransmissions(original, tcp.retransmissionTimeoutNanos(c), 3);
        assertEquals(TcpState.CLOSED, tcp.state(c));
    }

    /**
     * After {@code segment} went out now: it goes out again {@code rto}, 2 {@code rto}, 4
     * {@code rto}... later (RFC 6298 5.5), {@code times} times and not a moment earlier, then
     * nothing more is sent.
     */
    void expectBackedOffRetransmissions(Seg segment, long rto, int times) {
        for (int i = 0; i < times; i++) {
            peer.advance((rto << i) - 1);
            peer.expectNothing();
            peer.advance(1);
            peer.expect(segment);
        }
        peer.advance(rto << times);
        peer.expectNothing();
    }

    /**
     * ABORT where the peer may still hold the connection (SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1,
     * FIN-WAIT-2, CLOSE-WAIT): a reset <SEQ=SND.NXT><CTL=RST> goes out (RFC 9293 3.10.5).
     */
    void abortResets(int c, int sndNxt) {
        tcp.abort(c);
        peer.expect(peer.reply(Seg.RST).seq(sndNxt));
    }

    /**
     * ABORT in SYN-SENT (nothing synchronized yet), CLOSING or LAST-ACK (our FIN already out):
     * the TCB is deleted and nothing is sent (RFC 9293 3.10.5).
     */
    void abortIsSilent(int c) {
        tcp.abort(c);
        peer.expectNothing();
    }

    /** The peer resets {@code c} with an RST at {@code seq}: nothing answers, {@code c} is CLOSED. */
    void peerResets(int c, int seq) {
        peer.send(peer.seg(Seg.RST).seq(seq));
        expectClosedQuietly(c);
    }

    /** Under {@link #userTimeoutConfig}: 300 ms without progress, and {@code c} is CLOSED without a word. */
    void userTimeoutCloses(int c) {
        peer.advance(300 * MS);
        expectClosedQuietly(c);
    }

    /** Nothing (more) goes out, and {@code c} is CLOSED. */
    void expectClosedQuietly(int c) {
        peer.expectNothing();
        assertEquals(TcpState.CLOSED, tcp.state(c));
    }

    /**
     * Nothing (more) goes out, {@code c} is CLOSED, and the one event the application has had
     * since the fixture last cleared its events is being told it closed for {@code reason}.
     */
    void expectClosedQuietly(int c, CloseReason reason) {
        expectClosedQuietly(c);
        assertEquals(List.of("closed " + reason), app.events());
    }

    /**
     * ESTABLISHED; the peer closes its window, "xy" is written, and one RTO later the persist
     * timer sends {@link #zeroWindowProbe} (RFC 9293 3.8.6.1). Returns the handle.
     */
    int zeroWindowProbed() {
        int c = establishPassive();
        long rto = tcp.retransmissionTimeoutNanos(c);
        peer.send(peerAck(PEER_ISS + 1, ISS + 1).window(0));
        tcp.write(c, "xy".getBytes(), 0, 2);
        peer.expectNothing();
        peer.advance(rto);
        peer.expect(zeroWindowProbe());
        return c;
    }

    /** The persist timer's probe of {@link #zeroWindowProbed}: one byte past the closed window. */
    Seg zeroWindowProbe() {
        return peer.reply(ACK).seq(ISS + 1).ack(PEER_ISS + 1).window(WINDOW).payload("x");
    }

    /** A config whose user timeout (300 ms) fires long before the retransmissions run out. */
    static dev.spinet.config.StackConfig userTimeoutConfig() {
        return config().tcpUserTimeoutNanos(300 * MS).tcpMaxRetransmissions(10, 2).build();
    }

    /** Active open to the peer's port 80; returns the handle (ESTABLISHED). */
    int establishActive() {
        int handle = connectAndTakeSyn();
        peer.send(peerSynAck());
        peer.expect(ourAck(ISS + 1, PEER_ISS + 1, WINDOW));
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
        assertEquals(ourSyn(), syn);
        return handle;
    }

    /** The peer's SYN: <SEQ=PEER_ISS>, its window and MSS. */
    Seg peerSyn() {
        return peer.seg(SYN).seq(PEER_ISS).window(PEER_WINDOW).mss(MSS);
    }

    /** The peer's SYN,ACK to {@link #ourSyn}: <SEQ=PEER_ISS><ACK=ISS+1>, its window and MSS. */
    Seg peerSynAck() {
        return peer.seg(SYN | ACK).seq(PEER_ISS).ack(ISS + 1).window(PEER_WINDOW).mss(MSS);
    }

    /** The SYN of an active open: <SEQ=ISS>, our window and MSS. */
    Seg ourSyn() {
        return peer.reply(SYN).seq(ISS).window(WINDOW).mss(MSS);
    }

    /** The SYN,ACK the stack answers {@link #peerSyn} with. */
    Seg ourSynAck() {
        return peer.reply(SYN | ACK).seq(ISS).ack(PEER_ISS + 1).window(WINDOW).mss(MSS);
    }

    /** A pure ACK from the peer at its next sequence number. */
    Seg peerAck(int peerSeq, int ack) {
        return peer.seg(ACK).seq(peerSeq).ack(ack).window(PEER_WINDOW);
    }

    /** The peer's FIN (with ACK): <SEQ=peerSeq><ACK=ack>, its full window. */
    Seg peerFin(int peerSeq, int ack) {
        return peer.seg(Seg.FIN | ACK).seq(peerSeq).ack(ack).window(PEER_WINDOW);
    }

    /** The ACK the stack sends: <SEQ=seq><ACK=ack>, window as given. */
    Seg ourAck(int seq, int ack, int window) {
        return peer.reply(ACK).seq(seq).ack(ack).window(window);
    }

    /** The FIN (with ACK) the stack sends: <SEQ=seq><ACK=ack>, its receive ring empty. */
    Seg ourFin(int seq, int ack) {
        return peer.reply(Seg.FIN | ACK).seq(seq).ack(ack).window(WINDOW);
    }

    /** Data the stack sends at once (PSH, ACK): <SEQ=seq><ACK=ack>, its receive ring empty. */
    Seg ourData(int seq, int ack, String payload) {
        return peer.reply(Seg.PSH | ACK).seq(seq).ack(ack).window(WINDOW).payload(payload);
    }

    static byte[] bytes(int length, int seed) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i * 31 + seed);
        }
        return data;
    }
}
