package dev.spinet.lab;

import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.lab.Scenes.A_CONNECTS_B_ACCEPTS;
import static dev.spinet.lab.Scenes.B_LISTENS;
import static dev.spinet.lab.Scenes.B_STOPS_LISTENING;
import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSING;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.FIN_WAIT_1;
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static dev.spinet.tcp.TransitionCause.CLOSE;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_FIN;
import static dev.spinet.tcp.TransitionCause.RCV_FIN;
import static dev.spinet.tcp.TransitionCause.TIME_WAIT_TIMEOUT;

/** Both close at the same instant: the FINs cross and both sides pass through CLOSING (text: text/simultaneous-close.txt). */
final class SimultaneousCloseLab {

    private SimultaneousCloseLab() {
    }

    static Lab lab() {
        return Lab.named("simultaneous-close")
                .text(LabText.load("simultaneous-close"))
                .scenes(B_LISTENS,
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.runFor(10 * MS);
                            run.note("A and B call close() at the same instant");
                            run.a().close();
                            run.b().close();
                            run.runUntilIdle(run.a());
                            run.runUntilIdle(run.b());
                        }).both(t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, CLOSING, RCV_FIN),
                                t(CLOSING, TIME_WAIT, RCV_ACK_OF_FIN), t(TIME_WAIT, CLOSED, TIME_WAIT_TIMEOUT)),
                        B_STOPS_LISTENING)
                .build();
    }
}
