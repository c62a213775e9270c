package dev.spinet.lab;

import static dev.spinet.lab.FilteredLink.Direction.OUT;
import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.LabCatalogue.PORT_A;
import static dev.spinet.lab.LabCatalogue.PORT_B;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.lab.Scenes.A_CLOSES_B_FOLLOWS;
import static dev.spinet.lab.Scenes.SYNS_CROSS;
import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.TransitionCause.ABORT;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_SYN;
import static dev.spinet.tcp.TransitionCause.RCV_RST;

import dev.spinet.wire.TcpSegment;

/**
 * Both SYNs cross (SYN_SENT -> SYN_RECEIVED), then a simultaneous open whose SYN+ACKs are lost
 * ends in an abort (text: text/simultaneous-open.txt).
 */
final class SimultaneousOpenLab {

    private SimultaneousOpenLab() {
    }

    static Lab lab() {
        return Lab.named("simultaneous-open")
                .text(LabText.load("simultaneous-open"))
                .scenes(Scene.note("both boards open at the same instant from fixed ports: A " + PORT_A + " -> B " + PORT_B + ", B " + PORT_B + " -> A " + PORT_A),
                        Scene.of(run -> {
                            run.a().connectFrom(PORT_A, PORT_B);
                            run.b().connectFrom(PORT_B, PORT_A);
                            run.runUntilState(run.a(), ESTABLISHED);
                            run.runUntilState(run.b(), ESTABLISHED);
                        }).both(SYNS_CROSS).both(t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN)),
                        Scene.of(run -> {
                            run.runFor(10 * MS);
                            run.a().send("hi");
                            run.runFor(100 * MS);
                        }),
                        A_CLOSES_B_FOLLOWS,
                        Scene.note("second try: both SYN+ACKs are lost, and A aborts while it is in SYN_RECEIVED"),
                        Scene.of(run -> {
                            run.a().link().drop(OUT, TcpMatch.flags(TcpSegment.SYN | TcpSegment.ACK), 1);
                            run.b().link().drop(OUT, TcpMatch.flags(TcpSegment.SYN | TcpSegment.ACK), 1);
                            run.a().connectFrom(PORT_A + 1, PORT_B + 1);
                            run.b().connectFrom(PORT_B + 1, PORT_A + 1);
                            run.runFor(100 * MS);
                            run.a().abort();
                            run.runUntilIdle(run.b());
                        }).both(SYNS_CROSS).a(t(SYN_RECEIVED, CLOSED, ABORT)).b(t(SYN_RECEIVED, CLOSED, RCV_RST)))
                .build();
    }
}
