package dev.spinet.lab;

import static dev.spinet.lab.LabCatalogue.MS;
import static dev.spinet.lab.LabCatalogue.PORT;
import static dev.spinet.lab.LabCatalogue.S;
import static dev.spinet.lab.LabCatalogue.t;
import static dev.spinet.lab.FilteredLink.Direction.IN;
import static dev.spinet.lab.FilteredLink.Direction.OUT;
import dev.spinet.config.StackConfig;
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
                retransmission(), flowControl(), giveUp(), keepaliveAndUserTimeout(), resetEverywhere(), resources());
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
                .boardRole("Listens on port 7000 and echoes what it receives; connect with `nc BOARD 7000` and watch "
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
                .boardRole("Listens on port 7000; when the student's client closes, the board waits 2 s in CLOSE_WAIT, sends "
                        + "\"bye\", then closes (LAST_ACK). With `nc -q 1 BOARD 7000` the student's machine is the active closer.")
                .boards("client", "server")
                .script(run -> {
                    run.b().listen(PORT);
                    run.a().connect(PORT);
                    run.runUntilState(run.b(), ESTABLISHED);
                    run.a().send("request");
                    run.runFor(100 * MS);
                    run.note("A closes its sending side first (a half-close, so it still reads): the active close");
                    run.a().shutdownOutput();
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
                .boardRole("Listens on port 7000; when data arrives it closes 1 s later. Students send one line and close at "
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
                .boardRole("Listens on port 7000 and closes each connection itself 1 s after the first data (the board ends in "
                        + "TIME_WAIT). Students reconnect from the same local port (e.g. `nc -p 5000 BOARD 7000`) and watch "
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
                        + "B reboots under an open connection and answers A's next segment with RST; A reboots in the "
                        + "middle of a handshake and dials again from the same port.")
                .goal("See the three everyday sources of RST and how each side's state machine ends.")
                .predict("A connects to port 81 where nobody listens: what does B send, and which state does A go to?",
                        "A aborts: which segment leaves A, and what state does A enter before B hears anything?",
                        "B reboots and forgets the connection; A still believes it is ESTABLISHED. What happens when A sends data?",
                        "B is in SYN_RECEIVED when a new SYN from the same port arrives, with another ISN: what does B do with "
                                + "its half-open connection, and what does it send?")
                .questions("Why is the RST for the refused SYN an RST+ACK, with ACK = A's ISN + 1?",
                        "Why does A not hear about the reboot until it sends something? What would keepalive change?",
                        "Which close reason does each application get (REFUSED, ABORTED, RESET)?")
                .boardRole("Listens on port 7000 and nothing else: connecting to any other port is refused. On its console "
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
                    run.note("4. new SYN in SYN_RECEIVED: B's SYN+ACK is lost, A reboots and dials again from the same "
                            + "port; B returns the half-open connection to LISTEN (RFC 9293 3.10.7.4), A's retransmitted "
                            + "SYN opens a fresh one");
                    run.b().listen(PORT);
                    run.b().link().drop(OUT, TcpMatch.flags(SYN | ACK), 1);
                    run.a().connectFrom(5002, PORT);
                    run.runFor(2 * MS);
                    run.a().reboot();
                    run.runFor(2 * MS); // the new stack's clock: its ISN lies a few ms above the old one, in B's window
                    run.a().connectFrom(5002, PORT);
                    run.runUntilState(run.b(), ESTABLISHED);
                    run.runFor(10 * MS);
                    run.a().abort();
                    run.runFor(10 * MS);
                    run.b().closeListener();
                })
                .expectA(steps(t(CLOSED, SYN_SENT, ACTIVE_OPEN), t(SYN_SENT, CLOSED, RCV_RST),
                        OPEN_A, t(ESTABLISHED, CLOSED, ABORT),
                        OPEN_A, t(ESTABLISHED, CLOSED, RCV_RST),
                        t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_SENT, SEND),
                        t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_SENT, SEND),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK), t(ESTABLISHED, CLOSED, ABORT)))
                .expectB(steps(t(CLOSED, LISTEN, PASSIVE_OPEN), ACCEPT_B, t(ESTABLISHED, CLOSED, RCV_RST), ACCEPT_B,
                        t(CLOSED, LISTEN, PASSIVE_OPEN), t(LISTEN, SYN_RECEIVED, RCV_SYN), t(SYN_RECEIVED, LISTEN, RCV_SYN),
                        ACCEPT_B, t(ESTABLISHED, CLOSED, RCV_RST), t(LISTEN, CLOSED, CLOSE)))
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
                .boardRole("Listens on port 7000, echoes, and loses the first two data segments of each connection: students "
                        + "type a line into `nc` and look for the retransmissions and their backoff in Wireshark.")
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
                .boardRole("Listens on port 7000 and never reads (until a line arrives on its console, or 60 s pass): "
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

    /** Both boards close at once while every pure ACK is lost: both stay in CLOSING. */
    private static void closeIntoClosing(LabRun run) {
        run.a().link().drop(IN, TcpMatch.pureAck(), -1);
        run.b().link().drop(IN, TcpMatch.pureAck(), -1);
        run.a().close();
        run.b().close();
        run.runUntilState(run.a(), CLOSING);
        run.runUntilState(run.b(), CLOSING);
    }

    private static void clearRules(LabRun run) {
        run.a().link().clearRules();
        run.b().link().clearRules();
    }

    static Lab giveUp() {
        return Lab.named("give-up")
                .title("Giving up: the retransmission limit in every state")
                .summary("The other side goes silent in SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, CLOSE_WAIT, LAST_ACK and "
                        + "CLOSING; after 3 retransmissions the sender gives up. An orphaned FIN_WAIT_2 ends after 2*MSL.")
                .goal("See that every state that has something unacknowledged in flight ends the same way when nobody "
                        + "answers: retransmit with backoff, then CLOSED (RFC 1122 4.2.3.5, R2).")
                .predict("With RTO 200 ms after the handshake and 3 retransmissions, how long does A try before it gives up?",
                        "A closed and sits in FIN_WAIT_2, but B never sends its FIN: does A wait forever?",
                        "Which side gives up first in CLOSING, and does the other one notice?")
                .questions("Why does SYN_RECEIVED count its own limit (SYN retransmissions) separately?",
                        "Why is FIN_WAIT_2 not protected by retransmissions, and what protects it instead?",
                        "What does each application see as its close reason?")
                .boardRole("Listens on port 7000 and, 5 s after a connection opens, stops answering it (drops everything from "
                        + "that peer): students watch their own kernel retransmit and give up (`ss -ti` shows the backoff).")
                .tuning(b -> b.tcpMaxRetransmissions(3, 3))
                .script(run -> {
                    run.b().listen(PORT);
                    run.note("1. A never sees B's SYN+ACK: both retransmit, both give up");
                    run.a().link().drop(IN, TcpMatch.flags(SYN | ACK), -1);
                    run.a().connect(PORT);
                    run.runUntilIdle(run.a());
                    run.runUntilIdle(run.b());
                    clearRules(run);
                    run.note("2. ESTABLISHED: B goes silent while A has data in flight");
                    bGoesSilentWhileAHasDataInFlight(run);
                    run.note("3. FIN_WAIT_1: B goes silent, A closes");
                    bGoesSilentWhileACloses(run);
                    run.note("4. CLOSE_WAIT: A closed and then went silent; B still sends data");
                    intoCloseWaitThenAGoesSilent(run);
                    run.b().send("are you still there?");
                    run.runUntilIdle(run.b());
                    run.runUntilIdle(run.a());
                    clearRules(run);
                    run.note("5. LAST_ACK: A closed and then went silent; B closes");
                    intoCloseWaitThenAGoesSilent(run);
                    run.b().close();
                    run.runUntilIdle(run.b());
                    run.runUntilIdle(run.a());
                    clearRules(run);
                    run.note("6. CLOSING: both close at once and every ACK is lost");
                    bothCloseAndEveryAckIsLost(run);
                    run.b().closeListener();
                })
                .expectA(t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, CLOSED, RETRANSMISSION_TIMEOUT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, CLOSED, RETRANSMISSION_TIMEOUT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, CLOSED, RETRANSMISSION_TIMEOUT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN),
                        t(FIN_WAIT_2, CLOSED, FIN_WAIT_2_TIMEOUT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN),
                        t(FIN_WAIT_2, CLOSED, FIN_WAIT_2_TIMEOUT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, CLOSING, RCV_FIN),
                        t(CLOSING, CLOSED, RETRANSMISSION_TIMEOUT)) 
                .expectB(t(CLOSED, LISTEN, PASSIVE_OPEN),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, CLOSED, RETRANSMISSION_TIMEOUT),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSED, ABORT),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSED, ABORT),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSE_WAIT, RCV_FIN),
                        t(CLOSE_WAIT, CLOSED, RETRANSMISSION_TIMEOUT),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSE_WAIT, RCV_FIN),
                        t(CLOSE_WAIT, LAST_ACK, CLOSE),
                        t(LAST_ACK, CLOSED, RETRANSMISSION_TIMEOUT),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, CLOSING, RCV_FIN),
                        t(CLOSING, CLOSED, RETRANSMISSION_TIMEOUT),
                        t(LISTEN, CLOSED, CLOSE))
                .build();
    }

    static Lab keepaliveAndUserTimeout() {
        return Lab.named("keepalive")
                .title("Keepalive and the user timeout")
                .summary("An idle connection whose peer vanished is found by keepalive probes; data (or a FIN) that stays "
                        + "unacknowledged longer than the user timeout ends the connection in any state.")
                .goal("See the two timers that end a connection without a single RST: keepalive (RFC 1122 4.2.3.6) for an "
                        + "idle connection and the user timeout (RFC 9293 3.8.3, RFC 5482) for unacknowledged data.")
                .predict("Keepalive starts after 10 s idle and probes every 2 s, 3 times: when does A declare B dead?",
                        "The user timeout is 3 s: in which states can it end a connection here?")
                .questions("Why is keepalive off by default, and why is its default idle time two hours?",
                        "Why does a keepalive probe carry the sequence number SND.NXT - 1?",
                        "What is the difference between giving up after N retransmissions and the user timeout?")
                .boardRole("Listens on port 7000 with keepalive every 10 s: students connect with `nc`, then unplug their "
                        + "cable (or drop the board's packets with a firewall rule) and watch the board's probes and "
                        + "KEEPALIVE_TIMEOUT in its trace.")
                .tuning(b -> b.tcpKeepalive(true, 10 * S, 2 * S, 3).tcpUserTimeoutNanos(3 * S))
                .script(run -> {
                    run.b().listen(PORT);
                    run.note("1. keepalive: the connection goes idle; after 25 s B vanishes without a word");
                    establish(run);
                    run.runFor(25 * S);
                    run.b().link().drop(IN, TcpMatch.anyTcp(), -1);
                    run.b().link().drop(OUT, TcpMatch.anyTcp(), -1);
                    run.runUntilIdle(run.a());
                    run.runUntilIdle(run.b());
                    clearRules(run);
                    run.note("2. user timeout in ESTABLISHED: B goes silent while A has data in flight");
                    bGoesSilentWhileAHasDataInFlight(run);
                    run.note("3. user timeout in FIN_WAIT_1");
                    bGoesSilentWhileACloses(run);
                    run.note("4. user timeout in CLOSE_WAIT");
                    intoCloseWaitThenAGoesSilent(run);
                    run.b().send("are you still there?");
                    run.runUntilIdle(run.b());
                    run.a().abort();
                    clearRules(run);
                    run.note("5. user timeout in LAST_ACK");
                    intoCloseWaitThenAGoesSilent(run);
                    run.b().close();
                    run.runUntilIdle(run.b());
                    run.a().abort();
                    clearRules(run);
                    run.note("6. user timeout in CLOSING");
                    bothCloseAndEveryAckIsLost(run);
                    run.b().closeListener();
                })
                .expectA(t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, CLOSED, KEEPALIVE_TIMEOUT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, CLOSED, USER_TIMEOUT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, CLOSED, USER_TIMEOUT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN),
                        t(FIN_WAIT_2, CLOSED, ABORT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN),
                        t(FIN_WAIT_2, CLOSED, ABORT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, CLOSING, RCV_FIN),
                        t(CLOSING, CLOSED, USER_TIMEOUT)) 
                .expectB(t(CLOSED, LISTEN, PASSIVE_OPEN),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSED, KEEPALIVE_TIMEOUT),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSED, ABORT),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSED, ABORT),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSE_WAIT, RCV_FIN),
                        t(CLOSE_WAIT, CLOSED, USER_TIMEOUT),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSE_WAIT, RCV_FIN),
                        t(CLOSE_WAIT, LAST_ACK, CLOSE),
                        t(LAST_ACK, CLOSED, USER_TIMEOUT),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, CLOSING, RCV_FIN),
                        t(CLOSING, CLOSED, USER_TIMEOUT),
                        t(LISTEN, CLOSED, CLOSE))
                .build();
    }

    static Lab resetEverywhere() {
        return Lab.named("abort")
                .title("ABORT and RST in every state")
                .summary("One side aborts (or a stray segment meets a closed port) in SYN_SENT, SYN_RECEIVED, FIN_WAIT_1, "
                        + "FIN_WAIT_2, CLOSE_WAIT, CLOSING and LAST_ACK; the other side receives the RST, or nothing.")
                .goal("Complete the diagram's RST and ABORT edges: which states send an RST when aborted (RFC 9293 3.10.5), "
                        + "and where each side goes when an acceptable RST arrives (3.10.7.4).")
                .predict("A aborts in SYN_SENT: does anything go on the wire?",
                        "B's SYN+ACK reaches a client that already gave up: what does the client answer, and where does B go?",
                        "A aborts in CLOSING: does B learn about it at once?")
                .questions("Why does a half-open connection that came from LISTEN go back to LISTEN on RST, not to CLOSED?",
                        "Why do CLOSING and LAST_ACK send nothing on ABORT?",
                        "Which of these RSTs would a firewall in the middle see?")
                .boardRole("Listens on port 7000; every connection is aborted (RST) 3 s after it opens, whatever its state: "
                        + "students time their own close() to meet the RST in FIN_WAIT_1, FIN_WAIT_2 or CLOSE_WAIT.")
                .script(run -> {
                    run.b().listen(PORT);
                    run.note("1. ABORT in SYN_SENT: B is silent, A gives up after 0.5 s");
                    run.b().link().drop(IN, TcpMatch.anyTcp(), 1);
                    run.a().connect(PORT);
                    run.runFor(500 * MS);
                    run.a().abort();
                    run.runFor(100 * MS);
                    run.note("2. RST in SYN_RECEIVED (from LISTEN): A aborts before B's SYN+ACK arrives");
                    run.a().connect(PORT);
                    run.runFor(500_000L);
                    run.a().abort();
                    run.runFor(100 * MS);
                    run.note("3. CLOSE in SYN_RECEIVED: a simultaneous open whose SYN+ACKs are lost; A closes, then aborts");
                    run.a().link().drop(OUT, TcpMatch.flags(SYN | ACK), 1);
                    run.b().link().drop(OUT, TcpMatch.flags(SYN | ACK), 1);
                    run.a().connectFrom(5001, 6001);
                    run.b().connectFrom(6001, 5001);
                    run.runFor(100 * MS);
                    run.a().close();
                    run.runFor(100 * MS);
                    run.a().abort();
                    run.runFor(100 * MS);
                    clearRules(run);
                    run.note("4. RST in FIN_WAIT_1: B's ACK of A's FIN is lost, then B aborts");
                    establish(run);
                    run.a().link().drop(IN, TcpMatch.pureAck(), 1);
                    run.a().close();
                    run.runFor(100 * MS);
                    run.b().abort();
                    run.runFor(100 * MS);
                    run.note("5. RST in FIN_WAIT_2: B aborts in CLOSE_WAIT");
                    establish(run);
                    run.a().close();
                    run.runFor(100 * MS);
                    run.b().abort();
                    run.runFor(100 * MS);
                    run.note("6. ABORT in FIN_WAIT_2: B is in CLOSE_WAIT and receives the RST");
                    establish(run);
                    run.a().close();
                    run.runFor(100 * MS);
                    run.a().abort();
                    run.runFor(100 * MS);
                    run.note("7. ABORT in FIN_WAIT_1: A's FIN is lost, then A aborts");
                    establish(run);
                    run.b().link().drop(IN, TcpMatch.flags(FIN), 1);
                    run.a().close();
                    run.runFor(100 * MS);
                    run.a().abort();
                    run.runFor(100 * MS);
                    run.note("8. ABORT in CLOSING: A aborts silently; B's next FIN meets a closed port");
                    establish(run);
                    run.runFor(10 * MS);
                    closeIntoClosing(run);
                    run.a().abort();
                    run.runUntilIdle(run.b());
                    clearRules(run);
                    run.note("9. ABORT in LAST_ACK: A's last ACK is lost, B aborts");
                    establish(run);
                    run.a().link().drop(OUT, TcpMatch.pureAck(), -1);
                    run.a().close();
                    run.runUntilState(run.b(), CLOSE_WAIT);
                    run.b().close();
                    run.runFor(100 * MS);
                    run.b().abort();
                    run.runFor(100 * MS);
                    run.note("10. RST in LAST_ACK: A's last ACK is lost, then A reboots and B retransmits its FIN");
                    clearRules(run);
                    establish(run);
                    run.a().link().drop(OUT, TcpMatch.pureAck(), -1);
                    run.a().close();
                    run.runUntilState(run.b(), CLOSE_WAIT);
                    run.b().close();
                    run.runFor(100 * MS);
                    run.a().link().clearRules();
                    run.a().reboot();
                    run.runUntilIdle(run.b());
                    run.b().closeListener();
                })
                .expectA(t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, CLOSED, ABORT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, CLOSED, ABORT),
                        t(CLOSED, LISTEN, PASSIVE_OPEN),
                        t(LISTEN, SYN_SENT, SEND),
                        t(SYN_SENT, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, CLOSED, ABORT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, CLOSED, RCV_RST),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN),
                        t(FIN_WAIT_2, CLOSED, RCV_RST),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN),
                        t(FIN_WAIT_2, CLOSED, ABORT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, CLOSED, ABORT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, CLOSING, RCV_FIN),
                        t(CLOSING, CLOSED, ABORT),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN),
                        t(FIN_WAIT_2, TIME_WAIT, RCV_FIN),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, FIN_WAIT_2, RCV_ACK_OF_FIN),
                        t(FIN_WAIT_2, TIME_WAIT, RCV_FIN)) 
                .expectB(t(CLOSED, LISTEN, PASSIVE_OPEN),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, LISTEN, RCV_RST),
                        t(CLOSED, LISTEN, PASSIVE_OPEN),
                        t(LISTEN, SYN_SENT, SEND),
                        t(SYN_SENT, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, CLOSED, RCV_RST),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSE_WAIT, RCV_FIN),
                        t(CLOSE_WAIT, CLOSED, ABORT),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSE_WAIT, RCV_FIN),
                        t(CLOSE_WAIT, CLOSED, ABORT),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSE_WAIT, RCV_FIN),
                        t(CLOSE_WAIT, CLOSED, RCV_RST),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSED, RCV_RST),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, CLOSING, RCV_FIN),
                        t(CLOSING, CLOSED, RCV_RST),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSE_WAIT, RCV_FIN),
                        t(CLOSE_WAIT, LAST_ACK, CLOSE),
                        t(LAST_ACK, CLOSED, ABORT),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSE_WAIT, RCV_FIN),
                        t(CLOSE_WAIT, LAST_ACK, CLOSE),
                        t(LAST_ACK, CLOSED, RCV_RST),
                        t(LISTEN, CLOSED, CLOSE))
                .build();
    }

    static Lab resources() {
        return Lab.named("resources")
                .title("Full tables: backlog eviction and TIME_WAIT recycling")
                .summary("B's listener keeps one half-open connection: a second SYN evicts the first. A keeps one TIME_WAIT "
                        + "entry: a second close recycles the first.")
                .goal("See what a small device does when a fixed table is full (DESIGN.md, Memory): a documented policy "
                        + "and a counter, never growth; and the two extra edges this adds to the diagram.")
                .predict("A's SYN+ACKs never arrive, so B's connections stay in SYN_RECEIVED: what happens to the first "
                        + "when the second SYN arrives?",
                        "A closes two connections first, with room for one TIME_WAIT entry: which one leaves TIME_WAIT early?")
                .questions("Why evict the oldest half-open connection and not refuse the new SYN (think of a SYN flood)?",
                        "Is recycling a TIME_WAIT entry safe? What does RFC 6191 require of the next connection?")
                .boardRole("Listens on port 7000 with a backlog of 1 and one TIME_WAIT slot: students open connections "
                        + "with `hping3 -S` (SYN only) and watch BACKLOG_EVICTED in the trace and /metrics.")
                // Eviction of the oldest half-open connection is the DROP/RESET policy; the default,
                // SYN_COOKIE, would answer the second SYN with a cookie instead (see the security docs).
                .tuning(b -> b.tcpListeners(4, 1).tcpTimeWaitEntries(1).tcpSynOverflowPolicy(StackConfig.SynOverflowPolicy.DROP))
                .script(run -> {
                    run.b().listen(PORT);
                    run.note("1. backlog 1: A's first half-open connection is evicted by its second");
                    run.a().link().drop(IN, TcpMatch.flags(SYN | ACK), -1);
                    run.a().connect(PORT);
                    run.runFor(100 * MS);
                    run.a().connect(PORT);
                    run.runFor(100 * MS);
                    run.note("B closes its listener: the remaining half-open connection is aborted");
                    run.b().closeListener();
                    run.runUntilIdle(run.a());
                    clearRules(run);
                    run.note("2. one TIME_WAIT slot: A closes two connections first");
                    run.b().listen(PORT);
                    run.b().closeWhenPeerCloses(true);
                    establish(run);
                    run.a().close();
                    run.runFor(1 * S);
                    establish(run);
                    run.a().close();
                    run.runUntilIdle(run.a());
                    run.b().closeListener();
                })
                .expectA(t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, CLOSED, RCV_RST),
                        t(SYN_SENT, CLOSED, RCV_RST),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, TIME_WAIT, RCV_FIN_ACK),
                        t(CLOSED, SYN_SENT, ACTIVE_OPEN),
                        t(SYN_SENT, ESTABLISHED, RCV_SYN_ACK),
                        t(ESTABLISHED, FIN_WAIT_1, CLOSE),
                        t(FIN_WAIT_1, TIME_WAIT, RCV_FIN_ACK),
                        t(TIME_WAIT, CLOSED, TIME_WAIT_RECYCLED),
                        t(TIME_WAIT, CLOSED, TIME_WAIT_TIMEOUT)) 
                .expectB(t(CLOSED, LISTEN, PASSIVE_OPEN),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, CLOSED, BACKLOG_EVICTED),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, CLOSED, ABORT),
                        t(LISTEN, CLOSED, CLOSE),
                        t(CLOSED, LISTEN, PASSIVE_OPEN),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSE_WAIT, RCV_FIN),
                        t(CLOSE_WAIT, LAST_ACK, CLOSE),
                        t(LAST_ACK, CLOSED, RCV_ACK_OF_FIN),
                        t(LISTEN, SYN_RECEIVED, RCV_SYN),
                        t(SYN_RECEIVED, ESTABLISHED, RCV_ACK_OF_SYN),
                        t(ESTABLISHED, CLOSE_WAIT, RCV_FIN),
                        t(CLOSE_WAIT, LAST_ACK, CLOSE),
                        t(LAST_ACK, CLOSED, RCV_ACK_OF_FIN),
                        t(LISTEN, CLOSED, CLOSE))
                .build();
    }

    // ---- scenes shared by the give-up and keepalive labs: one side stops hearing the other ----

    /** Establishes, then B hears nothing while A has data in flight; A's timers end it, B aborts. */
    static void bGoesSilentWhileAHasDataInFlight(LabRun run) {
        establish(run);
        run.b().link().drop(IN, TcpMatch.anyTcp(), -1);
        run.a().send("hello?");
        run.runUntilIdle(run.a());
        run.b().abort();
        clearRules(run);
    }

    /** Establishes, then B hears nothing while A closes (A stays in FIN_WAIT_1); B aborts. */
    static void bGoesSilentWhileACloses(LabRun run) {
        establish(run);
        run.b().link().drop(IN, TcpMatch.anyTcp(), -1);
        run.a().close();
        run.runUntilIdle(run.a());
        run.b().abort();
        clearRules(run);
    }

    /** Establishes, A closes, B reaches CLOSE_WAIT, then A hears nothing more (the caller goes on). */
    static void intoCloseWaitThenAGoesSilent(LabRun run) {
        establish(run);
        run.a().close();
        run.runUntilState(run.b(), CLOSE_WAIT);
        run.runFor(10 * MS);
        run.a().link().drop(IN, TcpMatch.anyTcp(), -1);
    }

    /** Establishes, both close at once into CLOSING with every ACK lost, until both are idle. */
    static void bothCloseAndEveryAckIsLost(LabRun run) {
        establish(run);
        run.runFor(10 * MS);
        closeIntoClosing(run);
        run.runUntilIdle(run.a());
        run.runUntilIdle(run.b());
        clearRules(run);
    }
}
