package dev.spinet.lab;

import static dev.spinet.lab.FilteredLink.Direction.IN;
import static dev.spinet.lab.FilteredLink.Direction.OUT;
import static dev.spinet.lab.LabCatalogue.S;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.lab.Scenes.A_CONNECTS_B_ACCEPTS;
import static dev.spinet.lab.Scenes.B_LISTENS;
import static dev.spinet.lab.Scenes.B_STOPS_LISTENING;
import static dev.spinet.lab.SilentPeerScenes.INTO_CLOSE_WAIT_THEN_A_GOES_SILENT;
import static dev.spinet.lab.SilentPeerScenes.bGoesSilentWhileACloses;
import static dev.spinet.lab.SilentPeerScenes.bGoesSilentWhileAHasDataInFlight;
import static dev.spinet.lab.SilentPeerScenes.bothCloseAndEveryAckIsLost;
import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSE_WAIT;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.FIN_WAIT_1;
import static dev.spinet.tcp.TcpState.FIN_WAIT_2;
import static dev.spinet.tcp.TcpState.LAST_ACK;
import static dev.spinet.tcp.TransitionCause.ABORT;
import static dev.spinet.tcp.TransitionCause.CLOSE;
import static dev.spinet.tcp.TransitionCause.KEEPALIVE_TIMEOUT;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_FIN;
import static dev.spinet.tcp.TransitionCause.RCV_FIN;
import static dev.spinet.tcp.TransitionCause.USER_TIMEOUT;

/**
 * Keepalive finds a vanished peer (RFC 1122 4.2.3.6); the user timeout (RFC 9293 3.8.3, RFC 5482)
 * ends the silent-peer scenes of the give-up lab in five states (text: text/keepalive.txt).
 */
final class KeepaliveLab {

    private KeepaliveLab() {
    }

    static Lab lab() {
        return Lab.named("keepalive")
                .text(LabText.load("keepalive"))
                .tuning(b -> b.tcpKeepalive(true, 10 * S, 2 * S, 3).tcpUserTimeoutNanos(3 * S))
                .scenes(B_LISTENS,
                        Scene.note("1. keepalive: the connection goes idle; after 25 s B vanishes without a word"),
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.runFor(25 * S);
                            run.b().link().drop(IN, TcpMatch.anyTcp(), -1);
                            run.b().link().drop(OUT, TcpMatch.anyTcp(), -1);
                            run.runUntilIdle(run.a());
                            run.runUntilIdle(run.b());
                            Scenes.clearRules(run);
                        }).both(t(ESTABLISHED, CLOSED, KEEPALIVE_TIMEOUT)),
                        Scene.note("2. user timeout in ESTABLISHED: B goes silent while A has data in flight"),
                        bGoesSilentWhileAHasDataInFlight(USER_TIMEOUT),
                        Scene.note("3. user timeout in FIN_WAIT_1"),
                        bGoesSilentWhileACloses(USER_TIMEOUT),
                        Scene.note("4. user timeout in CLOSE_WAIT"),
                        INTO_CLOSE_WAIT_THEN_A_GOES_SILENT,
                        Scene.of(run -> {
                            run.b().send("are you still there?");
                            run.runUntilIdle(run.b());
                            run.a().abort();
                            Scenes.clearRules(run);
                        }).a(t(FIN_WAIT_2, CLOSED, ABORT)).b(t(CLOSE_WAIT, CLOSED, USER_TIMEOUT)),
                        Scene.note("5. user timeout in LAST_ACK"),
                        INTO_CLOSE_WAIT_THEN_A_GOES_SILENT,
                        Scene.of(run -> {
                            run.b().close();
                            run.runUntilIdle(run.b());
                            run.a().abort();
                            Scenes.clearRules(run);
                        }).a(t(FIN_WAIT_2, CLOSED, ABORT)).b(t(CLOSE_WAIT, LAST_ACK, CLOSE), t(LAST_ACK, CLOSED, USER_TIMEOUT)),
                        Scene.note("6. user timeout in CLOSING"),
                        bothCloseAndEveryAckIsLost(USER_TIMEOUT),
                        Scene.note("7. keepalive in FIN_WAIT_2 and CLOSE_WAIT: A half-closes, B keeps its end open; after 25 s"
                                + " the link between them goes dead"),
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.a().shutdownOutput();
                            run.runUntilState(run.b(), CLOSE_WAIT);
                            run.runFor(25 * S);
                            run.b().link().drop(IN, TcpMatch.anyTcp(), -1);
                            run.b().link().drop(OUT, TcpMatch.anyTcp(), -1);
                            run.runUntilIdle(run.a());
                            run.runUntilIdle(run.b());
                            Scenes.clearRules(run);
                        }).a(t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN), t(FIN_WAIT_2, CLOSED, KEEPALIVE_TIMEOUT))
                                .b(t(ESTABLISHED, CLOSE_WAIT, RCV_FIN), t(CLOSE_WAIT, CLOSED, KEEPALIVE_TIMEOUT)),
                        B_STOPS_LISTENING)
                .build();
    }
}
