package dev.spinet.lab;

import static dev.spinet.lab.FilteredLink.Direction.IN;
import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.LabCatalogue.PORT;
import static dev.spinet.lab.LabCatalogue.PORT_A;
import static dev.spinet.lab.LabCatalogue.PORT_B;
import static dev.spinet.lab.LabCatalogue.S;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.lab.Scenes.A_CLOSES_B_FOLLOWS;
import static dev.spinet.lab.Scenes.A_CONNECTS_B_ACCEPTS;
import static dev.spinet.lab.Scenes.B_LISTENS;
import static dev.spinet.lab.Scenes.B_STOPS_LISTENING;
import static dev.spinet.lab.Scenes.SYNS_CROSS;
import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.TcpState.SYN_SENT;
import static dev.spinet.tcp.TransitionCause.ACTIVE_OPEN;
import static dev.spinet.tcp.TransitionCause.CLOSE;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_SYN;
import static dev.spinet.tcp.TransitionCause.RCV_ICMP_HARD_ERROR;
import static dev.spinet.tcp.TransitionCause.RETRANSMISSION_TIMEOUT;

/**
 * Every way out of SYN_SENT: SYN+ACK, a bare SYN, silence until the retransmission limit, the
 * user's close, and a firewall's ICMP port unreachable (text: text/syn-sent.txt).
 */
final class SynSentLab {

    private SynSentLab() {
    }

    static Lab lab() {
        return Lab.named("syn-sent")
                .text(LabText.load("syn-sent"))
                .tuning(b -> b.tcpMaxRetransmissions(12, 4))
                .scenes(B_LISTENS,
                        Scene.note("1. the normal answer: SYN+ACK"),
                        A_CONNECTS_B_ACCEPTS,
                        Scene.runFor(10 * MS),
                        A_CLOSES_B_FOLLOWS,
                        Scene.note("2. a bare SYN: B opens toward A 0.5 ms after A's SYN left, so the SYNs cross"),
                        Scene.of(run -> {
                            run.a().connectFrom(PORT_A, PORT_B);
                            run.runFor(500_000L);
                            run.b().connectFrom(PORT_B, PORT_A);
                            run.runUntilState(run.a(), ESTABLISHED);
                            run.runUntilState(run.b(), ESTABLISHED);
                            run.runFor(10 * MS);
                        }).both(SYNS_CROSS).both(t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN)),
                        A_CLOSES_B_FOLLOWS,
                        Scene.note("3. no answer: B's firewall drops every TCP segment that reaches it"),
                        Scene.of(run -> {
                            run.b().link().drop(IN, TcpMatch.anyTcp(), -1);
                            run.a().connect(PORT);
                            run.runUntilIdle(run.a());
                        }).a(t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, CLOSED, RETRANSMISSION_TIMEOUT)),
                        Scene.note("4. A's application gives up after 2.5 s: close() in SYN_SENT"),
                        Scene.of(run -> {
                            run.a().connect(PORT);
                            run.runFor(2_500 * MS);
                            run.a().close();
                            run.runFor(10 * S);
                            run.b().link().clearRules();
                        }).a(t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, CLOSED, CLOSE)),
                        Scene.note("5. B's firewall rejects: A's SYN is answered with ICMP port unreachable"),
                        Scene.of(run -> {
                            run.b().link().reject(TcpMatch.anyTcp(), 3, 1);
                            run.a().connect(PORT);
                            run.runUntilIdle(run.a());
                            run.b().link().clearRules();
                        }).a(t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, CLOSED, RCV_ICMP_HARD_ERROR)),
                        B_STOPS_LISTENING)
                .build();
    }
}
