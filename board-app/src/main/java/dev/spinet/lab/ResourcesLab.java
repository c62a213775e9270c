package dev.spinet.lab;

import static dev.spinet.lab.FilteredLink.Direction.IN;
import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.LabCatalogue.PORT;
import static dev.spinet.lab.LabCatalogue.S;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.lab.Scenes.A_CONNECTS_B_ACCEPTS;
import static dev.spinet.lab.Scenes.B_LISTENS;
import static dev.spinet.lab.Scenes.B_STOPS_LISTENING;
import static dev.spinet.lab.Scenes.CLOSE_SECOND;
import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.ESTABLISHED;
import static dev.spinet.tcp.TcpState.FIN_WAIT_1;
import static dev.spinet.tcp.TcpState.LISTEN;
import static dev.spinet.tcp.TcpState.SYN_RECEIVED;
import static dev.spinet.tcp.TcpState.SYN_SENT;
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static dev.spinet.tcp.TransitionCause.ABORT;
import static dev.spinet.tcp.TransitionCause.ACTIVE_OPEN;
import static dev.spinet.tcp.TransitionCause.BACKLOG_EVICTED;
import static dev.spinet.tcp.TransitionCause.CLOSE;
import static dev.spinet.tcp.TransitionCause.RCV_FIN_ACK;
import static dev.spinet.tcp.TransitionCause.RCV_RST;
import static dev.spinet.tcp.TransitionCause.RCV_SYN;
import static dev.spinet.tcp.TransitionCause.TIME_WAIT_RECYCLED;
import static dev.spinet.tcp.TransitionCause.TIME_WAIT_TIMEOUT;

import dev.spinet.config.StackConfig;
import dev.spinet.wire.TcpSegment;

/**
 * Full tables: a backlog of 1 evicts the oldest half-open connection, one TIME_WAIT slot is
 * recycled (text: text/resources.txt).
 */
final class ResourcesLab {

    private ResourcesLab() {
    }

    static Lab lab() {
        return Lab.named("resources")
                .text(LabText.load("resources"))
                // Eviction of the oldest half-open connection is the DROP/RESET policy; the default,
                // SYN_COOKIE, would answer the second SYN with a cookie instead (see the security docs).
                .tuning(b -> b.tcpListeners(4, 1).tcpTimeWaitEntries(1).tcpSynOverflowPolicy(StackConfig.SynOverflowPolicy.DROP))
                .scenes(B_LISTENS,
                        Scene.note("1. backlog 1: A's first half-open connection is evicted by its second"),
                        Scene.of(run -> {
                            run.a().link().drop(IN, TcpMatch.flags(TcpSegment.SYN | TcpSegment.ACK), -1);
                            run.a().connect(PORT);
                            run.runFor(100 * MS);
                            run.a().connect(PORT);
                            run.runFor(100 * MS);
                        }).a(t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(CLOSED, SYN_SENT, ACTIVE_OPEN))
                                .b(t(LISTEN, SYN_RECEIVED, RCV_SYN), t(SYN_RECEIVED, CLOSED, BACKLOG_EVICTED),
                                        t(LISTEN, SYN_RECEIVED, RCV_SYN)),
                        Scene.note("B closes its listener: the remaining half-open connection is aborted"),
                        Scene.of(run -> {
                            run.b().closeListener();
                            run.runUntilIdle(run.a());
                            Scenes.clearRules(run);
                        }).a(t(SYN_SENT, CLOSED, RCV_RST), t(SYN_SENT, CLOSED, RCV_RST))
                                .b(t(SYN_RECEIVED, CLOSED, ABORT), t(LISTEN, CLOSED, CLOSE)),
                        Scene.note("2. one TIME_WAIT slot: A closes two connections first"),
                        B_LISTENS,
                        Scene.of(run -> run.b().closeWhenPeerCloses(true)),
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.a().close();
                            run.runFor(1 * S);
                        }).a(t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, TIME_WAIT, RCV_FIN_ACK)).b(CLOSE_SECOND),
                        A_CONNECTS_B_ACCEPTS,
                        Scene.of(run -> {
                            run.a().close();
                            run.runUntilIdle(run.a());
                        }).a(t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, TIME_WAIT, RCV_FIN_ACK),
                                t(TIME_WAIT, CLOSED, TIME_WAIT_RECYCLED), t(TIME_WAIT, CLOSED, TIME_WAIT_TIMEOUT))
                                .b(CLOSE_SECOND),
                        B_STOPS_LISTENING)
                .build();
    }
}
