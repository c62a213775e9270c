package dev.spinet.lab;

import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.LabCatalogue.S;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.lab.Scenes.A_CONNECTS_B_ACCEPTS;
import static dev.spinet.lab.Scenes.B_LISTENS;
import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.SYN_SENT;
import static dev.spinet.tcp.TransitionCause.ABORT;
import static dev.spinet.tcp.TransitionCause.ACTIVE_OPEN;
import static dev.spinet.tcp.TransitionCause.RCV_RST;

/** The everyday resets: connection refused, abort, a half-open connection after a reboot (text: text/reset.txt). */
final class ResetLab {

    private ResetLab() {
    }

    static Lab lab() {
        return Lab.named("reset")
                .text(LabText.load("reset"))
                .scenes(B_LISTENS,
                        Scene.note("1. connection refused: nobody listens on port 81"),
                        Scene.of(run -> {
                            run.a().connect(81);
                            run.runFor(100 * MS);
                        }).a(t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, CLOSED, RCV_RST)),
                        Scene.note("2. abort: A resets an established connection"),
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.runFor(10 * MS);
                            run.a().abort();
                            run.runFor(100 * MS);
                        }).a(t(ESTABLISHED, CLOSED, ABORT)).b(t(ESTABLISHED, CLOSED, RCV_RST)),
                        Scene.note("3. half-open: B reboots while the connection is open; A writes afterwards"),
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.runFor(10 * MS);
                            run.b().reboot();
                            run.runFor(1 * S);
                            run.a().send("anyone there?");
                            run.runUntilIdle(run.a());
                        }).a(t(ESTABLISHED, CLOSED, RCV_RST)))
                .build();
    }
}
