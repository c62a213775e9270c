package dev.spinet.tcp;

import static dev.spinet.tcp.Emitted.ACK;
import static dev.spinet.tcp.Emitted.FIN;
import static dev.spinet.tcp.Emitted.NOTHING;
import static dev.spinet.tcp.Emitted.RST;
import static dev.spinet.tcp.Emitted.SYN;
import static dev.spinet.tcp.Emitted.SYN_ACK;
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
import static dev.spinet.tcp.TcpState.TIME_WAIT;
import static dev.spinet.tcp.TransitionCause.ABORT;
import static dev.spinet.tcp.TransitionCause.ACTIVE_OPEN;
import static dev.spinet.tcp.TransitionCause.BACKLOG_EVICTED;
import static dev.spinet.tcp.TransitionCause.CLOSE;
import static dev.spinet.tcp.TransitionCause.FIN_WAIT_2_TIMEOUT;
import static dev.spinet.tcp.TransitionCause.KEEPALIVE_TIMEOUT;
import static dev.spinet.tcp.TransitionCause.PASSIVE_OPEN;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_FIN;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_SYN;
import static dev.spinet.tcp.TransitionCause.RCV_FIN;
import static dev.spinet.tcp.TransitionCause.RCV_FIN_ACK;
import static dev.spinet.tcp.TransitionCause.RCV_ICMP_HARD_ERROR;
import static dev.spinet.tcp.TransitionCause.RCV_RST;
import static dev.spinet.tcp.TransitionCause.RCV_SYN;
import static dev.spinet.tcp.TransitionCause.RCV_SYN_ACK;
import static dev.spinet.tcp.TransitionCause.RETRANSMISSION_TIMEOUT;
import static dev.spinet.tcp.TransitionCause.SEND;
import static dev.spinet.tcp.TransitionCause.TIME_WAIT_RECYCLED;
import static dev.spinet.tcp.TransitionCause.TIME_WAIT_TIMEOUT;
import static dev.spinet.tcp.TransitionCause.USER_TIMEOUT;

import java.util.List;

/**
 * The TCP state diagram as data: RFC 9293 figure 5 (RFC 793 figure 6) plus the edges its text
 * adds (RST in every synchronized state, ABORT, the timeouts) and the two pool-full policies of
 * this stack. The engine only moves along these edges; tests fail on any other transition and
 * check that every edge here is walked by at least one test.
 *
 * <pre>
 *                             +---------+ ---------\      active OPEN
 *                             |  CLOSED |            \    -----------
 *                             +---------+<---------\   \   create TCB
 *                               |     ^              \   \  snd SYN
 *                  passive OPEN |     |   CLOSE        \   \
 *                  ------------ |     | ----------       \   \
 *                   create TCB  |     | delete TCB         \   \
 *                               V     |                      \   \
 *           rcv RST (note 1)  +---------+            CLOSE    |    \
 *        -------------------->|  LISTEN |          ---------- |     |
 *       /                     +---------+          delete TCB |     |
 *      /           rcv SYN      |     |     SEND              |     |
 *     /           -----------   |     |    -------            |     V
 * +--------+      snd SYN,ACK  /       \   snd SYN          +--------+
 * |        |<-----------------           ------------------>|        |
 * |  SYN   |                    rcv SYN                     |  SYN   |
 * |  RCVD  |<-----------------------------------------------|  SENT  |
 * |        |                  snd SYN,ACK                   |        |
 * |        |------------------           -------------------|        |
 * +--------+   rcv ACK of SYN  \       /  rcv SYN,ACK       +--------+
 *    |         --------------   |     |   -----------
 *    |                x         |     |     snd ACK
 *    |                          V     V
 *    |  CLOSE                 +---------+
 *    | -------                |  ESTAB  |
 *    | snd FIN                +---------+
 *    |                 CLOSE    |     |    rcv FIN
 *    V                -------   |     |    -------
 * +---------+         snd FIN  /       \   snd ACK         +---------+
 * |  FIN    |<----------------          ------------------>|  CLOSE  |
 * | WAIT-1  |------------------                            |   WAIT  |
 * +---------+          rcv FIN  \                          +---------+
 *   | rcv ACK of FIN   -------   |                          CLOSE  |
 *   | --------------   snd ACK   |                         ------- |
 *   V        x                   V                         snd FIN V
 * +---------+               +---------+                    +---------+
 * |FINWAIT-2|               | CLOSING |                    | LAST-ACK|
 * +---------+               +---------+                    +---------+
 *   |              rcv ACK of FIN |                 rcv ACK of FIN |
 *   |  rcv FIN     -------------- |    Timeout=2MSL -------------- |
 *   |  -------            x       V    ------------        x       V
 *    \ snd ACK              +---------+delete TCB          +---------+
 *      -------------------->|TIME-WAIT|------------------->| CLOSED  |
 *                           +---------+                    +---------+
 *   (note 1: only for a connection that came from a passive OPEN)
 * </pre>
 */
public final class StateDiagram {

    /** One edge: from, to, the event that triggers it and what the connection sends. */
    public record Edge(TcpState from, TcpState to, TransitionCause cause, Emitted sends) {

        public EventKind kind() {
            return cause.kind();
        }

        /** "FROM -> TO on CAUSE / sends X", for messages and coverage reports. */
        @Override
        public String toString() {
            return from + " -> " + to + " on " + cause + " / sends " + sends;
        }
    }

    private static final List<Edge> EDGES = List.of(
            // ---- figure 5 ----
            new Edge(CLOSED, LISTEN, PASSIVE_OPEN, NOTHING),
            new Edge(CLOSED, SYN_SENT, ACTIVE_OPEN, SYN),
            new Edge(LISTEN, SYN_RECEIVED, RCV_SYN, SYN_ACK),
            new Edge(LISTEN, SYN_SENT, SEND, SYN),
            new Edge(LISTEN, CLOSED, CLOSE, NOTHING),
            new Edge(SYN_SENT, SYN_RECEIVED, RCV_SYN, SYN_ACK),
            new Edge(SYN_SENT, ESTABLISHED, RCV_SYN_ACK, ACK),
            new Edge(SYN_SENT, CLOSED, CLOSE, NOTHING),
            new Edge(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN, NOTHING),
            new Edge(SYN_RECEIVED, FIN_WAIT_1, CLOSE, FIN),
            new Edge(SYN_RECEIVED, LISTEN, RCV_RST, NOTHING),
            // RFC 9293 3.10.7.4 fourth check: a SYN in a passively opened SYN-RECEIVED.
            new Edge(SYN_RECEIVED, LISTEN, RCV_SYN, NOTHING),
            new Edge(ESTABLISHED, FIN_WAIT_1, CLOSE, FIN),
            new Edge(ESTABLISHED, CLOSE_WAIT, RCV_FIN, ACK),
            new Edge(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN, NOTHING),
            new Edge(FIN_WAIT_1, CLOSING, RCV_FIN, ACK),
            new Edge(FIN_WAIT_1, TIME_WAIT, RCV_FIN_ACK, ACK),
            new Edge(FIN_WAIT_2, TIME_WAIT, RCV_FIN, ACK),
            new Edge(CLOSE_WAIT, LAST_ACK, CLOSE, FIN),
            new Edge(CLOSING, TIME_WAIT, RCV_ACK_OF_FIN, NOTHING),
            new Edge(LAST_ACK, CLOSED, RCV_ACK_OF_FIN, NOTHING),
            new Edge(TIME_WAIT, CLOSED, TIME_WAIT_TIMEOUT, NOTHING),

            // ---- RFC 9293 3.10.7.3: RST with an acceptable ACK in SYN-SENT = connection refused ----
            new Edge(SYN_SENT, CLOSED, RCV_RST, NOTHING),
            // RFC 1122 4.2.3.9 with RFC 5927 5.2: an ICMP hard error ends only a SYN-SENT connection.
            new Edge(SYN_SENT, CLOSED, RCV_ICMP_HARD_ERROR, NOTHING),
            // 3.10.7.4 second check: RST in SYN-RECEIVED of an active open; in synchronized states.
            new Edge(SYN_RECEIVED, CLOSED, RCV_RST, NOTHING),
            new Edge(ESTABLISHED, CLOSED, RCV_RST, NOTHING),
            new Edge(FIN_WAIT_1, CLOSED, RCV_RST, NOTHING),
            new Edge(FIN_WAIT_2, CLOSED, RCV_RST, NOTHING),
            new Edge(CLOSE_WAIT, CLOSED, RCV_RST, NOTHING),
            new Edge(CLOSING, CLOSED, RCV_RST, NOTHING),
            new Edge(LAST_ACK, CLOSED, RCV_RST, NOTHING),
            new Edge(TIME_WAIT, CLOSED, RCV_RST, NOTHING),
            // RFC 9293 3.10.7.4 / RFC 6191: an acceptable SYN ends TIME-WAIT and opens anew.
            new Edge(TIME_WAIT, CLOSED, RCV_SYN, NOTHING),

            // ---- 3.10.5 ABORT: RST from SYN-RECEIVED, ESTABLISHED, FIN-WAIT-*, CLOSE-WAIT ----
            new Edge(SYN_SENT, CLOSED, ABORT, NOTHING),
            new Edge(SYN_RECEIVED, CLOSED, ABORT, RST),
            new Edge(ESTABLISHED, CLOSED, ABORT, RST),
            new Edge(FIN_WAIT_1, CLOSED, ABORT, RST),
            new Edge(FIN_WAIT_2, CLOSED, ABORT, RST),
            new Edge(CLOSE_WAIT, CLOSED, ABORT, RST),
            new Edge(CLOSING, CLOSED, ABORT, NOTHING),
            new Edge(LAST_ACK, CLOSED, ABORT, NOTHING),

            // ---- 3.10.8 timeouts: retransmission limit (RFC 1122 4.2.3.5 R2), user timeout ----
            new Edge(SYN_SENT, CLOSED, RETRANSMISSION_TIMEOUT, NOTHING),
            new Edge(SYN_RECEIVED, CLOSED, RETRANSMISSION_TIMEOUT, NOTHING),
            new Edge(ESTABLISHED, CLOSED, RETRANSMISSION_TIMEOUT, NOTHING),
            new Edge(FIN_WAIT_1, CLOSED, RETRANSMISSION_TIMEOUT, NOTHING),
            new Edge(CLOSE_WAIT, CLOSED, RETRANSMISSION_TIMEOUT, NOTHING),
            new Edge(CLOSING, CLOSED, RETRANSMISSION_TIMEOUT, NOTHING),
            new Edge(LAST_ACK, CLOSED, RETRANSMISSION_TIMEOUT, NOTHING),
            new Edge(ESTABLISHED, CLOSED, USER_TIMEOUT, NOTHING),
            new Edge(FIN_WAIT_1, CLOSED, USER_TIMEOUT, NOTHING),
            new Edge(CLOSE_WAIT, CLOSED, USER_TIMEOUT, NOTHING),
            new Edge(CLOSING, CLOSED, USER_TIMEOUT, NOTHING),
            new Edge(LAST_ACK, CLOSED, USER_TIMEOUT, NOTHING),
            // RFC 1122 4.2.3.6 keepalive: an idle peer that stops answering probes is dead.
            new Edge(ESTABLISHED, CLOSED, KEEPALIVE_TIMEOUT, NOTHING),
            new Edge(CLOSE_WAIT, CLOSED, KEEPALIVE_TIMEOUT, NOTHING),
            new Edge(FIN_WAIT_2, CLOSED, KEEPALIVE_TIMEOUT, NOTHING),
            // An orphaned FIN-WAIT-2 (application closed, peer never sends FIN) ends after
            // StackConfig.tcpFinWait2TimeoutNanos (Linux's tcp_fin_timeout).
            new Edge(FIN_WAIT_2, CLOSED, FIN_WAIT_2_TIMEOUT, NOTHING),

            // ---- pool-full policies (docs/design.md "Memory") ----
            new Edge(SYN_RECEIVED, CLOSED, BACKLOG_EVICTED, NOTHING),
            new Edge(TIME_WAIT, CLOSED, TIME_WAIT_RECYCLED, NOTHING));

    private static final int STATES = TcpState.all().length;
    private static final int CAUSES = TransitionCause.all().length;
    private static final Edge[] TABLE = new Edge[STATES * STATES * CAUSES];

    static {
        for (Edge edge : EDGES) {
            int index = index(edge.from(), edge.to(), edge.cause());
            if (TABLE[index] != null) {
                throw new ExceptionInInitializerError("duplicate edge " + edge);
            }
            TABLE[index] = edge;
        }
    }

    private StateDiagram() {
    }

    /** Every edge, in the order above (immutable). */
    public static List<Edge> edges() {
        return EDGES;
    }

    /** The edge for this transition, or null if the diagram has none (allocation-free). */
    public static Edge find(TcpState from, TcpState to, TransitionCause cause) {
        return TABLE[index(from, to, cause)];
    }

    public static boolean allows(TcpState from, TcpState to, TransitionCause cause) {
        return find(from, to, cause) != null;
    }

    private static int index(TcpState from, TcpState to, TransitionCause cause) {
        return (from.ordinal() * STATES + to.ordinal()) * CAUSES + cause.ordinal();
    }
}
