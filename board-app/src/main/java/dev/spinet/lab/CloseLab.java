package dev.spinet.lab;

import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.lab.Scenes.A_CONNECTS_B_ACCEPTS;
import static dev.spinet.lab.Scenes.B_LISTENS;
import static dev.spinet.lab.Scenes.B_STOPS_LISTENING;
import static dev.spinet.lab.Scenes.CLOSE_FIRST_ANSWERED_BY_FIN_ACK;
import static dev.spinet.lab.Scenes.CLOSE_FIRST_INTO_TIME_WAIT;
import static dev.spinet.lab.Scenes.CLOSE_SECOND;
import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSE_WAIT;
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static dev.spinet.tcp.TransitionCause.TIME_WAIT_TIMEOUT;

/**
 * The four-way close with a pause in CLOSE_WAIT, then a close whose FIN rides with the ACK
 * (text: text/close.txt).
 */
final class CloseLab {

    private CloseLab() {
    }

    static Lab lab() {
        return Lab.named("close")
                .text(LabText.load("close"))
                .scenes(B_LISTENS,
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.a().send("request");
                            run.runFor(100 * MS);
                            run.note("A closes its sending side first (a half-close, so it still reads): the active close");
                            run.a().shutdownOutput();
                            run.runUntilState(run.b(), CLOSE_WAIT);
                            run.runFor(200 * MS);
                            run.b().send("bye");
                            run.b().close();
                            run.runUntilIdle(run.a());
                        }).a(CLOSE_FIRST_INTO_TIME_WAIT).a(t(TIME_WAIT, CLOSED, TIME_WAIT_TIMEOUT)).b(CLOSE_SECOND),
                        Scene.note("second connection: B closes as soon as it reads end of stream"),
                        Scene.of(run -> run.b().closeWhenPeerCloses(true)),
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.runFor(100 * MS);
                            run.a().close();
                            run.runUntilIdle(run.a());
                        }).a(CLOSE_FIRST_ANSWERED_BY_FIN_ACK).b(CLOSE_SECOND),
                        B_STOPS_LISTENING,
                        Scene.of(LabRun::settle))
                .build();
    }
}
