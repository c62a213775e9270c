package dev.spinet.lab;

import static dev.spinet.lab.FilteredLink.Direction.IN;
import static dev.spinet.lab.FilteredLink.Direction.OUT;
import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.LabCatalogue.PORT;
import static dev.spinet.lab.LabCatalogue.PORT_A;
import static dev.spinet.lab.LabCatalogue.PORT_B;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.lab.Scenes.A_CONNECTS_B_ACCEPTS;
import static dev.spinet.lab.Scenes.B_LISTENS;
import static dev.spinet.lab.Scenes.B_STOPS_LISTENING;
import static dev.spinet.lab.Scenes.CLEAR_RULES;
import static dev.spinet.lab.Scenes.CLOSE_FIRST_INTO_TIME_WAIT;
import static dev.spinet.lab.Scenes.SYNS_CROSS;
import static dev.spinet.lab.SilentPeerScenes.BOTH_CLOSE_INTO_CLOSING_EVERY_ACK_LOST;
import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSE_WAIT;
import static dev.spinet.tcp.TcpState.CLOSING;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.FIN_WAIT_1;
import static dev.spinet.tcp.TcpState.FIN_WAIT_2;
import static dev.spinet.tcp.TcpState.LAST_ACK;
import static dev.spinet.tcp.TcpState.LISTEN;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.TcpState.SYN_SENT;
import static dev.spinet.tcp.TransitionCause.ABORT;
import static dev.spinet.tcp.TransitionCause.ACTIVE_OPEN;
import static dev.spinet.tcp.TransitionCause.CLOSE;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_FIN;
import static dev.spinet.tcp.TransitionCause.RCV_FIN;
import static dev.spinet.tcp.TransitionCause.RCV_RST;
import static dev.spinet.tcp.TransitionCause.RCV_SYN;

import dev.spinet.wire.TcpSegment;

/**
 * ABORT and RST in every state that has them (RFC 9293 3.10.5 and 3.10.7.4): the remaining edges
 * of the diagram (text: text/abort.txt).
 */
final class AbortLab {

    private AbortLab() {
    }

    /** A closes and B reaches CLOSE_WAIT, while A's last ACK (of B's coming FIN) is lost; B then closes into LAST_ACK. */
    private static final Scene INTO_LAST_ACK_WITH_THE_LAST_ACK_LOST = Scene.of(run -> {
        run.a().link().drop(OUT, TcpMatch.pureAck(), -1);
        run.a().close();
        run.runUntilState(run.b(), CLOSE_WAIT);
        run.b().close();
        run.runFor(100 * MS);
    }).a(CLOSE_FIRST_INTO_TIME_WAIT).b(t(ESTABLISHED, CLOSE_WAIT, RCV_FIN), t(CLOSE_WAIT, LAST_ACK, CLOSE));

    static Lab lab() {
        return Lab.named("abort")
                .text(LabText.load("abort"))
                .scenes(B_LISTENS,
                        Scene.note("1. ABORT in SYN_SENT: B is silent, A gives up after 0.5 s"),
                        Scene.of(run -> {
                            run.b().link().drop(IN, TcpMatch.anyTcp(), 1);
                            run.a().connect(PORT);
                            run.runFor(500 * MS);
                            run.a().abort();
                            run.runFor(100 * MS);
                        }).a(t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, CLOSED, ABORT)),
                        Scene.note("2. RST in SYN_RECEIVED (from LISTEN): A aborts before B's SYN+ACK arrives"),
                        Scene.of(run -> {
                            run.a().connect(PORT);
                            run.runFor(500_000L);
                            run.a().abort();
                            run.runFor(100 * MS);
                        }).a(t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, CLOSED, ABORT))
                                .b(t(LISTEN, SYN_RECEIVED, RCV_SYN), t(SYN_RECEIVED, LISTEN, RCV_RST)),
                        Scene.note("3. CLOSE in SYN_RECEIVED: a simultaneous open whose SYN+ACKs are lost; A closes, then aborts"),
                        Scene.of(run -> {
                            run.a().link().drop(OUT, TcpMatch.flags(TcpSegment.SYN | TcpSegment.ACK), 1);
                            run.b().link().drop(OUT, TcpMatch.flags(TcpSegment.SYN | TcpSegment.ACK), 1);
                            run.a().connectFrom(PORT_A + 1, PORT_B + 1);
                            run.b().connectFrom(PORT_B + 1, PORT_A + 1);
                            run.runFor(100 * MS);
                            run.a().close();
                            run.runFor(100 * MS);
                            run.a().abort();
                            run.runFor(100 * MS);
                            Scenes.clearRules(run);
                        }).both(SYNS_CROSS).a(t(SYN_RECEIVED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, CLOSED, ABORT))
                                .b(t(SYN_RECEIVED, CLOSED, RCV_RST)),
                        Scene.note("4. RST in FIN_WAIT_1: B's ACK of A's FIN is lost, then B aborts"),
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.a().link().drop(IN, TcpMatch.pureAck(), 1);
                            run.a().close();
                            run.runFor(100 * MS);
                            run.b().abort();
                            run.runFor(100 * MS);
                        }).a(t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, CLOSED, RCV_RST))
                                .b(t(ESTABLISHED, CLOSE_WAIT, RCV_FIN), t(CLOSE_WAIT, CLOSED, ABORT)),
                        Scene.note("5. RST in FIN_WAIT_2: B aborts in CLOSE_WAIT"),
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.a().close();
                            run.runFor(100 * MS);
                            run.b().abort();
                            run.runFor(100 * MS);
                        }).a(t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN), t(FIN_WAIT_2, CLOSED, RCV_RST))
                                .b(t(ESTABLISHED, CLOSE_WAIT, RCV_FIN), t(CLOSE_WAIT, CLOSED, ABORT)),
                        Scene.note("6. ABORT in FIN_WAIT_2: B is in CLOSE_WAIT and receives the RST"),
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.a().close();
                            run.runFor(100 * MS);
                            run.a().abort();
                            run.runFor(100 * MS);
                        }).a(t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN), t(FIN_WAIT_2, CLOSED, ABORT))
                                .b(t(ESTABLISHED, CLOSE_WAIT, RCV_FIN), t(CLOSE_WAIT, CLOSED, RCV_RST)),
                        Scene.note("7. ABORT in FIN_WAIT_1: A's FIN is lost, then A aborts"),
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.b().link().drop(IN, TcpMatch.flags(TcpSegment.FIN), 1);
                            run.a().close();
                            run.runFor(100 * MS);
                            run.a().abort();
                            run.runFor(100 * MS);
                        }).a(t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, CLOSED, ABORT)).b(t(ESTABLISHED, CLOSED, RCV_RST)),
                        Scene.note("8. ABORT in CLOSING: A aborts silently; B's next FIN meets a closed port"),
                        A_CONNECTS_B_ACCEPTS,
                        Scene.runFor(10 * MS),
                        BOTH_CLOSE_INTO_CLOSING_EVERY_ACK_LOST,
                        Scene.of(run -> {
                            run.a().abort();
                            run.runUntilIdle(run.b());
                            Scenes.clearRules(run);
                        }).a(t(CLOSING, CLOSED, ABORT)).b(t(CLOSING, CLOSED, RCV_RST)),
                        Scene.note("9. ABORT in LAST_ACK: A's last ACK is lost, B aborts"),
                        A_CONNECTS_B_ACCEPTS,
                        INTO_LAST_ACK_WITH_THE_LAST_ACK_LOST,
                        Scene.of(run -> {
                            run.b().abort();
                            run.runFor(100 * MS);
                        }).b(t(LAST_ACK, CLOSED, ABORT)),
                        Scene.note("10. RST in LAST_ACK: A's last ACK is lost, then A reboots and B retransmits its FIN"),
                        CLEAR_RULES,
                        A_CONNECTS_B_ACCEPTS,
                        INTO_LAST_ACK_WITH_THE_LAST_ACK_LOST,
                        Scene.of(run -> {
                            run.a().link().clearRules();
                            run.a().reboot();
                            run.runUntilIdle(run.b());
                        }).b(t(LAST_ACK, CLOSED, RCV_RST)),
                        B_STOPS_LISTENING)
                .build();
    }
}
