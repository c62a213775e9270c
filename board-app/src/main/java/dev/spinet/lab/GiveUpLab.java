package dev.spinet.lab;

import static dev.spinet.lab.FilteredLink.Direction.IN;
import static dev.spinet.lab.LabCatalogue.PORT;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.lab.Scenes.B_LISTENS;
import static dev.spinet.lab.Scenes.B_STOPS_LISTENING;
import static dev.spinet.lab.SilentPeerScenes.INTO_CLOSE_WAIT_THEN_A_GOES_SILENT;
import static dev.spinet.lab.SilentPeerScenes.bGoesSilentWhileACloses;
import static dev.spinet.lab.SilentPeerScenes.bGoesSilentWhileAHasDataInFlight;
import static dev.spinet.lab.SilentPeerScenes.bothCloseAndEveryAckIsLost;
import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSE_WAIT;
import static dev.spinet.tcp.TcpState.FIN_WAIT_2;
import static dev.spinet.tcp.TcpState.LAST_ACK;
import static dev.spinet.tcp.TcpState.LISTEN;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.TcpState.SYN_SENT;
import static dev.spinet.tcp.TransitionCause.ACTIVE_OPEN;
import static dev.spinet.tcp.TransitionCause.CLOSE;
import static dev.spinet.tcp.TransitionCause.FIN_WAIT_2_TIMEOUT;
import static dev.spinet.tcp.TransitionCause.RCV_SYN;
import static dev.spinet.tcp.TransitionCause.RETRANSMISSION_TIMEOUT;

import dev.spinet.wire.TcpSegment;

/**
 * The peer goes silent in every state with something in flight, and the retransmission limit ends
 * the connection (RFC 1122 4.2.3.5, R2); an orphaned FIN_WAIT_2 ends on its own timer
 * (text: text/give-up.txt). The keepalive lab plays the same silent-peer scenes against the user timeout.
 */
final class GiveUpLab {

    private GiveUpLab() {
    }

    static Lab lab() {
        return Lab.named("give-up")
                .text(LabText.load("give-up"))
                .tuning(b -> b.tcpMaxRetransmissions(3, 3))
                .scenes(B_LISTENS,
                        Scene.note("1. A never sees B's SYN+ACK: both retransmit, both give up"),
                        Scene.of(run -> {
                            run.a().link().drop(IN, TcpMatch.flags(TcpSegment.SYN | TcpSegment.ACK), -1);
                            run.a().connect(PORT);
                            run.runUntilIdle(run.a());
                            run.runUntilIdle(run.b());
                            Scenes.clearRules(run);
                        }).a(t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, CLOSED, RETRANSMISSION_TIMEOUT))
                                .b(t(LISTEN, SYN_RECEIVED, RCV_SYN), t(SYN_RECEIVED, CLOSED, RETRANSMISSION_TIMEOUT)),
                        Scene.note("2. ESTABLISHED: B goes silent while A has data in flight"),
                        bGoesSilentWhileAHasDataInFlight(RETRANSMISSION_TIMEOUT),
                        Scene.note("3. FIN_WAIT_1: B goes silent, A closes"),
                        bGoesSilentWhileACloses(RETRANSMISSION_TIMEOUT),
                        Scene.note("4. CLOSE_WAIT: A closed and then went silent; B still sends data"),
                        INTO_CLOSE_WAIT_THEN_A_GOES_SILENT,
                        Scene.of(run -> {
                            run.b().send("are you still there?");
                            run.runUntilIdle(run.b());
                            run.runUntilIdle(run.a());
                            Scenes.clearRules(run);
                        }).a(t(FIN_WAIT_2, CLOSED, FIN_WAIT_2_TIMEOUT)).b(t(CLOSE_WAIT, CLOSED, RETRANSMISSION_TIMEOUT)),
                        Scene.note("5. LAST_ACK: A closed and then went silent; B closes"),
                        INTO_CLOSE_WAIT_THEN_A_GOES_SILENT,
                        Scene.of(run -> {
                            run.b().close();
                            run.runUntilIdle(run.b());
                            run.runUntilIdle(run.a());
                            Scenes.clearRules(run);
                        }).a(t(FIN_WAIT_2, CLOSED, FIN_WAIT_2_TIMEOUT))
                                .b(t(CLOSE_WAIT, LAST_ACK, CLOSE), t(LAST_ACK, CLOSED, RETRANSMISSION_TIMEOUT)),
                        Scene.note("6. CLOSING: both close at once and every ACK is lost"),
                        bothCloseAndEveryAckIsLost(RETRANSMISSION_TIMEOUT),
                        B_STOPS_LISTENING)
                .build();
    }
}
