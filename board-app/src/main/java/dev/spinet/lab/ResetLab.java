package dev.spinet.lab;

import static dev.spinet.lab.FilteredLink.Direction.OUT;
import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.LabCatalogue.PORT;
import static dev.spinet.lab.LabCatalogue.PORT_A;
import static dev.spinet.lab.LabCatalogue.S;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.lab.Scenes.ACCEPT;
import static dev.spinet.lab.Scenes.A_CONNECTS_B_ACCEPTS;
import static dev.spinet.lab.Scenes.B_LISTENS;
import static dev.spinet.lab.Scenes.B_STOPS_LISTENING;
import static dev.spinet.lab.Scenes.CONNECT_FROM_FIXED_PORT;
import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.LISTEN;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.TcpState.SYN_SENT;
import static dev.spinet.tcp.TransitionCause.ABORT;
import static dev.spinet.tcp.TransitionCause.ACTIVE_OPEN;
import static dev.spinet.tcp.TransitionCause.RCV_RST;
import static dev.spinet.tcp.TransitionCause.RCV_SYN;
import static dev.spinet.tcp.TransitionCause.RCV_SYN_ACK;

import dev.spinet.wire.TcpSegment;

/**
 * The everyday resets: connection refused, abort, a half-open connection after a reboot, and a new
 * SYN in SYN_RECEIVED after the client reboots mid-handshake (text: text/reset.txt).
 */
final class ResetLab {

    private ResetLab() {
    }

    static Lab lab() {
        return Lab.named("reset")
                .text(LabText.load("reset"))
                .scenes(B_LISTENS,
                        Scene.note("1. connection refused: nobody listens on port " + (PORT + 1)),
                        Scene.of(run -> {
                            run.a().connect(PORT + 1);
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
                        }).a(t(ESTABLISHED, CLOSED, RCV_RST)),
                        Scene.note("4. new SYN in SYN_RECEIVED: B's SYN+ACK is lost, A reboots and dials again from the same "
                                + "port; B returns the half-open connection to LISTEN (RFC 9293 3.10.7.4), A's retransmitted "
                                + "SYN opens a fresh one"),
                        B_LISTENS,
                        Scene.of(run -> {
                            run.b().link().drop(OUT, TcpMatch.flags(TcpSegment.SYN | TcpSegment.ACK), 1);
                            run.a().connectFrom(PORT_A + 2, PORT);
                            run.runFor(2 * MS);
                            run.a().reboot();
                            run.runFor(2 * MS); // the new stack's clock: its ISN lies a few ms above the old one, in B's window
                            run.a().connectFrom(PORT_A + 2, PORT);
                            run.runUntilState(run.b(), ESTABLISHED);
                            run.runFor(10 * MS);
                            run.a().abort();
                            run.runFor(10 * MS);
                        }).a(CONNECT_FROM_FIXED_PORT).a(CONNECT_FROM_FIXED_PORT)
                                .a(t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK), t(ESTABLISHED, CLOSED, ABORT))
                                .b(t(LISTEN, SYN_RECEIVED, RCV_SYN), t(SYN_RECEIVED, LISTEN, RCV_SYN))
                                .b(ACCEPT)
                                .b(t(ESTABLISHED, CLOSED, RCV_RST)),
                        B_STOPS_LISTENING)
                .build();
    }
}
