package dev.spinet.lab;

import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.LabCatalogue.PORT;
import static dev.spinet.lab.LabCatalogue.S;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.lab.FilteredLink.Direction.IN;
import static dev.spinet.lab.FilteredLink.Direction.OUT;
import static dev.spinet.tcp.TcpState.CLOSED;
import static dev.spinet.tcp.TcpState.CLOSING;
import static dev.spinet.tcp.TcpState.CLOSE_WAIT;
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
import static dev.spinet.tcp.TransitionCause.FIN_WAIT_2_TIMEOUT;
import static dev.spinet.tcp.TransitionCause.KEEPALIVE_TIMEOUT;
import static dev.spinet.tcp.TransitionCause.RCV_RST;
import static dev.spinet.tcp.TransitionCause.RETRANSMISSION_TIMEOUT;
import static dev.spinet.tcp.TransitionCause.SEND;
import static dev.spinet.tcp.TransitionCause.TIME_WAIT_RECYCLED;
import static dev.spinet.tcp.TransitionCause.USER_TIMEOUT;
import static dev.spinet.tcp.TransitionCause.CLOSE;
import static dev.spinet.tcp.TransitionCause.PASSIVE_OPEN;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_FIN;
import static dev.spinet.tcp.TransitionCause.RCV_ACK_OF_SYN;
import static dev.spinet.tcp.TransitionCause.RCV_FIN;
import static dev.spinet.tcp.TransitionCause.RCV_FIN_ACK;
import static dev.spinet.tcp.TransitionCause.RCV_SYN;
import static dev.spinet.tcp.TransitionCause.RCV_SYN_ACK;
import static dev.spinet.tcp.TransitionCause.TIME_WAIT_TIMEOUT;

import dev.spinet.wire.TcpSegment;
import java.util.List;

/** The labs of the standard catalogue (one method each, in teaching order). */
final class Labs {

    private Labs() {
    }

    static List<Lab> all() {
        return List.of(handshake(), close(), simultaneousOpen(), simultaneousClose(), timeWait(), synSent(), reset(),
                retransmission(), flowControl());
    }

    static Lab handshake() {
        return Lab.named("handshake")
                .title("The three-way handshake")
                .summary("A connects to B's listening port: SYN, SYN+ACK, ACK.")
                .goal("See how a passive OPEN (LISTEN) and an active OPEN (SYN_SENT) meet, which segment moves each side, "
                        + "and why the server needs the third segment before it calls the connection established.")
                .predict("Which state is B in between sending SYN+ACK and receiving the ACK?",
                        "Which side reaches ESTABLISHED first, and by how much (the wire's one-way delay is 1 ms)?",
                        "Which sequence number does B's SYN+ACK acknowledge, and why is it A's ISN + 1?")
                .questions("The SYN carries no data yet consumes one sequence number: why?",
                        "What does each side learn from the MSS option?",
                        "B closes its listener at the end: what happens to the established connection?")
                .boardRole("Listens on port 80 and echoes what it receives; connect with `nc BOARD 80` and watch "
                        + "LISTEN -> SYN_RECEIVED -> ESTABLISHED in /diagram.svg and the --trace output.")
                .script(run -> {
                    run.b().listen(PORT);
                    run.a().connect(PORT);
                    run.runUntilState(run.b(), ESTABLISHED);
                    run.runFor(10 * MS);
                    run.a().send("hello");
                    run.runFor(100 * MS);
                    run.b().closeListener();
                    run.runFor(10 * MS);
                })
                .expectA(t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK))
                .expectB(t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN), t(LISTEN, CLOSED, CLOSE))
                .build();
    }

    static Lab close() {
        return Lab.named("close")
                .title("Active and passive close (the four-way close)")
                .summary("A closes first (FIN_WAIT_1, FIN_WAIT_2, TIME_WAIT); B closes later (CLOSE_WAIT, LAST_ACK). "
                        + "Then again with B closing at once, so its FIN rides with the ACK.")
                .goal("Follow both closes: the side that closes first walks FIN_WAIT_1 -> FIN_WAIT_2 -> TIME_WAIT and waits 2*MSL; "
                        + "the other walks CLOSE_WAIT -> LAST_ACK -> CLOSED. See that a half-closed connection still carries data.")
                .predict("After A's FIN is acknowledged, which state is A in, and how long can it stay there?",
                        "B waits 200 ms before closing: what does B's application see in the meantime?",
                        "In the second connection B closes as soon as it reads end of stream: how many segments does the close take now, "
                                + "and which edge does A take out of FIN_WAIT_1?")
                .questions("Why does only the side that closed first wait in TIME_WAIT?",
                        "MSL is 30 s here: when exactly does A's TIME_WAIT end? Check the timeline.",
                        "B writes \"bye\" after A's FIN: does A still get it? Why is that allowed?")
                .boardRole("Listens on port 80; when the student's client closes, the board waits 2 s in CLOSE_WAIT, sends "
                        + "\"bye\", then closes (LAST_ACK). With `nc -q 1 BOARD 80` the student's machine is the active closer.")
                .boards("client", "server")
                .script(run -> {
                    run.b().listen(PORT);
                    run.a().connect(PORT);
                    run.runUntilState(run.b(), ESTABLISHED);
                    run.a().send("request");
                    run.runFor(100 * MS);
                    run.note("A closes first: the active close");
                    run.a().close();
                    run.runUntilState(run.b(), CLOSE_WAIT);
                    run.runFor(200 * MS);
                    run.b().send("bye");
                    run.b().close();
                    run.runUntilIdle(run.a());
                    run.note("second connection: B closes as soon as it reads end of stream");
                    run.b().closeWhenPeerCloses(true);
                    run.a().connect(PORT);
                    run.runUntilState(run.b(), ESTABLISHED);
                    run.runFor(100 * MS);
                    run.a().close();
                    run.runUntilIdle(run.a());
                    run.b().closeListener();
                    run.settle();
                })
                .expectA(t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN),
                        t(FIN_WAIT_2, TIME_WAIT, RCV_FIN), t(TIME_WAIT, CLOSED, TIME_WAIT_TIMEOUT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, TIME_WAIT, RCV_FIN_ACK),
                        t(TIME_WAIT, CLOSED, TIME_WAIT_TIMEOUT))
                .expectB(t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN), t(ESTABLISHED, CLOSE_WAIT, RCV_FIN),
                        t(CLOSE_WAIT, LAST_ACK, CLOSE), t(LAST_ACK, CLOSED, RCV_ACK_OF_FIN),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN), t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSE_WAIT, RCV_FIN), t(CLOSE_WAIT, LAST_ACK, CLOSE),
                        t(LAST_ACK, CLOSED, RCV_ACK_OF_FIN), t(LISTEN, CLOSED, CLOSE))
                .build();
    }

    private static final int SYN = TcpSegment.SYN;
    private static final int ACK = TcpSegment.ACK;
    private static final int FIN = TcpSegment.FIN;
    private static final int RST = TcpSegment.RST;

    /** B listens on port 80, A connects; returns once both are ESTABLISHED. */
    static void establish(LabRun run) {
        run.a().connect(PORT);
        run.runUntilState(run.b(), ESTABLISHED);
        run.runUntilState(run.a(), ESTABLISHED);
    }

    /** A closes, B closes as soon as it sees the FIN; returns when both are done (2*MSL later). */
    static void closeBoth(LabRun run) {
        run.b().closeWhenPeerCloses(true);
        run.a().close();
        run.runUntilIdle(run.b());
        run.runUntilIdle(run.a());
        run.b().closeWhenPeerCloses(false);
    }

    static final Step[] OPEN_A = {t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK)};
    static final Step[] ACCEPT_B = {t(LISTEN, SYN_RECEIVED, RCV_SYN), t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN)};
    /** A closes first, B answers with FIN+ACK at once. */
    static final Step[] CLOSE_A = {t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, TIME_WAIT, RCV_FIN_ACK),
            t(TIME_WAIT, CLOSED, TIME_WAIT_TIMEOUT)};
    static final Step[] CLOSE_B = {t(ESTABLISHED, CLOSE_WAIT, RCV_FIN), t(CLOSE_WAIT, LAST_ACK, CLOSE),
            t(LAST_ACK, CLOSED, RCV_ACK_OF_FIN)};

    static Step[] steps(Object... parts) {
        java.util.List<Step> all = new java.util.ArrayList<>();
        for (Object part : parts) {
            if (part instanceof Step step) {
                all.add(step);
            } else {
                all.addAll(List.of((Step[]) part));
            }
        }
        return all.toArray(new Step[0]);
    }

    static Lab simultaneousOpen() {
        return Lab.named("simultaneous-open")
                .title("Simultaneous open: both SYNs cross")
                .summary("Both boards open toward each other at the same instant; each SYN_SENT receives a bare SYN.")
                .goal("See the edge SYN_SENT -> SYN_RECEIVED that only a simultaneous open walks, and that one connection "
                        + "(not two) comes out of it. Then see what an abort does to a connection that is still half open.")
                .predict("How many segments does the simultaneous open take, compared with the three-way handshake?",
                        "Which segment moves each side from SYN_RECEIVED to ESTABLISHED?",
                        "In the second try both SYN+ACKs are lost and A aborts: what does B receive, and which state does B go to?")
                .questions("Why must both sides use fixed ports for a simultaneous open to happen?",
                        "Each side answers the other's SYN with SYN+ACK: why does it repeat its own SYN?",
                        "Why does B go to CLOSED and not back to LISTEN when the RST arrives?")
                .boards("peer", "peer")
                .boardRole("Every second, opens from port 6000 to the student's computer port 5000 (needs --peer ADDRESS). "
                        + "The student opens from port 5000 to the board's port 6000 at the same time, e.g. with Python "
                        + "(bind to 5000, then connect); when the SYNs cross, both sides walk SYN_SENT -> SYN_RECEIVED.")
                .script(run -> {
                    run.note("both boards open at the same instant from fixed ports: A 5000 -> B 6000, B 6000 -> A 5000");
                    run.a().connectFrom(5000, 6000);
                    run.b().connectFrom(6000, 5000);
                    run.runUntilState(run.a(), ESTABLISHED);
                    run.runUntilState(run.b(), ESTABLISHED);
                    run.runFor(10 * MS);
                    run.a().send("hi");
                    run.runFor(100 * MS);
                    closeBoth(run);
                    run.note("second try: both SYN+ACKs are lost, and A aborts while it is in SYN_RECEIVED");
                    run.a().link().drop(OUT, TcpMatch.flags(SYN | ACK), 1);
                    run.b().link().drop(OUT, TcpMatch.flags(SYN | ACK), 1);
                    run.a().connectFrom(5001, 6001);
                    run.b().connectFrom(6001, 5001);
                    run.runFor(100 * MS);
                    run.a().abort();
                    run.runUntilIdle(run.b());
                })
                .expectA(steps(t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_SENT, SEND), t(SYN_SENT, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN), CLOSE_A,
                        t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_SENT, SEND), t(SYN_SENT, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, CLOSED, ABORT)))
                .expectB(steps(t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_SENT, SEND), t(SYN_SENT, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN), CLOSE_B,
                        t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_SENT, SEND), t(SYN_SENT, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, CLOSED, RCV_RST)))
                .build();
    }

    static Lab simultaneousClose() {
        return Lab.named("simultaneous-close")
                .title("Simultaneous close: CLOSING")
                .summary("Both boards close at the same instant; the FINs cross and both pass through CLOSING.")
                .goal("See the rarely drawn CLOSING state: a FIN arrives while our own FIN is not yet acknowledged. "
                        + "Both sides then wait in TIME_WAIT.")
                .predict("Which state does each side enter when the other's FIN arrives?",
                        "How many TIME_WAIT states are there at the end, and why?")
                .questions("What would change if B's FIN left 5 ms later than A's (one-way delay 1 ms)?",
                        "Both sides wait 2*MSL: is that a problem for a server? What do real servers do?")
                .boardRole("Listens on port 80; when data arrives it closes 1 s later. Students send one line and close at "
                        + "the same moment (e.g. a script that sends, sleeps 0.999 s and closes) to meet in CLOSING.")
                .script(run -> {
                    run.b().listen(PORT);
                    establish(run);
                    run.runFor(10 * MS);
                    run.note("A and B call close() at the same instant");
                    run.a().close();
                    run.b().close();
                    run.runUntilIdle(run.a());
                    run.runUntilIdle(run.b());
                    run.b().closeListener();
                })
                .expectA(steps(OPEN_A, t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, CLOSING, RCV_FIN),
                        t(CLOSING, TIME_WAIT, RCV_ACK_OF_FIN), t(TIME_WAIT, CLOSED, TIME_WAIT_TIMEOUT)))
                .expectB(steps(t(CLOSED, LISTEN, PASSIVE_OPEN), ACCEPT_B, t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, CLOSING, RCV_FIN), t(CLOSING, TIME_WAIT, RCV_ACK_OF_FIN),
                        t(TIME_WAIT, CLOSED, TIME_WAIT_TIMEOUT), t(LISTEN, CLOSED, CLOSE)))
                .build();
    }

    static Lab timeWait() {
        return Lab.named("time-wait")
                .title("TIME_WAIT and 2*MSL")
                .summary("The server closes first and sits in TIME_WAIT; the client reuses the same 4-tuple; a late "
                        + "duplicate FIN restarts the 2*MSL timer, and an RST can cut TIME_WAIT short.")
                .goal("Understand why the side that closes first waits 2*MSL (MSL = 30 s here): to answer a retransmitted FIN "
                        + "and to keep old segments from being taken for a new connection's.")
                .predict("B (the server) closes first: which side ends in TIME_WAIT?",
                        "A reconnects from the same port 1 s later, while B is still in TIME_WAIT: refused, ignored or accepted?",
                        "A copy of B's FIN arrives 10 s after A entered TIME_WAIT: when does A's TIME_WAIT end now?")
                .questions("Why may a new SYN end TIME_WAIT early (RFC 9293 3.10.7.4, RFC 6191), and what must hold for it?",
                        "Where does the RST in the last part come from, and why is it dangerous (RFC 1337)?",
                        "How would a real server avoid thousands of TIME_WAIT entries?")
                .boardRole("Listens on port 80 and closes each connection itself 1 s after the first data (the board ends in "
                        + "TIME_WAIT). Students reconnect from the same local port (e.g. `nc -p 5000 BOARD 80`) and watch "
                        + "TIME_WAIT -> CLOSED on a new SYN.")
                .script(run -> {
                    run.b().listen(PORT);
                    run.a().connectFrom(5000, PORT);
                    run.runUntilState(run.b(), ESTABLISHED);
                    run.runFor(10 * MS);
                    run.note("the server closes first");
                    run.b().close();
                    run.runUntilState(run.a(), CLOSE_WAIT);
                    run.runFor(50 * MS);
                    run.a().close();
                    run.runUntilIdle(run.a());
                    run.runFor(1 * S);
                    run.note("A reconnects from port 5000 to port 80: the same 4-tuple, while B is in TIME_WAIT");
                    run.a().connectFrom(5000, PORT);
                    run.runUntilState(run.a(), ESTABLISHED);
                    run.runFor(10 * MS);
                    closeBoth(run);
                    run.note("A closes first; 10 s into A's TIME_WAIT a copy of B's FIN arrives (B's RSTs are lost)");
                    establish(run);
                    closeFirstAndWait(run);
                    run.b().link().drop(OUT, TcpMatch.flags(RST), -1);
                    run.runFor(10 * S);
                    run.b().link().replayLast(TcpMatch.flags(FIN));
                    run.runUntilIdle(run.a());
                    run.b().link().clearRules();
                    run.note("once more, and this time B's RST reaches A");
                    establish(run);
                    closeFirstAndWait(run);
                    run.runFor(10 * S);
                    run.b().link().replayLast(TcpMatch.flags(FIN));
                    run.runUntilIdle(run.a());
                    run.b().closeListener();
                })
                .expectA(steps(t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_SENT, SEND), t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        CLOSE_B,
                        t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_SENT, SEND), t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        CLOSE_A,
                        OPEN_A, CLOSE_A,
                        OPEN_A, t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, TIME_WAIT, RCV_FIN_ACK), t(TIME_WAIT, CLOSED, RCV_RST)))
                .expectB(steps(t(CLOSED, LISTEN, PASSIVE_OPEN), ACCEPT_B,
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE), t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN), t(FIN_WAIT_2, TIME_WAIT, RCV_FIN),
                        t(TIME_WAIT, CLOSED, RCV_SYN), ACCEPT_B, CLOSE_B,
                        ACCEPT_B, CLOSE_B,
                        ACCEPT_B, CLOSE_B, t(LISTEN, CLOSED, CLOSE)))
                .build();
    }

    /** A closes, B closes at once; returns when A is in TIME_WAIT and B is done. */
    private static void closeFirstAndWait(LabRun run) {
        run.runFor(10 * MS);
        run.b().closeWhenPeerCloses(true);
        run.a().close();
        run.runUntilIdle(run.b());
        run.b().closeWhenPeerCloses(false);
    }

    static Lab synSent() {
        return Lab.named("syn-sent")
                .title("SYN_SENT: the three ways out")
                .summary("A's SYN is answered by SYN+ACK (normal), by a bare SYN (simultaneous open), or not at all "
                        + "(retries with exponential backoff, then CLOSED); finally A gives up itself.")
                .goal("Learn every edge out of SYN_SENT and the retransmission schedule of an unanswered SYN.")
                .predict("B's firewall silently drops A's SYNs: at which times does A retransmit (initial RTO 1 s)?",
                        "How long until A gives up, with 4 SYN retransmissions allowed?",
                        "If the application closes while in SYN_SENT, does anything go on the wire?")
                .questions("Why does the retransmission interval double each time (RFC 6298 5.5)?",
                        "How does a SYN_SENT side tell a SYN+ACK from a bare SYN, and why do they lead to different states?",
                        "What would an RST instead of silence have changed? (see the reset lab)")
                .boardRole("Connects every 10 s to the student's computer (--peer ADDRESS, port 5000). Students answer "
                        + "normally (`nc -l 5000`), not at all (a firewall rule dropping the SYN), or with their own "
                        + "connect from port 5000 (simultaneous open).")
                .tuning(b -> b.tcpMaxRetransmissions(12, 4))
                .script(run -> {
                    run.b().listen(PORT);
                    run.note("1. the normal answer: SYN+ACK");
                    establish(run);
                    run.runFor(10 * MS);
                    closeBoth(run);
                    run.note("2. a bare SYN: B opens toward A 0.5 ms after A's SYN left, so the SYNs cross");
                    run.a().connectFrom(5000, 6000);
                    run.runFor(500_000L);
                    run.b().connectFrom(6000, 5000);
                    run.runUntilState(run.a(), ESTABLISHED);
                    run.runUntilState(run.b(), ESTABLISHED);
                    run.runFor(10 * MS);
                    closeBoth(run);
                    run.note("3. no answer: B's firewall drops every TCP segment that reaches it");
                    run.b().link().drop(IN, TcpMatch.anyTcp(), -1);
                    run.a().connect(PORT);
                    run.runUntilIdle(run.a());
                    run.note("4. A's application gives up after 2.5 s: close() in SYN_SENT");
                    run.a().connect(PORT);
                    run.runFor(2_500 * MS);
                    run.a().close();
                    run.runFor(10 * S);
                    run.b().link().clearRules();
                    run.b().closeListener();
                })
                .expectA(steps(OPEN_A, CLOSE_A,
                        t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_SENT, SEND), t(SYN_SENT, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN), CLOSE_A,
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, CLOSED, RETRANSMISSION_TIMEOUT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, CLOSED, CLOSE)))
                .expectB(steps(t(CLOSED, LISTEN, PASSIVE_OPEN), ACCEPT_B, CLOSE_B,
                        t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_SENT, SEND), t(SYN_SENT, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN), CLOSE_B, t(LISTEN, CLOSED, CLOSE)))
                .build();
    }

    static Lab reset() {
        return Lab.named("reset")
                .title("Resets: refused, aborted, half-open")
                .summary("A connects to a closed port (RST: connection refused); A aborts an established connection; "
                        + "B reboots under an open connection and answers A's next segment with RST.")
                .goal("See the three everyday sources of RST and how each side's state machine ends.")
                .predict("A connects to port 81 where nobody listens: what does B send, and which state does A go to?",
                        "A aborts: which segment leaves A, and what state does A enter before B hears anything?",
                        "B reboots and forgets the connection; A still believes it is ESTABLISHED. What happens when A sends data?")
                .questions("Why is the RST for the refused SYN an RST+ACK, with ACK = A's ISN + 1?",
                        "Why does A not hear about the reboot until it sends something? What would keepalive change?",
                        "Which close reason does each application get (REFUSED, ABORTED, RESET)?")
                .boardRole("Listens on port 80 and nothing else: connecting to any other port is refused. On its console "
                        + "(or after `systemctl restart spinet`) the board forgets its connections: students keep an "
                        + "`nc` session open across the restart, type a line, and see the RST.")
                .script(run -> {
                    run.b().listen(PORT);
                    run.note("1. connection refused: nobody listens on port 81");
                    run.a().connect(81);
                    run.runFor(100 * MS);
                    run.note("2. abort: A resets an established connection");
                    establish(run);
                    run.runFor(10 * MS);
                    run.a().abort();
                    run.runFor(100 * MS);
                    run.note("3. half-open: B reboots while the connection is open; A writes afterwards");
                    establish(run);
                    run.runFor(10 * MS);
                    run.b().reboot();
                    run.runFor(1 * S);
                    run.a().send("anyone there?");
                    run.runUntilIdle(run.a());
                })
                .expectA(steps(t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, CLOSED, RCV_RST),
                        OPEN_A, t(ESTABLISHED, CLOSED, ABORT),
                        OPEN_A, t(ESTABLISHED, CLOSED, RCV_RST)))
                .expectB(steps(t(CLOSED, LISTEN, PASSIVE_OPEN), ACCEPT_B, t(ESTABLISHED, CLOSED, RCV_RST), ACCEPT_B))
                .build();
    }

    static Lab retransmission() {
        return Lab.named("retransmission")
                .title("Loss and retransmission: RTO backoff, Karn's rule, fast retransmit")
                .summary("Data segments are lost: first three in a row (timeouts with doubling RTO), then one in a burst "
                        + "(three duplicate ACKs and a fast retransmit).")
                .goal("See the retransmission timer back off, see that a retransmitted segment gives no RTT sample (Karn), "
                        + "and see duplicate ACKs trigger a retransmission before the timer (RFC 5681).")
                .predict("The RTO after the handshake is 200 ms (the minimum here). When are the three retransmissions sent?",
                        "After the fourth copy gets through, is the RTO measured again from that segment?",
                        "In the burst, one segment is lost: how many duplicate ACKs does B send before A retransmits?")
                .questions("Why must the RTO double on each timeout (RFC 6298 5.5)?",
                        "Why can't A measure the RTT from an ACK of a retransmitted segment (Karn's algorithm)?",
                        "Why wait for three duplicate ACKs, not one?")
                .boardRole("Listens on port 80 and drops every 5th data segment it receives (counted in /metrics): "
                        + "students send a file with `nc` and look for retransmissions in Wireshark.")
                .tuning(b -> b.tcpBuffers(16 * 1024, 16 * 1024).tcpMss(500))
                .script(run -> {
                    run.b().listen(PORT);
                    establish(run);
                    run.runFor(10 * MS);
                    run.note("A's RTO is " + run.a().tcp().retransmissionTimeoutNanos(run.a().connection()) / 1_000_000 + " ms");
                    run.note("1. the next three data segments to B are lost");
                    run.b().link().drop(IN, TcpMatch.data(), 3);
                    run.a().send("one segment that has to try four times");
                    run.runFor(5 * S);
                    run.note("A's RTO is " + run.a().tcp().retransmissionTimeoutNanos(run.a().connection()) / 1_000_000
                            + " ms: the backed-off value stays until a new segment is timed (Karn)");
                    run.a().send("x");
                    run.runFor(1 * S);
                    run.note("A's RTO is " + run.a().tcp().retransmissionTimeoutNanos(run.a().connection()) / 1_000_000
                            + " ms after a segment sent once was acknowledged");
                    run.note("2. warm up the congestion window, then lose one segment in a burst of ten");
                    run.a().sendBytes(8000);
                    run.runFor(1 * S);
                    run.b().link().drop(IN, TcpMatch.data(), 1);
                    run.a().sendBytes(5000);
                    run.runFor(2 * S);
                    closeBoth(run);
                    run.b().closeListener();
                })
                .expectA(steps(OPEN_A, CLOSE_A))
                .expectB(steps(t(CLOSED, LISTEN, PASSIVE_OPEN), ACCEPT_B, CLOSE_B, t(LISTEN, CLOSED, CLOSE)))
                .build();
    }

    static Lab flowControl() {
        return Lab.named("flow-control")
                .title("Flow control: zero window, persist probes, window update")
                .summary("B stops reading; its receive buffer fills and it advertises a zero window; A probes with "
                        + "backing-off persist probes until B reads again and sends a window update.")
                .goal("See the receiver govern the sender: the window in every ACK, the zero window, the persist timer "
                        + "that keeps a lost window update from deadlocking the connection.")
                .predict("B's receive buffer holds 2048 bytes and A writes 6000: how much does A send before it stops?",
                        "While the window is zero, how often does A probe?",
                        "When B reads again, which segment restarts the transfer?")
                .questions("Why does A keep probing instead of waiting for B's window update (what if it is lost)?",
                        "Why does B not announce a window of a few bytes as soon as it reads a little (SWS avoidance)?",
                        "Does a zero window change the TCP state of either side?")
                .boardRole("Listens on port 80 and never reads (until a line arrives on its console, or 60 s pass): "
                        + "students push a file with `nc` and see the zero window and the probes in Wireshark.")
                .tuning(b -> b.tcpBuffers(2048, 8192))
                .script(run -> {
                    run.b().listen(PORT);
                    establish(run);
                    run.b().reading(false);
                    run.runFor(10 * MS);
                    run.a().sendBytes(6000);
                    run.runFor(8 * S);
                    run.b().reading(true);
                    run.runFor(2 * S);
                    closeBoth(run);
                    run.b().closeListener();
                })
                .expectA(steps(OPEN_A, CLOSE_A))
                .expectB(steps(t(CLOSED, LISTEN, PASSIVE_OPEN), ACCEPT_B, CLOSE_B, t(LISTEN, CLOSED, CLOSE)))
                .build();
    }

    static Lab giveUp() {
        return null;
    }

    static Lab keepaliveAndUserTimeout() {
        return null;
    }

    static Lab resetEverywhere() {
        return null;
    }

    static Lab resources() {
        return null;
    }
}
