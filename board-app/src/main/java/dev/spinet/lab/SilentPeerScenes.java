package dev.spinet.lab;

import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.lab.FilteredLink.Direction.IN;
import static dev.spinet.lab.Scenes.A_CONNECTS_B_ACCEPTS;
import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSE_WAIT;
import static dev.spinet.tcp.TcpState.CLOSING;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.FIN_WAIT_1;
import static dev.spinet.tcp.TcpState.FIN_WAIT_2;
import static dev.spinet.tcp.TransitionCause.ABORT;
import static dev.spinet.tcp.TransitionCause.CLOSE;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_FIN;
import static dev.spinet.tcp.TransitionCause.RCV_FIN;

import dev.spinet.tcp.TransitionCause;

/**
 * The scenes in which one side stops hearing the other, shared by the give-up lab (the
 * retransmission limit ends them) and the keepalive lab (the user timeout ends them): the same
 * script, a different cause on the final edge. Each starts by establishing a connection.
 */
final class SilentPeerScenes {

    private SilentPeerScenes() {
    }

    /** B hears nothing while A has data in flight; A's timer ends it with {@code aGivesUp}, then B aborts. */
    static Scene bGoesSilentWhileAHasDataInFlight(TransitionCause aGivesUp) {
        return Scene.sequence(A_CONNECTS_B_ACCEPTS, Scene.of(run -> {
            run.b().link().drop(IN, TcpMatch.anyTcp(), -1);
            run.a().send("hello?");
            run.runUntilIdle(run.a());
            run.b().abort();
            Scenes.clearRules(run);
        }).a(t(ESTABLISHED, CLOSED, aGivesUp)).b(t(ESTABLISHED, CLOSED, ABORT)));
    }

    /** B hears nothing while A closes: A's FIN is never acknowledged and {@code aGivesUp} ends FIN_WAIT_1; B aborts. */
    static Scene bGoesSilentWhileACloses(TransitionCause aGivesUp) {
        return Scene.sequence(A_CONNECTS_B_ACCEPTS, Scene.of(run -> {
            run.b().link().drop(IN, TcpMatch.anyTcp(), -1);
            run.a().close();
            run.runUntilIdle(run.a());
            run.b().abort();
            Scenes.clearRules(run);
        }).a(t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, CLOSED, aGivesUp)).b(t(ESTABLISHED, CLOSED, ABORT)));
    }

    /**
     * A closes and B reaches CLOSE_WAIT (A in FIN_WAIT_2), then A hears nothing more. The scene ends
     * there, A's drop rule still on: the lab says what B does next and how both end.
     */
    static final Scene INTO_CLOSE_WAIT_THEN_A_GOES_SILENT = Scene.sequence(A_CONNECTS_B_ACCEPTS, Scene.of(run -> {
        run.a().close();
        run.runUntilState(run.b(), CLOSE_WAIT);
        run.runFor(10 * MS);
        run.a().link().drop(IN, TcpMatch.anyTcp(), -1);
    }).a(t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN)).b(t(ESTABLISHED, CLOSE_WAIT, RCV_FIN)));

    /**
     * On an established connection, both boards close at the same instant while every pure ACK is
     * lost: the FINs cross and both sides stay in CLOSING. The drop rules stay on.
     */
    static final Scene BOTH_CLOSE_INTO_CLOSING_EVERY_ACK_LOST = Scene.of(run -> {
        run.a().link().drop(IN, TcpMatch.pureAck(), -1);
        run.b().link().drop(IN, TcpMatch.pureAck(), -1);
        run.a().close();
        run.b().close();
        run.runUntilState(run.a(), CLOSING);
        run.runUntilState(run.b(), CLOSING);
    }).both(t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, CLOSING, RCV_FIN));

    /** Both close into CLOSING and every ACK is lost, until {@code bothGiveUp} ends both sides. */
    static Scene bothCloseAndEveryAckIsLost(TransitionCause bothGiveUp) {
        return Scene.sequence(A_CONNECTS_B_ACCEPTS, Scene.runFor(10 * MS), BOTH_CLOSE_INTO_CLOSING_EVERY_ACK_LOST,
                Scene.of(run -> {
                    run.runUntilIdle(run.a());
                    run.runUntilIdle(run.b());
                    Scenes.clearRules(run);
                }).both(t(CLOSING, CLOSED, bothGiveUp)));
    }
}
