package dev.spinet.lab;

import static dev.spinet.lab.FilteredLink.Direction.OUT;
import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.LabCatalogue.PORT;
import static dev.spinet.lab.LabCatalogue.PORT_A;
import static dev.spinet.lab.LabCatalogue.S;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.lab.Scenes.ACCEPT;
import static dev.spinet.lab.Scenes.A_CLOSES_B_FOLLOWS;
import static dev.spinet.lab.Scenes.A_CONNECTS_B_ACCEPTS;
import static dev.spinet.lab.Scenes.B_LISTENS;
import static dev.spinet.lab.Scenes.B_STOPS_LISTENING;
import static dev.spinet.lab.Scenes.CLOSE_FIRST_ANSWERED_BY_FIN_ACK;
import static dev.spinet.lab.Scenes.CLOSE_FIRST_INTO_TIME_WAIT;
import static dev.spinet.lab.Scenes.CLOSE_SECOND;
import static dev.spinet.lab.Scenes.CONNECT_FROM_FIXED_PORT;
import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSE_WAIT;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.FIN_WAIT_1;
import static dev.spinet.tcp.TcpState.SYN_SENT;
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static dev.spinet.tcp.TransitionCause.CLOSE;
import static dev.spinet.tcp.TransitionCause.RCV_FIN_ACK;
import static dev.spinet.tcp.TransitionCause.RCV_RST;
import static dev.spinet.tcp.TransitionCause.RCV_SYN;
import static dev.spinet.tcp.TransitionCause.RCV_SYN_ACK;

import dev.spinet.wire.TcpSegment;

/**
 * TIME_WAIT: the server closes first, the 4-tuple is reused during TIME_WAIT, a late duplicate FIN
 * restarts 2*MSL, an RST cuts TIME_WAIT short (text: text/time-wait.txt). That last part is RFC 1337's
 * hazard TW2, which Spinet prevents by default (StackConfig.tcpRfc1337: a RST in TIME-WAIT is
 * ignored); this lab turns the protection off, as RFC 9293 3.10.7.4 and Linux's default
 * (tcp_rfc1337 = 0) have it, to show what it prevents.
 */
final class TimeWaitLab {

    private TimeWaitLab() {
    }

    static Lab lab() {
        return Lab.named("time-wait")
                .text(LabText.load("time-wait"))
                .tuning(b -> b.tcpRfc1337(false))
                .scenes(B_LISTENS,
                        Scene.of(run -> {
                            run.a().connectFrom(PORT_A, PORT);
                            run.runUntilState(run.b(), ESTABLISHED);
                        }).a(CONNECT_FROM_FIXED_PORT).a(t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK)).b(ACCEPT),
                        Scene.of(run -> {
                            run.runFor(10 * MS);
                            run.note("the server closes first");
                            run.b().close();
                            run.runUntilState(run.a(), CLOSE_WAIT);
                            run.runFor(50 * MS);
                            run.a().close();
                            run.runUntilIdle(run.a());
                            run.runFor(1 * S);
                        }).a(CLOSE_SECOND).b(CLOSE_FIRST_INTO_TIME_WAIT),
                        Scene.note("A reconnects from port " + PORT_A + " to port " + PORT + ": the same 4-tuple, while B is in TIME_WAIT"),
                        Scene.of(run -> {
                            run.a().connectFrom(PORT_A, PORT);
                            run.runUntilState(run.a(), ESTABLISHED);
                            run.runFor(10 * MS);
                        }).a(CONNECT_FROM_FIXED_PORT).a(t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK))
                                .b(t(TIME_WAIT, CLOSED, RCV_SYN)).b(ACCEPT),
                        A_CLOSES_B_FOLLOWS,
                        Scene.note("A closes first; 10 s into A's TIME_WAIT a copy of B's FIN arrives (B's RSTs are lost)"),
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            closeFirstAndWait(run);
                            run.b().link().drop(OUT, TcpMatch.flags(TcpSegment.RST), -1);
                            run.runFor(10 * S);
                            run.b().link().replayLast(TcpMatch.flags(TcpSegment.FIN));
                            run.runUntilIdle(run.a());
                            run.b().link().clearRules();
                        }).a(CLOSE_FIRST_ANSWERED_BY_FIN_ACK).b(CLOSE_SECOND),
                        Scene.note("once more, and this time B's RST reaches A"),
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            closeFirstAndWait(run);
                            run.runFor(10 * S);
                            run.b().link().replayLast(TcpMatch.flags(TcpSegment.FIN));
                            run.runUntilIdle(run.a());
                        }).a(t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, TIME_WAIT, RCV_FIN_ACK), t(TIME_WAIT, CLOSED, RCV_RST))
                                .b(CLOSE_SECOND),
                        B_STOPS_LISTENING)
                .build();
    }

    /** A closes, B closes at once; returns when A is in TIME_WAIT and B is done. */
    private static void closeFirstAndWait(LabRun run) {
        run.runFor(10 * MS);
        run.b().closeWhenPeerCloses(true);
        run.a().close();
        run.runUntilIdle(run.b());
        run.b().closeWhenPeerCloses(false);
    }
}
