package dev.spinet.lab;

import static dev.spinet.lab.LabCatalogue.PORT;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSE_WAIT;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.FIN_WAIT_1;
import static dev.spinet.tcp.TcpState.FIN_WAIT_2;
import static dev.spinet.tcp.TcpState.LAST_ACK;
import static dev.spinet.tcp.TcpState.LISTEN;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.TcpState.SYN_SENT;
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static dev.spinet.tcp.TransitionCause.ACTIVE_OPEN;
import static dev.spinet.tcp.TransitionCause.CLOSE;
import static dev.spinet.tcp.TransitionCause.PASSIVE_OPEN;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_FIN;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_SYN;
import static dev.spinet.tcp.TransitionCause.RCV_FIN;
import static dev.spinet.tcp.TransitionCause.RCV_FIN_ACK;
import static dev.spinet.tcp.TransitionCause.RCV_SYN;
import static dev.spinet.tcp.TransitionCause.RCV_SYN_ACK;
import static dev.spinet.tcp.TransitionCause.SEND;
import static dev.spinet.tcp.TransitionCause.TIME_WAIT_TIMEOUT;

import java.util.List;
import java.util.stream.Stream;

/**
 * The scenes and step sequences many labs share, named once: B's listener, the handshake seen from
 * each side, the usual closes. In most labs A is the client and B the server on port {@link LabCatalogue#PORT}.
 */
final class Scenes {

    private Scenes() {
    }

    // ---- what one side walks ----

    /** An active open answered by SYN+ACK (RFC 9293 figure 5, the client's path). */
    static final List<Step> CONNECT = List.of(t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK));

    /** The accept sequence: a connection born of B's listener on A's SYN, established by A's ACK. */
    static final List<Step> ACCEPT = List.of(t(LISTEN, SYN_RECEIVED, RCV_SYN), t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN));

    /**
     * {@link LabBoard#connectFrom}: a fixed local port is a passive open that then sends a SYN,
     * the path RFC 9293 figure 5 draws as LISTEN -> SYN_SENT (SEND).
     */
    static final List<Step> CONNECT_FROM_FIXED_PORT = List.of(t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_SENT, SEND));

    /** Both sides open from fixed ports and each SYN_SENT receives the other's bare SYN (simultaneous open). */
    static final List<Step> SYNS_CROSS = Stream.concat(CONNECT_FROM_FIXED_PORT.stream(),
            Stream.of(t(SYN_SENT, SYN_RECEIVED, RCV_SYN))).toList();

    /** The side that closes first, when the other's ACK and FIN come separately (the end of TIME_WAIT varies). */
    static final List<Step> CLOSE_FIRST_INTO_TIME_WAIT = List.of(t(ESTABLISHED, FIN_WAIT_1, CLOSE),
            t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN), t(FIN_WAIT_2, TIME_WAIT, RCV_FIN));

    /** The side that closes first, when the other answers with FIN+ACK at once; TIME_WAIT runs out. */
    static final List<Step> CLOSE_FIRST_ANSWERED_BY_FIN_ACK = List.of(t(ESTABLISHED, FIN_WAIT_1, CLOSE),
            t(FIN_WAIT_1, TIME_WAIT, RCV_FIN_ACK), t(TIME_WAIT, CLOSED, TIME_WAIT_TIMEOUT));

    /** The side that closes second (the passive close). */
    static final List<Step> CLOSE_SECOND = List.of(t(ESTABLISHED, CLOSE_WAIT, RCV_FIN), t(CLOSE_WAIT, LAST_ACK, CLOSE),
            t(LAST_ACK, CLOSED, RCV_ACK_OF_FIN));

    // ---- scenes ----

    /** B opens its listener on {@link LabCatalogue#PORT}. */
    static final Scene B_LISTENS = Scene.of(run -> run.b().listen(PORT)).b(t(CLOSED, LISTEN, PASSIVE_OPEN));

    /** B closes its listener. */
    static final Scene B_STOPS_LISTENING = Scene.of(run -> run.b().closeListener()).b(t(LISTEN, CLOSED, CLOSE));

    /** A connects to B's listener; the scene ends once both are ESTABLISHED. */
    static final Scene A_CONNECTS_B_ACCEPTS = Scene.of(Scenes::establish).a(CONNECT).b(ACCEPT);

    /** A closes, B closes as soon as it sees the FIN (its FIN rides with the ACK); ends when both are done, 2*MSL later. */
    static final Scene A_CLOSES_B_FOLLOWS = Scene.of(Scenes::closeBoth).a(CLOSE_FIRST_ANSWERED_BY_FIN_ACK).b(CLOSE_SECOND);

    /** Both boards forget their drop rules. */
    static final Scene CLEAR_RULES = Scene.of(Scenes::clearRules);

    private static void establish(LabRun run) {
        run.a().connect(PORT);
        run.runUntilState(run.b(), ESTABLISHED);
        run.runUntilState(run.a(), ESTABLISHED);
    }

    private static void closeBoth(LabRun run) {
        run.b().closeWhenPeerCloses(true);
        run.a().close();
        run.runUntilIdle(run.b());
        run.runUntilIdle(run.a());
        run.b().closeWhenPeerCloses(false);
    }

    static void clearRules(LabRun run) {
        run.a().link().clearRules();
        run.b().link().clearRules();
    }
}
